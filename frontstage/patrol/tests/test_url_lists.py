from django.test import SimpleTestCase

from frontstage.patrol.engine import EvidenceKind, Post
from frontstage.patrol.engine.url_lists import UrlList
from frontstage.patrol.tests.helpers import pack_of

PACK = {
    "urls.yaml": """
        url_lists:
          scam_sites:
            entries: [Evil.Example, scam-shop.com, "shop.example/checkout/"]
            file: lists/more.urls
        rules:
          - {id: listed, version: 2, category: scam_fraud, score: 0.9, mode: live,
             when: {url_list: [scam_sites]}}
    """,
    "lists/more.urls": "# one per line\nphish.example.net/login  # a comment\n",
}


class UrlListMatching(SimpleTestCase):
    def test_it_matches_every_page_and_subdomain_of_a_listed_host(self):
        listed = UrlList("l", ["evil.example"])
        self.assertEqual(listed.match("https://www.login.EVIL.example/a/b?c=d"), "evil.example/")
        self.assertIsNone(listed.match("https://notevil.example/"))

    def test_it_matches_a_listed_path_prefix_but_not_other_paths(self):
        listed = UrlList("l", ["shop.example/checkout/"])
        self.assertEqual(
            listed.match("http://shop.example/checkout/pay.html"), "shop.example/checkout/"
        )
        self.assertIsNone(listed.match("http://shop.example/about"))

    def test_it_matches_after_canonicalising_escapes_ports_and_dots(self):
        listed = UrlList("l", ["evil.example"])
        self.assertEqual(listed.match("HTTP://evil.example.:80/%2e%2e/x#frag"), "evil.example/")

    def test_it_reads_ip_addresses_written_in_other_forms(self):
        self.assertEqual(UrlList("l", ["1.2.3.4"]).match("http://0x01020304/"), "1.2.3.4/")

    def test_it_flags_a_post_whose_link_or_bare_domain_is_listed(self):
        pack = pack_of(PACK)
        for text, urls in [
            ("claim at https://secure.evil.example/claim", []),
            ("访问scam-shop.com领取", []),
            ("login: phish.example.net/login?u=1", []),
            ("see link", ["http://shop.example/checkout/step2"]),
        ]:
            with self.subTest(text=text):
                hits = pack.evaluate(Post(id="1", text=text, urls=urls))
                self.assertEqual([h.rule for h in hits], ["listed"])
                self.assertEqual(hits[0].evidence[0].kind, EvidenceKind.URL)

    def test_it_shows_the_listed_expression_and_the_url_as_evidence(self):
        text = "go to https://secure.evil.example/claim now"
        (hit,) = pack_of(PACK).evaluate(Post(id="1", text=text))
        (evidence,) = hit.evidence
        self.assertEqual(evidence.matched, "evil.example/")
        self.assertEqual(evidence.value, "https://secure.evil.example/claim")
        self.assertEqual(evidence.text, "https://secure.evil.example/claim")
