"""Staff pages of triage (under the language prefix, e.g. /en/triage/)."""

from django.urls import path

from ungpkit.apps.triage import views

app_name = "triage"

urlpatterns = [
    path("", views.queue_page, name="queue"),
    path("mechanisms/<slug:slug>/", views.queue_page, name="mechanism_queue"),
    path("mechanisms/<slug:slug>/clusters/", views.cluster_list, name="mechanism_clusters"),
    path("mechanisms/<slug:slug>/clusters/refresh/", views.recluster, name="recluster"),
    path("cases/<int:pk>/", views.case, name="case"),
    path("cases/<int:pk>/confirm/", views.confirm, name="confirm"),
    path("clusters/", views.cluster_list, name="clusters"),
    path("clusters/<int:pk>/", views.cluster, name="cluster"),
    path("clusters/<int:pk>/merge/", views.merge, name="merge"),
    path("collective/", views.collective_list, name="collectives"),
    path("collective/<int:pk>/", views.collective, name="collective"),
    path("collective/<int:pk>/move/", views.collective_move, name="collective_move"),
    path("collective/<int:pk>/message/", views.collective_message, name="collective_message"),
    path("collective/<int:pk>/outcome/", views.collective_outcome, name="collective_outcome"),
    path("collective/<int:pk>/members/", views.collective_add, name="collective_add"),
    path(
        "collective/<int:pk>/members/<int:case_id>/remove/",
        views.collective_remove,
        name="collective_remove",
    ),
]
