"""The sanction ladder: the proportionate sanction for a subject, from the case's category and
severity and the account's active strikes. Pure: plain values in, a Proposal out.

The analyst may choose otherwise, with a reason (see `decide`). Read the tables top to bottom:

Content (a URL or a domain)      low        medium    high      critical
  every category                 restrict   remove    remove    disable
  defamation                     label      remove    remove    disable
  child_sexual_abuse             remove     remove    disable   disable

An account, by active strikes    low        medium    high      critical
  0                              warn       warn      7 days    30 days
  1                              7 days     7 days    30 days   90 days
  2                              30 days    30 days   90 days   90 days
  3 or more                      permanent  permanent permanent permanent
  worst categories, critical     permanent (at any number of strikes)

Child sexual abuse and threats at high or critical severity are also referred for prosecution,
whatever the subject. Phone numbers, wallets and other identifiers have no platform measure;
only a prosecution referral applies to them."""

from dataclasses import dataclass
from datetime import timedelta

from frontstage.cases.models.core import Severity, SubjectKind
from frontstage.cases.models.decisions import SanctionKind

K = SanctionKind
LOW, MEDIUM, HIGH, CRITICAL = Severity.LOW, Severity.MEDIUM, Severity.HIGH, Severity.CRITICAL

CONTENT_SUBJECTS = frozenset({SubjectKind.URL, SubjectKind.DOMAIN})
ACCOUNT_SUBJECTS = frozenset({SubjectKind.ACCOUNT})
CONTENT_KINDS = frozenset({K.REMOVE, K.DISABLE, K.RESTRICT, K.LABEL})
ACCOUNT_KINDS = frozenset({K.WARN, K.SUSPEND, K.SUSPEND_PERMANENTLY})
# Kinds that mark an account with a strike when they take effect.
STRIKING_KINDS = ACCOUNT_KINDS

CONTENT: dict[str, K] = {LOW: K.RESTRICT, MEDIUM: K.REMOVE, HIGH: K.REMOVE, CRITICAL: K.DISABLE}
CONTENT_BY_CATEGORY: dict[str, dict[str, K]] = {
    # Defamation is a matter of degree: a label informs readers without silencing the author.
    "defamation": {**CONTENT, LOW: K.LABEL},
    # Abuse material never stays online, whatever the severity.
    "child_sexual_abuse": {LOW: K.REMOVE, MEDIUM: K.REMOVE, HIGH: K.DISABLE, CRITICAL: K.DISABLE},
}

WARN = (K.WARN, None)
PERMANENT = (K.SUSPEND_PERMANENTLY, None)
# ACCOUNT[strikes][severity] → (kind, days); three strikes and more is permanent.
ACCOUNT: list[dict[str, tuple[K, int | None]]] = [
    {LOW: WARN, MEDIUM: WARN, HIGH: (K.SUSPEND, 7), CRITICAL: (K.SUSPEND, 30)},
    {LOW: (K.SUSPEND, 7), MEDIUM: (K.SUSPEND, 7), HIGH: (K.SUSPEND, 30), CRITICAL: (K.SUSPEND, 90)},
    {
        LOW: (K.SUSPEND, 30),
        MEDIUM: (K.SUSPEND, 30),
        HIGH: (K.SUSPEND, 90),
        CRITICAL: (K.SUSPEND, 90),
    },
]
PERMANENT_AT_STRIKES = 3
WORST_CATEGORIES = frozenset({"child_sexual_abuse", "threats", "illegal_weapons"})

PROSECUTE_CATEGORIES = frozenset({"child_sexual_abuse", "threats"})
PROSECUTE_SEVERITIES = frozenset({HIGH, CRITICAL})

# How long a strike counts. A permanent suspension's strike expires like a suspension's: the
# account stays suspended through the sanction itself, never through a strike dated far ahead.
STRIKE_LIFETIME: dict[str, timedelta] = {
    K.WARN: timedelta(days=180),
    K.SUSPEND: timedelta(days=365),
    K.SUSPEND_PERMANENTLY: timedelta(days=365),
}


@dataclass(frozen=True)
class Proposal:
    """What the ladder proposes for one subject. `kind` is a SanctionKind value, or None when
    the subject has no platform measure (a phone number, a wallet); `days` only for timed
    suspensions; `prosecute` when a prosecution referral is proposed as well."""

    kind: str | None
    days: int | None = None
    prosecute: bool = False


def propose(*, category: str, severity: str, active_strikes: int, subject_kind: str) -> Proposal:
    """The proportionate sanction. `category` is a category code (unknown codes get the general
    rows), `severity` a Severity value, `active_strikes` the account's strikes still counting
    (ignored for content)."""
    level = Severity(severity)
    prosecute = category in PROSECUTE_CATEGORIES and level in PROSECUTE_SEVERITIES
    kind = SubjectKind(subject_kind)
    if kind in CONTENT_SUBJECTS:
        return Proposal(CONTENT_BY_CATEGORY.get(category, CONTENT)[level].value, None, prosecute)
    if kind in ACCOUNT_SUBJECTS:
        if active_strikes >= PERMANENT_AT_STRIKES or (
            level == CRITICAL and category in WORST_CATEGORIES
        ):
            return Proposal(K.SUSPEND_PERMANENTLY.value, None, prosecute)
        chosen, days = ACCOUNT[max(active_strikes, 0)][level]
        return Proposal(chosen.value, days, prosecute)
    return Proposal(None, None, prosecute)


def fits(kind: str, subject_kind: str) -> bool:
    """Whether a sanction of `kind` can apply to a subject of `subject_kind`: content measures to
    URLs and domains, account measures to accounts, prosecution referrals to anything."""
    if kind == K.PROSECUTE:
        return True
    if kind in CONTENT_KINDS:
        return subject_kind in CONTENT_SUBJECTS
    return kind in ACCOUNT_KINDS and subject_kind in ACCOUNT_SUBJECTS


def strike_lifetime(kind: str) -> timedelta | None:
    """How long a strike for a sanction of `kind` counts, or None when it gives no strike."""
    return STRIKE_LIFETIME.get(kind)
