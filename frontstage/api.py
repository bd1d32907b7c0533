from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import ValidationError

from frontstage.cases.api import router as platform_orders_router
from frontstage.intake.api import router as intake_router
from frontstage.patrol.api import router as patrol_router
from frontstage.units.api import router as units_router

api = NinjaAPI(
    title="Frontstage API",
    version="1",
    description="Reports, notices and the public record of an online-safety unit.",
    urls_namespace="api",
)
api.add_router("/units", units_router)
api.add_router("/", intake_router)
api.add_router("/", patrol_router)
api.add_router("/platform-orders", platform_orders_router)


@api.exception_handler(ValidationError)
def invalid_fields(request: HttpRequest, error: ValidationError) -> HttpResponse:
    """Schema errors in the same shape as every other error: which field, and why."""
    errors = [
        {
            "field": ".".join(str(part) for part in item.get("loc", ())[2:]) or "body",
            "message": str(item.get("msg", "")),
        }
        for item in error.errors
    ]
    detail = _("Some fields are missing or not valid; see errors.")
    return api.create_response(request, {"detail": detail, "errors": errors}, status=422)
