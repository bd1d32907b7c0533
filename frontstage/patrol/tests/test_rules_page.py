import json

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from frontstage.audit.models import AuditEvent
from frontstage.patrol.engine import Post, shipped_pack
from frontstage.patrol.models import RuleSetting
from frontstage.patrol.runner import patrol
from frontstage.test import Personas

SCAM = "刷单返利，日赚500，加vx: shuadan888 了解详情"


class RulesPage(Personas):
    def test_it_lists_every_rule_with_its_mode_and_recent_hits(self) -> None:
        patrol(
            [Post(id="p1", text=SCAM, urls=["http://shuadan.example/j"])],
            source="s",
            unit=self.south,
        )
        page = self.client_for(self.analyst).get(reverse("console:patrol_rules"))
        self.assertEqual(page.status_code, 200)
        for rule in shipped_pack().rules[:5]:
            self.assertContains(page, rule.id)
        self.assertNotContains(page, "To shadow")  # analysts read, supervisors switch

    def test_it_lets_a_supervisor_switch_a_rule_with_a_reason(self) -> None:
        rule = next(r for r in shipped_pack().rules if r.mode.value == "live")
        client = self.client_for(self.supervisor)
        url = reverse("console:patrol_rules")
        client.post(url, {"rule": rule.id, "mode": "shadow", "reason": ""}, follow=True)
        self.assertFalse(RuleSetting.objects.exists())
        page = client.post(
            url, {"rule": rule.id, "mode": "shadow", "reason": "False hits on news"}, follow=True
        )
        self.assertContains(page, "mode was changed")
        self.assertEqual(RuleSetting.objects.get(rule=rule.id).mode, "shadow")
        self.assertTrue(
            AuditEvent.objects.filter(
                action="patrol.rule_mode_changed", actor=self.supervisor
            ).exists()
        )

    def test_it_refuses_a_switch_by_an_analyst_or_an_outsider(self) -> None:
        rule = shipped_pack().rules[0].id
        url = reverse("console:patrol_rules")
        self.assertEqual(
            self.client_for(self.analyst)
            .post(url, {"rule": rule, "mode": "shadow", "reason": "x"})
            .status_code,
            403,
        )
        self.assertEqual(self.client_for(self.outsider).get(url).status_code, 403)
        self.assertFalse(RuleSetting.objects.exists())

    def test_it_backtests_an_uploaded_labelled_file(self) -> None:
        lines = [
            {"id": "1", "text": SCAM, "label": "scam_fraud"},
            {
                "id": "2",
                "text": "Police warn: task scams ask for deposits. Never pay.",
                "label": "benign",
            },
        ]
        upload = SimpleUploadedFile(
            "labelled.jsonl", "\n".join(json.dumps(x, ensure_ascii=False) for x in lines).encode()
        )
        page = self.client_for(self.analyst).post(
            reverse("console:patrol_backtest"), {"labelled": upload}
        )
        self.assertContains(page, "scam_fraud")
        self.assertContains(page, "labelled.jsonl")
