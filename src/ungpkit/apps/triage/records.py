"""Triage records: the machine's suggestions stored for every grievance, the current labels,
and the priority they give it in the queue.

A record is made when a grievance is created (``signals.py``), or later for grievances that
arrived without one (bulk imports, or before this app existed) by ``triage_pending``. The
suggestion is kept unchanged; staff confirm or correct the labels (``actions.py``); the
priority is computed from the current labels and the grievance's age, so
``refresh_priorities`` recomputes it as cases grow older.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any, NamedTuple

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from ungpkit.apps.remedy import states
from ungpkit.apps.remedy.models import Grievance, Mechanism
from ungpkit.apps.triage.labels import DIMENSION_FIELDS
from ungpkit.apps.triage.models import AwaitingTriage, TriageRecord
from ungpkit.grievances.model import (
    SEVERITY_DIMENSIONS,
    GrievanceInput,
    Priority,
    Reason,
    Suggestion,
    Triage,
)
from ungpkit.web import rows

logger = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
"""``progress(done, total)``, called after each batch."""

CLOSED_STATES = frozenset({states.CLOSED, states.NOT_ADMISSIBLE})
"""A grievance is open (in the queue) unless it is in one of these states."""

STAFF_REASON = Reason("staff", "confirmed by staff")
"""The reason of a label staff chose that the machine did not suggest."""


class Subject(NamedTuple):
    """What triage reads of a grievance, read in bulk as a plain row: the workers triage
    thousands a minute, and building a model instance for each cost more than reading it."""

    id: int
    mechanism_id: int
    state: str
    created_at: datetime
    language: str
    description: str
    company_text: str
    affected_count: int | None
    ongoing: bool
    child_involved: bool
    fear_of_reprisal: bool
    wants: list[str] | None

    @property
    def pk(self) -> int:
        return self.id


def subjects(grievances: QuerySet[Grievance]) -> list[Subject]:
    """What triage reads of ``grievances``, as rows."""
    return [Subject(*row) for row in grievances.values_list(*Subject._fields)]


def is_open(state: str) -> bool:
    return state not in CLOSED_STATES


def grievance_input(grievance: Grievance | Subject) -> GrievanceInput:
    """What triage reads of a grievance: the description and the form's answers."""
    return GrievanceInput(
        description=grievance.description,
        language=grievance.language or None,
        affected_count=grievance.affected_count,
        ongoing=grievance.ongoing,
        child_involved=grievance.child_involved,
        fear_of_reprisal=grievance.fear_of_reprisal,
        wants=tuple(grievance.wants or ()),
        company_text=grievance.company_text,
    )


def age_days(created_at: datetime, now: datetime | None = None) -> float:
    """How long the grievance has waited, in days."""
    return max(0.0, ((now or timezone.now()) - created_at).total_seconds() / 86_400)


# The current labels -------------------------------------------------------------------------


def suggested_labels(suggestion: Triage) -> dict[str, Any]:
    """The labels a new record starts with: exactly what the machine suggests."""
    return {
        "language": suggestion.language[:8] or "und",
        "rights": [s.id for s in suggestion.rights],
        "harms": [s.id for s in suggestion.harms],
        "urgency": [s.id for s in suggestion.urgency],
        **{field: suggestion.level(dim) for dim, field in DIMENSION_FIELDS.items()},
    }


def _kept(suggested: tuple[Suggestion, ...], chosen: list[str]) -> tuple[Suggestion, ...]:
    """The chosen ids as suggestions: the machine's with its reasons where it made one."""
    by_id = {s.id: s for s in suggested}
    return tuple(by_id.get(i) or Suggestion(i, 1.0, (STAFF_REASON,)) for i in chosen)


def _severity(suggested: Triage, record: TriageRecord) -> tuple[Suggestion, ...]:
    found = []
    for dimension in SEVERITY_DIMENSIONS:
        level = int(getattr(record, DIMENSION_FIELDS[dimension]))
        machine = next((s for s in suggested.severity if s.id == dimension), None)
        if machine is not None and int(machine.score) == level:
            found.append(machine)
        else:
            found.append(Suggestion(dimension, float(level), (STAFF_REASON,)))
    return tuple(found)


