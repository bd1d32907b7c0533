import hashlib
import io
import json

from django.urls import reverse
from PIL import Image

from frontstage.audit.models import AuditEvent
from frontstage.cases.actions.evidence import HASH_ONLY, verify_evidence
from frontstage.cases.models import Category, CustodyAction, EvidenceItem, EvidenceKind
from frontstage.intake.actions import Receipt, Submission, submit_report
from frontstage.intake.attachments import clean_image
from frontstage.intake.models import ReportSource
from frontstage.lib.actors import PUBLIC
from frontstage.patrol.engine import Post
from frontstage.patrol.models import PatrolHit
from frontstage.patrol.runner import patrol
from frontstage.test import Personas

SCAM = "刷单返利，日赚500，加vx: shuadan888 了解详情"


def screenshot(colour: tuple[int, int, int] = (10, 200, 10)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(out, "PNG")
    return out.getvalue()


def report(url: str, *, category: str = "scam_fraud", shots: int = 1) -> Receipt:
    submission = Submission(
        source=ReportSource.PUBLIC,
        locations=[("url", url)],
        explanation="The page asks for a deposit to release a prize. 押金",
        category=Category.objects.get(code=category),
        region_code="CN-GD",
        attachments=[clean_image(screenshot((i * 40, 90, 90))) for i in range(shots)],
    )
    return submit_report(submission=submission, by=PUBLIC)


class CapturingEvidence(Personas):
    def test_it_keeps_the_report_text_as_sorted_utf8_json_with_its_hash(self) -> None:
        receipt = report("http://south.example/scam")
        item = EvidenceItem.objects.get(origin=f"report:{receipt.report.pk}")
        content = bytes(item.content)
        self.assertEqual(item.case, self.south_case)
        self.assertEqual(item.kind, EvidenceKind.REPORT_TEXT)
        self.assertEqual(item.sha256, hashlib.sha256(content).hexdigest())
        text = json.loads(content.decode("utf-8"))
        self.assertEqual(
            text["explanation"], "The page asks for a deposit to release a prize. 押金"
        )
        self.assertEqual(text["locations"], [{"kind": "url", "key": "south.example/scam"}])
        self.assertIn("押金".encode(), content)  # readable UTF-8, not \\u escapes
        self.assertEqual(list(text), sorted(text))

    def test_it_keeps_each_screenshot_as_the_stored_bytes_with_the_original_hash_noted(
        self,
    ) -> None:
        receipt = report("http://south.example/scam", shots=2)
        shots = list(receipt.report.attachments.order_by("pk"))
        items = EvidenceItem.objects.filter(kind=EvidenceKind.ATTACHMENT).order_by("pk")
        self.assertEqual([i.origin for i in items], [f"attachment:{s.pk}" for s in shots])
        for item, shot in zip(items, shots, strict=True):
            self.assertEqual(bytes(item.content), bytes(shot.content))
            self.assertEqual(item.sha256, shot.sha256)
            self.assertEqual(item.content_type, shot.content_type)
            captured = item.custody.get()
            self.assertEqual(captured.action, CustodyAction.CAPTURED)
            self.assertEqual(captured.actor_label, "public")
            self.assertIn(shot.original_sha256, captured.note)

    def test_it_writes_a_case_event_and_an_audit_event_for_the_capture(self) -> None:
        receipt = report("http://south.example/scam")
        event = self.south_case.events.filter(kind="evidence").get()
        self.assertEqual(event.payload["report"], receipt.report.pk)
        self.assertEqual(len(event.payload["items"]), 2)
        self.assertTrue(AuditEvent.objects.filter(action="evidence.captured").exists())

    def test_it_keeps_child_sexual_abuse_material_as_a_hash_only(self) -> None:
        receipt = report("http://csam.example/x", category="child_sexual_abuse")
        shot = receipt.report.attachments.get()
        item = EvidenceItem.objects.get(origin=f"attachment:{shot.pk}")
        self.assertEqual(bytes(item.content), b"")
        self.assertEqual(item.content_type, HASH_ONLY)
        self.assertEqual(item.sha256, shot.original_sha256)
        self.assertIn("hash only", item.label)
        self.assertIn("never stored or shown in the clear", item.custody.get().note)

    def test_it_never_stores_or_shows_a_child_abuse_screenshot_in_the_clear(self) -> None:
        receipt = report("http://csam.example/x", category="child_sexual_abuse")
        shot = receipt.report.attachments.get()
        self.assertEqual(bytes(shot.content), b"")
        self.assertEqual(shot.content_type, HASH_ONLY)
        analyst = self.client_for(self.analyst)
        self.assertEqual(
            analyst.get(reverse("console:attachment", args=[shot.pk])).status_code, 404
        )
        page = analyst.get(reverse("console:case", args=[receipt.report.case_id]))
        self.assertContains(page, "Screenshot kept as its hash only")
        self.assertNotContains(page, reverse("console:attachment", args=[shot.pk]))

    def test_it_keeps_a_snapshot_of_a_live_patrol_hit(self) -> None:
        patrol([Post(id="p1", text=SCAM, urls=["http://shuadan.example/join"])], source="weibo")
        hit = PatrolHit.objects.filter(post_id="p1", report__isnull=False).first()
        assert hit is not None and hit.report is not None
        item = EvidenceItem.objects.get(origin=f"hit:{hit.pk}")
        self.assertEqual(item.case, hit.report.case)
        self.assertEqual(item.kind, EvidenceKind.PATROL_SNAPSHOT)
        snapshot = json.loads(bytes(item.content))
        self.assertEqual(snapshot["text"], SCAM)
        self.assertEqual((snapshot["rule"], snapshot["version"]), (hit.rule, hit.rule_version))
        self.assertEqual(snapshot["urls"], ["http://shuadan.example/join"])
        self.assertEqual(item.sha256, hashlib.sha256(bytes(item.content)).hexdigest())
        self.assertEqual(item.custody.get().actor_label, "patrol")

    def test_it_keeps_one_item_per_origin_however_often_the_patrol_runs(self) -> None:
        posts = [Post(id="p1", text=SCAM, urls=["http://shuadan.example/join"])]
        patrol(posts, source="weibo")
        patrol(posts, source="weibo")
        live = PatrolHit.objects.filter(report__isnull=False).count()
        self.assertGreaterEqual(live, 1)
        self.assertEqual(EvidenceItem.objects.filter(origin__startswith="hit:").count(), live)

    def test_it_verifies_the_hashes_and_records_the_check_in_each_trail(self) -> None:
        report("http://south.example/scam")
        report("http://csam.example/x", category="child_sexual_abuse")
        self.assertEqual(verify_evidence(case=self.south_case, by=self.analyst), [])
        for item in EvidenceItem.objects.filter(case=self.south_case):
            verified = item.custody.get(action=CustodyAction.VERIFIED)
            self.assertEqual((verified.actor, verified.note), (self.analyst, "Matches."))
        self.assertTrue(
            AuditEvent.objects.filter(action="evidence.verified", actor=self.analyst).exists()
        )
