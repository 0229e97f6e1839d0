from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TriageConfig(AppConfig):
    """Suggestions for every grievance, the queue they order, clusters and collective cases."""

    name = "ungpkit.apps.triage"
    label = "triage"
    verbose_name = _("Triage and mass complaints")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from ungpkit.apps.remedy.models import Grievance
        from ungpkit.apps.remedy.signals import grievance_received, grievances_stored_in_bulk
        from ungpkit.apps.triage import signals

        post_save.connect(
            signals.grievance_saved, sender=Grievance, dispatch_uid="triage.grievance_saved"
        )
        grievance_received.connect(
            signals.grievance_received, sender=Grievance, dispatch_uid="triage.received"
        )
        grievances_stored_in_bulk.connect(
            signals.grievances_stored_in_bulk, sender=Grievance, dispatch_uid="triage.bulk"
        )
