from django.test import SimpleTestCase

from frontstage.patrol.engine import EntityKind
from frontstage.patrol.engine.entities import extract_entities
from frontstage.patrol.engine.normalise import normalise


def entities(text: str, urls=(), region=None) -> set[tuple[str, str, str | None]]:
    """(kind, value, original text) of every entity in `text`."""
    return {
        (e.kind.value, e.value, text[e.span[0] : e.span[1]] if e.span else None)
        for e in extract_entities(normalise(text), urls, region)
    }


class EntityExtraction(SimpleTestCase):
    def test_it_reads_wechat_ids_behind_vx_and_its_disguises(self):
        found = entities("加vx: abc123 或 薇信 Lucky_888 或 威信：zz_top99 或 V信 x123456")
        self.assertLessEqual(
            {
                ("wechat", "abc123", "vx: abc123"),
                ("wechat", "lucky_888", "薇信 Lucky_888"),
                ("wechat", "zz_top99", "威信：zz_top99"),
                ("wechat", "x123456", "V信 x123456"),
            },
            found,
        )

    def test_it_reads_telegram_handles_behind_planes_and_links(self):
        found = entities("飞机 @dealer_bob 纸飞机：@Plug_420 t.me/shop_bot")
        self.assertLessEqual(
            {
                ("telegram", "@dealer_bob", "飞机 @dealer_bob"),
                ("telegram", "@plug_420", "纸飞机：@Plug_420"),
                ("telegram", "@shop_bot", "t.me/shop_bot"),
            },
            found,
        )

    def test_it_reads_qq_numbers(self):
        self.assertIn(("qq", "12345678", "QQ：12345678"), entities("QQ：12345678"))

    def test_it_reads_chinese_mobiles_with_or_without_86_and_separators(self):
        found = entities("电话 13812345678，+86 139-1234-5678，０１３８ no")
        self.assertIn(("phone", "+8613812345678", "13812345678"), found)
        self.assertIn(("phone", "+8613912345678", "+86 139-1234-5678"), found)

    def test_it_reads_full_width_digits(self):
        self.assertIn(
            ("phone", "+8613812345678", "１３８１２３４５６７８"),
            entities("１３８１２３４５６７８"),
        )

    def test_it_reads_other_numbers_with_their_country_code_or_the_units_region(self):
        self.assertIn(
            ("phone", "+442079460958", "+44 20 7946 0958"), entities("call +44 20 7946 0958")
        )
        self.assertIn(
            ("phone", "+442079460958", "020 7946 0958"), entities("call 020 7946 0958", region="GB")
        )
        self.assertEqual(entities("call 020 7946 0958"), set())

    def test_it_reads_links_and_bare_domains_with_their_registrable_domain(self):
        found = entities("see https://Login.Example.co.uk/a?b=1. or 访问luckybet88.com领取")
        self.assertIn(
            ("url", "https://login.example.co.uk/a?b=1", "https://Login.Example.co.uk/a?b=1"), found
        )
        self.assertIn(("domain", "example.co.uk", "https://Login.Example.co.uk/a?b=1"), found)
        self.assertIn(("domain", "luckybet88.com", "luckybet88.com"), found)

    def test_it_takes_links_given_beside_the_text(self):
        self.assertIn(("url", "http://evil.example/x", None), entities("", urls=["evil.example/x"]))

    def test_it_does_not_take_abbreviations_or_file_names_for_domains(self):
        self.assertEqual(entities("e.g. see notes.txt"), set())

    def test_it_reads_wallets_whose_checksum_holds(self):
        found = entities(
            "BTC 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq "
            "ETH 0x52908400098527886E0F7030069857D2E4169EE7 TRON TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t"
        )
        kinds = {(kind, value) for kind, value, _ in found}
        self.assertLessEqual(
            {
                ("btc", "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"),
                ("btc", "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"),
                ("eth", "0x52908400098527886e0f7030069857d2e4169ee7"),
                ("tron", "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t"),
            },
            kinds,
        )

    def test_it_refuses_wallet_lookalikes_with_a_bad_checksum(self):
        found = entities("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6u")
        self.assertEqual(
            {k for k, _, _ in found} & {EntityKind.BTC.value, EntityKind.TRON.value}, set()
        )

    def test_it_reads_email_addresses(self):
        self.assertIn(
            ("email", "bob@example.com", "Bob@Example.com"), entities("mail Bob@Example.com")
        )
