"""The grievance mechanism's staff in the JSON API, mounted at /api/remedy/: the case queue,
one case, its steps and messages, and routing, moving, revealing the identity, escalating
and recording the outcome.

Handlers are thin: reads go through ``access`` and ``queries``, writes through ``actions``.
A case you may not see answers 404 exactly like one that does not exist.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from ungpkit.apps.remedy import access, actions, casefile, queries
from ungpkit.apps.remedy.models import Escalation, Grievance
from ungpkit.web.api import ERRORS, Page, actor

router = Router(tags=["remedy"])


# Schemas ----------------------------------------------------------------------------------


class CaseSummaryOut(Schema):
    """A case in the queue."""

    id: int
    case_code: str
    mechanism: str
    state: str = Field(description="received, acknowledged, accepted, dialogue, ... closed.")
    state_label: str
    created_at: datetime
    due_at: datetime | None = Field(
        description="When the current step is due, if it has a deadline."
    )
    overdue: bool
    days_late: int = Field(description="Whole days past the deadline (0 when on time).")
    members: list[str] = Field(description="The members the case is routed to.")

    @staticmethod
    def resolve_mechanism(obj: Any) -> str:
        return str(obj["mechanism"] if isinstance(obj, dict) else obj.mechanism.name)

    @staticmethod
    def resolve_state_label(obj: Any) -> str:
        return queries.state_label(obj["state"] if isinstance(obj, dict) else obj.state)

    @staticmethod
    def resolve_days_late(obj: Any) -> int:
        return int(obj["days_late"]) if isinstance(obj, dict) else queries.days_late(obj)

    @staticmethod
    def resolve_members(obj: Any) -> list[str]:
        if isinstance(obj, dict):
            return list(obj["members"])
        return [p.member.organisation.name for p in obj.parties.all()]


class PartyOut(Schema):
    """A member the case is routed to."""

    member: int
    name: str
    routed_at: datetime


class CaseOut(CaseSummaryOut):
    """One case, as staff see it (never the complainant's identity)."""

    description: str
    happened_on: str
    country: str
    company_text: str
    affected_who: str
    affected_count: int | None
    ongoing: bool
    child_involved: bool
    fear_of_reprisal: bool
    wants: list[str]
    wants_other: str
    contact_preference: str
    anonymous: bool
    on_behalf: bool
    consent_record: str = Field(
        description="How the person represented agreed; empty for a member's staff unless "
        "the complainant let members see who complained (it may name them)."
    )
    consent_record_hidden: bool = False
    reveal_identity_to_members: bool = Field(
        description="Whether the complainant agreed that members see who they are."
    )
    parties: list[PartyOut]
    next_states: list[str] = Field(description="The steps staff may take now.")
    can_reveal_identity: bool


class TransitionOut(Schema):
    """One step of a case: who, when, why."""

    from_state: str
    to_state: str
    actor: str = Field(description="The staff member's name, or the complainant.")
    by_complainant: bool
    reason: str
    when: datetime


class MessageOut(Schema):
    """A message in a case."""

    id: int
    from_complainant: bool
    author: str
    body: str
    internal: bool = Field(description="Internal notes are never shown to the complainant.")
    when: datetime


class MessageIn(Schema):
    body: str = Field(description="The message (at most 10,000 characters).", max_length=10_000)
    internal: bool = Field(False, description="An internal note the complainant never sees.")


class RouteIn(Schema):
    members: list[int] = Field(description="Ids of members of the case's mechanism.")


class MoveIn(Schema):
    state: str = Field(description="The next state.")
    reason: str = Field("", description="Why; required for not_admissible and closed.")


class IdentityOut(Schema):
    """The complainant's identity; every read is recorded in the audit log."""

    identity: dict[str, str]


class EscalationIn(Schema):
    body_type: str = Field(description="regulator, nhri, ncp, ombudsperson or court.")
    body_name: str
    consent: str = Field(description="How the complainant agreed to the escalation.")
    share_identity: bool = Field(
        False, description="The complainant agreed that their identity goes to this body."
    )


class EscalationOut(Schema):
    id: int
    body_type: str
    body_name: str
    consent: str
    created_at: datetime
    case_file_json: str = Field(description="Where to download the case file as JSON.")
    case_file_pdf: str = Field(description="Where to download the case file as PDF.")


class OutcomeIn(Schema):
    remedy_types: list[str] = Field(
        description="apology, restitution, rehabilitation, compensation, cessation, "
        "non_repetition, explanation."
    )
    description: str = ""


class OutcomeOut(Schema):
    remedy_types: list[str]
    description: str
    satisfaction: int | None
    recorded_at: datetime


# Helpers ----------------------------------------------------------------------------------


def _summary(grievance: Grievance) -> dict[str, Any]:
    row = queries.queue_row(grievance)
    return {**row, "mechanism": grievance.mechanism.name}


def _case(user: Any, grievance: Grievance) -> dict[str, Any]:
    fields = queries.case_fields(grievance, hide_consent=queries.hides_consent(user, grievance))
    fields.pop("mechanism")
    return {
        **fields,
        **_summary(grievance),
        "wants": list(grievance.wants),
        "parties": queries.parties(grievance),
        "next_states": queries.staff_next_states(
            grievance, secretariat=access.is_secretariat(user, grievance)
        ),
        "can_reveal_identity": access.can_reveal_identity(user, grievance),
    }


def _escalation(escalation: Escalation) -> dict[str, Any]:
    base = f"/api/remedy/cases/{escalation.grievance_id}/escalations/{escalation.pk}/case-file"
    return {
        "id": escalation.pk,
        "body_type": escalation.body_type,
        "body_name": escalation.body_name,
        "consent": escalation.consent,
        "created_at": escalation.created_at,
        "case_file_json": f"{base}?format=json",
        "case_file_pdf": f"{base}?format=pdf",
    }


# Endpoints --------------------------------------------------------------------------------


@router.get("/cases", response={200: list[CaseSummaryOut], **ERRORS})
@paginate(Page)
def list_cases(
    request: HttpRequest,
    state: str | None = None,
    overdue: bool = False,
    member: int | None = None,
) -> Any:
    """Cases of your mechanisms and member seats, the soonest due first."""
    chosen = queries.QueueFilter(state=state or "", overdue=overdue, member=member)
    return queries.queue(actor(request), chosen).prefetch_related("parties__member__organisation")


@router.get("/cases/{case_id}", response={200: CaseOut, **ERRORS})
def get_case(request: HttpRequest, case_id: int) -> Any:
    """One case (without the complainant's identity)."""
    user = actor(request)
    return _case(user, access.access_grievance(user, case_id))


@router.get("/cases/{case_id}/transitions", response={200: list[TransitionOut], **ERRORS})
def list_transitions(request: HttpRequest, case_id: int) -> Any:
    """Every step of the case, oldest first."""
    return queries.timeline(access.access_grievance(actor(request), case_id))


@router.get("/cases/{case_id}/messages", response={200: list[MessageOut], **ERRORS})
def list_messages(request: HttpRequest, case_id: int) -> Any:
    """Messages of the case, with internal notes, oldest first."""
    return queries.messages(access.access_grievance(actor(request), case_id))


@router.post("/cases/{case_id}/messages", response={201: MessageOut, **ERRORS})
def post_message(request: HttpRequest, case_id: int, payload: MessageIn) -> Any:
    """Write to the complainant, or leave an internal note."""
    message = actions.post_message(actor(request), case_id, payload.body, internal=payload.internal)
    rows = queries.messages(message.grievance)
    return Status(201, next(r for r in rows if r["id"] == message.pk))


@router.post("/cases/{case_id}/route", response={200: CaseOut, **ERRORS})
def route(request: HttpRequest, case_id: int, payload: RouteIn) -> Any:
    """Route the case to one or several members (the secretariat only)."""
    user = actor(request)
    actions.route(user, case_id, payload.members)
    return _case(user, access.access_grievance(user, case_id))


@router.post("/cases/{case_id}/move", response={200: CaseOut, **ERRORS})
def move(request: HttpRequest, case_id: int, payload: MoveIn) -> Any:
    """Take the case to its next step, saying why."""
    user = actor(request)
    actions.move(user, case_id, payload.state, payload.reason)
    return _case(user, access.access_grievance(user, case_id))


@router.post("/cases/{case_id}/identity", response={200: IdentityOut, **ERRORS})
def reveal_identity(request: HttpRequest, case_id: int) -> Any:
    """Read the complainant's identity (the secretariat, or a routed member with the
    complainant's consent). Every read is recorded in the audit log."""
    return {"identity": actions.reveal_identity(actor(request), case_id)}


@router.post("/cases/{case_id}/escalations", response={201: EscalationOut, **ERRORS})
def escalate(request: HttpRequest, case_id: int, payload: EscalationIn) -> Any:
    """Record that the case goes to a State-based body (the secretariat only)."""
    escalation = actions.escalate(
        actor(request),
        case_id,
        body_type=payload.body_type,
        body_name=payload.body_name,
        consent=casefile.consent_text(payload.consent, identity=payload.share_identity),
    )
    return Status(201, _escalation(escalation))


@router.get(
    "/cases/{case_id}/escalations/{escalation_id}/case-file",
    response={200: None, **ERRORS},
    openapi_extra={
        "responses": {
            200: {
                "description": "The case file.",
                "content": {"application/json": {}, "application/pdf": {}},
            }
        }
    },
)
def case_file(request: HttpRequest, case_id: int, escalation_id: int, format: str = "json") -> Any:
    """The case file for the body the case was escalated to, as JSON or PDF; the identity is
    in it only if the complainant agreed."""
    from django.http import HttpResponse

    file = casefile.export(actor(request), case_id, escalation_id, format)
    response = HttpResponse(file.content, content_type=file.content_type)
    response["Content-Disposition"] = f'attachment; filename="{file.filename}"'
    return response


@router.post("/cases/{case_id}/outcome", response={200: OutcomeOut, **ERRORS})
def record_outcome(request: HttpRequest, case_id: int, payload: OutcomeIn) -> Any:
    """Record the remedy the case ended with, by type."""
    return actions.record_outcome(
        actor(request), case_id, payload.remedy_types, payload.description
    )
