"""Every console URL, found from the URL configuration rather than listed by hand, against the
people who must get nothing from it: a visitor without an account, staff without a role, and
an analyst of another region looking at the south's things. A page added later without a
permission check fails here."""

from datetime import timedelta
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from frontstage.cases.actions.triage import refer_case
from frontstage.cases.models import (
    Alert,
    AlertKind,
    Appeal,
    Decision,
    DecisionOutcome,
    EvidenceItem,
    EvidenceKind,
    LegalGround,
    Sanction,
    SanctionKind,
    SanctionStatus,
    StatementOfReasons,
)
from frontstage.intake.actions import Submission, submit_report
from frontstage.intake.models import ReportSource
from frontstage.lib.actors import PUBLIC
from frontstage.test import Personas

OPEN_TO_ALL = {"login", "logout"}
# The URL arguments, per URL name when `pk` is not a case.
PK_OF = {
    "acknowledge_alert": "alert",
    "answer_referral": "referral",
    "evidence_item": "evidence",
    "legal_ground_edit": "ground",
    "approve_sanction": "sanction",
    "reject_sanction": "sanction",
    "appeal": "appeal",
    "attachment": "evidence",  # any id: nobody below may reach an attachment
    "report_action": "report",
}


def console_names() -> list[tuple[str, list[str]]]:
    """(name, argument names) of every console URL pattern."""
    found: list[tuple[str, list[str]]] = []
    for entry in get_resolver().url_patterns:
        if isinstance(entry, URLResolver) and entry.namespace == "console":
            for pattern in entry.url_patterns:
                assert isinstance(pattern, URLPattern)
                if pattern.name and pattern.name not in OPEN_TO_ALL:
                    found.append((pattern.name, list(pattern.pattern.converters)))
    return found


class ConsolePermissionSweep(Personas):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        case = cls.south_case
        report = submit_report(
            submission=Submission(
                source=ReportSource.PUBLIC,
                locations=[("url", "http://south.example/scam")],
                explanation="The page asks for a deposit to release a prize.",
                region_code="CN-GD",
            ),
            by=PUBLIC,
        ).report
        now = timezone.now()
        assert case.category is not None
        ground = LegalGround.objects.create(
            category=case.category,
            unit=cls.south,
            jurisdiction="CN-GD",
            reference="Provincial rule 1",
            title_en="A provincial rule",
            elements_en="What must be shown.",
        )
        decision = Decision.objects.create(
            case=case,
            outcome=DecisionOutcome.ACTION,
            legal_ground=ground,
            facts="Facts.",
            decided_by=cls.analyst,
            decided_at=now,
        )
        sanction = Sanction.objects.create(
            decision=decision,
            case=case,
            subject=case.subjects.get(),
            kind=SanctionKind.REMOVE,
            proposed_kind=SanctionKind.REMOVE,
            status=SanctionStatus.AWAITING_APPROVAL,
            proposed_by=cls.analyst,
            proposed_at=now,
        )
        statement = StatementOfReasons.objects.create(
            sanction=sanction,
            puid="south-S1",
            token="sweep-token",
            content={},
            issued_at=now,
            appeal_until=now + timedelta(days=183),
        )
        cls.objects = {
            "case": case,
            "report": report,
            "ground": ground,
            "sanction": sanction,
            "alert": Alert.objects.create(
                case=case,
                unit=cls.south,
                kind=AlertKind.THREAT_TO_LIFE,
                reason="Threat.",
                raised_at=now,
            ),
            "appeal": Appeal.objects.create(
                statement=statement, case=case, text="It was not me at all.", filed_at=now
            ),
            "evidence": EvidenceItem.objects.get_or_create(
                case=case,
                origin="sweep:1",
                defaults={
                    "kind": EvidenceKind.REPORT_TEXT,
                    "label": "text",
                    "content": b"text",
                    "content_type": "text/plain",
                    "sha256": "0" * 64,
                    "captured_at": now,
                },
            )[0],
            "referral": refer_case(
                case=cls.shenzhen_case, to_unit=cls.east, reason="Their region.", by=cls.analyst
            ),
        }

    objects: dict[str, Any]

    def url(self, name: str, arguments: list[str]) -> str:
        values: dict[str, Any] = {}
        for argument in arguments:
            if argument == "verb":
                values[argument] = "message"
            elif argument == "report_pk":
                values[argument] = self.objects["report"].pk
            else:
                values[argument] = self.objects[PK_OF.get(name, "case")].pk
        return reverse(f"console:{name}", kwargs=values)

    def test_it_finds_the_casework_pages_to_check(self) -> None:
        names = {name for name, _arguments in console_names()}
        self.assertLessEqual({"cases", "case", "decide", "appeal", "evidence_export"}, names)

    def test_it_sends_a_visitor_without_an_account_to_the_login_page(self) -> None:
        for name, arguments in console_names():
            url = self.url(name, arguments)
            for method in ("get", "post"):
                with self.subTest(url=url, method=method):
                    response = getattr(self.reporter(), method)(url)
                    self.assertIn(response.status_code, (302, 405))
                    if response.status_code == 302:
                        self.assertIn("login", response["Location"])

    def test_it_refuses_staff_without_a_role_everything(self) -> None:
        client = self.client_for(self.outsider)
        for name, arguments in console_names():
            url = self.url(name, arguments)
            for method in ("get", "post"):
                with self.subTest(url=url, method=method):
                    response = getattr(client, method)(url)
                    self.assertIn(response.status_code, (403, 404, 405))

    def test_it_shows_an_east_analyst_nothing_of_the_souths_things(self) -> None:
        client = self.client_for(self.east_analyst)
        for name, arguments in console_names():
            if not arguments:
                continue  # lists are scoped; their contents are tested page by page
            if name == "answer_referral":
                continue  # the referral goes to the east: answering it is theirs to do
            url = self.url(name, arguments)
            for method in ("get", "post"):
                with self.subTest(url=url, method=method):
                    response = getattr(client, method)(url)
                    self.assertIn(response.status_code, (403, 404, 405))
