"""Triage in the JSON API, mounted at /api/triage/: the priority queue, a case's triage and
its correction, clusters of mass complaints, and collective cases (made from a cluster,
moved through their steps together).

Handlers are thin: reads go through ``access``, ``queue`` and ``queries``, writes through
``actions``. What you may not see answers 404 exactly like what does not exist.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from ungpkit.apps.triage import access, actions, queries, queue
from ungpkit.web.api import ERRORS, Page, actor

router = Router(tags=["triage"])


# Schemas ----------------------------------------------------------------------------------


class SeverityOut(Schema):
    """The three UNGP dimensions of severity, each a level from 0 (none) to 3 (high)."""

    scale: int
    scope: int
    irremediability: int


class QueueRowOut(Schema):
    """A case in the priority queue."""

    id: int = Field(description="The case's id, as in /api/remedy/cases/{id}.")
    case_code: str
    mechanism: str
    state: str
    state_label: str
    created_at: datetime
    age_days: int = Field(description="Whole days since the complaint came in.")
    priority: int = Field(description="Higher comes first; ties go to the oldest.")
    reasons: list[str] = Field(description="Why the case has its place, in words.")
    urgency: list[str] = Field(description="urgent.life, urgent.child, urgent.ongoing, ...")
    rights: list[str] = Field(description="Ids of rights of the framework (right.*).")
    harms: list[str] = Field(description="Ids of harm types of the framework (harm.*).")
    severity: SeverityOut
    confirmed: bool = Field(description="Whether staff confirmed or corrected the labels.")
    members: list[str] = Field(description="The members the case is routed to.")


class QueuePageOut(Schema):
    """One page of the queue. There is no total count: follow ``next``."""

    items: list[QueueRowOut]
    next: str | None = Field(
        description="Pass it as ``after`` to get the next page; null on the last page."
    )


class QueueQuery(Schema):
    mechanism: str | None = Field(None, description="Only this mechanism (its short name).")
    urgency: str | None = Field(None, description="Only cases with this urgency flag.")
    right: str | None = Field(None, description="Only cases with this right (right.*).")
    harm: str | None = Field(None, description="Only cases with this harm type (harm.*).")
    member: int | None = Field(None, description="Only cases routed to this member.")
    after: str | None = Field(None, description="The ``next`` of the previous page.")
    limit: int = Field(50, ge=1, le=200, description="How many cases to return (1-200).")


class SuggestionOut(Schema):
    """A suggested label and why it was suggested."""

    id: str
    label: str
    score: float
    reasons: list[str]


class LevelOut(Schema):
    """One dimension of severity: the current level and the suggested one."""

    id: str = Field(description="severity.scale, severity.scope or severity.irremediability.")
    label: str
    level: int
    suggested: int
    reasons: list[str]


class SuggestedOut(Schema):
    """What the machine suggested, kept unchanged."""

    rights: list[SuggestionOut]
    harms: list[SuggestionOut]
    urgency: list[SuggestionOut]
    analyser: str
    version: str


class TriageOut(Schema):
    """A case's triage: the suggestions with their reasons and the current labels."""

    id: int
    case_code: str
    state: str
    open: bool
    created_at: datetime
    language: str
    priority: int
    priority_reasons: list[str]
    suggested: SuggestedOut
    rights: list[str]
    harms: list[str]
    urgency: list[str]
    scale: int
    scope: int
    irremediability: int
    severity: list[LevelOut]
    confirmed: bool
    confirmed_at: datetime | None
    confirmed_by: str


class TriageIn(Schema):
    """All the labels of a case, as staff confirm or correct them."""

    rights: list[str] = Field(description="Ids of rights (right.*).")
    harms: list[str] = Field(description="Ids of harm types (harm.*).")
    urgency: list[str] = Field(description="Urgency flags (urgent.*).")
    scale: int = Field(ge=0, le=3)
    scope: int = Field(ge=0, le=3)
    irremediability: int = Field(ge=0, le=3)


