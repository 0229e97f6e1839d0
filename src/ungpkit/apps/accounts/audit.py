"""The append-only audit log: ``record`` one entry, ``seal_audit_log`` to link the new ones into
the hash chain, ``verify_audit_chain`` to check them all.

Every app's actions call ``record`` inside their transaction, so an entry exists exactly when
the change it describes was committed. Recording is one INSERT with the entry's content hash
and takes no lock, so concurrent requests never wait for each other here; the sealer (the
``seal_audit_log`` command, run periodically and by ``verify_audit_log``) adds the chain
afterwards, one batch at a time. See docs/decisions/0003-audit-log-sealing.md.
"""

from __future__ import annotations

import contextvars
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from ungpkit.apps.accounts.models import (
    CONTENT_FIELDS,
    GENESIS_HASH,
    AuditEntry,
    ChainLink,
    Organisation,
    content_of,
    hash_in_chain,
    hash_of_content,
)

# Keys that would put personal data or secrets into the log; details hold ids and codes.
FORBIDDEN_DETAIL_KEYS = frozenset(
    {"email", "phone", "address", "password", "token", "secret", "ip", "contact", "username"}
)
SEAL_BATCH = 1000


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

    Must run inside the caller's ``transaction.atomic`` block. The entry is stored with its
    content hash and joins the chain when the log is next sealed.
    """
    entry = new_entry(actor, action, target=target, organisation=organisation, details=details)
    entry.save(force_insert=True)
    return entry


_written = contextvars.ContextVar("ungpkit_audit_written", default=False)
logger = logging.getLogger(__name__)


def seal_if_written() -> None:
    """Seal the log if this request (or command) wrote an entry: for deployments without a
    worker (``UNGPKIT_TASK_BACKEND=immediate``), where no sealer runs every few seconds.
    Never raises: a request is not failed by its seal (the next one, or
    ``verify_audit_log``, seals what is left)."""
    if not _written.get():
        return
    _written.set(False)
    try:
        seal_audit_log()
    except Exception:
        logger.exception("Could not seal the audit log after a request; it stays unsealed.")


def new_entry(
    actor: Any,
    action: str,
    *,
    target: models.Model | None = None,
    organisation: Organisation | None = None,
    details: Mapping[str, Any] | None = None,
) -> AuditEntry:
    """The entry :func:`record` stores, unsaved, with its content hash: for a caller that
    stores it in the same statement as the change it describes (``target`` must have its
    id already)."""
    _written.set(True)
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
    entry.content_hash = entry.compute_content_hash()
    return entry


def _check_details(details: Mapping[str, Any]) -> dict[str, Any]:
    forbidden = sorted(FORBIDDEN_DETAIL_KEYS.intersection(key.lower() for key in details))
    if forbidden:
        raise ValueError(f"Audit details must not hold personal data or secrets: {forbidden}")
    return dict(details)


SEAL_LOCK_KEY = 0x756E6770  # "ungp": one advisory lock, taken by sealers only


# Sealing ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SealReport:
    """What one run of the sealer did; ``stopped_at`` is an entry it refused to seal."""

    sealed: int
    stopped_at: int | None = None
    reason: str = ""


def seal_audit_log(batch_size: int = SEAL_BATCH, limit: int | None = None) -> SealReport:
    """Link the entries not in the chain yet into it, lowest id first, ``batch_size`` per
    transaction, until none is left (or ``limit`` were sealed).

    Sealers wait for each other (an advisory lock on PostgreSQL; SQLite has one writer at a
    time); requests never take that lock. An entry whose content no longer matches its
    content hash is not sealed: sealing stops before it and the report names it.
    """
    sealed = 0
    while limit is None or sealed < limit:
        size = batch_size if limit is None else min(batch_size, limit - sealed)
        with transaction.atomic():
            _take_seal_lock()
            count, refused = _seal_batch(size)
        sealed += count
        if refused is not None:
            return SealReport(sealed, refused, "content does not match its hash")
        if count < size:
            break
    return SealReport(sealed)


def _take_seal_lock() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SEAL_LOCK_KEY])


def _seal_batch(size: int) -> tuple[int, int | None]:
    """Seal up to ``size`` entries after the chain's last one; return how many, and the id
    of an entry refused for a content that does not match its hash."""
    last = (
        AuditEntry.objects.exclude(chain_position=None)
        .order_by("-chain_position")
        .values_list("chain_position", "entry_hash")
        .first()
    )
    position, previous = last if last is not None else (0, GENESIS_HASH)
    links, refused = [], None
    unsealed = AuditEntry.objects.unsealed().order_by("id")
    for pk, stored_hash, *fields in unsealed.values_list("id", "content_hash", *CONTENT_FIELDS)[
        :size
    ]:
        content = content_of(*fields)
        if hash_of_content(content) != stored_hash:
            refused = pk
            break
        position += 1
        entry_hash = hash_in_chain(content, previous)
        links.append(ChainLink(pk, position, previous, entry_hash))
        previous = entry_hash
    if links and AuditEntry.objects.link_into_chain(links) != len(links):
        raise RuntimeError("Another sealer linked some of these entries; nothing was sealed.")
    return len(links), refused


# Verifying -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChainReport:
    """The result of checking the audit log; ``broken_at`` is the first bad entry's id.

    ``checked`` counts the intact entries before it: the chain's, then those not sealed yet
    (``unsealed`` of them, checked by their content hash alone).
    """

    ok: bool
    checked: int
    broken_at: int | None = None
    reason: str = ""
    unsealed: int = 0


def verify_audit_chain() -> ChainReport:
    """Check every entry: each one in the chain, in chain order, against its content hash,
    its place and the entry before it; then each one not sealed yet against its content hash.

    Detects an entry changed anywhere, and an entry of the chain removed, moved or inserted
    anywhere but at the very end; keep a copy of the newest ``entry_hash`` elsewhere to
    detect removal of the last entries too. An entry removed before it was sealed leaves no
    trace: seal often to keep that window short.
    """
    expected_position, expected_previous, checked = 1, GENESIS_HASH, 0
    sealed = AuditEntry.objects.exclude(chain_position=None).order_by("chain_position")
    for entry in sealed.iterator(chunk_size=2000):
        problem = _chain_problem(entry, expected_position, expected_previous)
        if problem:
            return ChainReport(False, checked, entry.pk, problem)
        expected_position, expected_previous = expected_position + 1, entry.entry_hash
        checked += 1
    unsealed = 0
    for entry in AuditEntry.objects.unsealed().order_by("id").iterator(chunk_size=2000):
        if entry.compute_content_hash() != entry.content_hash:
            return ChainReport(False, checked, entry.pk, _CHANGED, unsealed)
        checked, unsealed = checked + 1, unsealed + 1
    return ChainReport(True, checked, unsealed=unsealed)


_CHANGED = "content does not match its hash"


def _chain_problem(entry: AuditEntry, position: int, previous: str) -> str:
    if entry.chain_position != position:
        return "the entry before it in the chain is missing"
    if entry.previous_hash != previous:
        return "does not link to the entry before it"
    if entry.compute_content_hash() != entry.content_hash:
        return _CHANGED
    if entry.compute_hash(previous) != entry.entry_hash:
        return "content does not match its hash in the chain"
    return ""
