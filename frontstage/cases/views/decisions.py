from typing import Any

from django.http import HttpRequest
from django.urls import URLPattern

from frontstage.cases.models import Case


def decision_context(request: HttpRequest, case: Case) -> dict[str, Any]:
    """What the case page's decisions part needs."""
    return {}


urlpatterns: list[URLPattern] = []
