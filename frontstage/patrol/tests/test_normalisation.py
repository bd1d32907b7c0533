from django.test import SimpleTestCase

from frontstage.patrol.engine.normalise import normalise, skeleton


def original_of(text: str, found: str) -> str:
    """The original text behind the first occurrence of `found` in the skeleton of `text`."""
    folded = normalise(text).skeleton
    start = folded.text.index(found)
    begin, end = folded.original_span(start, start + len(found))
    return text[begin:end]


class Normalisation(SimpleTestCase):
    def test_it_folds_case_and_full_width_and_styled_letters(self):
        self.assertEqual(skeleton("ＦＲＥＥ Money"), "free money")
        self.assertEqual(skeleton("𝐟𝐫𝐞𝐞 𝓂𝑜𝓃𝑒𝓎"), "free money")

    def test_it_turns_traditional_chinese_simplified(self):
        self.assertEqual(skeleton("刷單返利，飛機"), "刷单返利,飞机")

    def test_it_folds_cyrillic_and_greek_look_alikes_to_latin(self):
        self.assertEqual(skeleton("ВUY сосаіne"), "buy cocaine")  # Cyrillic В, с, о, а, і
        self.assertEqual(skeleton("ΚΙΤ"), "kit")  # Greek capitals

    def test_it_reads_digits_and_symbols_used_as_letters(self):
        self.assertEqual(
            skeleton("fr33 c@sino ca$h k1ll b0mb 4ccount 5ale 7ask"),
            "free casino cash kill bomb account sale task",
        )

    def test_it_leaves_plain_numbers_alone(self):
        self.assertEqual(skeleton("5000 dollars 24/7, 80% parts"), "5000 dollars 24/7, 80% parts")

    def test_it_folds_accented_letters(self):
        self.assertEqual(skeleton("cásìnò"), "casino")

    def test_it_removes_zero_width_characters_and_soft_hyphens(self):
        for invisible in ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"):
            with self.subTest(invisible=hex(ord(invisible))):
                self.assertEqual(skeleton(f"fr{invisible}ee 刷{invisible}单"), "free 刷单")

    def test_it_joins_spaced_out_latin_words(self):
        for spaced in ("f r e e", "f.r.e.e", "f-r-e-e", "f*r*e*e", "f . r . e . e"):
            with self.subTest(spaced=spaced):
                self.assertEqual(skeleton(f"get {spaced} money"), "get free money")

    def test_it_joins_two_letters_split_by_punctuation_but_not_by_a_space(self):
        self.assertEqual(skeleton("v.x abc"), "vx abc")
        self.assertEqual(skeleton("plan a b"), "plan a b")

    def test_it_joins_chinese_split_by_spaces_symbols_or_emoji(self):
        for split in ("刷 单", "刷*单", "刷.单", "刷  单", "刷🔥单", "刷·单"):
            with self.subTest(split=split):
                self.assertEqual(skeleton(f"{split}返利"), "刷单返利")

    def test_it_keeps_chinese_sentence_punctuation_between_clauses(self):
        # joining across a comma would invent 刷单 out of "不刷，单位…"
        self.assertEqual(skeleton("我不刷，单位发工资"), "我不刷,单位发工资")

    def test_it_makes_runs_of_whitespace_one_space(self):
        self.assertEqual(skeleton("task \n\t  job"), "task job")

    def test_it_reports_a_match_as_the_span_of_the_original_text(self):
        self.assertEqual(original_of("Get f r e e money", "free"), "f r e e")
        self.assertEqual(original_of("Get ＦＲ\u200bＥＥ money", "free"), "ＦＲ\u200bＥＥ")
        self.assertEqual(original_of("快来刷*單返利", "刷单返利"), "刷*單返利")
        self.assertEqual(original_of("Straße c@sino", "casino"), "c@sino")

    def test_it_keeps_spans_exact_when_case_folding_changes_the_length(self):
        # "İ" case-folds to two code points; the match after it must still point right
        self.assertEqual(original_of("İİ ghost gun", "ghost gun"), "ghost gun")

    def test_it_reports_spans_alike_whichever_way_nfkc_reads_the_text(self):
        # one character at a time (full-width only), by units (a combining mark, a letter
        # NFKC makes two), and with characters above the BMP
        self.assertEqual(original_of("快来，ｃａｓｉｎｏ！", "casino"), "ｃａｓｉｎｏ")
        self.assertEqual(original_of("ｃａ\u0301ｓｉｎｏ！", "casino"), "ｃａ\u0301ｓｉｎｏ")
        self.assertEqual(original_of("㍿ ｆ ｒ ｅ ｅ", "free"), "ｆ ｒ ｅ ｅ")
        self.assertEqual(original_of("𝐟𝐫𝐞𝐞，ｃａｓｉｎｏ", "casino"), "ｃａｓｉｎｏ")
        self.assertEqual(original_of("😀，ｃａｓｉｎｏ", "casino"), "ｃａｓｉｎｏ")
