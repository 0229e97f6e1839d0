"""Every write of triage and collective cases. Each action checks permission, validates,
writes in one transaction and appends to the audit log (ids and label codes only, never
what complainants wrote).

A collective case never moves a grievance by itself: each member grievance goes through
``ungpkit.apps.remedy.actions``, so each gets its own step (who, when, why), audit entry and
notifications, and its complainant sees it on their own status page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ungpkit.apps.accounts import audit
from ungpkit.apps.remedy import access as remedy_access
from ungpkit.apps.remedy import actions as remedy_actions
from ungpkit.apps.remedy import receipts, states
from ungpkit.apps.remedy.models import Grievance, Mechanism
from ungpkit.apps.triage import access, labels, records
from ungpkit.apps.triage.models import CollectiveCase, CollectiveMember, TriageRecord
from ungpkit.grievances.model import URGENCY_FLAGS, Triage

LABEL_FIELDS = ("rights", "harms", "urgency", "scale", "scope", "irremediability")
LEVEL_FIELDS = ("scale", "scope", "irremediability")


# Triage labels -----------------------------------------------------------------------------


def triage_record(actor: Any, grievance_id: int) -> TriageRecord:
    """The triage record of a case ``actor`` may see (triaged now if it has none yet)."""
    grievance = remedy_access.access_grievance(actor, grievance_id)
    record = TriageRecord.objects.filter(grievance=grievance).first()
    if record is None:
        with transaction.atomic():
            record = records.triage_grievance(grievance)
    return record


def clean_labels(data: dict[str, Any]) -> dict[str, Any]:
    """Validate labels (ids of the framework's rights and harm types, urgency flags, levels
    0-3); ``ValidationError`` names each wrong field."""
    errors: dict[str, str] = {}
    known = {"rights": labels.right_ids(), "harms": labels.harm_ids(), "urgency": URGENCY_FLAGS}
    cleaned: dict[str, Any] = {}
    for field, allowed in known.items():
        chosen = [str(i) for i in data.get(field) or []]
        if any(i not in allowed for i in chosen):
            errors[field] = _("Choose from the listed values.")
        cleaned[field] = list(dict.fromkeys(chosen))  # in the order given, once each
    for field in LEVEL_FIELDS:
        try:
            level = int(data.get(field, 0))
        except (TypeError, ValueError):
            level = -1
        if level not in range(4):
            errors[field] = _("Choose a level from 0 (none) to 3 (high).")
        cleaned[field] = level
    if errors:
        raise ValidationError(errors)
    return cleaned


def confirm_triage(
    actor: Any, grievance_id: int, data: dict[str, Any], *, partial: bool = False
) -> TriageRecord:
    """Confirm or correct a case's labels; the priority is recomputed. With ``partial``,
    fields left out keep their current value. Only the secretariat: a company does not set
    the priority of complaints about itself."""
    record = triage_record(actor, grievance_id)
    if not remedy_access.is_secretariat(actor, record.grievance):
        raise PermissionDenied(_("Only the mechanism's secretariat confirms or corrects triage."))
    if partial:
        data = {**{f: getattr(record, f) for f in LABEL_FIELDS}, **data}
    cleaned = clean_labels(data)
    suggested = records.suggested_labels(Triage.from_dict(record.suggested))
    corrected = sorted(f for f in LABEL_FIELDS if _differs(cleaned[f], suggested[f]))
    with transaction.atomic():
        record = TriageRecord.objects.select_for_update().get(pk=record.pk)
        for field, value in cleaned.items():
            setattr(record, field, value)
        record.confirmed_by, record.confirmed_at = actor, timezone.now()
        records.set_priority(record)
        record.save()
        grievance = record.grievance
        audit.record(
            actor,
            "triage.labels_confirmed",
            target=grievance,
            organisation=grievance.mechanism.organisation,
            details={"corrected": corrected, "priority": record.priority},
        )
    return record


def _differs(chosen: Any, suggested: Any) -> bool:
    if isinstance(chosen, list):
        return sorted(chosen) != sorted(suggested)
    return bool(chosen != suggested)


# Collective cases --------------------------------------------------------------------------


def _secretariat_collective(actor: Any, collective_id: int) -> tuple[access.Reach, CollectiveCase]:
    scope = access.reach(actor)
    collective = access.access_collective(scope, collective_id)
    access.must_run(scope, collective.mechanism_id)
    return scope, collective


def _record(actor: Any, action: str, collective: CollectiveCase, **details: Any) -> None:
    audit.record(
        actor,
        action,
        target=collective,
        organisation=collective.mechanism.organisation,
        details=details,
    )


def _free(grievance_ids: list[int]) -> list[int]:
    """Those of ``grievance_ids`` not in any collective case yet."""
    taken = set(
        CollectiveMember.objects.filter(grievance_id__in=grievance_ids).values_list(
            "grievance_id", flat=True
        )
    )
    return [g for g in grievance_ids if g not in taken]


def merge_cluster(actor: Any, cluster_id: int, title: str = "") -> CollectiveCase:
    """Take a cluster's grievances into one collective case (the cluster's own, if it has
    one already: then the grievances not in it yet join it). Grievances already in another
    collective case stay there."""
    scope = access.reach(actor)
    cluster = access.access_cluster(scope, cluster_id)
    access.must_run(scope, cluster.mechanism_id)
    title = (title or cluster.label or _("Collective case")).strip()[:200]
    with transaction.atomic():
        collective = CollectiveCase.objects.filter(cluster=cluster).first()
        created = collective is None
        if collective is None:
            collective = CollectiveCase.objects.create(
                mechanism=cluster.mechanism, title=title, cluster=cluster, created_by=actor
            )
        members = list(
            cluster.members.order_by("grievance_id").values_list("grievance_id", flat=True)
        )
        joining = _free(members)
        CollectiveMember.objects.bulk_create(
            [CollectiveMember(collective=collective, grievance_id=g) for g in joining]
        )
        _record(
            actor,
            "triage.collective_created" if created else "triage.collective_members_added",
            collective,
            cluster=cluster.pk,
            members=len(joining),
        )
    return collective


def grievance_ids_for_codes(mechanism: Mechanism, case_codes: list[str]) -> list[int]:
    """The grievances of ``mechanism`` with these case codes; ``ValidationError`` names the
    codes that are not in it."""
    codes = [receipts.normalise(c) for c in case_codes if c.strip()]
    found = dict(
        Grievance.objects.filter(mechanism=mechanism, case_code__in=codes).values_list(
            "case_code", "pk"
        )
    )
    unknown = [c for c in codes if c not in found]
    if unknown or not codes:
        raise ValidationError(
            {
                "case_codes": _("No case of this mechanism has the code: %(codes)s.")
                % {"codes": ", ".join(unknown) or "–"}
            }
        )
    return [found[c] for c in codes]


def add_to_collective(actor: Any, collective_id: int, grievance_ids: list[int]) -> int:
    """Add single grievances of the same mechanism to a collective case; how many joined."""
    _scope, collective = _secretariat_collective(actor, collective_id)
    valid = set(
        Grievance.objects.filter(
            mechanism_id=collective.mechanism_id, pk__in=grievance_ids
        ).values_list("pk", flat=True)
    )
    if not grievance_ids or valid != set(grievance_ids):
        raise ValidationError({"case_codes": _("Choose cases of this mechanism.")})
    joining = _free(sorted(valid))
    if len(joining) != len(valid):
        raise ValidationError(
            {"case_codes": _("A case can be in only one collective case; remove it there first.")}
        )
    with transaction.atomic():
        CollectiveMember.objects.bulk_create(
            [CollectiveMember(collective=collective, grievance_id=g) for g in joining]
        )
        _record(actor, "triage.collective_members_added", collective, members=len(joining))
    return len(joining)


def remove_from_collective(actor: Any, collective_id: int, grievance_id: int) -> None:
    """Take a grievance out of a collective case; it keeps its own state and history."""
    _scope, collective = _secretariat_collective(actor, collective_id)
    with transaction.atomic():
        removed, _kinds = CollectiveMember.objects.filter(
            collective=collective, grievance_id=grievance_id
        ).delete()
        if not removed:
            raise ValidationError({"case": _("This case is not in the collective case.")})
        _record(actor, "triage.collective_member_removed", collective, grievance=grievance_id)


@dataclass(frozen=True)
class Skipped:
    """A member grievance a collective move left where it was, and why."""

    grievance_id: int
    case_code: str
    state: str
    why: str


@dataclass(frozen=True)
class CollectiveMove:
    """What a collective move did: the grievances moved and those skipped."""

    target: str
    moved: list[tuple[int, str]]
    skipped: list[Skipped]


def _member_grievances(collective: CollectiveCase) -> list[Grievance]:
    return list(
        Grievance.objects.filter(collective_membership__collective=collective).order_by("case_code")
    )


def move_collective(
    actor: Any, collective_id: int, target: str, reason: str = ""
) -> CollectiveMove:
    """Move every member grievance whose state allows it to ``target``, each through the
    grievance mechanism's own action; the others are skipped, not forced."""
    _scope, collective = _secretariat_collective(actor, collective_id)
    if target not in states.STATES:
        raise ValidationError({"state": _("Choose a step.")})
    if target in states.REASON_REQUIRED and not reason.strip():
        raise ValidationError({"reason": _("Say why; every complainant will read it.")})
    moved: list[tuple[int, str]] = []
    skipped: list[Skipped] = []
    with transaction.atomic():
        for grievance in _member_grievances(collective):
            why = _cannot_move(grievance.state, target)
            if not why:
                try:
                    remedy_actions.move(actor, grievance.pk, target, reason)
                except (ValidationError, PermissionDenied) as error:
                    why = " ".join(getattr(error, "messages", [str(error)]))
                else:
                    moved.append((grievance.pk, grievance.case_code))
                    continue
            skipped.append(Skipped(grievance.pk, grievance.case_code, grievance.state, why))
        _record(
            actor,
            "triage.collective_moved",
            collective,
            to=target,
            moved=len(moved),
            skipped=len(skipped),
        )
    return CollectiveMove(target, moved, skipped)


