"""The legal-ground library: unit admins add and change their unit's own grounds. The shipped
grounds (no unit) come from `data/legal_grounds.json` and are not changed here."""

from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from frontstage.audit.actions import record
from frontstage.cases.actions.core import CaseError
from frontstage.cases.models import Category, LegalGround
from frontstage.lib.actors import Actor
from frontstage.units.models import Unit
from frontstage.units.scope import lineage

GROUND_FIELDS = (
    "category",
    "unit",
    "jurisdiction",
    "reference",
    "title_en",
    "title_zh",
    "elements_en",
    "elements_zh",
    "url",
    "active",
)


class LegalGroundError(CaseError):
    """A ground that cannot be saved; `field` names the form field at fault ("" for none)."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


def save_legal_ground(*, ground: LegalGround | None, by: Actor, **values: Any) -> LegalGround:
    """Create a unit's ground (`ground=None`; `unit` and `category` required) or change one.
    Raises LegalGroundError, writing nothing, for shipped grounds, missing statute reference,
    title or elements, a URL that is not http(s), or a category of another unit. The audit
    event lists the changed fields."""
    unknown = set(values) - set(GROUND_FIELDS)
    if unknown:
        raise TypeError(f"save_legal_ground() got unknown fields {sorted(unknown)}")
    if ground is not None and ground.unit_id is None:
        raise LegalGroundError(
            _("Shipped legal grounds cannot be changed; add your unit's own ground instead.")
        )
    with transaction.atomic():
        target = (
            LegalGround()
            if ground is None
            else LegalGround.objects.select_for_update().get(pk=ground.pk)
        )
        before = _fields(target) if ground is not None else {}
        for name, value in values.items():
            setattr(target, name, value.strip() if isinstance(value, str) else value)
        _check(target)
        target.save()
        changed = {k: v for k, v in _fields(target).items() if before.get(k) != v}
        if changed:
            action = "legal_ground.created" if ground is None else "legal_ground.changed"
            record(by=by, action=action, obj=target, unit=target.unit, payload=changed)
    return target


def _check(ground: LegalGround) -> None:
    unit: Unit | None = ground.unit if ground.unit_id else None
    if unit is None:
        raise LegalGroundError(_("Choose the unit whose ground this is."), "unit")
    category: Category | None = ground.category if ground.category_id else None
    if category is None:
        raise LegalGroundError(_("Choose the category the ground applies to."), "category")
    if category.unit_id is not None and category.unit_id not in lineage(unit):
        raise LegalGroundError(
            _("Category “%(code)s” belongs to another unit.") % {"code": category.code},
            "category",
        )
    required = {
        "jurisdiction": _("Give the jurisdiction, e.g. CN or CN-GD."),
        "reference": _("Give the statute reference, e.g. “Criminal Law of the PRC, Art. 266”."),
        "title_en": _("Give the ground's title in English."),
        "elements_en": _("List the elements a decision must establish, one per line."),
    }
    for name, message in required.items():
        if not getattr(ground, name):
            raise LegalGroundError(message, name)
    if ground.url:
        parts = urlsplit(ground.url)
        if parts.scheme not in {"http", "https"} or not parts.netloc:
            raise LegalGroundError(
                _(
                    "The reference URL must start with http:// or https://, "
                    "e.g. https://flk.npc.gov.cn/."
                ),
                "url",
            )
    try:
        ground.full_clean(exclude=["category", "unit"])
    except ValidationError as error:
        name, messages = next(iter(error.message_dict.items()))
        raise LegalGroundError(" ".join(messages), name) from error


def _fields(ground: LegalGround) -> dict[str, Any]:
    """The ground's fields as the audit log keeps them."""
    return {
        "category": ground.category.code if ground.category_id else None,
        "unit": ground.unit.slug if ground.unit is not None else None,
        **{name: getattr(ground, name) for name in GROUND_FIELDS[2:]},
    }
