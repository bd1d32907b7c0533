from typing import Any

from django.http import HttpRequest
from django.urls import URLPattern

from frontstage.cases.models import Case


def evidence_context(request: HttpRequest, case: Case) -> dict[str, Any]:
    """What the case page's evidence part needs."""
    return {}


urlpatterns: list[URLPattern] = []
