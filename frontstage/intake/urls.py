from django.urls import path

from frontstage.intake import views

app_name = "intake"
urlpatterns = [
    path("report/", views.report, name="report"),
    path("report/sent/", views.sent, name="sent"),
    path("track/", views.track, name="track"),
    path("track/status/", views.status, name="status"),
]
