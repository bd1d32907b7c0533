import json
from io import StringIO
from pathlib import Path
from tempfile import TemporaryDirectory

from django.core.management import call_command

from frontstage.audit.models import AuditEvent
from frontstage.intake.models import Report
from frontstage.patrol.actions import PatrolError, add_push_source, set_rule_mode
from frontstage.patrol.engine import Post, shipped_pack
from frontstage.patrol.models import PatrolHit, RuleSetting
from frontstage.patrol.runner import patrol
from frontstage.patrol.tests.helpers import pack_of
from frontstage.test import Personas

SCAM = "刷单返利，日赚500，加vx: shuadan888 了解详情"
BENIGN = "Lovely weather in Shenzhen today, going hiking with friends."


class PatrolRunner(Personas):
    """The patrol reads a stream of public posts for the south region."""

    def test_it_turns_a_live_hit_into_a_patrol_report_in_a_case(self) -> None:
        posts = [
            Post(id="p1", text=SCAM, urls=["http://shuadan.example/join"]),
            Post(id="p2", text=BENIGN),
        ]
        count = patrol(posts, source="weibo-sample", unit=self.south)
        self.assertEqual(count.posts, 2)
        self.assertGreaterEqual(count.reports, 1)
        report = Report.objects.get(source="patrol")
        self.assertEqual(report.case.unit, self.south)
        self.assertEqual(report.category and report.category.code, "scam_fraud")
        self.assertEqual(report.locations, [{"kind": "url", "key": "shuadan.example/join"}])
        self.assertFalse(PatrolHit.objects.filter(post_id="p2").exists())
        hit = PatrolHit.objects.filter(post_id="p1").first()
        assert hit is not None
        self.assertTrue(any(e.get("text") for e in hit.evidence))

    def test_it_records_a_post_once_however_often_it_is_patrolled(self) -> None:
        posts = [Post(id="p1", text=SCAM, urls=["http://shuadan.example/join"])]
        first = patrol(posts, source="s", unit=self.south)
        again = patrol(posts, source="s", unit=self.south)
        self.assertEqual(again.hits, 0)
        self.assertEqual(again.already_seen, first.hits)
        self.assertEqual(Report.objects.filter(source="patrol").count(), first.reports)

    def test_it_files_one_report_per_category_however_many_rules_flag_a_post(self) -> None:
        pack = pack_of(
            {
                "rules.yaml": """
                keywords:
                  task: {words: [刷单]}
                  bet: {words: [下注]}
                rules:
                  - {id: a, version: 1, category: scam_fraud, score: 0.7, mode: live,
                     when: {keywords: [task]}}
                  - {id: b, version: 1, category: scam_fraud, score: 0.6, mode: live,
                     when: {keywords: [task]}}
                  - {id: c, version: 1, category: illegal_gambling, score: 0.6, mode: live,
                     when: {keywords: [bet]}}
                """
            }
        )
        post = Post(id="p1", text="刷单返利，顺便下注，加vx: shuadan888")
        count = patrol([post], source="s", unit=self.south, pack=pack)
        self.assertEqual((count.hits, count.reports), (3, 2))
        reports = Report.objects.filter(source="patrol")
        self.assertEqual(
            sorted(r.category.code for r in reports if r.category),
            ["illegal_gambling", "scam_fraud"],
        )
        scam = PatrolHit.objects.filter(rule__in=["a", "b"])
        self.assertEqual({h.report_id for h in scam}, {reports.get(category__code="scam_fraud").pk})
        case = reports.get(category__code="scam_fraud").case
        snapshots = case.evidence.filter(kind="patrol_snapshot").count()
        self.assertEqual(snapshots, PatrolHit.objects.filter(report__case=case).count())
        self.assertGreaterEqual(snapshots, 2)

    def test_it_records_shadow_hits_without_reporting_them(self) -> None:
        rule = patrol([Post(id="x", text=SCAM)], source="probe", unit=self.south)
        self.assertGreater(rule.hits, 0)
        hit_rule = PatrolHit.objects.filter(source="probe").values_list("rule", flat=True)[0]
        set_rule_mode(
            rule=hit_rule, mode="shadow", by=self.supervisor, reason="Too many false hits"
        )
        count = patrol([Post(id="y", text=SCAM)], source="probe", unit=self.south)
        shadowed = PatrolHit.objects.get(source="probe", post_id="y", rule=hit_rule)
        self.assertEqual((shadowed.mode, shadowed.report), ("shadow", None))
        self.assertGreaterEqual(count.hits, 1)
        self.assertTrue(AuditEvent.objects.filter(action="patrol.rule_mode_changed").exists())

    def test_it_refuses_an_unknown_rule_or_a_change_without_reason(self) -> None:
        with self.assertRaisesMessage(PatrolError, "No rule has the id"):
            set_rule_mode(rule="no-such-rule", mode="live", by=self.supervisor, reason="x")
        real = shipped_pack().rules[0].id
        with self.assertRaisesMessage(PatrolError, "Say why"):
            set_rule_mode(rule=real, mode="shadow", by=self.supervisor, reason=" ")
        self.assertFalse(RuleSetting.objects.exists())

    def test_it_runs_over_a_jsonl_file_from_the_command_line(self) -> None:
        with TemporaryDirectory() as folder:
            stream = Path(folder) / "stream.jsonl"
            lines = [
                json.dumps(
                    {"id": "a", "text": SCAM, "urls": ["http://shuadan.example/a"]},
                    ensure_ascii=False,
                ),
                "not json",
                json.dumps({"id": "b", "text": BENIGN}),
            ]
            stream.write_text("\n".join(lines) + "\n", encoding="utf-8")
            out, err = StringIO(), StringIO()
            call_command(
                "patrol", "run", "--source", str(stream), "--unit", "south", stdout=out, stderr=err
            )
        self.assertIn("2 posts patrolled", out.getvalue())
        self.assertIn("line 2: skipped", err.getvalue())
        self.assertTrue(Report.objects.filter(source="patrol", case__unit=self.south).exists())