def _cannot_move(state: str, target: str) -> str:
    if (state, target) in states.COMPLAINANT_TRANSITIONS:
        return _("Only the complainant accepts or refuses a remedy.")
    if not states.can_move(state, target):
        return _("Its step does not allow this move.")
    return ""


def message_collective(actor: Any, collective_id: int, body: str) -> int:
    """Send one message to every member's complainant (each sees it in their own case)."""
    _scope, collective = _secretariat_collective(actor, collective_id)
    body = body.strip()
    if not body:
        raise ValidationError({"body": _("Write a message.")})
    grievances = _member_grievances(collective)
    with transaction.atomic():
        for grievance in grievances:
            remedy_actions.post_message(actor, grievance.pk, body)
        _record(actor, "triage.collective_message", collective, members=len(grievances))
    return len(grievances)


def record_collective_outcome(
    actor: Any, collective_id: int, remedy_types: list[str], description: str = ""
) -> int:
    """Record the same outcome on every member grievance, so each complainant receives it
    and may say, on their own status page, how satisfied they are."""
    _scope, collective = _secretariat_collective(actor, collective_id)
    if not remedy_types or any(t not in states.OUTCOMES for t in remedy_types):
        raise ValidationError({"remedy_types": _("Choose at least one listed type of remedy.")})
    grievances = _member_grievances(collective)
    with transaction.atomic():
        for grievance in grievances:
            remedy_actions.record_outcome(actor, grievance.pk, remedy_types, description)
        _record(
            actor,
            "triage.collective_outcome",
            collective,
            members=len(grievances),
            remedy_types=[t for t in states.OUTCOMES if t in remedy_types],
        )
    return len(grievances)
