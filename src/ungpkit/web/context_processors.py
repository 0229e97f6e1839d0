"""Values every page template may use."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, str]:
    """The ungpkit version, shown in the footer."""
    return {"ungpkit_version": settings.UNGPKIT_VERSION}
