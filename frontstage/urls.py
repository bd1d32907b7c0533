from django.contrib import admin
from django.urls import include, path

from frontstage.accounts import views as accounts_views
from frontstage.api import api
from frontstage.audit import views as audit_views
from frontstage.cases.views import alerts, appeals, case_page, decisions, evidence, queue, triage
from frontstage.cases.views import grounds as grounds_views
from frontstage.intake import console as intake_console
from frontstage.patrol import views as patrol_views
from frontstage.publish.views import channel as channel_views
from frontstage.publish.views import federation as federation_views
from frontstage.publish.views import transparency as transparency_views

console = (
    [
        path("", queue.case_list, name="cases"),
        path("cases/<int:pk>/", case_page.case_detail, name="case"),
        *alerts.urlpatterns,
        *triage.urlpatterns,
        *evidence.urlpatterns,
        *grounds_views.urlpatterns,
        *decisions.urlpatterns,
        *appeals.urlpatterns,
        *channel_views.console_urlpatterns,
        *federation_views.console_urlpatterns,
        *transparency_views.console_urlpatterns,
        path("audit/", audit_views.audit_log, name="audit"),
        path("patrol/rules/", patrol_views.rules_page, name="patrol_rules"),
        path("patrol/backtest/", patrol_views.backtest_page, name="patrol_backtest"),
        path("attachments/<int:pk>/", intake_console.attachment, name="attachment"),
        path("reports/<int:pk>/<slug:verb>/", intake_console.report_action, name="report_action"),
        path("login/", accounts_views.login, name="login"),
        path("logout/", accounts_views.logout, name="logout"),
    ],
    "console",
)

urlpatterns = [
    *channel_views.urlpatterns,
    *federation_views.urlpatterns,
    *transparency_views.urlpatterns,
    path("", include("frontstage.intake.urls")),
    path("", include(appeals.public_urlpatterns)),
    path("console/", include(console)),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]