def current_triage(record: TriageRecord) -> Triage:
    """The record's current labels as a ``Triage`` (the suggestion, with staff's choices in
    place of the machine's), which is what the priority is computed from."""
    suggested = Triage.from_dict(record.suggested)
    return replace(
        suggested,
        rights=_kept(suggested.rights, list(record.rights)),
        harms=_kept(suggested.harms, list(record.harms)),
        urgency=_kept(suggested.urgency, list(record.urgency)),
        severity=_severity(suggested, record),
    )


def compute_priority(record: TriageRecord, now: datetime | None = None) -> Priority:
    """The record's priority now, from its current labels."""
    from ungpkit.grievances.priority import priority

    return priority(current_triage(record), age_days=age_days(record.created_at, now))


def set_priority(record: TriageRecord, now: datetime | None = None) -> bool:
    """Recompute the record's priority; whether it changed."""
    found = compute_priority(record, now)
    reasons = [r.to_dict() for r in found.reasons]
    changed = (record.priority, record.priority_reasons) != (found.score, reasons)
    record.priority, record.priority_reasons = found.score, reasons
    return changed


# Making records -----------------------------------------------------------------------------


def record_values(
    grievance: Grievance | Subject, suggestion: Triage, now: datetime | None = None
) -> dict[str, Any]:
    """The columns of a new record for ``grievance`` holding ``suggestion`` and its
    priority. Its labels are the suggestion's own, so the priority is computed from the
    suggestion as it is (what ``compute_priority`` gives for the record)."""
    from ungpkit.grievances.priority import priority

    found = priority(suggestion, age_days=age_days(grievance.created_at, now))
    return {
        "grievance_id": grievance.pk,
        "mechanism_id": grievance.mechanism_id,
        "open": is_open(grievance.state),
        "created_at": grievance.created_at,
        "suggested": suggestion.to_dict(),
        "analyser_version": f"{suggestion.analyser} {suggestion.version}".strip()[:32],
        **suggested_labels(suggestion),
        "priority": found.score,
        "priority_reasons": [reason.to_dict() for reason in found.reasons],
    }


def new_record(
    grievance: Grievance | Subject, suggestion: Triage, now: datetime | None = None
) -> TriageRecord:
    """An unsaved record for ``grievance`` holding ``suggestion`` and its priority."""
    return TriageRecord(**record_values(grievance, suggestion, now))


def record_for_new(grievance: Grievance) -> TriageRecord:
    """The record of a new grievance (its id known), unsaved."""
    from ungpkit.grievances.triage import triage

    return new_record(grievance, triage(grievance_input(grievance)))


def triage_new(grievance: Grievance) -> TriageRecord:
    """Triage a grievance just stored and store its record (one INSERT)."""
    record = record_for_new(grievance)
    record.save(force_insert=True)
    return record


def triage_batch(grievances: Sequence[Grievance | Subject], now: datetime | None = None) -> int:
    """Triage grievances without a record (a bulk import's batch, those awaiting triage, or
    a batch of ``triage_pending``) and store their records in one INSERT; how many were
    triaged (one that got a record meanwhile keeps it)."""
    from ungpkit.grievances.triage import triage_many

    now = now or timezone.now()
    suggestions = triage_many([grievance_input(g) for g in grievances])
    values = [record_values(g, s, now) for g, s in zip(grievances, suggestions, strict=True)]
    rows.insert_values(TriageRecord, values, ignore_conflicts=True)
    return len(values)


def triage_grievance(grievance: Grievance, now: datetime | None = None) -> TriageRecord:
    """Triage one grievance and store its record. Triaging again replaces the suggestion;
    labels staff confirmed are kept, the others follow the new suggestion."""
    from ungpkit.grievances.triage import triage

    suggestion = triage(grievance_input(grievance))
    record = TriageRecord.objects.filter(grievance_id=grievance.pk).first()
    fresh = new_record(grievance, suggestion, now)
    if record is None:
        fresh.save(force_insert=True)
        return fresh
    record.suggested = fresh.suggested
    record.analyser_version = fresh.analyser_version
    record.open, record.created_at = fresh.open, fresh.created_at
    if record.confirmed_at is None:
        for field, value in suggested_labels(suggestion).items():
            setattr(record, field, value)
    set_priority(record, now)
    record.save()
    return record


def _batches(grievances: QuerySet[Grievance], batch: int) -> Iterator[list[Subject]]:
    """What triage reads of ``grievances``, in batches by primary key (no OFFSET, so each
    batch is an index seek)."""
    last = 0
    while True:
        chunk = subjects(grievances.filter(pk__gt=last).order_by("pk")[:batch])
        if not chunk:
            return
        yield chunk
        last = chunk[-1].pk


