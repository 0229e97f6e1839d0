"""Reads for the staff side: the case queue and one case, as small plain dictionaries.

Every read starts from ``access`` (``visible_grievances`` / ``access_grievance``), so a case
the user may not see is never in a queue and opens as "not found".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ungpkit.apps.remedy import access, states
from ungpkit.apps.remedy.models import Escalation, Grievance, Member, Notification

STATE_LABELS = {
    states.RECEIVED: _("Received"),
    states.ACKNOWLEDGED: _("Acknowledged"),
    states.NOT_ADMISSIBLE: _("Not admissible"),
    states.ACCEPTED: _("Accepted for handling"),
    states.DIALOGUE: _("Dialogue and investigation"),
    states.REMEDY_PROPOSED: _("Remedy proposed"),
    states.REMEDY_ACCEPTED: _("Remedy accepted by the complainant"),
    states.REMEDY_REFUSED: _("Remedy refused by the complainant"),
    states.REMEDY_IMPLEMENTED: _("Remedy implemented"),
    states.CLOSED: _("Closed"),
}
OUTCOME_LABELS = {
    "apology": _("Apology"),
    "restitution": _("Restitution"),
    "rehabilitation": _("Rehabilitation"),
    "compensation": _("Compensation"),
    "cessation": _("Cessation of the harm"),
    "non_repetition": _("Guarantee of non-repetition"),
    "explanation": _("Explanation of an automated decision"),
}
WANT_LABELS = {
    "apology": _("An apology"),
    "stop_harm": _("Stop the harm"),
    "restitution": _("Restitution"),
    "compensation": _("Compensation"),
    "explanation": _("An explanation of an automated decision"),
    "non_repetition": _("A guarantee it will not happen again"),
    "other": _("Something else"),
}
NOTIFICATION_LABELS = dict(Notification.Kind.choices)
CONTACT_LABELS = {
    "receipt": _("Only through the website, with the case code and passphrase"),
    "email": _("By email"),
    "phone": _("By phone"),
    "post": _("By post"),
}
IDENTITY_LABELS = {
    "name": _("Name"),
    "email": _("Email"),
    "phone": _("Phone"),
    "address": _("Postal address"),
}


def identity_rows(identity: dict[str, str] | None) -> list[tuple[str, str]]:
    """The identity as (label in the reader's language, value) rows; None when not shown."""
    if not identity:
        return []
    return [(str(IDENTITY_LABELS.get(key, key)), value) for key, value in identity.items()]


@dataclass(frozen=True)
class QueueFilter:
    """What the queue shows: a state, only overdue cases, only one member's cases."""

    state: str = ""
    overdue: bool = False
    member: int | None = None


def state_label(state: str) -> str:
    return str(STATE_LABELS.get(state, state))


def hides_consent(user: Any, grievance: Grievance) -> bool:
    """Whether ``user`` may not read the consent record (it may name the person represented):
    a member's staff, unless the complainant let members see who complained."""
    return not access.may_see_who_complained(user, grievance)


def staff_next_states(grievance: Grievance, *, secretariat: bool = True) -> list[str]:
    """The steps staff may take from the case's state (not the complainant's decisions; a
    member's staff only the member's steps)."""
    return [
        target
        for target in states.TRANSITIONS.get(grievance.state, ())
        if (grievance.state, target) not in states.COMPLAINANT_TRANSITIONS
        and (secretariat or (grievance.state, target) in states.MEMBER_TRANSITIONS)
    ]


def queue(user: Any, chosen: QueueFilter) -> QuerySet[Grievance]:
    """The cases ``user`` may see, filtered, soonest due first (no deadline last)."""
    cases = access.visible_grievances(user)
    if chosen.state:
        cases = cases.filter(state=chosen.state)
    if chosen.overdue:
        cases = cases.filter(due_at__lt=timezone.now())
    if chosen.member:
        cases = cases.filter(parties__member_id=chosen.member)
    return cases.order_by(F("due_at").asc(nulls_last=True), "created_at", "id")


def days_late(grievance: Grievance, now: Any = None) -> int:
    """Whole days past the deadline (0 when not overdue)."""
    if not grievance.overdue or grievance.due_at is None:
        return 0
    return max(0, ((now or timezone.now()) - grievance.due_at).days)


def queue_row(grievance: Grievance) -> dict[str, Any]:
    return {
        "id": grievance.pk,
        "case_code": grievance.case_code,
        "state": grievance.state,
        "state_label": state_label(grievance.state),
        "created_at": grievance.created_at,
        "due_at": grievance.due_at,
        "overdue": grievance.overdue,
        "days_late": days_late(grievance),
        "members": [p.member.organisation.name for p in grievance.parties.all()],
        "company_text": grievance.company_text,
    }


def member_choices(user: Any) -> list[tuple[int, str]]:
    """Members whose cases ``user`` may filter by: every member of their secretariat's
    mechanisms, and their own seats."""
    seats = access.member_seats(user)
    members = Member.objects.filter(mechanism__in=access.secretariat_mechanisms(user)) | seats
    members = members.select_related("organisation", "mechanism").distinct()
    return [(m.pk, f"{m.organisation.name} ({m.mechanism.name})") for m in members]


def mechanism_members(grievance: Grievance) -> list[tuple[int, str]]:
    """The members a case may be routed to."""
    members = grievance.mechanism.members.select_related("organisation")
    return [(m.pk, m.organisation.name) for m in members.order_by("organisation__name")]


def _person(user: Any) -> str:
    if user is None:
        return ""
    return str(user.get_full_name() or user.get_username())


def case_fields(grievance: Grievance, *, hide_consent: bool = False) -> dict[str, Any]:
    """What the complainant told (never the identity). ``hide_consent``: leave out the record
    of consent of the person represented, which may name them (for a member's staff without
    the complainant's consent to see who they are)."""
    return {
        "case_code": grievance.case_code,
        "mechanism": grievance.mechanism.name,
        "channel": grievance.get_channel_display(),
        "language": grievance.language,
        "description": grievance.description,
        "happened_on": grievance.happened_on,
        "country": grievance.country,
        "company_text": grievance.company_text,
        "affected_who": grievance.affected_who,
        "affected_count": grievance.affected_count,
        "ongoing": grievance.ongoing,
        "child_involved": grievance.child_involved,
        "fear_of_reprisal": grievance.fear_of_reprisal,
        "wants": [str(WANT_LABELS.get(w, w)) for w in grievance.wants],
        "wants_other": grievance.wants_other,
        "contact_preference": grievance.contact_preference,
        "anonymous": grievance.anonymous,
        "on_behalf": grievance.on_behalf,
        "consent_record": "" if hide_consent else grievance.consent_record,
        "consent_record_hidden": hide_consent and bool(grievance.consent_record),
        "reveal_identity_to_members": grievance.reveal_identity_to_members,
        "created_at": grievance.created_at,
        "erased_at": grievance.erased_at,
        "attachments": grievance.attachments.count(),
    }


def timeline(grievance: Grievance) -> list[dict[str, Any]]:
    """Each step: from, to, who (staff name, or the complainant), when and why."""
    return [
        {
            "from_state": t.from_state,
            "to_state": t.to_state,
            "to_label": state_label(t.to_state),
            "actor": str(_("The complainant")) if t.by_complainant else _person(t.actor),
            "by_complainant": t.by_complainant,
            "reason": t.reason,
            "when": t.created_at,
        }
        for t in grievance.transitions.select_related("actor")
    ]


def messages(grievance: Grievance) -> list[dict[str, Any]]:
    return [
        {
            "id": m.pk,
            "from_complainant": m.from_complainant,
            "author": str(_("The complainant")) if m.from_complainant else _person(m.author),
            "body": m.body,
            "internal": m.internal,
            "when": m.created_at,
        }
        for m in grievance.messages.select_related("author")
    ]


def escalations(grievance: Grievance) -> list[dict[str, Any]]:
    labels = dict(Escalation.Body.choices)
    return [
        {
            "id": e.pk,
            "body_type": e.body_type,
            "body_label": str(labels.get(e.body_type, e.body_type)),
            "body_name": e.body_name,
            "consent": e.consent,
            "actor": _person(e.actor),
            "when": e.created_at,
        }
        for e in grievance.escalations.select_related("actor").order_by("created_at", "id")
    ]


def outcome(grievance: Grievance) -> dict[str, Any] | None:
    found = getattr(grievance, "outcome", None)
    if found is None:
        return None
    return {
        "remedy_types": list(found.remedy_types),
        "labels": [str(OUTCOME_LABELS.get(t, t)) for t in found.remedy_types],
        "description": found.description,
        "satisfaction": found.satisfaction,
        "recorded_at": found.recorded_at,
    }


def parties(grievance: Grievance) -> list[dict[str, Any]]:
    return [
        {
            "member": p.member_id,
            "name": p.member.organisation.name,
            "routed_by": _person(p.routed_by),
            "routed_at": p.routed_at,
        }
        for p in grievance.parties.select_related("member__organisation", "routed_by")
    ]


def notifications_for(user: Any, limit: int = 100) -> list[dict[str, Any]]:
    """The user's newest notifications, only about cases they may still see."""
    visible = access.visible_grievances(user).values("pk")
    items = (
        Notification.objects.filter(recipient=user, grievance__in=visible)
        .select_related("grievance")
        .order_by("-created_at", "-id")[:limit]
    )
    return [
        {
            "id": n.pk,
            "kind": n.kind,
            "label": str(NOTIFICATION_LABELS.get(n.kind, n.kind)),
            "case_id": n.grievance_id,
            "case_code": n.grievance.case_code,
            "state_label": state_label(n.state),
            "when": n.created_at,
            "unread": n.read_at is None,
        }
        for n in items
    ]
