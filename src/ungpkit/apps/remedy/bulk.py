"""Bulk import of complaints a partner organisation gathered (CSV, JSON lines or a JSON array).

Every row goes through the same validation as ``actions.submit_grievance``; rows are stored
in batches (one transaction each) with their identity encrypted and their first transition.
Each row has an idempotency key, ``bulk:{sha256 of the file}:{row number}`` or the row's own
``external_id``, so running the same file again resumes it: rows already stored are found with
their receipts (kept encrypted for partner submissions) and nothing is stored twice.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from ungpkit.apps.accounts import audit
from ungpkit.apps.accounts.access import is_platform_admin, user_roles
from ungpkit.apps.accounts.models import Organisation
from ungpkit.apps.remedy import crypto, receipts, signals, states
from ungpkit.apps.remedy.actions import Receipt, check_parties, clean_submission
from ungpkit.apps.remedy.models import BulkImport, Channel, Grievance, Mechanism, Transition

BATCH_SIZE = 500
IDENTITY_FIELDS = {"name": 200, "email": 254, "phone": 50, "address": 500}
"""Identity columns and their longest value (as the public API allows)."""
FLAG_FIELDS = (
    "ongoing",
    "child_involved",
    "fear_of_reprisal",
    "on_behalf",
    "reveal_identity_to_members",
    "anonymous",
)
TRUE_WORDS = frozenset({"1", "true", "yes", "y", "oui", "sí", "si", "x"})
FALSE_WORDS = frozenset({"", "0", "false", "no", "n", "non"})
MAX_EXTERNAL_ID = 128


@dataclass(frozen=True)
class Row:
    """One complaint of a file: its number (1 for the first record), key and fields."""

    number: int
    key: str
    data: dict[str, Any]
    identity: dict[str, str]
    problems: dict[str, str] = field(default_factory=dict)
    """Errors found while reading the record (reported with the rest of validation)."""


@dataclass(frozen=True)
class RowResult:
    """What became of one row: its receipt, or the reason it was refused (no personal data)."""

    number: int
    receipt: Receipt | None = None
    created: bool = False
    error: str = ""


@dataclass
class ImportReport:
    """The outcome of one run over a file."""

    bulk_import: BulkImport
    created: int = 0
    existing: int = 0
    failed: list[dict[str, Any]] = field(default_factory=list)


# Reading files -----------------------------------------------------------------------------


def file_sha256(path: Path) -> str:
    """The SHA-256 of the file's bytes: the same file always gets the same row keys."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def read_records(path: Path) -> Iterator[dict[str, Any]]:
    """The records of a CSV file (with a header row), a JSON array or JSON lines."""
    if path.suffix.lower() == ".csv":
        yield from _csv_records(path)
        return
    with path.open(encoding="utf-8-sig") as handle:
        start = handle.read(1024).lstrip()[:1]
    if start == "[":
        with path.open(encoding="utf-8-sig") as handle:
            records = json.load(handle)
        yield from (r if isinstance(r, dict) else {"__invalid__": True} for r in records)
        return
    with path.open(encoding="utf-8-sig") as handle:
        for line in handle:
            if line.strip():
                yield _json_line(line)


