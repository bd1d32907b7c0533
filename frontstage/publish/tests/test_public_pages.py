import polib  # type: ignore[import-untyped]
from django.conf import settings
from django.urls import reverse

from frontstage.test import Personas


class PublicPages(Personas):
    def test_it_names_every_unit_on_the_home_page_with_a_link_to_its_channel(self) -> None:
        response = self.reporter().get(reverse("home"))
        for unit in [self.national, self.south, self.east, self.shenzhen]:
            self.assertContains(response, f'href="/u/{unit.slug}/"')
            self.assertContains(response, unit.name_en)

    def test_it_lists_units_in_tree_order(self) -> None:
        page = self.reporter().get(reverse("home")).content.decode()
        order = [
            page.index(f'href="/u/{slug}/"') for slug in ["national", "east", "south", "shenzhen"]
        ]
        self.assertEqual(order, sorted(order))

    def test_it_shows_a_units_channel_page(self) -> None:
        response = self.reporter().get(reverse("channel", args=["south"]))
        self.assertContains(response, "South Online Safety")
        self.assertContains(response, "CN-GD")
        self.assertContains(response, 'href="/u/shenzhen/"')

    def test_it_answers_404_for_an_unknown_unit(self) -> None:
        self.assertEqual(self.reporter().get("/u/atlantis/").status_code, 404)

    def test_it_shows_no_case_data_to_the_public(self) -> None:
        for url in [reverse("home"), reverse("channel", args=["south"])]:
            page = self.reporter().get(url).content.decode()
            self.assertNotIn("south.example", page)
            self.assertNotIn(self.south_case.reference, page)


class Languages(Personas):
    def test_it_has_a_chinese_translation_for_every_message(self) -> None:
        po = polib.pofile(str(settings.LOCALE_PATHS[0] / "zh_Hans/LC_MESSAGES/django.po"))
        untranslated = [e.msgid for e in po.untranslated_entries()]
        fuzzy = [e.msgid for e in po.fuzzy_entries()]
        self.assertEqual((untranslated, fuzzy), ([], []))

    def test_it_speaks_simplified_chinese_to_a_browser_that_asks_for_it(self) -> None:
        response = self.reporter().get(reverse("home"), headers={"accept-language": "zh-CN"})
        self.assertContains(response, "网络安全单位")
        self.assertContains(response, "south网络安全")
        self.assertContains(response, 'lang="zh-hans"')

    def test_it_offers_a_language_chooser_on_every_page(self) -> None:
        pages = [
            (None, reverse("home")),
            (None, reverse("channel", args=["east"])),
            (None, reverse("console:login")),
            (self.analyst, reverse("console:cases")),
            (self.analyst, reverse("console:case", args=[self.south_case.pk])),
            (self.auditor, reverse("console:audit")),
        ]
        for person, url in pages:
            with self.subTest(url=url):
                response = self.client_for(person).get(url)
                self.assertContains(response, 'action="/i18n/setlang/"')
                self.assertContains(response, "简体中文")

    def test_it_remembers_the_language_a_person_chose(self) -> None:
        client = self.reporter()
        client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
        self.assertContains(client.get(reverse("home")), "这些单位受理公众对违法内容的举报")
        client.post(reverse("set_language"), {"language": "en", "next": "/"})
        self.assertContains(client.get(reverse("home")), "Online safety units")

    def test_it_shows_the_console_in_chinese(self) -> None:
        client = self.client_for(self.analyst)
        response = client.get(reverse("console:cases"), headers={"accept-language": "zh-hans"})
        self.assertContains(response, "案件")
        self.assertContains(response, "2 起案件")

    def test_it_says_why_a_case_cannot_move_in_chinese(self) -> None:
        from django.utils import translation

        from frontstage.cases.actions import CaseError, move_case

        with (
            translation.override("zh-hans"),
            self.assertRaisesMessage(CaseError, "处于“新建”状态的案件不能转为“已结案”。"),
        ):
            move_case(case=self.south_case, to="closed", by=self.analyst)
