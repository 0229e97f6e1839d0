"""The append-only audit log: ``record`` one entry, ``verify_audit_chain`` to check them all.

Every app's actions call ``record`` inside their transaction, so an entry exists exactly when
the change it describes was committed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone

from ungpkit.apps.accounts.models import GENESIS_HASH, AuditEntry, Organisation

# Keys that would put personal data or secrets into the log; details hold ids and codes.
FORBIDDEN_DETAIL_KEYS = frozenset(
    {"email", "phone", "address", "password", "token", "secret", "ip", "contact", "username"}
)
APPEND_ATTEMPTS = 5


def record(
    actor: Any,
    action: str,
    *,
    target: models.Model | None = None,
    organisation: Organisation | None = None,
    details: Mapping[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry: who (``actor``, a user or None for the system) did ``action``
    (a dotted code such as ``organisation.created``) to ``target``.

    Must run inside the caller's ``transaction.atomic`` block.
    """
    clean_details = _check_details(details or {})
    actor_id = actor.pk if actor is not None and actor.is_authenticated else None
    entry = AuditEntry(
        timestamp=timezone.now(),
        actor_id=actor_id,
        action=action,
        object_type=target._meta.label_lower if target is not None else "",
        object_id=str(target.pk) if target is not None else "",
        organisation_id=organisation.pk if organisation is not None else None,
        details=clean_details,
    )
    return _append(entry)


def _check_details(details: Mapping[str, Any]) -> dict[str, Any]:
    forbidden = sorted(FORBIDDEN_DETAIL_KEYS.intersection(key.lower() for key in details))
    if forbidden:
        raise ValueError(f"Audit details must not hold personal data or secrets: {forbidden}")
    return dict(details)


AUDIT_LOCK_KEY = 0x756E6770  # "ungp": one advisory lock for appending to the chain


def _append(entry: AuditEntry) -> AuditEntry:
    """Link ``entry`` to the newest one and insert it. ``previous_hash`` is unique, so two
    writers racing for the same place cannot fork the chain: the loser retries. On
    PostgreSQL appends also queue on a transaction-scoped advisory lock, so concurrent
    requests wait for each other instead of failing."""
    if connection.vendor == "postgresql" and connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [AUDIT_LOCK_KEY])
    for attempt in range(APPEND_ATTEMPTS):
        last = AuditEntry.objects.order_by("-id").values_list("entry_hash", flat=True).first()
        entry.previous_hash = last or GENESIS_HASH
        entry.entry_hash = entry.compute_hash()
        try:
            with transaction.atomic():
                entry.save(force_insert=True)
        except IntegrityError:
            if attempt == APPEND_ATTEMPTS - 1:
                raise
            entry.pk = None
            entry._state.adding = True
            continue
        return entry
    raise AssertionError("unreachable")


@dataclass(frozen=True)
class ChainReport:
    """The result of checking the audit chain; ``broken_at`` is the first bad entry's id."""

    ok: bool
    checked: int
    broken_at: int | None = None
    reason: str = ""


def verify_audit_chain() -> ChainReport:
    """Recompute every entry's hash and check each links to the one before it.

    Detects an entry changed, removed or inserted anywhere but at the very end; keep a copy
    of the newest ``entry_hash`` elsewhere to detect removal of the last entries too.
    """
    expected_previous = GENESIS_HASH
    checked = 0
    for entry in AuditEntry.objects.order_by("id").iterator(chunk_size=1000):
        if entry.previous_hash != expected_previous:
            return ChainReport(False, checked, entry.pk, "does not link to the entry before it")
        if entry.compute_hash() != entry.entry_hash:
            return ChainReport(False, checked, entry.pk, "content does not match its hash")
        expected_previous = entry.entry_hash
        checked += 1
    return ChainReport(True, checked)
