"""The complainant's pages (under the language prefix, e.g. /en/grievances/)."""

from django.urls import path

from ungpkit.apps.remedy import public_views

app_name = "grievances"

urlpatterns = [
    path("", public_views.mechanisms, name="mechanisms"),
    path("status/", public_views.status, name="status"),
    path("<slug:slug>/", public_views.intake, name="intake"),
]
