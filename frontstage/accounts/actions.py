"""Every change to staff accounts and roles."""

from django.db import transaction
from django.utils.translation import gettext as _

from frontstage.accounts.models import Role, RoleKind, Staff
from frontstage.audit.actions import record
from frontstage.lib.actors import Actor
from frontstage.units.models import Unit
from frontstage.units.scope import forget_scope


def create_staff(
    *, username: str, password: str | None, display_name: str = "", email: str = "", by: Actor
) -> Staff:
    """A new staff account with no roles yet; `password=None` leaves it unable to log in."""
    with transaction.atomic():
        if Staff.objects.filter(username__iexact=username).exists():
            raise ValueError(_("The username “%(name)s” is taken.") % {"name": username})
        staff = Staff(username=username, display_name=display_name, email=email)
        staff.set_password(password) if password else staff.set_unusable_password()
        staff.save()
        record(by=by, action="staff.created", obj=staff, payload={"username": username})
    return staff


def grant_role(*, staff: Staff, unit: Unit, kind: str, by: Actor) -> Role:
    with transaction.atomic():
        role, created = Role.objects.get_or_create(staff=staff, unit=unit, kind=RoleKind(kind))
        if created:
            payload = {"staff": staff.username, "role": role.kind, "unit": unit.slug}
            record(by=by, action="role.granted", obj=staff, unit=unit, payload=payload)
    forget_scope(staff)
    return role


def revoke_role(*, role: Role, by: Actor) -> None:
    with transaction.atomic():
        payload = {"staff": role.staff.username, "role": role.kind, "unit": role.unit.slug}
        record(by=by, action="role.revoked", obj=role.staff, unit=role.unit, payload=payload)
        role.delete()
    forget_scope(role.staff)


STAFF_FIELDS = ("display_name", "email", "is_active")


def update_staff(*, staff: Staff, by: Actor, **changes: object) -> Staff:
    """Change any of STAFF_FIELDS; records what changed. Deactivating is how staff leave:
    accounts are never deleted, because the audit log names them."""
    unknown = set(changes) - set(STAFF_FIELDS)
    if unknown:
        raise TypeError(f"update_staff() got unknown fields {sorted(unknown)}")
    with transaction.atomic():
        staff = Staff.objects.select_for_update().get(pk=staff.pk)
        changed = {
            field: {"from": getattr(staff, field), "to": value}
            for field, value in changes.items()
            if getattr(staff, field) != value
        }
        if changed:
            for field, value in changes.items():
                setattr(staff, field, value)
            staff.save(update_fields=list(changed))
            record(by=by, action="staff.changed", obj=staff, payload=changed)
    return staff
