"""The site's URLs plus two benchmark-only endpoints (never mounted by the real site):

- ``bench/bare-insert``: parse the JSON body and insert a minimal grievance row, with no
  validation, no encryption, no transition, no audit entry and no signals: the floor to
  compare with;
- ``bench/submit``: ``actions.submit_grievance`` behind a plain view, used only when the
  public ``POST /api/grievances`` endpoint is not there (or the site's URLs do not load).
"""

from __future__ import annotations

import json
import os
import secrets
from typing import Any

from django.db.models.signals import post_save
from django.http import HttpRequest, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from ungpkit.apps.remedy import actions
from ungpkit.apps.remedy.models import Grievance, Mechanism
from ungpkit.apps.remedy.signals import grievance_received
from ungpkit.web import views

WITHOUT_TRIAGE = "UNGPKIT_BENCH_WITHOUT_TRIAGE"

try:
    from ungpkit.web.urls import urlpatterns as site_urlpatterns
except ImportError as error:  # the site's URLs are being changed: the fallback still runs
    SITE_URLS_ERROR = f"{type(error).__name__}: {error}"
    site_urlpatterns = [path("health", views.health)]
else:
    SITE_URLS_ERROR = ""

_MECHANISM_IDS: dict[str, int] = {}

if os.environ.get(WITHOUT_TRIAGE):  # to measure what the triage record costs
    post_save.disconnect(sender=Grievance, dispatch_uid="triage.grievance_saved")
    grievance_received.disconnect(sender=Grievance, dispatch_uid="triage.received")


def _mechanism_id(slug: str) -> int:
    if slug not in _MECHANISM_IDS:
        _MECHANISM_IDS[slug] = Mechanism.objects.values_list("pk", flat=True).get(slug=slug)
    return _MECHANISM_IDS[slug]


@csrf_exempt
@require_POST
def bare_insert(request: HttpRequest) -> JsonResponse:
    """Insert the description as a grievance row, nothing more: one INSERT in autocommit.
    Saved ``raw`` (as fixtures are loaded), so receivers of ``post_save`` such as triage's
    skip it and the floor stays a floor whatever other apps attach to grievances."""
    body: dict[str, Any] = json.loads(request.body)
    grievance = Grievance(
        mechanism_id=_mechanism_id(body["mechanism"]),
        case_code="B-" + secrets.token_hex(8),
        passphrase_hash="-",
        description=body["description"],
    )
    grievance.save_base(raw=True, force_insert=True)
    return JsonResponse({"case_code": grievance.case_code, "passphrase": ""}, status=201)


@csrf_exempt
@require_POST
def submit(request: HttpRequest) -> JsonResponse:
    """The fallback intake endpoint: the same action the public API calls."""
    body: dict[str, Any] = json.loads(request.body)
    mechanism = Mechanism.objects.get(slug=body.pop("mechanism"))
    identity = body.pop("identity", None)
    _grievance, receipt, _created = actions.submit_grievance(mechanism, body, identity=identity)
    return JsonResponse(
        {"case_code": receipt.case_code, "passphrase": receipt.passphrase}, status=201
    )


urlpatterns = [
    path("bench/bare-insert", bare_insert),
    path("bench/submit", submit),
    *site_urlpatterns,
]