class PushEndpoint(Personas):
    def test_it_takes_posts_pushed_by_a_platform_with_its_token(self) -> None:
        pushed = add_push_source(name="shop-platform", unit=self.east, by=self.unit_admin)
        body = {
            "posts": [
                {"id": "1", "text": SCAM, "urls": ["http://shuadan.example/p"]},
                {"id": "2", "text": BENIGN},
            ]
        }
        headers = {"Authorization": f"Bearer {pushed.token}"}
        response = self.reporter().post(
            "/api/v1/patrol/posts", body, content_type="application/json", headers=headers
        )
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["posts"], 2)
        self.assertGreaterEqual(response.json()["reports"], 1)
        again = self.reporter().post(
            "/api/v1/patrol/posts", body, content_type="application/json", headers=headers
        )
        self.assertEqual(again.json()["hits"], 0)
        self.assertEqual(Report.objects.get(source="patrol").case.unit, self.east)

    def test_it_refuses_pushes_without_a_valid_token(self) -> None:
        body = {"posts": [{"id": "1", "text": SCAM}]}
        response = self.reporter().post(
            "/api/v1/patrol/posts", body, content_type="application/json"
        )
        self.assertEqual(response.status_code, 401)


class HitsOnTheCasePage(Personas):
    def test_it_shows_the_analyst_why_the_patrol_flagged_a_post(self) -> None:
        patrol(
            [Post(id="p1", text=SCAM, urls=["http://shuadan.example/join"])],
            source="s",
            unit=self.south,
        )
        case = Report.objects.get(source="patrol").case
        page = self.client_for(self.analyst).get(f"/console/cases/{case.pk}/")
        self.assertContains(page, "Patrol rule")
        self.assertContains(page, "<mark>刷单返利</mark>", html=False)
