"""Pages of the web shell: the home page and the health check."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Tool:
    """One of the five tools, as the home page presents it."""

    slug: str
    name: Promise
    audience: Promise
    summary: Promise


TOOLS = (
    Tool(
        "check",
        _("UNGP check"),
        _("For people who write laws and policies."),
        _(
            "Upload a law, a draft or a policy. ungpkit reads it against the UN Guiding "
            "Principles and shows, for each element, what the text already covers, what is "
            "missing, and the exact words that support each answer."
        ),
    ),
    Tool(
        "diligence",
        _("Due diligence workspace"),
        _("For companies that build or sell technology."),
        _(
            "Map the human rights risks of your products and business model, decide what to "
            "do about the most severe ones, track whether it works, and prepare the report "
            "you publish."
        ),
    ),
    Tool(
        "registry",
        _("Public registry"),
        _("For regulators, experts and the public."),
        _(
            "Companies file their human rights reports in one place. Experts review them, "
            "anyone can read them and give feedback, and regulators record what they do next."
        ),
    ),
    Tool(
        "remedy",
        _("Grievance mechanism"),
        _("For people who have been harmed, and the staff who help them."),
        _(
            "Anyone can raise a concern safely and follow what happens to it. Staff sort the "
            "cases, send them to the right organisation and keep to deadlines. Personal "
            "details stay protected."
        ),
    ),
    Tool(
        "consult",
        _("Consultations"),
        _("For people who organise consultations."),
        _(
            "Plan sessions with affected people and groups, collect their written input on "
            "guiding questions, and publish a summary of what you heard."
        ),
    ),
)


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """Explain in plain language what ungpkit is and what its five tools do."""
    return render(request, "ungpkit/home.html", {"tools": TOOLS})


@never_cache
@require_safe
def health(request: HttpRequest) -> JsonResponse:
    """Report whether the site can reach its database, for load balancers and monitors."""
    body = {"status": "ok", "database": "ok", "version": settings.UNGPKIT_VERSION}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        # The error type is enough to investigate; its text may hold connection details.
        logger.error("Health check failed: database unreachable (%s)", type(error).__name__)
        body.update(status="error", database="error")
        return JsonResponse(body, status=503)
    return JsonResponse(body)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form refused because its security token is missing or stale (the page was open
    through a sign-out and sign-in, or cookies are blocked): say what to do, in words."""
    response = render(request, "403_csrf.html", status=403)
    response["Cache-Control"] = "no-store"
    return response
