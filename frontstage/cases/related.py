"""Related cases: other cases that share a subject or an entity with a case, shown together as
a campaign. Read-only; a handful of queries whatever the number of cases.

What links two cases:
- the same subject (same kind and canonical key): one phone number, wallet, account, domain,
  URL or description named in both;
- the same registrable domain: a URL on `shop.example.com` links to the domain subject
  `example.com` and to any other URL on `example.com` or below it.

Domains of platforms where many unrelated people post (social networks, messengers, and every
platform registered to receive orders) link nothing by themselves: two posts on weibo.com are
not one campaign. Their accounts and URLs still link when they are the same.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Q

from frontstage.cases.models import Case, Subject, SubjectKind
from frontstage.intake.locate import LocationError, canonical_key
from frontstage.intake.models import ApiClient, ClientKind, Report

# Registrable domains of the platforms `intake.locate` reads profile links of, plus the big
# shared hosts reports name most; `ApiClient` platforms add their own at run time.
PLATFORM_DOMAINS = frozenset(
    {
        "weibo.com", "weibo.cn", "douyin.com", "x.com", "twitter.com", "facebook.com", "fb.com",
        "instagram.com", "tiktok.com", "t.me", "telegram.me", "qq.com", "xiaohongshu.com",
        "youtube.com", "youtu.be", "bilibili.com", "weixin.qq.com", "google.com", "baidu.com",
    }
)  # fmt: skip
MAX_LISTED = 50  # cases listed on the page; the counts cover all of them
# Plain strings: keys read from the database are plain strings, and an enum member hashes by
# its name, so it would never meet them in a set.
URL, DOMAIN = SubjectKind.URL.value, SubjectKind.DOMAIN.value


@dataclass(frozen=True)
class Link:
    """What two cases share: a subject kind and its canonical key (`domain` for a shared
    registrable domain)."""

    kind: str
    key: str

    @property
    def label(self) -> str:
        return str(SubjectKind(self.kind).label)


@dataclass
class RelatedCase:
    case: Case
    links: list[Link]
    report_count: int


@dataclass
class Campaign:
    """`related` are the other cases (the most urgent first, at most MAX_LISTED); the counts
    include the case itself, so a case with no relation is a campaign of one."""

    related: list[RelatedCase] = field(default_factory=list)
    case_count: int = 1
    report_count: int = 0
    links: list[Link] = field(default_factory=list)

    @property
    def is_campaign(self) -> bool:
        return self.case_count > 1


def related_cases(case: Case, *, scope_ids: Iterable[int]) -> Campaign:
    """The campaign around `case`: the open or closed cases in units `scope_ids` that share a
    subject or a registrable domain with it. Merged shells are left out (their reports live
    in the case they were merged into)."""
    subjects = list(case.subjects.all())
    own_reports = Report.objects.filter(case=case).count()
    exact = {(s.kind, s.key) for s in subjects}
    domains = _domains(subjects) - _platform_domains()
    wanted = Q()
    for kind, key in exact:
        wanted |= Q(subject__kind=kind, subject__key=key)
    for domain in domains:
        wanted |= Q(subject__kind=DOMAIN, subject__key=domain)
        # `contains` may also match a path; such rows fail the domain check below.
        on_domain = Q(subject__key__startswith=f"{domain}/") | Q(
            subject__key__contains=f".{domain}/"
        )
        wanted |= Q(subject__kind=URL) & on_domain
    if not wanted:
        return Campaign(report_count=own_reports)
    rows = (
        Case.subjects.through.objects.filter(wanted, case__unit_id__in=list(scope_ids))
        .exclude(case_id=case.pk)
        .filter(case__merged_into__isnull=True)
        .values_list("case_id", "subject__kind", "subject__key")
    )
    links: dict[int, set[Link]] = defaultdict(set)
    for case_id, kind, key in rows:
        if (kind, key) in exact:
            links[case_id].add(Link(kind, key))
        shared = _domain_of(kind, key)
        if shared in domains:
            links[case_id].add(Link(DOMAIN, shared))
    if not links:
        return Campaign(report_count=own_reports)
    ids = list(links)
    listed = (
        Case.objects.filter(pk__in=ids)
        .select_related("unit", "category")
        .annotate(report_count=Count("reports"))
        .order_by("-priority", "opened_at")[:MAX_LISTED]
    )
    related = [
        RelatedCase(case=c, links=sorted(links[c.pk], key=_order), report_count=c.report_count)
        for c in listed
    ]
    return Campaign(
        related=related,
        case_count=len(ids) + 1,
        report_count=own_reports + Report.objects.filter(case_id__in=ids).count(),
        links=sorted(set().union(*links.values()), key=_order),
    )


def _order(link: Link) -> tuple[str, str]:
    return (link.kind, link.key)


def _domains(subjects: Iterable[Subject]) -> set[str]:
    found = {_domain_of(s.kind, s.key) for s in subjects}
    found.discard(None)
    return {d for d in found if d}


def _domain_of(kind: str, key: str) -> str | None:
    """The registrable domain of a URL or domain subject's key; None for other kinds."""
    if kind == DOMAIN:
        return key
    if kind != URL:
        return None
    try:
        return canonical_key(DOMAIN, key.split("/", 1)[0])
    except LocationError:
        return None


def _platform_domains() -> set[str]:
    hosts = ApiClient.objects.filter(kind=ClientKind.PLATFORM).values_list("domains", flat=True)
    found = {_domain_of(URL, f"{h}/") for listed in hosts for h in listed or ()}
    return {d for d in found if d} | PLATFORM_DOMAINS
