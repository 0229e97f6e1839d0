from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CheckConfig(AppConfig):
    """Uploaded laws and drafts, their assessments, reviews, comparisons and overlaps."""

    name = "ungpkit.apps.check"
    label = "check"
    verbose_name = _("UNGP check")
    default_auto_field = "django.db.models.BigAutoField"
