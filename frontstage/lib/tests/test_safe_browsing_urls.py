import json
from pathlib import Path

from django.test import SimpleTestCase

from frontstage.lib.safe_browsing import NotAUrl, canonicalize, host_of, lookup_expressions

DATA = Path(__file__).parent / "data"


def vectors(name: str) -> list[dict[str, object]]:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


class SafeBrowsingUrls(SimpleTestCase):
    def test_it_reproduces_every_canonicalisation_example_of_the_specification(self) -> None:
        for vector in vectors("safe-browsing-v4-canonicalization.json"):
            raw = str(vector["input"]).encode("latin-1")  # the examples are byte strings
            with self.subTest(input=vector["input"]):
                self.assertEqual(canonicalize(raw), vector["canonical"])

    def test_it_generates_exactly_the_lookup_expressions_of_the_specification(self) -> None:
        for vector in vectors("safe-browsing-v4-expressions.json"):
            with self.subTest(url=vector["url"]):
                self.assertEqual(lookup_expressions(str(vector["url"])), vector["expressions"])

    def test_it_caps_hosts_at_five_labels_and_paths_at_four_prefixes(self) -> None:
        expressions = lookup_expressions("http://a.b.c.d.e.f.g/1/2/3/4/5/6.html?q=1")
        hosts = {e.split("/", 1)[0] for e in expressions}
        self.assertEqual(hosts, {"a.b.c.d.e.f.g", "c.d.e.f.g", "d.e.f.g", "e.f.g", "f.g"})
        paths = {"/" + e.split("/", 1)[1] for e in expressions}
        self.assertEqual(
            paths, {"/1/2/3/4/5/6.html?q=1", "/1/2/3/4/5/6.html", "/", "/1/", "/1/2/", "/1/2/3/"}
        )
        self.assertLessEqual(len(expressions), 30)

    def test_it_writes_international_hosts_in_punycode(self) -> None:
        self.assertEqual(
            canonicalize("http://例子.中国/路径"),
            "http://xn--fsqu00a.xn--fiqs8s/%E8%B7%AF%E5%BE%84",
        )

    def test_it_reads_the_host_of_a_url_typed_without_a_scheme(self) -> None:
        self.assertEqual(host_of("Shop.Example.COM:8080/buy?x=1"), "shop.example.com")

    def test_it_refuses_text_with_no_host(self) -> None:
        with self.assertRaises(NotAUrl):
            canonicalize("http:///only-a-path")
