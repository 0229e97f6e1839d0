from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RemedyConfig(AppConfig):
    """Grievances, cases routed to members of a joint mechanism, and their path to remedy."""

    name = "ungpkit.apps.remedy"
    label = "remedy"
    verbose_name = _("Grievance mechanism")
    default_auto_field = "django.db.models.BigAutoField"
