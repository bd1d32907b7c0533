import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO

from django.core.management import call_command

from frontstage.intake.models import Report
from frontstage.patrol.models import PatrolSource
from frontstage.patrol.sources import parse_feed
from frontstage.test import Personas

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Market board</title>
<entry><id>tag:board,2026:1</id><title>刷单返利 日赚500</title>
<link href="http://shuadan.example/post/1"/><summary>加vx: shuadan888 了解</summary>
<published>2026-11-20T08:00:00Z</published><author><name>seller1</name></author></entry>
<entry><id>tag:board,2026:2</id><title>Bike for sale</title>
<link href="http://board.example/post/2"/>
<summary>&lt;p&gt;Good condition&lt;/p&gt;</summary></entry>
</feed>"""
RSS = """<rss version="2.0"><channel><title>t</title>
<item><guid>a1</guid><title>Hello</title><link>http://b.example/1</link>
<description>&lt;b&gt;Ghost gun 80% parts kit&lt;/b&gt;</description>
<pubDate>Fri, 20 Nov 2026 08:00:00 GMT</pubDate></item></channel></rss>"""


class FeedServer(BaseHTTPRequestHandler):
    requests: list[dict[str, str]] = []

    def do_GET(self) -> None:
        FeedServer.requests.append(dict(self.headers))
        if self.headers.get("If-None-Match") == '"v1"':
            self.send_response(304)
            self.end_headers()
            return
        body = ATOM.encode()
        self.send_response(200)
        self.send_header("ETag", '"v1"')
        self.send_header("Content-Type", "application/atom+xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


class Feeds(Personas):
    def test_it_reads_atom_and_rss_entries_as_posts(self) -> None:
        atom = parse_feed(ATOM.encode(), source="board")
        self.assertEqual([p.id for p in atom], ["tag:board,2026:1", "tag:board,2026:2"])
        self.assertIn("加vx", atom[0].text)
        self.assertEqual(
            (atom[0].urls, atom[0].author), (["http://shuadan.example/post/1"], "seller1")
        )
        self.assertEqual(atom[1].text, "Bike for sale Good condition")
        rss = parse_feed(RSS.encode(), source="b")
        self.assertEqual((rss[0].id, rss[0].text), ("a1", "Hello Ghost gun 80% parts kit"))
        self.assertEqual(rss[0].posted_at.year if rss[0].posted_at else None, 2026)

    def test_it_polls_a_feed_politely_and_files_what_it_flags(self) -> None:
        FeedServer.requests = []
        server = ThreadingHTTPServer(("127.0.0.1", 0), FeedServer)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{server.server_port}/feed.atom"
        try:
            out = StringIO()
            call_command("patrol", "run", "--source", url, "--unit", "south", "--once", stdout=out)
            call_command("patrol", "run", "--source", url, "--once", stdout=out)
        finally:
            server.shutdown()
            server.server_close()
        self.assertIn("2 posts patrolled", out.getvalue())
        self.assertIn("not modified", out.getvalue())
        self.assertEqual(FeedServer.requests[1].get("If-None-Match"), '"v1"')
        self.assertEqual(PatrolSource.objects.get().etag, '"v1"')
        self.assertEqual(Report.objects.get(source="patrol").case.unit, self.south)