class TriagePatchIn(Schema):
    """Some labels of a case; those left out keep their value."""

    rights: list[str] | None = None
    harms: list[str] | None = None
    urgency: list[str] | None = None
    scale: int | None = Field(None, ge=0, le=3)
    scope: int | None = Field(None, ge=0, le=3)
    irremediability: int | None = Field(None, ge=0, le=3)


class ClusterOut(Schema):
    """A cluster of mass complaints. A member's staff see only the cases routed to them, and
    the size and dates count only those."""

    id: int
    mechanism: str
    kind: str = Field(description="duplicate (near-identical texts) or incident.")
    label: str = Field(description="Words the texts share.")
    size: int
    first_at: datetime | None
    last_at: datetime | None
    collective_id: int | None = Field(description="The collective case made from it, if any.")


class ClusterMemberOut(Schema):
    id: int
    case_code: str
    state: str
    created_at: datetime
    similarity: float
    excerpt: str = Field(description="The beginning of the text (for the secretariat only).")
    collective_id: int | None


class ClusterDetailOut(ClusterOut):
    members: list[ClusterMemberOut]


class MergeIn(Schema):
    title: str = Field("", max_length=200, description="Defaults to the cluster's label.")


class CollectiveMemberOut(Schema):
    id: int
    case_code: str
    state: str
    created_at: datetime
    joined_at: datetime


class CollectiveOut(Schema):
    """A collective case and the cases you may see in it."""

    id: int
    title: str
    mechanism: str
    cluster_id: int | None
    created_at: datetime
    members: list[CollectiveMemberOut]
    counts: dict[str, int] = Field(description="How many cases are at each step.")
    next_states: list[str] = Field(description="Steps at least one case may take now.")


class CollectiveMoveIn(Schema):
    state: str = Field(description="The step to move the cases to.")
    reason: str = Field("", description="Why; required for not_admissible and closed.")


class CaseRef(Schema):
    id: int
    case_code: str


class SkippedOut(Schema):
    id: int
    case_code: str
    state: str
    why: str


class CollectiveMoveOut(Schema):
    """Which cases moved (each with its own step) and which were left where they were."""

    state: str
    moved: list[CaseRef]
    skipped: list[SkippedOut]


class CollectiveMembersIn(Schema):
    cases: list[int] = Field(description="Ids of cases of the same mechanism.")


# Helpers ----------------------------------------------------------------------------------


def _collective(scope: access.Reach, collective_id: int) -> dict[str, Any]:
    view = queries.collective_view(scope, access.access_collective(scope, collective_id))
    return {**view, "counts": {c["state"]: c["count"] for c in view["counts"]}}


def _triage(record: Any) -> dict[str, Any]:
    view = queries.triage_view(record)
    view["severity"] = [
        {k: s[k] for k in ("id", "label", "level", "suggested", "reasons")}
        for s in view["severity"]
    ]
    return view


# Endpoints --------------------------------------------------------------------------------


@router.get("/queue", response={200: QueuePageOut, **ERRORS})
def triage_queue(request: HttpRequest, filters: Query[QueueQuery]) -> Any:
    """Open cases you may see, highest priority first, then oldest, a page at a time."""
    scope = access.reach(actor(request))
    mechanism = access.access_mechanism(scope, filters.mechanism) if filters.mechanism else None
    chosen = queue.QueueFilter(
        mechanism=mechanism.pk if mechanism else None,
        urgency=filters.urgency or "",
        right=filters.right or "",
        harm=filters.harm or "",
        member=filters.member,
    )
    found = queue.page(scope, chosen, queue.Position.parse(filters.after), filters.limit)
    return {"items": found.rows, "next": found.next.token if found.next else None}


