"""Pages of the transparency app (under the language prefix, e.g. /en/transparency/)."""

from django.urls import path

from ungpkit.apps.transparency import views

app_name = "transparency"

urlpatterns = [
    path("", views.mechanisms, name="mechanisms"),
    path("<slug:slug>/", views.statistics, name="statistics"),
    path(
        "<slug:slug>/statistics.<slug:fmt>", views.statistics_download, name="statistics_download"
    ),
    path("<slug:slug>/issues/", views.issues, name="issues"),
    path("<slug:slug>/issues.<slug:fmt>", views.issues_download, name="issues_download"),
    path("<slug:slug>/self-assessment/", views.self_assessment, name="self_assessment"),
    path("<slug:slug>/publish/", views.publish, name="publish"),
]
