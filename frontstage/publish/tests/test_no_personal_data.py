"""No personal data in any public output: many cases full of fake personal data go through
intake, decisions, case reports and an advisory; no public page, feed or activity shows any."""

import json
import random
import re
from urllib.parse import urlsplit

from django.urls import reverse
from faker import Faker
from stdnum import luhn

from frontstage.cases.actions import move_case
from frontstage.cases.actions.decisions import SanctionRequest, decide
from frontstage.cases.models import Case, CaseStatus, Category, LegalGround
from frontstage.intake.actions import Submission, submit_report
from frontstage.lib.actors import PUBLIC
from frontstage.publish.actions.posts import (
    approve_publication,
    draft_advisory,
    draft_case_report,
)
from frontstage.publish.models import Publication
from frontstage.test import Personas

CASES = 40


def mobile(rng: random.Random) -> str:
    return f"1{rng.choice('3589')}{rng.randrange(10**9):09d}"


def card(rng: random.Random) -> str:
    body = f"62{rng.randrange(10**16):016d}"
    number = body + luhn.calc_check_digit(body)
    return " ".join(number[i : i + 4] for i in range(0, len(number), 4))


class NoPersonalData(Personas):
    def test_it_shows_none_of_the_generated_personal_data_in_any_public_output(self) -> None:
        rng = random.Random(6)  # noqa: S311 - test data
        fakers = [Faker("en_US"), Faker("zh_CN")]
        Faker.seed(6)
        category = Category.objects.get(code="scam_fraud")
        ground = LegalGround.objects.filter(category=category, unit=None)[0]
        secrets: list[str] = []
        for n in range(CASES):
            fake = fakers[n % 2]
            unit, analyst = (self.south, self.analyst) if n % 3 else (self.east, self.east_analyst)
            m = mobile(rng)
            phones = [f"+86 {m[:3]} {m[3:7]} {m[7:]}", f"{m[:3]}-{m[3:7]}-{m[7:]}",
                      f"(021) {rng.randrange(2000, 9999)}-{rng.randrange(1000, 9999)}",
                      Faker("en_US").phone_number()]  # fmt: skip
            name, email, ssn = fake.name(), fake.email(), Faker("zh_CN").ssn()
            cards = [card(rng), Faker("en_US").credit_card_number()]
            victim = f"https://victim-{n}.example/u/{fake.user_name()}"
            secrets += [name, email, ssn, victim, *phones, *cards]
            text = (
                f"{name} ({email}, {phones[0]}, {phones[1]}) paid to card {cards[0]} "
                f"after a call from {phones[2]} or {phones[3]}; ID {ssn}; card {cards[1]}; "
                f"profile {victim}"
            )
            receipt = submit_report(
                submission=Submission(
                    source="public", locations=[("url", f"http://parcel-fee-{n}.example/pay")],
                    explanation=text, category=category, unit=unit, reporter_name=name,
                    reporter_email=email,
                ),
                by=PUBLIC,
            )  # fmt: skip
            case = move_case(case=receipt.report.case, to=CaseStatus.TRIAGED, by=analyst)
            decide(
                case=case, outcome="action", legal_ground=ground, facts=f"Reported by {text}.",
                explanation=f"{name} 说：电话{m}，邮箱{email}，身份证{ssn}。",
                sanctions=[SanctionRequest(subject=case.subjects.get(), kind="remove")], by=analyst,
            )  # fmt: skip
            case = move_case(case=case, to=CaseStatus.CLOSED, by=analyst)
            post = draft_case_report(case=case, by=self.publisher)
            approve_publication(publication=post, by=self.publisher)
        first = Case.objects.filter(unit=self.south).exclude(reports=None).first()
        advisory = draft_advisory(
            unit=self.south, by=self.publisher, campaign_of=first, title_en="Fake parcel fees",
            body_en="Many reports of **parcel fee** messages this week. Never pay by link.",
        )  # fmt: skip
        approve_publication(publication=advisory, by=self.publisher)
        self.assertEqual(Publication.objects.filter(status="published").count(), CASES + 1)

        pages = self.public_outputs()
        digits = [re.sub(r"\D", "", s) for s in secrets if sum(c.isdigit() for c in s) >= 7]
        for url, body in pages.items():
            for secret in [*secrets, *digits]:
                self.assertNotIn(secret, body, f"{secret!r} is shown at {url}")
        # The reports were published, with markers where the personal data was.
        shown = "".join(pages.values())
        for marker in ["[phone]", "[ID number]", "[bank card]", "[e-mail]", "[name]", "【电话】"]:
            self.assertIn(marker, shown)
        self.assertTrue(any("/outbox" in url for url in pages))

    def public_outputs(self) -> dict[str, str]:
        client = self.reporter()
        urls = [reverse("home")]
        for slug in ["national", "south", "east", "shenzhen"]:
            urls += [
                f"/u/{slug}/",
                f"/u/{slug}/?page=2",
                f"/u/{slug}/?page=3",
                f"/u/{slug}/feed.atom",
            ]
        for post in Publication.objects.select_related("unit"):
            urls.append(reverse("publication", args=[post.unit.slug, post.pk]))
        pages: dict[str, str] = {}
        for url in urls:
            response = client.get(url)
            self.assertIn(response.status_code, (200, 410), url)
            pages[url] = response.content.decode()
        pages.update(self.outbox_pages(client))
        return pages

    def outbox_pages(self, client: object) -> dict[str, str]:
        """Every page of every unit's ActivityPub outbox, when the federation part serves it."""
        try:
            start = [reverse("outbox", args=[slug]) for slug in ["south", "east"]]
        except Exception:
            return {}
        seen: dict[str, str] = {}
        while start:
            url = start.pop()
            if url in seen:
                continue
            response = client.get(url, headers={"accept": "application/activity+json"})  # type: ignore[attr-defined]
            seen[url] = response.content.decode()
            document = json.loads(seen[url]) if response.status_code == 200 else {}
            for key in ("first", "next"):
                link = document.get(key)
                if isinstance(link, str):
                    parts = urlsplit(link)
                    start.append(parts.path + (f"?{parts.query}" if parts.query else ""))
        return seen
