"""Every change to the patrol's own settings: sources and rule modes, audited."""

import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from frontstage.audit.actions import record
from frontstage.intake.actions import token_digest
from frontstage.lib.actors import Actor
from frontstage.patrol.engine import Mode
from frontstage.patrol.models import PatrolSource, RuleSetting, SourceKind, UnitRuleFile
from frontstage.patrol.pack import current_pack, pack_with, parse
from frontstage.units.models import Unit


class PatrolError(ValueError):
    """A patrol change that cannot be made; the message says why, for people."""


@dataclass(frozen=True)
class PushSource:
    source: PatrolSource
    token: str  # shown once; only its digest is kept


def add_push_source(*, name: str, unit: Unit, by: Actor) -> PushSource:
    token = "fsp_" + secrets.token_urlsafe(32)
    with transaction.atomic():
        source = PatrolSource.objects.create(
            name=name, kind=SourceKind.PUSH, unit=unit, token_digest=token_digest(token)
        )
        record(by=by, action="patrol.source_added", obj=source, unit=unit, payload={"name": name})
    return PushSource(source, token)


def set_rule_mode(*, rule: str, mode: str, by: Actor, reason: str) -> RuleSetting:
    """Switch a shipped rule between shadow and live; the reason is recorded."""
    known = {r.id: r for r in current_pack().rules}
    if rule not in known:
        raise PatrolError(_("No rule has the id “%(rule)s”.") % {"rule": rule})
    if not reason.strip():
        raise PatrolError(_("Say why the rule changes mode (for example, its backtest figures)."))
    new = Mode(mode)
    with transaction.atomic():
        setting, _created = RuleSetting.objects.select_for_update().get_or_create(
            rule=rule, defaults={"mode": known[rule].mode.value, "changed_at": timezone.now()}
        )
        before = setting.mode
        setting.mode, setting.changed_at = new.value, timezone.now()
        setting.save()
        payload = {"rule": rule, "from": before, "to": new.value, "reason": reason.strip()}
        record(by=by, action="patrol.rule_mode_changed", obj=setting, payload=payload)
    return setting


def check_rule_file(*, name: str, unit: Unit, content: str, active: bool = True) -> int:
    """The version the file would get; raises RulePackError naming every problem of the whole
    pack (shipped files and every other active file) compiled with it, or PatrolError."""
    row = UnitRuleFile.objects.filter(name=name).first()
    if row is not None and row.unit_id != unit.pk:
        raise PatrolError(_("The name “%(name)s” is taken by another unit.") % {"name": name})
    changed = row is None or row.content != content or row.active != active
    version = 1 if row is None else row.version + 1 if changed else row.version
    others = UnitRuleFile.objects.filter(active=True).exclude(name=name)
    documents = [(f"{o.name}.yaml (console)", parse(o.content, o.version)) for o in others]
    if active:
        documents.append((f"{name}.yaml (console)", parse(content, version)))
    pack_with(documents)
    return version


def save_rule_file(
    *, name: str, unit: Unit, content: str, active: bool = True, by: Actor
) -> UnitRuleFile:
    """Create or change a unit's rule file after check_rule_file; nothing is saved when the
    pack would not compile."""
    with transaction.atomic():
        row = UnitRuleFile.objects.select_for_update().filter(name=name).first()
        version = check_rule_file(name=name, unit=unit, content=content, active=active)
        if row is not None and row.version == version:
            return row  # nothing changed
        row = row or UnitRuleFile(name=name, unit=unit)
        row.content, row.version, row.active = content, version, active
        row.changed_at = timezone.now()
        row.save()
        payload = {"name": name, "version": version, "active": active}
        record(by=by, action="patrol.rule_file_saved", obj=row, unit=unit, payload=payload)
    return row
