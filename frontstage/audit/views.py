from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from frontstage.accounts.views import console_view
from frontstage.audit.models import AuditEvent
from frontstage.units.models import Unit
from frontstage.units.scope import OVERSIGHT, unit_ids


@console_view("audit.view_auditevent")
def audit_log(request: HttpRequest) -> HttpResponse:
    """The audit events of the units the user oversees. Events tied to no unit (a staff
    account created, say) are shown only to those who oversee a whole tree from its root."""
    scope = unit_ids(request.user, OVERSIGHT)
    visible = Q(unit_id__in=scope)
    if Unit.objects.filter(parent=None, pk__in=scope).exists():
        visible |= Q(unit=None)
    events = AuditEvent.objects.filter(visible).select_related("unit").order_by("-seq")
    action = request.GET.get("action", "").strip()
    if action:
        events = events.filter(action__startswith=action)
    page = Paginator(events, 100).get_page(request.GET.get("page"))
    return render(request, "audit/audit_log.html", {"page": page, "action": action})
