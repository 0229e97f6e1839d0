"""Reads for the triage pages and API, as small plain dictionaries: one case's triage with
its reasons, clusters and collective cases. Every read starts from ``access``."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.db.models import Count, Max, Min

from ungpkit.apps.remedy import states
from ungpkit.apps.remedy.models import Grievance
from ungpkit.apps.remedy.queries import staff_next_states, state_label
from ungpkit.apps.triage import access, labels
from ungpkit.apps.triage.access import Reach
from ungpkit.apps.triage.labels import DIMENSION_FIELDS
from ungpkit.apps.triage.models import Cluster, CollectiveCase, TriageRecord
from ungpkit.apps.triage.queue import reasons_in_words
from ungpkit.apps.triage.reasons import in_words
from ungpkit.apps.triage.records import age_days
from ungpkit.grievances.model import SEVERITY_DIMENSIONS, Reason, Suggestion, Triage

EXCERPT_LENGTH = 160

# One case's triage ------------------------------------------------------------------------


def _suggestion(item: Suggestion) -> dict[str, Any]:
    return {
        "id": item.id,
        "label": labels.label(item.id),
        "score": item.score,
        "reasons": [in_words(r.detail) for r in item.reasons],
    }


def _levels(record: TriageRecord, suggestion: Triage) -> list[dict[str, Any]]:
    rows = []
    for dimension in SEVERITY_DIMENSIONS:
        machine = next((s for s in suggestion.severity if s.id == dimension), None)
        field = DIMENSION_FIELDS[dimension]
        level = int(getattr(record, field))
        rows.append(
            {
                "id": dimension,
                "field": field,
                "label": labels.label(dimension),
                "level": level,
                "level_label": labels.level_label(level),
                "suggested": suggestion.level(dimension),
                "suggested_label": labels.level_label(suggestion.level(dimension)),
                "reasons": [in_words(r.detail) for r in machine.reasons] if machine else [],
            }
        )
    return rows


def highlighted(text: str, reasons: list[Reason]) -> list[dict[str, Any]]:
    """``text`` cut into pieces, those a reason points at marked (with what they matched),
    for the template to show with ``<mark>`` (and escaped like any text)."""
    spans = sorted(
        (r.start, r.end, r.detail)
        for r in reasons
        if r.start is not None and r.end is not None and 0 <= r.start < r.end <= len(text)
    )
    pieces: list[dict[str, Any]] = []
    at = 0
    for start, end, detail in spans:
        if start < at:
            continue  # overlaps a span already marked
        if start > at:
            pieces.append({"text": text[at:start], "mark": False, "why": ""})
        pieces.append({"text": text[start:end], "mark": True, "why": in_words(detail)})
        at = end
    if at < len(text):
        pieces.append({"text": text[at:], "mark": False, "why": ""})
    return pieces


def _all_reasons(suggestion: Triage) -> list[Reason]:
    found: list[Reason] = list(suggestion.language_reasons)
    for group in (suggestion.rights, suggestion.harms, suggestion.severity, suggestion.urgency):
        for item in group:
            found.extend(item.reasons)
    return found


def triage_view(record: TriageRecord) -> dict[str, Any]:
    """One case's triage: the suggestions with their reasons, the current labels, the
    priority and why, and the description with the matched words marked."""
    grievance = record.grievance
    suggestion = Triage.from_dict(record.suggested)
    return {
        "id": grievance.pk,
        "case_code": grievance.case_code,
        "mechanism": grievance.mechanism.name,
        "state": grievance.state,
        "state_label": state_label(grievance.state),
        "open": record.open,
        "created_at": record.created_at,
        "age_days": int(age_days(record.created_at)),
        "language": record.language,
        "description": grievance.description,
        "pieces": highlighted(grievance.description, _all_reasons(suggestion)),
        "priority": record.priority,
        "priority_reasons": reasons_in_words(record.priority_reasons),
        "suggested": {
            "rights": [_suggestion(s) for s in suggestion.rights],
            "harms": [_suggestion(s) for s in suggestion.harms],
            "urgency": [_suggestion(s) for s in suggestion.urgency],
            "analyser": suggestion.analyser,
            "version": suggestion.version,
        },
        "rights": list(record.rights),
        "right_labels": labels.labels(record.rights),
        "harms": list(record.harms),
        "harm_labels": labels.labels(record.harms),
        "urgency": list(record.urgency),
        "urgency_labels": labels.labels(record.urgency),
        "severity": _levels(record, suggestion),
        "scale": record.scale,
        "scope": record.scope,
        "irremediability": record.irremediability,
        "confirmed": record.confirmed_at is not None,
        "confirmed_at": record.confirmed_at,
        "confirmed_by": _person(record.confirmed_by),
    }


def _person(user: Any) -> str:
    if user is None:
        return ""
    return str(user.get_full_name() or user.get_username())


# Clusters ----------------------------------------------------------------------------------


def _cluster_row(cluster: Cluster, size: int, first: Any, last: Any) -> dict[str, Any]:
    return {
        "id": cluster.pk,
        "mechanism": cluster.mechanism.name,
        "mechanism_slug": cluster.mechanism.slug,
        "kind": cluster.kind,
        "kind_label": str(cluster.get_kind_display()),
        "label": cluster.label,
        "size": size,
        "first_at": first,
        "last_at": last,
        "collective_id": getattr(cluster, "collective_id", None),
    }


def clusters(
    scope: Reach, mechanism_id: int | None = None, limit: int = 200
) -> list[dict[str, Any]]:
    """Clusters the user may see, biggest first. The secretariat sees each whole; a member's
    staff sees only the cases routed to them (sizes and dates count only those)."""
    found = Cluster.objects.select_related("mechanism").order_by("-size", "-id")
    if mechanism_id is not None:
        found = found.filter(mechanism_id=mechanism_id)
    rows = []
    if scope.admin or scope.mechanisms:
        whole = found if scope.admin else found.filter(mechanism_id__in=scope.mechanisms)
        rows = [
            _cluster_row(c, c.size, c.first_at, c.last_at) for c in _with_collective(whole[:limit])
        ]
    if scope.seats and not scope.admin:
        partial = (
            found.exclude(mechanism_id__in=scope.mechanisms)
            .filter(members__grievance__parties__member_id__in=scope.seats)
            .annotate(
                seen=Count("members", distinct=True),
                seen_first=Min("members__grievance__created_at"),
                seen_last=Max("members__grievance__created_at"),
            )
        )
        rows += [
            _cluster_row(c, c.seen, c.seen_first, c.seen_last)
            for c in _with_collective(partial[:limit])
        ]
    rows.sort(key=lambda r: (-r["size"], -r["id"]))
    return rows[:limit]


def _with_collective(found: Any) -> list[Cluster]:
    """The clusters, each with ``collective_id`` (its collective case, if any), in one query."""
    found = list(found)
    ids = dict(
        CollectiveCase.objects.filter(cluster__in=[c.pk for c in found]).values_list(
            "cluster_id", "pk"
        )
    )
    for cluster in found:
        cluster.collective_id = ids.get(cluster.pk)  # type: ignore[attr-defined]
    return found


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= EXCERPT_LENGTH else text[: EXCERPT_LENGTH - 1].rstrip() + "…"


def cluster_view(scope: Reach, cluster: Cluster) -> dict[str, Any]:
    """A cluster and the members the user may see; excerpts of the texts only for the
    secretariat."""
    secretariat = scope.runs(cluster.mechanism_id)
    members = (
        access.cluster_members(scope, cluster)
        .select_related("grievance", "grievance__collective_membership")
        .order_by("-similarity", "grievance__created_at", "grievance_id")
    )
    rows = [
        {
            "id": m.grievance_id,
            "case_code": m.grievance.case_code,
            "state": m.grievance.state,
            "state_label": state_label(m.grievance.state),
            "created_at": m.grievance.created_at,
            "similarity": round(m.similarity, 2),
            "excerpt": _excerpt(m.grievance.description) if secretariat else "",
            "collective_id": _collective_of(m.grievance),
        }
        for m in members
    ]
    collective = CollectiveCase.objects.filter(cluster=cluster).values_list("pk", flat=True).first()
    return {
        **_cluster_row(
            cluster,
            cluster.size if secretariat else len(rows),
            cluster.first_at if secretariat else min((r["created_at"] for r in rows), default=None),
            cluster.last_at if secretariat else max((r["created_at"] for r in rows), default=None),
        ),
        "collective_id": collective,
        "members": rows,
        "is_secretariat": secretariat,
        "free": sum(1 for r in rows if r["collective_id"] is None),
    }


def _collective_of(grievance: Grievance) -> int | None:
    membership = getattr(grievance, "collective_membership", None)
    return membership.collective_id if membership is not None else None


# Collective cases ---------------------------------------------------------------------------


def collectives(scope: Reach, mechanism_id: int | None = None) -> list[dict[str, Any]]:
    """Collective cases the user may see, newest first, with their size."""
    found = access.visible_collectives(scope).select_related("mechanism")
    if mechanism_id is not None:
        found = found.filter(mechanism_id=mechanism_id)
    found = found.annotate(members_count=Count("members")).order_by("-created_at", "-id")[:200]
    return [
        {
            "id": c.pk,
            "title": c.title,
            "mechanism": c.mechanism.name,
            "created_at": c.created_at,
            "size": c.members_count if scope.runs(c.mechanism_id) else None,
        }
        for c in found
    ]


def collective_view(scope: Reach, collective: CollectiveCase) -> dict[str, Any]:
    """A collective case: its members the user may see, counts by state, and the steps the
    secretariat may take (those allowed for at least one member)."""
    members = list(
        access.collective_members(scope, collective)
        .select_related("grievance")
        .order_by("grievance__case_code")
    )
    rows = [
        {
            "id": m.grievance_id,
            "case_code": m.grievance.case_code,
            "state": m.grievance.state,
            "state_label": state_label(m.grievance.state),
            "created_at": m.grievance.created_at,
            "joined_at": m.joined_at,
        }
        for m in members
    ]
    by_state = Counter(r["state"] for r in rows)
    steps: set[str] = set()
    for member in members:
        steps.update(staff_next_states(member.grievance))
    return {
        "id": collective.pk,
        "title": collective.title,
        "mechanism": collective.mechanism.name,
        "mechanism_slug": collective.mechanism.slug,
        "cluster_id": collective.cluster_id,
        "created_at": collective.created_at,
        "created_by": _person(collective.created_by),
        "members": rows,
        "counts": [
            {"state": s, "label": state_label(s), "count": by_state[s]}
            for s in states.STATES
            if by_state[s]
        ],
        "next_states": [s for s in states.STATES if s in steps],
        "is_secretariat": scope.runs(collective.mechanism_id),
    }
