"""The casework story end to end in a real browser (issue 5, "Tests that must exist"): a public
report and a patrol hit on the same account land in one case; an analyst takes it and proposes
a permanent suspension; she cannot approve it herself; a supervisor approves; the order to the
platform and the statement of reasons exist; the affected user appeals at the link; the
supervisor who approved cannot decide the appeal; another supervisor reverses it; the reporter's
receipt page shows the final outcome."""

import re

from django.core import mail
from django.test import override_settings
from django.urls import reverse
from playwright.sync_api import BrowserContext, Page, expect

from frontstage.accounts.models import RoleKind
from frontstage.cases.models import (
    Appeal,
    AppealStatus,
    Case,
    CaseOutcome,
    Category,
    LegalGround,
    OrderAction,
    PlatformOrder,
    Sanction,
    SanctionKind,
    SanctionStatus,
)
from frontstage.cases.shipped import load_shipped_grounds
from frontstage.intake.actions import issue_api_client
from frontstage.intake.models import ClientKind
from frontstage.lib.actors import SYSTEM
from frontstage.patrol.actions import add_push_source
from frontstage.test import PASSWORD, BrowserTestCase, make_staff, make_unit
from frontstage.units.models import UnitLevel

SOLVED = "document.querySelector('input[name=altcha]')?.value.length > 0"
PROFILE = "https://weibo.com/u/7788001"
ACCOUNT = "weibo:7788001"
AFFECTED = "owner-7788001@example.com"
SCAM_POST = "刷单返利，日赚500，加vx: shuadan888 了解详情"
APPEAL = "This account belongs to a shop; the post was written by a former employee, not me."