@router.get("/cases/{case_id}", response={200: TriageOut, **ERRORS})
def get_triage(request: HttpRequest, case_id: int) -> Any:
    """A case's triage: the suggestions with their reasons, and the current labels."""
    return _triage(actions.triage_record(actor(request), case_id))


@router.put("/cases/{case_id}", response={200: TriageOut, **ERRORS})
def replace_triage(request: HttpRequest, case_id: int, payload: TriageIn) -> Any:
    """Confirm or correct all the labels of a case; its priority is recomputed."""
    return _triage(actions.confirm_triage(actor(request), case_id, payload.model_dump()))


@router.patch("/cases/{case_id}", response={200: TriageOut, **ERRORS})
def update_triage(request: HttpRequest, case_id: int, payload: TriagePatchIn) -> Any:
    """Correct some labels of a case (the others are confirmed as they are)."""
    changes = payload.model_dump(exclude_none=True)
    return _triage(actions.confirm_triage(actor(request), case_id, changes, partial=True))


@router.get("/clusters", response={200: list[ClusterOut], **ERRORS})
@paginate(Page)
def list_clusters(request: HttpRequest, mechanism: str | None = None) -> Any:
    """Clusters of mass complaints you may see, biggest first."""
    scope = access.reach(actor(request))
    found = access.access_mechanism(scope, mechanism) if mechanism else None
    return queries.clusters(scope, found.pk if found else None)


@router.get("/clusters/{cluster_id}", response={200: ClusterDetailOut, **ERRORS})
def get_cluster(request: HttpRequest, cluster_id: int) -> Any:
    """A cluster and the cases you may see in it."""
    scope = access.reach(actor(request))
    return queries.cluster_view(scope, access.access_cluster(scope, cluster_id))


@router.post("/clusters/{cluster_id}/collective", response={201: CollectiveOut, **ERRORS})
def merge_cluster(request: HttpRequest, cluster_id: int, payload: MergeIn) -> Any:
    """Make a cluster a collective case (the secretariat only). Cases already in another
    collective case stay there."""
    user = actor(request)
    collective = actions.merge_cluster(user, cluster_id, payload.title)
    return Status(201, _collective(access.reach(user), collective.pk))


@router.get("/collective/{collective_id}", response={200: CollectiveOut, **ERRORS})
def get_collective_case(request: HttpRequest, collective_id: int) -> Any:
    """A collective case, its cases and how many are at each step."""
    return _collective(access.reach(actor(request)), collective_id)


@router.post("/collective/{collective_id}/move", response={200: CollectiveMoveOut, **ERRORS})
def move_collective_case(
    request: HttpRequest, collective_id: int, payload: CollectiveMoveIn
) -> Any:
    """Move every case whose step allows it (the secretariat only); each gets its own step
    with who, when and why, and the others are listed as skipped."""
    result = actions.move_collective(actor(request), collective_id, payload.state, payload.reason)
    return {
        "state": result.target,
        "moved": [{"id": pk, "case_code": code} for pk, code in result.moved],
        "skipped": [
            {"id": s.grievance_id, "case_code": s.case_code, "state": s.state, "why": s.why}
            for s in result.skipped
        ],
    }


@router.post("/collective/{collective_id}/members", response={200: CollectiveOut, **ERRORS})
def add_collective_members(
    request: HttpRequest, collective_id: int, payload: CollectiveMembersIn
) -> Any:
    """Add single cases of the same mechanism to a collective case (the secretariat only)."""
    user = actor(request)
    actions.add_to_collective(user, collective_id, payload.cases)
    return _collective(access.reach(user), collective_id)


@router.delete(
    "/collective/{collective_id}/members/{case_id}", response={200: CollectiveOut, **ERRORS}
)
def remove_collective_member(request: HttpRequest, collective_id: int, case_id: int) -> Any:
    """Take a case out of a collective case (the secretariat only); it keeps its own state."""
    user = actor(request)
    actions.remove_from_collective(user, collective_id, case_id)
    return _collective(access.reach(user), collective_id)
