"""Redaction: personal data found in any format and replaced by a marker of its kind."""

from unittest import TestCase

from frontstage.publish.redact import Kind, redact


class Phones(TestCase):
    def test_it_removes_chinese_mobiles_written_in_every_usual_way(self) -> None:
        for phone in ["13912345678", "139 1234 5678", "139-1234-5678", "+86 139 1234 5678",
                      "+8613912345678", "86-139-1234-5678"]:  # fmt: skip
            with self.subTest(phone=phone):
                result = redact(f"Call {phone} now")
                self.assertEqual(result.text, "Call [phone] now")
                self.assertEqual(result.found, {"phone": 1})

    def test_it_removes_landlines_and_foreign_numbers(self) -> None:
        for phone in ["(021) 5555-1234", "020-8888-1234", "+1-202-555-0143", "(555) 123-4567",
                      "555.123.4567x890", "+44 20 7946 0958"]:  # fmt: skip
            with self.subTest(phone=phone):
                self.assertNotIn(phone, redact(f"Tel: {phone}.").text)

    def test_it_finds_a_phone_written_right_after_chinese_characters(self) -> None:
        result = redact("请拨打电话13912345678联系")
        self.assertEqual(result.text, "请拨打电话【电话】联系")

    def test_it_leaves_dates_case_references_and_small_figures_alone(self) -> None:
        text = "On 2026-03-14 we removed 120 items (case C-000123), 30 days."
        self.assertEqual(redact(text).text, text)


class Numbers(TestCase):
    def test_it_removes_resident_id_numbers_with_a_valid_checksum(self) -> None:
        result = redact("ID 11010519491231002X and 440524198001010013 and 110105491231002")
        self.assertEqual(result.text, "ID [ID number] and [ID number] and [ID number]")

    def test_it_removes_bank_cards_that_pass_luhn_grouped_or_not(self) -> None:
        for card in [
            "4111111111111111",
            "4111 1111 1111 1111",
            "6222-0212-3456-7890-128",
            "6222 0212 3456 7890 128",
        ]:
            with self.subTest(card=card):
                self.assertNotIn(card, redact(f"card {card}").text)
        self.assertEqual(redact("卡号4111111111111111").text, "卡号【银行卡号】")


class Addresses(TestCase):
    def test_it_removes_e_mail_addresses_in_english_and_chinese_text(self) -> None:
        self.assertEqual(redact("write to li.ming+x@mail.example.cn").text, "write to [e-mail]")
        self.assertEqual(redact("邮箱li@example.com谢谢").text, "邮箱【邮箱】谢谢")

    def test_it_removes_every_url_but_a_bare_domain_the_unit_names(self) -> None:
        text = "Fake shop scam-shop.example sends victims to https://scam-shop.example/pay?id=7"
        result = redact(text, keep=["scam-shop.example"])
        self.assertEqual(result.text, "Fake shop scam-shop.example sends victims to [link]")
        self.assertEqual(redact("see victim-blog.example/me").text, "see [link]")

    def test_it_removes_ip_addresses(self) -> None:
        self.assertEqual(redact("from 203.0.113.7 at noon").found, {"ip_address": 1})


class Handles(TestCase):
    def test_it_removes_chat_handles_wechat_and_qq_ids(self) -> None:
        for text in ["add @parcel_fee", "vx: abc_12345", "微信号：wxid_abc123", "QQ 12345678",
                     "qq号:987654321", "t.me/parcelfee", "WeChat ID: zhang_san88"]:  # fmt: skip
            with self.subTest(text=text):
                self.assertEqual(
                    redact(text).found.get("account", 0) + redact(text).found.get("link", 0), 1
                )

    def test_it_removes_known_accounts_in_any_form(self) -> None:
        known = {Kind.ACCOUNT: ["weibo:parcelscam"]}
        result = redact("The account @parcelscam (weibo:parcelscam, parcelscam)", known=known)
        self.assertNotIn("parcelscam", result.text)


class Names(TestCase):
    def test_it_removes_known_names_in_either_order_and_chinese_given_names(self) -> None:
        known = {Kind.NAME: ["John Smith", "王秀英"]}
        result = redact(
            "John Smith (smith, JOHN SMITH) wrote; Smith John; 王秀英说秀英", known=known
        )
        self.assertEqual(result.text, "[name] (smith, [name]) wrote; [name]; [name]说[name]")

    def test_it_does_not_take_a_short_name_out_of_longer_words(self) -> None:
        self.assertEqual(
            redact("we announce it", known={Kind.NAME: ["Ann"]}).text, "we announce it"
        )


class Result(TestCase):
    def test_it_counts_findings_by_kind_and_never_keeps_the_values(self) -> None:
        result = redact("a@b.example, c@d.example, 13912345678")
        self.assertEqual(result.found, {"email": 2, "phone": 1})
        self.assertFalse(result.clean)
        self.assertTrue(redact("Nothing personal here.").clean)

    def test_it_keeps_a_statute_reference(self) -> None:
        text = "Criminal Law of the PRC, Arts. 347 and 287-1"
        self.assertEqual(redact(text, keep=[text]).text, text)

    def test_it_uses_chinese_markers_for_chinese_text(self) -> None:
        self.assertEqual(
            redact("联系人邮箱a@b.example电话13912345678").text, "联系人邮箱【邮箱】电话【电话】"
        )
        self.assertEqual(redact("mail a@b.example", language="zh").text, "mail 【邮箱】")
