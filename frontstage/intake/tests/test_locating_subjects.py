import subprocess
import sys
from pathlib import Path

from django.test import SimpleTestCase
from django.utils import translation

from frontstage.intake.locate import LocationError, SubjectKind, canonical_key

REPO = Path(__file__).resolve().parents[3]

ONE_PAGE = "shop.example.com/pay/order?id=42&lang=en"
THIRTY_FORMS_OF_ONE_PAGE = [
    "https://shop.example.com/pay/order?id=42&lang=en",
    "http://shop.example.com/pay/order?id=42&lang=en",
    "shop.example.com/pay/order?id=42&lang=en",
    "//shop.example.com/pay/order?id=42&lang=en",
    "HTTPS://SHOP.EXAMPLE.COM/pay/order?id=42&lang=en",
    "https://Shop.Example.Com/pay/order?id=42&lang=en",
    "https://shop.example.com:443/pay/order?id=42&lang=en",
    "http://shop.example.com:80/pay/order?id=42&lang=en",
    "https://shop.example.com./pay/order?id=42&lang=en",
    "https://shop.example.com../pay/order?id=42&lang=en",
    "https://shop.example.com/pay/order?id=42&lang=en#pay-now",
    "https://shop.example.com/pay/order?utm_source=wechat&id=42&lang=en",
    "https://shop.example.com/pay/order?id=42&utm_medium=social&lang=en&utm_campaign=spring",
    "https://shop.example.com/pay/order?id=42&lang=en&fbclid=IwAR0abc",
    "https://shop.example.com/pay/order?gclid=Cj0KCQ&id=42&lang=en",
    "https://shop.example.com/pay/order?id=42&lang=en&from=singlemessage&isappinstalled=0",
    "https://shop.example.com/pay/order?id=42&spm=a2c4g.11186623&lang=en",
    "https://shop.example.com/pay/order?id=42&lang=en&si=XyZ123",
    "https://shop.example.com/pay/order?id=42&lang=en&MSCLKID=1&UTM_SOURCE=mail",
    "https://shop.example.com/pay/order?id=42&lang=en&vd_source=a&share_source=b&share_medium=c",
    "https://shop.example.com/pay/%6Frder?id=42&lang=en",
    "https://shop.example.com/%70ay/order?%69d=42&lang=en",
    "https://shop.%65xample.com/pay/order?id=42&lang=en",
    "https://shop.example.com/pay/./order?id=42&lang=en",
    "https://shop.example.com/pay/old/../order?id=42&lang=en",
    "https://shop.example.com//pay//order?id=42&lang=en",
    "  https://shop.example.com/pay/order?id=42&lang=en\n",
    "https://shop.example.com/pay/order?id=42&&lang=en&\u200b",
    "https://someone:secret@shop.example.com/pay/order?id=42&lang=en",
    "hxxps://shop[.]example[.]com/pay/order?id=42&lang=en",
]


def refusal(kind: str, raw: str, *, region: str = "") -> str:
    try:
        key = canonical_key(kind, raw, region=region)
    except LocationError as error:
        return str(error)
    raise AssertionError(f"{raw!r} was accepted as {key!r}")


class LocatingUrls(SimpleTestCase):
    def test_it_gives_thirty_forms_of_one_page_one_key(self):
        self.assertEqual(len(THIRTY_FORMS_OF_ONE_PAGE), 30)
        keys = {canonical_key(SubjectKind.URL, form) for form in THIRTY_FORMS_OF_ONE_PAGE}
        self.assertEqual(keys, {ONE_PAGE})

    def test_it_keeps_the_other_parameters_in_their_order(self):
        key = canonical_key("url", "https://a.example/x?b=2&utm_id=9&a=1&c=3")
        self.assertEqual(key, "a.example/x?b=2&a=1&c=3")

    def test_it_drops_the_question_mark_when_only_tracking_was_left(self):
        key = canonical_key("url", "https://a.example/x?utm_source=qq&fbclid=1")
        self.assertEqual(key, "a.example/x")

    def test_it_keeps_pages_that_differ_apart(self):
        self.assertNotEqual(
            canonical_key("url", "https://a.example/x?id=1"),
            canonical_key("url", "https://a.example/x?id=2"),
        )
        self.assertNotEqual(
            canonical_key("url", "https://a.example/Pay"), canonical_key("url", "a.example/pay")
        )

    def test_it_refuses_links_that_are_not_web_addresses(self):
        self.assertIn("http://", refusal("url", "javascript:alert(1)"))
        self.assertIn("http://", refusal("url", "ftp://files.example.com/a"))
        self.assertIn("is not a web address", refusal("url", "call me maybe"))

    def test_it_refuses_an_unknown_kind_and_empty_text(self):
        self.assertIn("“planet”", refusal("planet", "mars"))
        self.assertIn("empty", refusal("url", " \u200b "))


