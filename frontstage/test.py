"""Personas every test can use: one per role, placed in a small unit tree, plus an outsider
who holds no role and an analyst of another region. Both must see nothing they should not."""

import os
import shutil
import unittest

from django.contrib.staticfiles.testing import StaticLiveServerTestCase
from django.db import connection
from django.test import Client, TestCase, TransactionTestCase
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

from frontstage.accounts.actions import create_staff, grant_role
from frontstage.accounts.models import RoleKind, Staff
from frontstage.cases.actions import open_case
from frontstage.cases.models import Case, Category, Severity
from frontstage.cases.shipped import load_shipped_categories
from frontstage.intake.locate import canonical_key
from frontstage.lib.actors import SYSTEM
from frontstage.lib.append_only import lifted
from frontstage.units.actions import create_unit
from frontstage.units.models import Unit, UnitLevel

PASSWORD = "correct horse battery staple"  # noqa: S105 - test personas only


def make_unit(slug: str, level: str, parent: Unit | None, codes: list[str]) -> Unit:
    return create_unit(
        slug=slug,
        level=level,
        parent=parent,
        name_en=f"{slug.title()} Online Safety",
        name_zh=f"{slug}网络安全",
        region_codes=codes,
        by=SYSTEM,
    )


def make_staff(username: str, kind: str | None = None, unit: Unit | None = None) -> Staff:
    person = create_staff(username=username, password=PASSWORD, by=SYSTEM)
    if kind is not None and unit is not None:
        grant_role(staff=person, unit=unit, kind=kind, by=SYSTEM)
    return person


def make_case(unit: Unit, key: str, category: str = "scam_fraud") -> Case:
    return open_case(
        unit=unit,
        category=Category.objects.get(code=category),
        subjects=[("url", canonical_key("url", key))],
        severity=Severity.HIGH,
        summary=f"Case about {key}",
        by=SYSTEM,
    )


class Personas(TestCase):
    """national (CN) → south (CN-GD, CN-GX) → shenzhen (CN-GD-SZ); national → east (CN-SH)."""

    national: Unit
    south: Unit
    east: Unit
    shenzhen: Unit
    intake_agent: Staff
    analyst: Staff
    supervisor: Staff
    south_supervisor: Staff
    publisher: Staff
    auditor: Staff
    unit_admin: Staff
    east_analyst: Staff
    outsider: Staff
    south_case: Case
    shenzhen_case: Case
    east_case: Case

    @classmethod
    def setUpTestData(cls) -> None:
        cls.national = make_unit("national", UnitLevel.NATIONAL, None, ["CN"])
        cls.south = make_unit("south", UnitLevel.REGIONAL, cls.national, ["CN-GD", "CN-GX"])
        cls.east = make_unit("east", UnitLevel.REGIONAL, cls.national, ["CN-SH"])
        cls.shenzhen = make_unit("shenzhen", UnitLevel.LOCAL, cls.south, ["CN-GD-SZ"])
        cls.intake_agent = make_staff("ivy", RoleKind.INTAKE_AGENT, cls.south)
        cls.analyst = make_staff("li", RoleKind.ANALYST, cls.south)
        cls.supervisor = make_staff("sun", RoleKind.SUPERVISOR, cls.national)
        cls.south_supervisor = make_staff("hua", RoleKind.SUPERVISOR, cls.south)
        cls.publisher = make_staff("pat", RoleKind.PUBLISHER, cls.national)
        cls.auditor = make_staff("aud", RoleKind.AUDITOR, cls.national)
        cls.unit_admin = make_staff("ada", RoleKind.UNIT_ADMIN, cls.national)
        cls.east_analyst = make_staff("wang", RoleKind.ANALYST, cls.east)
        cls.outsider = make_staff("oscar")
        cls.south_case = make_case(cls.south, "http://south.example/scam")
        cls.shenzhen_case = make_case(cls.shenzhen, "http://shenzhen.example/scam")
        cls.east_case = make_case(cls.east, "http://east.example/scam")

    def reporter(self) -> Client:
        """A member of the public: no account, no login."""
        return Client()

    def client_for(self, person: Staff | None) -> Client:
        client = Client()
        if person is not None:
            client.force_login(person)
        return client


class CommittedTestCase(TransactionTestCase):
    """For tests that need real commits, e.g. several connections racing. The database is
    emptied after each test with the append-only triggers briefly lifted, and the rows the
    migrations load (the shipped categories) are loaded again before the next."""

    def setUp(self) -> None:
        super().setUp()
        load_shipped_categories(Category)

    def _fixture_teardown(self) -> None:
        with lifted(connection):
            super()._fixture_teardown()  # type: ignore[misc]  # Django API missing from stubs


CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class BrowserTestCase(StaticLiveServerTestCase, CommittedTestCase):
    """A person at a real browser (Debian's chromium, driven by Playwright) against a live
    server. Skips when chromium is missing, except under CI=true, where that is a failure."""

    browser: Browser
    page: Page
    _playwright: Playwright

    @classmethod
    def setUpClass(cls) -> None:
        chromium = shutil.which("chromium")
        if chromium is None:
            reason = "Debian's chromium is not installed (apt-get install chromium)"
            if os.environ.get("CI", "").lower() == "true":
                raise RuntimeError(f"{reason}; CI=true does not allow skipping")
            raise unittest.SkipTest(reason)
        # Playwright's sync API runs an event loop in this thread; the ORM calls the tests
        # make around it are still synchronous.
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
        super().setUpClass()
        cls._playwright = sync_playwright().start()
        cls.browser = cls._playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)

    @classmethod
    def tearDownClass(cls) -> None:
        cls.browser.close()
        cls._playwright.stop()
        super().tearDownClass()
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)

    def setUp(self) -> None:
        super().setUp()
        self.page = self.browser.new_page(locale="en-GB")
        self.page.set_default_timeout(10_000)

    def tearDown(self) -> None:
        self.page.close()
        super().tearDown()

    def url(self, path: str) -> str:
        return f"{self.live_server_url}{path}"
