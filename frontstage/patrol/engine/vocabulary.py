"""The words the engine shares with rule files and outputs; values are what files and JSON hold."""

from enum import StrEnum


class Category(StrEnum):
    SCAM_FRAUD = "scam_fraud"
    ILLEGAL_DRUGS = "illegal_drugs"
    ILLEGAL_WEAPONS = "illegal_weapons"
    ILLEGAL_GAMBLING = "illegal_gambling"
    SEXUAL_SERVICES = "sexual_services"
    CHILD_SEXUAL_ABUSE = "child_sexual_abuse"
    THREATS = "threats"


BENIGN = "benign"  # the backtest label of a post that no rule should flag


class Mode(StrEnum):
    LIVE = "live"  # hits flag the post
    SHADOW = "shadow"  # hits are recorded for backtests and never flag


class EvidenceKind(StrEnum):
    KEYWORD = "keyword"
    PATTERN = "pattern"
    ENTITY = "entity"
    URL = "url"
    PDQ = "pdq"
    CLASSIFIER = "classifier"


class Layer(StrEnum):
    """Which normalised form of the text a pattern reads (see normalise.py)."""

    PLAIN = "plain"
    SKELETON = "skeleton"


class EntityKind(StrEnum):
    URL = "url"
    DOMAIN = "domain"
    EMAIL = "email"
    PHONE = "phone"
    WECHAT = "wechat"
    TELEGRAM = "telegram"
    QQ = "qq"
    BTC = "btc"
    ETH = "eth"
    TRON = "tron"


# Names a rule may use for several entity kinds at once.
ENTITY_GROUPS: dict[str, frozenset[EntityKind]] = {
    "contact": frozenset(
        {EntityKind.PHONE, EntityKind.EMAIL, EntityKind.WECHAT, EntityKind.TELEGRAM, EntityKind.QQ}
    ),
    "wallet": frozenset({EntityKind.BTC, EntityKind.ETH, EntityKind.TRON}),
    "link": frozenset({EntityKind.URL, EntityKind.DOMAIN}),
}
