"""The patrol runner: posts from a source through the engine into the database. Hits are
recorded idempotently; live hits become reports of source "patrol" in the usual cases."""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace

from django.db import IntegrityError, transaction
from django.utils import timezone

from frontstage.cases.actions.evidence import capture_hit_evidence
from frontstage.cases.models import Category
from frontstage.intake.actions import Receipt, Submission, submit_report
from frontstage.intake.locate import LocationError, canonical_key
from frontstage.intake.models import ReportSource
from frontstage.lib.actors import PATROL
from frontstage.patrol.engine import Hit, Mode, Post, RulePack, UnreadableImage
from frontstage.patrol.models import PatrolHit, RuleSetting
from frontstage.patrol.pack import current_pack
from frontstage.units.models import Unit
from frontstage.units.routing import national_unit

# Posts evaluated together: the classifier embeds a batch in one call. Small enough that a
# stream read from stdin is not held back for long.
BATCH = 64


@dataclass
class RunCount:
    posts: int = 0
    hits: int = 0
    reports: int = 0
    already_seen: int = 0


def patrol(
    posts: Iterable[Post], *, source: str, unit: Unit | None = None, pack: RulePack | None = None
) -> RunCount:
    """Evaluate `posts` and record what they hit. Safe to run again on the same posts: a
    post id + rule version already recorded is skipped, and its report is never doubled."""
    pack = pack or current_pack()
    modes = dict(RuleSetting.objects.values_list("rule", "mode"))
    home = unit or national_unit()
    categories = {c.code: c for c in Category.objects.filter(unit=None)}
    count = RunCount()
    for batch in _batches(posts, BATCH):
        for post, hits in zip(batch, _hits(pack, batch), strict=True):
            count.posts += 1
            for hit in hits:
                mode = Mode(modes.get(hit.rule, hit.mode))
                recorded = _record(post, replace(hit, mode=mode), source, home, categories)
                if recorded is None:
                    count.already_seen += 1
                    continue
                count.hits += 1
                count.reports += recorded
    return count


def _batches(posts: Iterable[Post], size: int) -> Iterator[list[Post]]:
    batch: list[Post] = []
    for post in posts:
        batch.append(post)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _hits(pack: RulePack, batch: list[Post]) -> list[list[Hit]]:
    """Hits of each post, the classifier run once per batch; a post whose image cannot be
    read is evaluated on its text alone."""
    try:
        return pack.evaluate_many(batch)
    except UnreadableImage:
        return [_hits_of_one(pack, post) for post in batch]


def _hits_of_one(pack: RulePack, post: Post) -> list[Hit]:
    try:
        return pack.evaluate(post)
    except UnreadableImage:
        return pack.evaluate(replace(post, image=None))


def _record(
    post: Post, hit: Hit, source: str, unit: Unit, categories: dict[str, Category]
) -> bool | None:
    """Records the hit (with its report when live): None when it was recorded before, else
    whether a new report was filed. Live hits of one category on one post share a report, so
    a post that a keyword rule and the classifier both flag counts once in its case."""
    if PatrolHit.objects.filter(
        source=source, post_id=post.id, rule=hit.rule, rule_version=hit.version
    ).exists():
        return None
    try:
        with transaction.atomic():
            row = PatrolHit.objects.create(
                source=source,
                post_id=post.id,
                rule=hit.rule,
                rule_version=hit.version,
                category=hit.category.value,
                score=hit.score,
                mode=hit.mode.value,
                evidence=[e.as_json() for e in hit.evidence],
                text=post.text[:10_000],
                urls=post.urls[:20],
                author=post.author or "",
                posted_at=post.posted_at,
                recorded_at=timezone.now(),
            )
            if hit.mode is not Mode.LIVE:
                return False
            receipt = _report(post, hit, source, unit, categories)
            row.report = receipt.report
            row.save(update_fields=["report"])
            capture_hit_evidence(case=row.report.case, hit=row, by=PATROL)
    except IntegrityError:
        return None  # another runner recorded it first
    return receipt.created


def _report(
    post: Post, hit: Hit, source: str, unit: Unit, categories: dict[str, Category]
) -> Receipt:
    where = _locations(post, source)
    matched = ", ".join(e.text or e.matched for e in hit.evidence[:5])
    submission = Submission(
        source=ReportSource.PATROL,
        locations=where,
        explanation=f"Patrol rule {hit.rule} v{hit.version} ({hit.score:.2f}) matched: {matched}",
        category=categories.get(hit.category.value),
        unit=unit,
        idempotency_key=f"{source}:{post.id}:{hit.category.value}",
        request_digest=f"{source}:{post.id}",
        priority=int(40 + 50 * hit.score),
    )
    return submit_report(submission=submission, by=PATROL)


def _locations(post: Post, source: str) -> list[tuple[str, str]]:
    """The post's links that read as URLs; else the post itself, named by source and id."""
    found = []
    for url in post.urls[:5]:
        try:
            canonical_key("url", url)
        except LocationError:
            continue
        found.append(("url", url))
    return found or [("other", f"{source} post {post.id}")]
