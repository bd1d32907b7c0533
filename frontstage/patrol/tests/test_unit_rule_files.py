from django.urls import reverse

from frontstage.audit.models import AuditEvent
from frontstage.patrol.actions import save_rule_file
from frontstage.patrol.engine import Post, RulePackError
from frontstage.patrol.models import PatrolHit, UnitRuleFile
from frontstage.patrol.runner import patrol
from frontstage.test import Personas

RULES = """keywords:
  parcel_fee:
    languages: [zh, en]
    words: [{word}]
rules:
  - id: south.parcel-fee
    category: scam_fraud
    score: 0.8
    mode: live
    when: {{keywords: [parcel_fee]}}
"""


class UnitRuleFiles(Personas):
    """The south region sees a new scam wording and writes a rule for it."""

    def test_it_patrols_with_a_rule_a_unit_admin_wrote(self) -> None:
        save_rule_file(
            name="south-local",
            unit=self.south,
            content=RULES.format(word="包裹滞留补缴"),
            by=self.unit_admin,
        )
        patrol([Post(id="1", text="您的包裹滞留补缴运费请点击链接")], source="s", unit=self.south)
        hit = PatrolHit.objects.get(rule="south.parcel-fee")
        self.assertEqual(hit.rule_version, 1)
        self.assertIsNotNone(hit.report)

    def test_it_raises_the_version_when_the_wording_changes(self) -> None:
        save_rule_file(
            name="south-local",
            unit=self.south,
            content=RULES.format(word="包裹滞留补缴"),
            by=self.unit_admin,
        )
        row = save_rule_file(
            name="south-local",
            unit=self.south,
            content=RULES.format(word="补缴运费"),
            by=self.unit_admin,
        )
        self.assertEqual(row.version, 2)
        patrol([Post(id="1", text="您的包裹需补缴运费")], source="s", unit=self.south)
        self.assertEqual(PatrolHit.objects.get(rule="south.parcel-fee").rule_version, 2)
        self.assertEqual(AuditEvent.objects.filter(action="patrol.rule_file_saved").count(), 2)

    def test_it_refuses_a_broken_file_naming_every_problem_and_saves_nothing(self) -> None:
        broken = (
            RULES.format(word="x")
            .replace("scam_fraud", "jaywalking")
            .replace("[parcel_fee]", "[nothing]")
        )
        with self.assertRaises(RulePackError) as refused:
            save_rule_file(name="south-local", unit=self.south, content=broken, by=self.unit_admin)
        self.assertGreaterEqual(len(refused.exception.problems), 1)
        self.assertIn("south-local.yaml (console)", refused.exception.problems[0])
        self.assertFalse(UnitRuleFile.objects.exists())

    def test_it_refuses_a_rule_id_the_shipped_pack_already_uses(self) -> None:
        clash = RULES.format(word="x").replace("south.parcel-fee", "threats.person.en")
        with self.assertRaisesMessage(RulePackError, "id already used"):
            save_rule_file(name="south-local", unit=self.south, content=clash, by=self.unit_admin)

    def test_it_shows_the_problems_in_the_admin_form(self) -> None:
        client = self.client_for(self.unit_admin)
        form = {"name": "south-local", "unit": self.south.pk, "content": "rules: [", "active": "on"}
        response = client.post(reverse("admin:patrol_unitrulefile_add"), form)
        self.assertContains(response, "not valid YAML")
        good = {**form, "content": RULES.format(word="包裹滞留补缴")}
        response = client.post(reverse("admin:patrol_unitrulefile_add"), good)
        self.assertEqual(response.status_code, 302, response.content[:2000])
        self.assertEqual(UnitRuleFile.objects.get().version, 1)
