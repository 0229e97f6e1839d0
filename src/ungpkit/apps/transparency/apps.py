from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TransparencyConfig(AppConfig):
    """What a mechanism publishes and learns: statistics, recurring issues, GP31 review."""

    name = "ungpkit.apps.transparency"
    label = "transparency"
    verbose_name = _("Transparency and learning")
    default_auto_field = "django.db.models.BigAutoField"
