"""`frontstage patrol run --source …`: the continuous runner over one source."""

import sys
import time
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError
from django.db import transaction

from frontstage.patrol.models import PatrolSource, SourceKind
from frontstage.patrol.runner import RunCount, patrol
from frontstage.patrol.scan import Writer
from frontstage.patrol.sources import jsonl_posts, poll_feed
from frontstage.units.models import Unit


def add_arguments(parser: Any) -> None:
    parser.add_argument(
        "--source", required=True,
        help="a JSON Lines file, - for stdin, a feed URL, or the name of a configured feed",
    )  # fmt: skip
    parser.add_argument("--unit", help="slug of the unit whose queue receives the cases")
    parser.add_argument("--every", type=float, default=300, help="seconds between feed polls")
    parser.add_argument("--once", action="store_true", help="poll a feed once, then stop")


def run(options: dict[str, Any], out: Writer, err: Writer) -> None:
    unit = _unit(options.get("unit"))
    source = options["source"]
    if source == "-" or Path(source).is_file():
        _run_jsonl(source, unit, out, err)
    elif (
        source.startswith(("http://", "https://"))
        or PatrolSource.objects.filter(name=source).exists()
    ):
        _run_feed(source, unit, options, out, err)
    else:
        raise CommandError(f"{source} is not a file, '-', a feed URL or a configured feed name.")


def _run_jsonl(source: str, unit: Unit | None, out: Writer, err: Writer) -> None:
    problems: list[str] = []
    if source == "-":
        stream, images_from, name = sys.stdin.buffer, Path.cwd(), "stdin"
    else:
        path = Path(source)
        stream, images_from, name = path.open("rb"), path.parent, path.stem
    with stream:
        count = patrol(
            jsonl_posts(stream, images_from=images_from, problems=problems), source=name, unit=unit
        )
    for problem in problems:
        err.write(problem + "\n")
    out.write(_summary(name, count, skipped=len(problems)) + "\n")


def _run_feed(
    source: str, unit: Unit | None, options: dict[str, Any], out: Writer, err: Writer
) -> None:
    feed = _feed(source, unit)
    while True:
        try:
            fetched = poll_feed(
                feed.url, source=feed.name, etag=feed.etag, last_modified=feed.last_modified
            )
        except OSError as error:  # the feed is down: try again at the next poll
            err.write(f"{feed.name}: could not fetch {feed.url}: {error}\n")
        else:
            count = (
                patrol(fetched.posts, source=feed.name, unit=feed.unit)
                if fetched.changed
                else RunCount()
            )
            with transaction.atomic():
                PatrolSource.objects.filter(pk=feed.pk).update(
                    etag=fetched.etag, last_modified=fetched.last_modified
                )
            feed.etag, feed.last_modified = fetched.etag, fetched.last_modified
            state = (
                _summary(feed.name, count, skipped=0)
                if fetched.changed
                else f"{feed.name}: not modified"
            )
            out.write(state + "\n")
        if options.get("once"):
            return
        time.sleep(options.get("every", 300))


def _feed(source: str, unit: Unit | None) -> PatrolSource:
    found = (
        PatrolSource.objects.filter(name=source).first()
        or PatrolSource.objects.filter(url=source).first()
    )
    if found is not None:
        return found
    if unit is None:
        raise CommandError("A new feed needs --unit: the unit whose queue receives its cases.")
    name = source.split("://", 1)[1].split("/", 1)[0].replace(".", "-")[:50]
    with transaction.atomic():
        return PatrolSource.objects.create(name=name, kind=SourceKind.FEED, unit=unit, url=source)


def _unit(slug: str | None) -> Unit | None:
    if not slug:
        return None
    unit = Unit.objects.filter(slug=slug).first()
    if unit is None:
        raise CommandError(f"No unit has the slug {slug!r}.")
    return unit


def _summary(name: str, count: RunCount, *, skipped: int) -> str:
    return (
        f"{name}: {count.posts} posts patrolled, {count.hits} new hits, {count.reports} reports, "
        f"{count.already_seen} already recorded, {skipped} lines skipped."
    )