def in_background() -> bool:
    """Whether new grievances are triaged by the workers, in batches, rather than in the
    request that receives them: when work is queued for workers (``UNGPKIT_TASK_BACKEND``
    is ``database``). A surge of complaints then never waits for triage; the queue shows how
    many grievances the workers have still to triage."""
    from ungpkit.web.settings_parts import DATABASE_TASK_BACKEND

    return bool(settings.TASKS["default"]["BACKEND"] == DATABASE_TASK_BACKEND)


def triage_awaiting(batch: int = 500) -> int:
    """Triage the grievances awaiting triage (``AwaitingTriage``), ``batch`` per
    transaction, until none is left; how many records were stored. Workers may run this
    together: each takes rows the others have not locked. A grievance whose triage fails is
    logged and left without a record (``triage_grievances`` tries it again); one that got a
    record meanwhile keeps it, and is counted."""
    done = 0
    while True:
        with transaction.atomic():
            ids = _take_awaiting(batch)
            if not ids:
                return done
            done += _triage_each(subjects(Grievance.objects.filter(pk__in=ids)))
        if len(ids) < batch:
            return done


def _take_awaiting(batch: int) -> list[int]:
    waiting = AwaitingTriage.objects.select_for_update(skip_locked=True).order_by()
    ids = list(waiting.values_list("pk", flat=True)[:batch])
    if ids:
        AwaitingTriage.objects.filter(pk__in=ids)._raw_delete(AwaitingTriage.objects.db)
    return ids


def _triage_each(grievances: list[Subject]) -> int:
    """Records for ``grievances`` in one INSERT; if triage fails, one by one, skipping (and
    logging) those that fail. How many were stored."""
    try:
        with transaction.atomic():
            return triage_batch(grievances)
    except Exception:
        logger.exception("Triage failed for a batch of %d grievances.", len(grievances))
    stored = 0
    for grievance in grievances:
        try:
            with transaction.atomic():
                stored += triage_batch([grievance])
        except Exception:
            logger.exception("Triage failed for grievance %s; it stays pending.", grievance.pk)
    return stored


def awaiting_count(mechanisms: QuerySet[Mechanism] | None = None) -> int:
    """How many grievances (of ``mechanisms``, or all) the workers have still to triage."""
    waiting = AwaitingTriage.objects.all()
    if mechanisms is not None:
        waiting = waiting.filter(grievance__mechanism__in=mechanisms)
    return waiting.count()


def pending(mechanism: Mechanism | None = None) -> QuerySet[Grievance]:
    """Grievances without a triage record."""
    grievances = Grievance.objects.filter(triage__isnull=True)
    if mechanism is not None:
        grievances = grievances.filter(mechanism=mechanism)
    return grievances


def triage_pending(
    mechanism: Mechanism | None = None, batch: int = 1000, progress: Progress | None = None
) -> int:
    """Triage every grievance that has no record yet, ``batch`` at a time; how many."""

    grievances = pending(mechanism)
    total = grievances.count() if progress else 0
    done = 0
    now = timezone.now()
    for chunk in _batches(grievances, batch):
        triage_batch(chunk, now)
        done += len(chunk)
        if progress:
            progress(done, total)
    return done


def refresh_priorities(
    mechanism: Mechanism | None = None, batch: int = 1000, progress: Progress | None = None
) -> int:
    """Recompute the priority of every open record (it grows with age); how many changed."""
    records = TriageRecord.objects.filter(open=True)
    if mechanism is not None:
        records = records.filter(mechanism=mechanism)
    total = records.count() if progress else 0
    done = changed = 0
    now = timezone.now()
    last = 0
    while True:
        chunk = list(records.filter(pk__gt=last).order_by("pk")[:batch])
        if not chunk:
            break
        moved = [r for r in chunk if set_priority(r, now)]
        TriageRecord.objects.bulk_update(moved, ["priority", "priority_reasons"])
        changed += len(moved)
        done += len(chunk)
        last = chunk[-1].pk
        if progress:
            progress(done, total)
    return changed


def sync_open(grievance: Grievance) -> None:
    """Keep the record's ``open`` flag as the grievance's state says (one UPDATE, which
    touches nothing when it already agrees)."""
    still_open = is_open(grievance.state)
    TriageRecord.objects.filter(grievance_id=grievance.pk).exclude(open=still_open).update(
        open=still_open
    )
