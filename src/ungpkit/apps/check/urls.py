"""Pages of the UNGP check (under the language prefix, e.g. /en/check/)."""

from django.urls import path

from ungpkit.apps.check import views

app_name = "check"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("upload/", views.upload, name="upload"),
    path("compare/", views.compare, name="compare"),
    path("overlap/", views.overlap, name="overlap"),
    path("documents/<int:pk>/", views.document, name="document"),
    path("assessments/<int:pk>/", views.assessment, name="assessment"),
    path("assessments/<int:pk>/progress/", views.progress, name="progress"),
    path("assessments/<int:pk>/document/", views.assessment_document, name="assessment_document"),
    path("assessments/<int:pk>/publish/", views.publish, name="publish"),
    path("assessments/<int:pk>/export/<slug:fmt>/", views.export, name="export"),
    path("assessments/<int:pk>/findings/<str:element>/review/", views.review, name="review"),
]
