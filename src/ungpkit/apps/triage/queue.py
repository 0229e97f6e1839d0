"""The priority queue: open cases the user may see, highest priority first, then oldest.

It reads only ``TriageRecord`` (which copies the mechanism, ``open`` and ``created_at`` from
the grievance), in the order of the ``triage_queue`` index, a page at a time. Pages follow
each other by position (keyset pagination: "after this record"), never by OFFSET and never
with a total count, so the queue stays fast with millions of cases.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from ungpkit.apps.remedy.models import CaseParty
from ungpkit.apps.remedy.queries import state_label
from ungpkit.apps.triage import labels
from ungpkit.apps.triage.access import Reach
from ungpkit.apps.triage.models import TriageRecord
from ungpkit.apps.triage.reasons import in_words
from ungpkit.apps.triage.records import age_days

PAGE_SIZE = 50
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
ROW_FIELDS = (
    "grievance_id",
    "mechanism_id",
    "created_at",
    "rights",
    "harms",
    "urgency",
    "scale",
    "scope",
    "irremediability",
    "priority",
    "priority_reasons",
    "confirmed_at",
    "grievance__case_code",
    "grievance__state",
    "grievance__company_text",
    "mechanism__name",
)
"""What a row of the queue shows (the suggestion JSON and the description are not read)."""


@dataclass(frozen=True)
class QueueFilter:
    """What the queue shows: one mechanism, cases with an urgency flag, a right, a harm type,
    or routed to one member (all optional)."""

    mechanism: int | None = None
    urgency: str = ""
    right: str = ""
    harm: str = ""
    member: int | None = None

    @property
    def narrowed(self) -> bool:
        return bool(self.urgency or self.right or self.harm or self.member)


@dataclass(frozen=True)
class Position:
    """A place in the queue's order: pages start after one."""

    priority: int
    created_at: datetime
    grievance_id: int

    @classmethod
    def of(cls, record: TriageRecord) -> Position:
        return cls(record.priority, record.created_at, record.grievance_id)

    @property
    def token(self) -> str:
        micros = (self.created_at - EPOCH) // timedelta(microseconds=1)
        return f"{self.priority}_{micros}_{self.grievance_id}"

    @classmethod
    def parse(cls, token: str | None) -> Position | None:
        """The position a ``token`` names, or None when it is missing or malformed."""
        try:
            priority, micros, grievance = (int(part) for part in (token or "").split("_"))
            return cls(priority, EPOCH + timedelta(microseconds=micros), grievance)
        except (ValueError, OverflowError):
            return None

    def after(self) -> Q:
        """Records that come after this position."""
        same = Q(priority=self.priority)
        return (
            Q(priority__lt=self.priority)
            | (same & Q(created_at__gt=self.created_at))
            | (same & Q(created_at=self.created_at, grievance_id__gt=self.grievance_id))
        )


@dataclass(frozen=True)
class QueuePage:
    rows: list[dict[str, Any]]
    next: Position | None


def _has(ids: str) -> str:
    """A filter value for a JSON list of ids: the quoted id (matched as text on SQLite and
    PostgreSQL alike)."""
    return f'"{ids}"'


def records(scope: Reach, chosen: QueueFilter) -> QuerySet[TriageRecord]:
    """Open records in reach, filtered, in queue order."""
    if not scope.anything:
        return TriageRecord.objects.none()
    found = TriageRecord.objects.filter(open=True)
    if chosen.mechanism is not None:
        found = found.filter(mechanism_id=chosen.mechanism)
    found = found.filter(scope.cases("mechanism_id", "grievance_id"))
    if chosen.urgency:
        found = found.filter(urgency__icontains=_has(chosen.urgency))
    if chosen.right:
        found = found.filter(rights__icontains=_has(chosen.right))
    if chosen.harm:
        found = found.filter(harms__icontains=_has(chosen.harm))
    if chosen.member:
        routed = CaseParty.objects.filter(
            grievance_id=OuterRef("grievance_id"), member=chosen.member
        )
        found = found.filter(Exists(routed))
    return found.order_by("-priority", "created_at", "grievance_id")


def page(
    scope: Reach, chosen: QueueFilter, after: Position | None = None, size: int = PAGE_SIZE
) -> QueuePage:
    """One page of the queue, and where the next one starts (None on the last page)."""
    found = records(scope, chosen)
    if after is not None:
        found = found.filter(after.after())
    fetched = list(
        found.select_related("grievance", "mechanism")
        .only(*ROW_FIELDS)
        .prefetch_related("grievance__parties__member__organisation")[: size + 1]
    )
    more = len(fetched) > size
    shown = fetched[:size]
    now = timezone.now()
    return QueuePage(
        rows=[row(r, now) for r in shown],
        next=Position.of(shown[-1]) if more else None,
    )


def reasons_in_words(reasons: list[dict[str, Any]]) -> list[str]:
    """Why a case has its place, as sentences in the active language (the ``detail`` of
    each reason, see ``reasons.in_words``)."""
    return [in_words(str(r["detail"])) for r in reasons if r.get("detail")]


def row(record: TriageRecord, now: datetime | None = None) -> dict[str, Any]:
    """A case in the queue, as the page and the API show it."""
    grievance = record.grievance
    return {
        "id": record.grievance_id,
        "case_code": grievance.case_code,
        "mechanism": record.mechanism.name,
        "state": grievance.state,
        "state_label": state_label(grievance.state),
        "created_at": record.created_at,
        "age_days": int(age_days(record.created_at, now)),
        "priority": record.priority,
        "reasons": reasons_in_words(record.priority_reasons),
        "urgency": list(record.urgency),
        "urgency_labels": labels.labels(record.urgency),
        "rights": list(record.rights),
        "right_labels": labels.labels(record.rights),
        "harms": list(record.harms),
        "harm_labels": labels.labels(record.harms),
        "severity": {
            "scale": record.scale,
            "scope": record.scope,
            "irremediability": record.irremediability,
        },
        "confirmed": record.confirmed_at is not None,
        "members": [p.member.organisation.name for p in grievance.parties.all()],
        "company_text": grievance.company_text,
    }