def _csv_records(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for record in csv.DictReader(handle):
            yield {(k or "").strip(): v for k, v in record.items() if k is not None}


def _json_line(line: str) -> dict[str, Any]:
    try:
        record = json.loads(line)
    except json.JSONDecodeError:
        return {"__invalid__": True}
    return record if isinstance(record, dict) else {"__invalid__": True}


def rows_of(path: Path, sha256: str) -> Iterator[Row | RowResult]:
    """Each record as a ``Row`` ready to submit, or a ``RowResult`` saying why it cannot be."""
    for number, record in enumerate(read_records(path), start=1):
        try:
            yield to_row(number, record, sha256)
        except ValidationError as error:
            yield RowResult(number, error=describe(error))


def to_row(number: int, record: dict[str, Any], sha256: str) -> Row:
    """Turn one record (strings from CSV, or JSON values) into submission data and identity."""
    if record.get("__invalid__"):
        raise ValidationError(_("This record is not an object with the intake fields."))
    data = {k: v for k, v in record.items() if k not in IDENTITY_FIELDS and k != "external_id"}
    errors: dict[str, str] = {}
    for name in FLAG_FIELDS:
        if name in data:
            try:
                data[name] = _flag(data[name])
            except ValueError:
                errors[name] = _("Write yes or no.")
    wants = data.get("wants")
    if isinstance(wants, str):
        data["wants"] = [w.strip() for w in wants.split(";") if w.strip()]
    elif wants is not None and not isinstance(wants, list):
        data["wants"], errors["wants"] = [], _("Choose from the listed remedies.")
    if isinstance(data.get("language"), str):
        data["language"] = data["language"].strip().lower()
    identity = {k: str(record[k]).strip() for k in IDENTITY_FIELDS if record.get(k)}
    for name, value in identity.items():
        if len(value) > IDENTITY_FIELDS[name]:
            errors[name] = _("This is too long (at most %(n)s characters).") % {
                "n": IDENTITY_FIELDS[name]
            }
    if data.get("anonymous") is None:
        data["anonymous"] = not identity
    external_id = str(record.get("external_id") or "").strip()
    if len(external_id) > MAX_EXTERNAL_ID:
        errors["external_id"] = _("This is too long (at most %(n)s characters).") % {
            "n": MAX_EXTERNAL_ID
        }
    key = external_id or f"bulk:{sha256}:{number}"
    return Row(number, key, data, identity, errors)


def _flag(value: Any) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word == "":
        return None
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError(word)


def describe(error: ValidationError) -> str:
    """A validation error as one line: ``field: message; ...`` (messages hold no input)."""
    if hasattr(error, "error_dict"):
        return "; ".join(f"{name}: {' '.join(msgs)}" for name, msgs in error.message_dict.items())
    return " ".join(error.messages)


# Storing a batch ---------------------------------------------------------------------------


def check_row(row: Row) -> dict[str, Any]:
    """The cleaned fields of ``row``, by the rules of ``actions.submit_grievance``."""
    try:
        fields = clean_submission(row.data)
    except ValidationError as error:
        raise ValidationError({**row.problems, **error.message_dict}) from None
    if row.problems:
        raise ValidationError(row.problems)
    check_parties(fields, row.identity)
    return fields


def submit_many(
    mechanism: Mechanism,
    rows: list[Row],
    *,
    source: Organisation,
    channel: str = Channel.BULK,
    on_commit: Callable[[list[RowResult]], None] | None = None,
) -> list[RowResult]:
    """Store ``rows`` in one transaction, as ``submit_grievance`` would one by one.

    Rows whose key the source already used get their stored receipt back; invalid rows are
    reported, not stored. ``on_commit`` runs inside the transaction (to record progress
    atomically with the rows).
    """
    for _attempt in range(3):
        try:
            with transaction.atomic():
                results = _store_batch(mechanism, rows, source, channel)
                if on_commit is not None:
                    on_commit(results)
            return results
        except IntegrityError:
            continue  # a concurrent run stored some keys, or a case code collided: redo
    raise RuntimeError("Could not store this batch of grievances.")


def _store_batch(
    mechanism: Mechanism, rows: list[Row], source: Organisation, channel: str
) -> list[RowResult]:
    stored = _stored_receipts(source, [row.key for row in rows])
    results: dict[int, RowResult] = {}
    fresh: dict[str, tuple[Grievance, Receipt]] = {}
    first_row: dict[str, int] = {}
    for row in rows:
        if row.key in stored or row.key in first_row:
            receipt = stored.get(row.key) or fresh[row.key][1]
            results[row.number] = RowResult(row.number, receipt)
            continue
        try:
            fields = check_row(row)
        except ValidationError as error:
            results[row.number] = RowResult(row.number, error=describe(error))
            continue
        first_row[row.key] = row.number
        fresh[row.key] = _new_grievance(mechanism, fields, row, source, channel)
        results[row.number] = RowResult(row.number, fresh[row.key][1], created=True)
    _insert(mechanism, [grievance for grievance, _receipt in fresh.values()], channel)
    return [results[row.number] for row in rows]


def _stored_receipts(source: Organisation, keys: list[str]) -> dict[str, Receipt]:
    found = Grievance.objects.filter(source=source, idempotency_key__in=keys).values_list(
        "idempotency_key", "case_code", "receipt_encrypted"
    )
    receipts_by_key = {}
    for key, code, token in found:
        data = crypto.decrypt_json(token)
        receipts_by_key[key] = Receipt(data.get("code", code), data.get("passphrase", ""))
    return receipts_by_key


def _new_grievance(
    mechanism: Mechanism, fields: dict[str, Any], row: Row, source: Organisation, channel: str
) -> tuple[Grievance, Receipt]:
    now = timezone.now()
    code, passphrase = receipts.new_case_code(), receipts.new_passphrase()
    days = mechanism.deadline_for(states.RECEIVED)
    grievance = Grievance(
        mechanism=mechanism,
        case_code=code,
        passphrase_hash=receipts.hash_passphrase(passphrase),
        channel=channel,
        source=source,
        idempotency_key=row.key,
        identity_encrypted=crypto.encrypt_json(row.identity) if row.identity else "",
        receipt_encrypted=crypto.encrypt_json({"code": code, "passphrase": passphrase}),
        state=states.RECEIVED,
        state_changed_at=now,
        created_at=now,
        due_at=now + timezone.timedelta(days=days) if days else None,
        **fields,
    )
    return grievance, Receipt(code, passphrase)


def _insert(mechanism: Mechanism, grievances: list[Grievance], channel: str) -> None:
    if not grievances:
        return
    Grievance.objects.bulk_create(grievances)
    signals.grievances_stored_in_bulk.send(sender=Grievance, grievances=grievances)
    Transition.objects.bulk_create(
        Transition(
            grievance=g,
            from_state="",
            to_state=states.RECEIVED,
            created_at=g.created_at,
            by_complainant=True,
        )
        for g in grievances
    )
    audit.record(
        None,
        "remedy.grievances_imported",
        organisation=mechanism.organisation,
        details={
            "channel": channel,
            "count": len(grievances),
            "grievance_ids": [g.pk for g in grievances],
        },
    )


# Importing a file --------------------------------------------------------------------------


def can_import(actor: Any, source: Organisation) -> bool:
    """The command line (no actor), a platform administrator, or someone of the partner."""
    return actor is None or is_platform_admin(actor) or bool(user_roles(actor, source))


def import_file(
    mechanism: Mechanism,
    path: Path,
    *,
    source: Organisation,
    actor: Any = None,
    receipts_out: Path | None = None,
    batch_size: int = BATCH_SIZE,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Import (or resume importing) the complaints in ``path`` for ``source``.

    Writes a receipts CSV (row, case code, passphrase) for every stored row to
    ``receipts_out`` when given; ``progress`` gets (rows handled, rows in the file) after
    each batch.
    """
    if not can_import(actor, source):
        raise PermissionDenied(_("Only people of the partner organisation may import for it."))
    sha256 = file_sha256(path)
    total = sum(1 for _record in read_records(path))
    bulk_import = _start(mechanism, source, path, sha256, total, actor)
    report, handled = ImportReport(bulk_import), 0
    with _receipt_writer(receipts_out) as write:
        for batch in _batches(rows_of(path, sha256), batch_size):
            results = _run_batch(mechanism, source, bulk_import, batch)
            for result in results:
                _tally(report, result)
                if result.receipt is not None:
                    write(result)
            handled += len(results)
            if progress is not None:
                progress(handled, total)
    _finish(bulk_import, actor)
    return report


def _start(
    mechanism: Mechanism, source: Organisation, path: Path, sha256: str, total: int, actor: Any
) -> BulkImport:
    with transaction.atomic():
        bulk_import, _new = BulkImport.objects.select_for_update().get_or_create(
            mechanism=mechanism, source=source, file_sha256=sha256
        )
        bulk_import.filename = path.name[:255]
        bulk_import.total, bulk_import.done, bulk_import.failed = total, 0, []
        bulk_import.state = BulkImport.State.RUNNING
        bulk_import.runs += 1
        bulk_import.updated_at = timezone.now()
        bulk_import.finished_at = None
        bulk_import.save()
        audit.record(
            actor,
            "remedy.import_started",
            target=bulk_import,
            organisation=mechanism.organisation,
            details={"rows": total, "run": bulk_import.runs, "source_id": source.pk},
        )
    return bulk_import


def _run_batch(
    mechanism: Mechanism,
    source: Organisation,
    bulk_import: BulkImport,
    batch: list[Row | RowResult],
) -> list[RowResult]:
    refused = [item for item in batch if isinstance(item, RowResult)]
    rows = [item for item in batch if isinstance(item, Row)]

    def record_progress(results: list[RowResult]) -> None:
        failures = [
            {"row": r.number, "message": r.error} for r in sorted(refused + results, key=_number)
        ]
        failures = [f for f in failures if f["message"]]
        BulkImport.objects.filter(pk=bulk_import.pk).update(
            done=F("done") + len(batch),
            created=F("created") + sum(r.created for r in results),
            updated_at=timezone.now(),
        )
        if failures:
            bulk_import.refresh_from_db(fields=["failed"])
            BulkImport.objects.filter(pk=bulk_import.pk).update(
                failed=bulk_import.failed + failures
            )

    results = submit_many(mechanism, rows, source=source, on_commit=record_progress)
    return sorted(refused + results, key=_number)


def _number(result: RowResult) -> int:
    return result.number


def _tally(report: ImportReport, result: RowResult) -> None:
    if result.error:
        report.failed.append({"row": result.number, "message": result.error})
    elif result.created:
        report.created += 1
    else:
        report.existing += 1


def _finish(bulk_import: BulkImport, actor: Any) -> None:
    with transaction.atomic():
        bulk_import.refresh_from_db()
        bulk_import.state = BulkImport.State.DONE
        bulk_import.finished_at = bulk_import.updated_at = timezone.now()
        bulk_import.save(update_fields=["state", "finished_at", "updated_at"])
        audit.record(
            actor,
            "remedy.import_finished",
            target=bulk_import,
            organisation=bulk_import.mechanism.organisation,
            details={"done": bulk_import.done, "failed": len(bulk_import.failed)},
        )


def _batches(items: Iterable[Row | RowResult], size: int) -> Iterator[list[Row | RowResult]]:
    batch: list[Row | RowResult] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


@contextmanager
def _receipt_writer(path: Path | None) -> Iterator[Callable[[RowResult], None]]:
    """Write receipts to ``path`` through a private temporary file, renamed when the run
    ends, so a crash never leaves a partial list behind (the next run writes them all)."""
    if path is None:
        yield lambda _result: None
        return
    partial = path.with_name(path.name + ".partial")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(("row", "case_code", "passphrase"))

        def write(result: RowResult) -> None:
            assert result.receipt is not None
            writer.writerow((result.number, result.receipt.case_code, result.receipt.passphrase))

        try:
            yield write
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    os.replace(partial, path)