class LocatingPhoneNumbers(SimpleTestCase):
    def test_it_writes_numbers_in_e164(self):
        for raw in (
            "+86 138 0013 8000",
            "+86-138-0013-8000",
            "0086 13800138000",
            "＋８６１３８００１３８０００",
        ):
            with self.subTest(raw=raw):
                self.assertEqual(canonical_key("phone", raw), "+8613800138000")

    def test_it_reads_national_numbers_in_the_country_of_the_region(self):
        self.assertEqual(canonical_key("phone", "138 0013 8000", region="CN-GD"), "+8613800138000")
        self.assertEqual(canonical_key("phone", "020 7946 0018", region="GB"), "+442079460018")

    def test_it_asks_for_the_country_code_when_there_is_no_region(self):
        self.assertIn("starting with +", refusal("phone", "13800138000"))

    def test_it_says_when_digits_are_missing_or_too_many(self):
        self.assertIn("too few digits", refusal("phone", "+86 138"))
        self.assertIn("too many digits", refusal("phone", "+86 138 0013 8000 1234"))
        self.assertIn("not a valid phone number", refusal("phone", "+86 138 0013 800"))
        self.assertIn("is not a phone number", refusal("phone", "call me", region="CN"))


class LocatingDomains(SimpleTestCase):
    def test_it_keys_a_domain_by_its_registrable_name(self):
        self.assertEqual(canonical_key("domain", "WWW.Shop.Example.co.uk."), "example.co.uk")
        self.assertEqual(canonical_key("domain", "https://a.b.example.com:8443/x"), "example.com")

    def test_it_writes_international_names_in_punycode(self):
        self.assertEqual(canonical_key("domain", "www.例子.中国"), "xn--fsqu00a.xn--fiqs8s")

    def test_it_keeps_sites_on_shared_hosting_apart(self):
        self.assertEqual(canonical_key("domain", "scam.blogspot.com"), "scam.blogspot.com")
        self.assertEqual(canonical_key("domain", "a.b.github.io"), "b.github.io")

    def test_it_keys_an_ip_address_by_itself(self):
        self.assertEqual(canonical_key("domain", "http://203.0.113.7:8080/x"), "203.0.113.7")
        self.assertEqual(canonical_key("domain", "2001:DB8:0::1"), "2001:db8::1")

    def test_it_accepts_a_top_level_domain_newer_than_its_list(self):
        self.assertEqual(canonical_key("domain", "www.lucky-bet.example"), "lucky-bet.example")

    def test_it_refuses_a_public_suffix_and_text_that_is_no_name(self):
        self.assertIn("shared by many sites", refusal("domain", "co.uk"))
        self.assertIn("is not a domain name", refusal("domain", "not a domain"))

    def test_it_reads_the_suffix_list_without_the_network(self):
        # A fresh interpreter, so that the bundled list is loaded under the guard.
        script = (
            "import sys\n"
            "def guard(event, args):\n"
            "    if event in ('socket.connect', 'socket.getaddrinfo', 'urllib.Request'):\n"
            "        raise SystemExit('network: ' + event)\n"
            "sys.addaudithook(guard)\n"
            "from frontstage.intake.locate import canonical_key\n"
            "print(canonical_key('domain', 'a.b.example.co.uk'))\n"
        )
        done = subprocess.run(  # noqa: S603 - our own interpreter and script
            [sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO, check=False
        )
        self.assertEqual((done.stdout.strip(), done.returncode), ("example.co.uk", 0), done.stderr)


class LocatingAccounts(SimpleTestCase):
    def test_it_reads_the_platform_and_handle_from_a_profile_link(self):
        cases = {
            "https://x.com/Handle": "x:handle",
            "https://mobile.twitter.com/Handle/status/1": "x:handle",
            "weibo.com/u/123": "weibo:123",
            "https://m.weibo.cn/profile/5678": "weibo:5678",
            "https://www.tiktok.com/@Someone/video/1": "tiktok:someone",
            "https://www.youtube.com/@Channel": "youtube:channel",
            "t.me/ScamChannel": "telegram:scamchannel",
            "https://www.facebook.com/profile.php?id=1000123": "facebook:1000123",
            "https://www.xiaohongshu.com/user/profile/5f1A": "xiaohongshu:5f1a",
        }
        for raw, key in cases.items():
            with self.subTest(raw=raw):
                self.assertEqual(canonical_key("account", raw), key)

    def test_it_reads_platform_colon_handle(self):
        self.assertEqual(canonical_key("account", "x:@Handle"), "x:handle")
        self.assertEqual(canonical_key("account", "Twitter: @Handle"), "x:handle")
        self.assertEqual(canonical_key("account", "微博：张三"), "weibo:张三")
        self.assertEqual(canonical_key("account", "wechat:wxid_ABC123"), "wechat:wxid_abc123")

    def test_it_reads_a_profile_link_given_as_the_handle(self):
        self.assertEqual(canonical_key("account", "other:https://x.com/Handle"), "x:handle")

    def test_it_asks_which_platform_a_bare_handle_is_on(self):
        self.assertIn("platform:handle", refusal("account", "@Handle"))

    def test_it_refuses_unknown_platforms_and_links_that_are_not_profiles(self):
        self.assertIn("one of: weibo", refusal("account", "myspace:someone"))
        self.assertIn("not a platform we know", refusal("account", "https://myspace.com/x"))
        self.assertIn("does not lead to a profile", refusal("account", "youtube.com/watch?v=1"))
        self.assertIn("without spaces", refusal("account", "weibo:two words"))


class LocatingWallets(SimpleTestCase):
    def test_it_keys_bitcoin_tron_and_ethereum_addresses(self):
        cases = {
            "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa": "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa",
            "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy": "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy",
            "BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4": (
                "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"
            ),
            "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0": (
                "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0"
            ),
            " TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t ": "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t",
            "0x52908400098527886E0F7030069857D2E4169EE7": (
                "0x52908400098527886e0f7030069857d2e4169ee7"
            ),
            "bitcoin:1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa?amount=1": (
                "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"
            ),
        }
        for raw, key in cases.items():
            with self.subTest(raw=raw):
                self.assertEqual(canonical_key("wallet", raw), key)

    def test_it_catches_a_mistyped_character_by_the_checksum(self):
        self.assertIn("mistyped", refusal("wallet", "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb"))
        self.assertIn("mistyped", refusal("wallet", "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6T"))
        self.assertIn("mistyped", refusal("wallet", "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5"))
        self.assertIn("40 characters", refusal("wallet", "0x5290840009852788"))

    def test_it_keeps_addresses_of_other_chains_as_written(self):
        solana = "7EcDhSYGxXyscszYEp35KHN8vvw3svAuLKTzXwCFLtV"
        self.assertEqual(canonical_key("wallet", f" {solana} "), solana)

    def test_it_refuses_text_that_is_no_address(self):
        self.assertIn("is not a wallet address", refusal("wallet", "send it to my wallet"))


class LocatingOtherSubjects(SimpleTestCase):
    def test_it_collapses_space_and_case(self):
        key = canonical_key("other", "  Fake  Refund\n  ＣＡＬＬ   centre ")
        self.assertEqual(key, "fake refund call centre")

    def test_it_refuses_more_than_five_hundred_characters(self):
        self.assertEqual(len(canonical_key("other", "a" * 500)), 500)
        self.assertIn("at most 500 characters", refusal("other", "a" * 501))


class LocationMessagesInChinese(SimpleTestCase):
    def test_it_tells_chinese_readers_what_to_fix(self):
        with translation.override("zh-hans"):
            self.assertIn("国家代码", refusal("phone", "13800138000"))
            self.assertIn("请注明账号所在平台", refusal("account", "@Handle"))
