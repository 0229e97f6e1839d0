"""A complainant's rights over their own data, with nothing but their receipt: an export of
their case, and the erasure of their personal data.

Erasure removes the identity and contact details, the stored receipt, the attachments and
the messages the complainant wrote, and marks the case (``erased_at``); what the mechanism
did stays, so the case can still be counted and learned from. Both are audited, without
personal data in the log.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from ungpkit.apps.accounts import audit
from ungpkit.apps.remedy import actions, crypto, queries
from ungpkit.apps.remedy.models import Grievance


@dataclass(frozen=True)
class Erasure:
    """What an erasure removed."""

    identity: bool
    attachments: int
    messages: int


def export_own_case(case_code: str, passphrase: str) -> dict[str, Any]:
    """Everything the mechanism holds about the complainant's case that they may read."""
    grievance = actions.find_by_receipt(case_code, passphrase)
    fields = queries.case_fields(grievance)
    data = {
        "case_code": grievance.case_code,
        "mechanism": grievance.mechanism.name,
        "grievance": {k: _plain(v) for k, v in fields.items() if k != "mechanism"},
        "wants": list(grievance.wants),
        "identity": crypto.decrypt_json(grievance.identity_encrypted),
        "attachments": [
            {
                "filename": crypto.decrypt_bytes(a.filename_encrypted.encode()).decode(),
                "content_type": a.content_type,
                "size": a.size,
            }
            for a in grievance.attachments.all()
        ],
        "state": grievance.state,
        "steps": [
            {"state": t.to_state, "reason": t.reason, "when": t.created_at.isoformat()}
            for t in grievance.transitions.all()
        ],
        "messages": [
            {
                "from_complainant": m.from_complainant,
                "body": m.body,
                "when": m.created_at.isoformat(),
            }
            for m in grievance.messages.filter(internal=False)
        ],
        "outcome": _plain(queries.outcome(grievance)),
    }
    with transaction.atomic():
        audit.record(
            None,
            "remedy.complainant_export",
            target=grievance,
            organisation=grievance.mechanism.organisation,
        )
    return data


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


def erase_own_data(case_code: str, passphrase: str) -> Erasure:
    """Erase the complainant's identity, attachments and messages, and mark the case."""
    grievance = actions.find_by_receipt(case_code, passphrase)
    with transaction.atomic():
        locked = Grievance.objects.select_for_update().get(pk=grievance.pk)
        had_identity = bool(locked.identity_encrypted)
        had_consent = bool(locked.consent_record)
        attachments, _ = locked.attachments.all().delete()
        messages, _ = locked.messages.filter(from_complainant=True).delete()
        locked.identity_encrypted = ""
        locked.receipt_encrypted = ""
        locked.consent_record = ""  # it may name the person represented
        locked.anonymous = True
        locked.reveal_identity_to_members = False
        locked.contact_preference = "receipt"
        locked.erased_at = timezone.now()
        locked.save(
            update_fields=[
                "identity_encrypted",
                "receipt_encrypted",
                "consent_record",
                "anonymous",
                "reveal_identity_to_members",
                "contact_preference",
                "erased_at",
            ]
        )
        audit.record(
            None,
            "remedy.personal_data_erased",
            target=locked,
            organisation=locked.mechanism.organisation,
            details={
                "identity": had_identity,
                "consent_record": had_consent,
                "attachments": attachments,
                "messages": messages,
            },
        )
    return Erasure(had_identity, attachments, messages)
