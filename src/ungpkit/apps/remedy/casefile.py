"""The case file a State-based body receives when a case is escalated: JSON and PDF.

Only the mechanism's secretariat exports it. The complainant's identity is in it only when
they agreed that it goes to that body; the escalation's consent text records that agreement
(``IDENTITY_CONSENT_NOTE``), and reading the identity for the file is audited like any other
read. The PDF is made offline: WeasyPrint may fetch nothing but inline ``data:`` URLs.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from ungpkit.apps.accounts import audit
from ungpkit.apps.accounts.errors import NotFound
from ungpkit.apps.remedy import access, actions, queries
from ungpkit.apps.remedy.models import Escalation

IDENTITY_CONSENT_NOTE = "[The complainant agreed that their identity is shared with this body.]"
"""Appended to an escalation's consent text when the identity may go with the case file."""

FORMATS = ("json", "pdf")


@dataclass(frozen=True)
class CaseFile:
    content: bytes
    content_type: str
    filename: str


def consent_text(consent: str, *, identity: bool) -> str:
    """The consent text to store, with the identity note when the complainant agreed."""
    consent = consent.strip()
    return f"{consent}\n{IDENTITY_CONSENT_NOTE}" if identity and consent else consent


def identity_consented(escalation: Escalation) -> bool:
    return IDENTITY_CONSENT_NOTE in escalation.consent


def _escalation(actor: Any, grievance_id: int, escalation_id: int) -> Escalation:
    grievance = access.access_grievance(actor, grievance_id)
    if not access.is_secretariat(actor, grievance):
        raise PermissionDenied(_("Only the mechanism's secretariat may export the case file."))
    escalation = grievance.escalations.select_related("actor").filter(pk=escalation_id).first()
    if escalation is None:
        raise NotFound("No such escalation.")
    return escalation


def build(actor: Any, grievance_id: int, escalation_id: int) -> dict[str, Any]:
    """The case file as data (identity included only with the complainant's consent)."""
    escalation = _escalation(actor, grievance_id, escalation_id)
    grievance = escalation.grievance
    identity: dict[str, str] | None = None
    if identity_consented(escalation) and grievance.identity_encrypted:
        identity = actions.reveal_identity(actor, grievance.pk)
    fields = queries.case_fields(grievance)
    return {
        "case_code": grievance.case_code,
        "mechanism": grievance.mechanism.name,
        "exported_at": timezone.now().isoformat(),
        "escalation": {
            "body_type": escalation.body_type,
            "body_name": escalation.body_name,
            "consent": escalation.consent,
            "recorded_at": escalation.created_at.isoformat(),
        },
        "grievance": {k: _plain(v) for k, v in fields.items()},
        "identity": identity,
        "state": grievance.state,
        "parties": [p["name"] for p in queries.parties(grievance)],
        "timeline": [
            {
                "from": t["from_state"],
                "to": t["to_state"],
                "by_complainant": t["by_complainant"],
                "reason": t["reason"],
                "when": t["when"].isoformat(),
            }
            for t in queries.timeline(grievance)
        ],
        "messages": [
            {
                "from_complainant": m["from_complainant"],
                "body": m["body"],
                "when": m["when"].isoformat(),
            }
            for m in queries.messages(grievance)
            if not m["internal"]
        ],
        "outcome": _plain(queries.outcome(grievance)),
    }


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if k != "labels"}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def export(actor: Any, grievance_id: int, escalation_id: int, fmt: str) -> CaseFile:
    """The case file in ``fmt`` (json or pdf); the export itself is audited."""
    if fmt not in FORMATS:
        raise NotFound(_("There is no such download."))
    data = build(actor, grievance_id, escalation_id)
    escalation = Escalation.objects.select_related("grievance__mechanism").get(pk=escalation_id)
    with transaction.atomic():
        audit.record(
            actor,
            "remedy.casefile_exported",
            target=escalation.grievance,
            organisation=escalation.grievance.mechanism.organisation,
            details={
                "format": fmt,
                "escalation": escalation.pk,
                "identity": bool(data["identity"]),
            },
        )
    name = f"case-file-{data['case_code']}"
    if fmt == "json":
        content = json.dumps(data, ensure_ascii=False, indent=2).encode()
        return CaseFile(content, "application/json", f"{name}.json")
    return CaseFile(_pdf(data), "application/pdf", f"{name}.pdf")


def _pdf(data: dict[str, Any]) -> bytes:
    from weasyprint import HTML

    from ungpkit.apps.check.exports import offline_url_fetcher

    html = render_to_string(
        "remedy/staff/casefile_pdf.html",
        {
            "file": data,
            "state_label": queries.state_label(data["state"]),
            "timeline": [{**t, "to_label": queries.state_label(t["to"])} for t in data["timeline"]],
        },
    )
    pdf = HTML(string=html, url_fetcher=offline_url_fetcher()).write_pdf()
    assert pdf is not None
    return bytes(pdf)
