from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TriageConfig(AppConfig):
    """Suggestions for every grievance, the queue they order, clusters and collective cases."""

    name = "ungpkit.apps.triage"
    label = "triage"
    verbose_name = _("Triage and mass complaints")
    default_auto_field = "django.db.models.BigAutoField"