@override_settings(ALTCHA_MAX_NUMBER=5000)
class CaseworkStory(BrowserTestCase):
    """Li (analyst, south), Hua (supervisor, south) and Sun (supervisor, national) handle a
    scam account that a member of the public and the patrol both found."""

    def setUp(self) -> None:
        super().setUp()
        # The test database is emptied between browser tests; the shipped grounds come back.
        load_shipped_grounds(LegalGround, Category)
        national = make_unit("national", UnitLevel.NATIONAL, None, ["CN"])
        self.south = make_unit("south", UnitLevel.REGIONAL, national, ["CN-GD", "CN-GX"])
        make_staff("li", RoleKind.ANALYST, self.south)
        make_staff("hua", RoleKind.SUPERVISOR, self.south)
        make_staff("sun", RoleKind.SUPERVISOR, national)
        issue_api_client(
            name="Weibo",
            kind=ClientKind.PLATFORM,
            unit=national,
            platform="weibo",
            domains=["weibo.com"],
            by=SYSTEM,
        )
        self.patrol_token = add_push_source(name="weibo-push", unit=self.south, by=SYSTEM).token
        # The statement link in the e-mail must lead to this live server.
        site = override_settings(SITE_URL=self.live_server_url)
        site.enable()
        self.addCleanup(site.disable)

    # People at their own browsers -------------------------------------------------------

    def browser_for(self, username: str | None) -> Page:
        """A fresh browser (own cookies) for a person; staff are logged in to the console."""
        context: BrowserContext = self.browser.new_context(locale="en-GB")
        self.addCleanup(context.close)
        page = context.new_page()
        page.set_default_timeout(10_000)
        if username is not None:
            page.goto(self.url("/console/"))
            page.get_by_label("Username").fill(username)
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Log in").click()
            expect(page.get_by_role("heading", name="Cases", exact=True)).to_be_visible()
        return page

    def report_as_the_public(self) -> str:
        """Files the report on /report/ with the real proof of work; returns the receipt code."""
        page = self.page
        page.goto(self.url("/report/"))
        page.get_by_label("Links (one per line)").fill(PROFILE)
        page.get_by_label("Platform", exact=True).select_option("weibo")
        page.get_by_label("Account or handle").fill("7788001")
        page.get_by_label("What kind of illegal content is it?").select_option("scam_fraud")
        page.get_by_label("Why do you think it is illegal?").fill(
            "This account posts paid 'order brushing' jobs; I paid a deposit and lost it."
        )
        page.get_by_label("Where are you?").select_option("CN-GD")
        page.get_by_label("I believe in good faith").check()
        page.wait_for_function(SOLVED, timeout=30_000)
        page.wait_for_timeout(3000)  # the form refuses senders faster than a person
        page.get_by_role("button", name="Send report").click()
        expect(page.get_by_role("heading")).to_contain_text("your report was received")
        return page.locator("#receipt-code").inner_text()

    def patrol_hit(self) -> None:
        """The platform pushes the same profile's post to the patrol (its real HTTP entry)."""
        response = self.page.request.post(
            self.url("/api/v1/patrol/posts"),
            data={"posts": [{"id": "wb-1", "text": SCAM_POST, "urls": [PROFILE]}]},
            headers={"Authorization": f"Bearer {self.patrol_token}"},
        )
        self.assertEqual(response.status, 200, response.text())
        self.assertGreaterEqual(response.json()["reports"], 1)

    def csrf_post(self, page: Page, path: str) -> int:
        """A hand-made POST from the person's browser session, as a crafted form would send."""
        token = page.locator("input[name=csrfmiddlewaretoken]").first.input_value()
        response = page.request.post(
            self.url(path), form={"csrfmiddlewaretoken": token}, max_redirects=0
        )
        return response.status

    # The story ----------------------------------------------------------------------------

    def test_it_walks_a_case_from_two_reports_to_a_reversed_suspension(self) -> None:
        # 1. A member of the public reports the account; the patrol finds the same profile.
        receipt = self.report_as_the_public()
        self.patrol_hit()
        case = Case.objects.get()
        self.assertEqual({r.source for r in case.reports.all()}, {"public", "patrol"})
        self.assertEqual(case.unit, self.south)

        # 2. Li takes the next case, triages it and proposes a permanent suspension.
        li = self.browser_for("li")
        row = li.locator("tr.queue-row").filter(has_text=case.reference)
        expect(row).to_contain_text("Public")
        expect(row).to_contain_text("Patrol")
        li.get_by_role("button", name="Take next").click()
        expect(li.get_by_text(f"{case.reference} is yours now.")).to_be_visible()
        expect(li.get_by_role("heading", name=case.reference)).to_be_visible()
        expect(li.locator("article.report header").filter(has_text="Public")).to_have_count(1)
        expect(li.locator("article.report header").filter(has_text="Patrol")).not_to_have_count(0)
        li.get_by_label("Category", exact=True).select_option("scam_fraud")
        li.get_by_label("Severity", exact=True).select_option("high")
        li.get_by_role("button", name="Save", exact=True).click()
        li.get_by_role("link", name="Decide", exact=True).click()
        li.get_by_role("radio", name="Action", exact=True).check()
        li.get_by_role("radio", name=re.compile(r"Art\. 266")).check()
        li.get_by_label("Facts", exact=True).fill(
            "The account posts paid order-brushing jobs and collects deposits it never repays."
        )
        li.get_by_label("Why the facts meet the legal ground").fill(
            "Taking deposits under false promises is fraud under Art. 266."
        )
        url_row = li.get_by_role("group", name="weibo.com/u/7788001")
        url_row.get_by_label("Sanction", exact=True).select_option("")
        account = li.get_by_role("group", name=ACCOUNT)
        account.get_by_label("Sanction", exact=True).select_option("suspend_permanently")
        account.get_by_label("Reason for choosing other than the ladder").fill(
            "Dozens of victims in a week: the account exists only to defraud."
        )
        account.get_by_label("Affected user's e-mail (if known)").fill(AFFECTED)
        li.get_by_role("button", name="Record the decision").click()
        expect(li.get_by_text("The decision is recorded.")).to_be_visible()
        sanction = Sanction.objects.get(kind=SanctionKind.SUSPEND_PERMANENTLY)
        proposed = li.locator(f"#sanction-{sanction.pk}")
        expect(proposed).to_contain_text("Awaiting approval")

        # 3. She cannot approve her own proposal: no control, and a crafted POST is refused.
        expect(proposed).to_contain_text("another supervisor must approve it")
        expect(li.get_by_role("button", name="Approve")).to_have_count(0)
        approve = reverse("console:approve_sanction", args=[sanction.pk])
        self.assertEqual(self.csrf_post(li, approve), 403)
        sanction.refresh_from_db()
        self.assertEqual(sanction.status, SanctionStatus.AWAITING_APPROVAL)

        # 4. Hua approves from her approvals list; the case page shows the order and the link.
        hua = self.browser_for("hua")
        hua.get_by_role("link", name="Approvals").click()
        expect(hua.get_by_text("1 sanction awaits a second supervisor")).to_be_visible()
        hua.get_by_role("link", name=case.reference).click()
        hua.get_by_role("button", name="Approve").click()
        expect(hua.get_by_text("The sanction is approved and in effect.")).to_be_visible()
        approved = hua.locator(f"#sanction-{sanction.pk}")
        expect(approved).to_contain_text("In effect")
        expect(approved).to_contain_text("Approved by hua")
        order = PlatformOrder.objects.get()
        self.assertEqual((order.platform, order.action), ("weibo", OrderAction.SUSPEND))
        expect(approved.locator(".order")).to_contain_text(f"Order {order.reference} → weibo")
        expect(approved.get_by_role("link", name="the affected user's link")).to_be_visible()
        self.assertEqual(Case.objects.get().outcome, CaseOutcome.ACTION_TAKEN)

        # 5. The affected user opens the link from the e-mail and appeals.
        sent = [m for m in mail.outbox if AFFECTED in m.to]
        self.assertEqual(len(sent), 1)
        link = re.search(r"https?://\S+/statement/[\w-]+/", str(sent[0].body))
        assert link is not None, sent[0].body
        owner = self.browser_for(None)
        owner.goto(link[0])
        expect(owner.get_by_role("heading", name="Statement of reasons")).to_be_visible()
        expect(owner.get_by_text("Suspend the account permanently")).to_be_visible()
        owner.get_by_label("Why do you think the decision is wrong?").fill(APPEAL)
        owner.get_by_role("button", name="Send my appeal").click()
        expect(owner.get_by_text("Your appeal was received.")).to_be_visible()
        appeal = Appeal.objects.get()

        # 6. Hua approved the sanction, so she cannot decide the appeal.
        hua.get_by_role("link", name="Appeals").click()
        hua.get_by_role("link", name=str(appeal), exact=True).click()
        expect(hua.get_by_role("note")).to_contain_text("another supervisor must decide")
        expect(hua.get_by_role("button", name="Decide the appeal")).to_have_count(0)
        token = hua.locator("input[name=csrfmiddlewaretoken]").first.input_value()
        crafted = hua.request.post(
            self.url(f"/console/appeals/{appeal.pk}/"),
            form={"csrfmiddlewaretoken": token, "outcome": "reversed", "reason": "I would."},
            max_redirects=0,
        )
        self.assertEqual(crafted.status, 400)
        self.assertIn("You approved this sanction", crafted.text())
        appeal.refresh_from_db()
        self.assertEqual(appeal.status, AppealStatus.OPEN)

        # Sun, of the national unit, reverses it.
        sun = self.browser_for("sun")
        sun.get_by_role("link", name="Appeals").click()
        sun.get_by_role("link", name=str(appeal), exact=True).click()
        expect(sun.get_by_role("blockquote").first).to_contain_text("former employee")
        sun.get_by_label("Reverse: lift the sanction and its strike").check()
        sun.get_by_label("Reason").fill(
            "The shop showed the post came from a dismissed employee's session; lifted."
        )
        sun.get_by_role("button", name="Decide the appeal").click()
        expect(sun.get_by_text("The appeal is decided")).to_be_visible()
        expect(sun.get_by_role("heading", level=1)).to_contain_text("Decision reversed")
        sanction.refresh_from_db()
        self.assertEqual(sanction.status, SanctionStatus.LIFTED)
        self.assertTrue(
            PlatformOrder.objects.filter(action=OrderAction.RESTORE, platform="weibo").exists()
        )
        owner.reload()
        expect(owner.get_by_text("This measure was lifted on")).to_be_visible()

        # 7. The reporter reads the final outcome with the receipt code.
        self.page.goto(self.url("/track/"))
        self.page.get_by_label("Receipt code").fill(receipt)
        self.page.get_by_role("button", name="Show my report").click()
        expect(self.page.get_by_text("The action taken was reversed on appeal")).to_be_visible()
        self.assertEqual(Case.objects.get().outcome, CaseOutcome.REVERSED)
