"""Staff pages of the grievance mechanism (under the language prefix, e.g. /en/remedy/)."""

from django.urls import path

from ungpkit.apps.remedy import staff_views as views

app_name = "remedy_staff"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read/", views.notifications_read, name="notifications_read"),
    path("cases/<int:pk>/", views.case, name="case"),
    path("cases/<int:pk>/move/", views.move, name="move"),
    path("cases/<int:pk>/messages/", views.message, name="message"),
    path("cases/<int:pk>/route/", views.route, name="route"),
    path("cases/<int:pk>/identity/", views.reveal, name="reveal"),
    path("cases/<int:pk>/escalations/", views.escalate, name="escalate"),
    path(
        "cases/<int:pk>/escalations/<int:escalation>/case-file.<slug:fmt>",
        views.casefile_download,
        name="casefile",
    ),
    path("cases/<int:pk>/outcome/", views.outcome, name="outcome"),
    path("cases/<int:pk>/files/<int:attachment_id>/", views.attachment, name="attachment"),
]
