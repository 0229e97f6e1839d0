"""Confirmed triage labels as JSON Lines, the format ``ungpkit eval --triage FILE`` reads: one
object per grievance with what the complainant told (never who they are) and the labels staff
confirmed. Grievances whose complainant had their data erased are left out."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import IO, Any

from ungpkit.apps.remedy.models import Mechanism
from ungpkit.apps.triage.models import TriageRecord

EXPORT_FIELDS = (
    "grievance__description",
    "grievance__language",
    "grievance__affected_count",
    "grievance__ongoing",
    "grievance__child_involved",
    "grievance__fear_of_reprisal",
    "grievance__wants",
    "grievance__company_text",
    "rights",
    "harms",
    "urgency",
    "scale",
    "scope",
    "irremediability",
)


def confirmed(mechanism: Mechanism | None = None) -> Iterator[dict[str, Any]]:
    """Each confirmed record as one label object, oldest first."""
    found = TriageRecord.objects.filter(
        confirmed_at__isnull=False, grievance__erased_at__isnull=True
    )
    if mechanism is not None:
        found = found.filter(mechanism=mechanism)
    rows = found.order_by("grievance_id").values(*EXPORT_FIELDS)
    for row in rows.iterator(chunk_size=2000):
        yield label_object(row)


def label_object(row: dict[str, Any]) -> dict[str, Any]:
    """One line of the export, from a row of ``EXPORT_FIELDS``."""
    return {
        "description": row["grievance__description"],
        "language": row["grievance__language"],
        "affected_count": row["grievance__affected_count"],
        "ongoing": row["grievance__ongoing"],
        "child_involved": row["grievance__child_involved"],
        "fear_of_reprisal": row["grievance__fear_of_reprisal"],
        "wants": list(row["grievance__wants"] or []),
        "company_text": row["grievance__company_text"],
        "rights": list(row["rights"]),
        "harms": list(row["harms"]),
        "urgency": list(row["urgency"]),
        "scale": row["scale"],
        "scope": row["scope"],
        "irremediability": row["irremediability"],
    }


def write_jsonl(out: IO[str], mechanism: Mechanism | None = None) -> int:
    """Write the confirmed labels to ``out``; how many lines."""
    count = 0
    for item in confirmed(mechanism):
        out.write(json.dumps(item, ensure_ascii=False) + "\n")
        count += 1
    return count
