from ninja import NinjaAPI

from frontstage.intake.api import router as intake_router
from frontstage.units.api import router as units_router

api = NinjaAPI(
    title="Frontstage API",
    version="1",
    description="Reports, notices and the public record of an online-safety unit.",
    urls_namespace="api",
)
api.add_router("/units", units_router)
api.add_router("/", intake_router)
