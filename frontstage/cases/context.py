"""Template context for every page: the number of open threat-to-life alerts a supervisor
must see (the red banner of the console)."""

from functools import cache
from typing import Any

from django.http import HttpRequest

from frontstage.cases.models import Alert
from frontstage.units.scope import SUPERVISION, unit_ids


def open_alerts(request: HttpRequest) -> dict[str, Any]:
    """`open_alerts`: a callable, so that only pages that show the banner pay for it. Its cost
    is one count, and only for supervisors: the scope look-up is the one the console bar's
    permission checks make anyway."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    @cache
    def count() -> int:
        if not user.has_perm("cases.acknowledge_alert"):
            return 0
        units = unit_ids(user, SUPERVISION)  # cached for the request, shared with the checks
        return Alert.objects.filter(acknowledged_at__isnull=True, unit_id__in=units).count()

    return {"open_alerts": count}
