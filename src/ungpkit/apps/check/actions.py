"""Every write of the UNGP check. Each action checks permission, validates, writes in one
transaction, appends to the audit log and schedules follow-up work after commit. Pages, the
JSON API and the CLI call these, so they can never disagree."""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ungpkit.apps.accounts import audit
from ungpkit.apps.accounts.errors import NotFound
from ungpkit.apps.accounts.models import Organisation
from ungpkit.apps.check import access
from ungpkit.apps.check.document_errors import document_error
from ungpkit.apps.check.models import (
    Assessment,
    AssessmentState,
    LawDocument,
    Review,
    ReviewDecision,
)
from ungpkit.documents import DocumentError, ReadLimits, read_bytes, read_text
from ungpkit.documents.model import Document, document_to_dict
from ungpkit.framework import default_framework

STATUSES = ("met", "partial", "absent", "not_applicable")
STRENGTHS = ("binding", "best_efforts", "voluntary", "aspirational")


def _limits() -> ReadLimits:
    limits = dict(getattr(settings, "UNGPKIT_READ_LIMITS", {}))
    limits["max_bytes"] = int(getattr(settings, "UNGPKIT_MAX_UPLOAD_BYTES", 50 << 20))
    return ReadLimits(**limits)


def _organisation_for_checking(actor: Any, organisation_id: int) -> Organisation:
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None or not (
        access.is_platform_admin(actor) or organisation.pk in access.member_organisations(actor)
    ):
        raise NotFound(_("No such organisation."))
    if not access.can_check(actor, organisation.pk):
        raise PermissionDenied(_("You may not run checks for this organisation."))
    return organisation


def passages_json(document: Document) -> list[dict[str, Any]]:
    """The passages of a read document as stored for the document view."""
    return [
        {
            "id": p.id,
            "locator": p.locator,
            "kind": p.kind,
            "page": p.page,
            "heading": p.heading,
            "text": p.text,
        }
        for p in document.passages
    ]


def upload_document(
    actor: Any, organisation_id: int, *, filename: str, data: bytes, title: str = ""
) -> LawDocument:
    """Store an uploaded law after reading it; a file the engine cannot read is refused with
    the engine's own explanation (``ValidationError`` on ``file``)."""
    organisation = _organisation_for_checking(actor, organisation_id)
    limits = _limits()
    try:
        document = read_bytes(data, filename=filename, limits=limits)
    except DocumentError as exc:
        raise ValidationError({"file": document_error(exc, filename, limits)}) from exc
    return _store(actor, organisation, document, filename, data, title)


def paste_text(actor: Any, organisation_id: int, *, text: str, title: str = "") -> LawDocument:
    """Store pasted text as a document (Markdown headings and numbering are recognised)."""
    organisation = _organisation_for_checking(actor, organisation_id)
    if not text.strip():
        raise ValidationError({"text": _("Paste the text of the law or draft.")})
    data = text.encode("utf-8")
    if len(data) > _limits().max_bytes:
        raise ValidationError({"text": _("The text is longer than this site accepts.")})
    try:
        document = read_text(text, title=title or None, format="markdown", source="pasted.md")
    except DocumentError as exc:
        raise ValidationError({"text": document_error(exc, _("The text"), _limits())}) from exc
    return _store(actor, organisation, document, "pasted.md", data, title)


def _store(
    actor: Any,
    organisation: Organisation,
    document: Document,
    filename: str,
    data: bytes,
    title: str,
) -> LawDocument:
    with transaction.atomic():
        law = LawDocument.objects.create(
            organisation=organisation,
            uploaded_by=actor if actor.is_authenticated else None,
            title=(title.strip() or document.title)[:500],
            filename=filename[:255],
            content=data,
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            format=document.format,
            language=document.language,
            pages=document.pages,
            passages=passages_json(document),
            warnings=list(document.warnings),
            parsed=document_to_dict(document),
        )
        audit.record(
            actor,
            "check.document_uploaded",
            target=law,
            organisation=organisation,
            details={"format": law.format, "size": law.size, "sha256": law.sha256},
        )
    return law


def request_assessment(
    actor: Any, document_id: int, *, grid: str = "regulation", lang: str = ""
) -> Assessment:
    """Queue a check of an upload; the work runs as a background task after commit."""
    document = access.access_document(actor, document_id)
    if not access.can_check(actor, document.organisation_id):
        raise PermissionDenied(_("You may not run checks for this organisation."))
    try:
        default_framework().grid(grid)
    except KeyError as exc:
        raise ValidationError({"grid": _("Choose one of the listed grids.")}) from exc
    if lang and lang not in ("en", "fr", "es", "ko"):
        raise ValidationError({"lang": _("Choose English, French, Spanish or Korean.")})
    with transaction.atomic():
        assessment = Assessment.objects.create(
            document=document,
            organisation=document.organisation,
            created_by=actor,
            grid=grid,
            lang=lang or "",
        )
        audit.record(
            actor,
            "check.assessment_requested",
            target=assessment,
            organisation=document.organisation,
            details={"grid": grid, "lang": lang},
        )
        transaction.on_commit(lambda: _enqueue(assessment.pk))
    return assessment


def _enqueue(assessment_id: int) -> None:
    from ungpkit.apps.check.tasks import run_assessment

    run_assessment.enqueue(assessment_id)


def review_finding(
    actor: Any,
    assessment_id: int,
    element: str,
    *,
    decision: str,
    status: str = "",
    strength: str = "",
    passage_ids: list[str] | None = None,
    comment: str = "",
) -> Review:
    """Record a reviewer's decision on one finding; the machine's answer stays as it was."""
    assessment = access.access_assessment(actor, assessment_id)
    if not access.can_review(actor, assessment.organisation_id):
        raise PermissionDenied(_("You may not review this assessment."))
    if assessment.state != AssessmentState.DONE:
        raise ValidationError(_("The check has not finished yet."))
    finding = next((f for f in assessment.findings if f["element"] == element), None)
    if finding is None:
        raise ValidationError({"element": _("This assessment has no such element.")})
    errors = _review_errors(assessment, decision, status, strength, passage_ids or [], comment)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        review = Review.objects.create(
            assessment=assessment,
            element=element,
            reviewer=actor,
            decision=decision,
            status=status if decision == ReviewDecision.CORRECT else "",
            strength=strength if decision == ReviewDecision.CORRECT else "",
            passage_ids=list(passage_ids or []) if decision == ReviewDecision.CORRECT else [],
            comment=comment.strip(),
            machine_status=finding["status"],
            machine_strength=finding.get("strength") or "",
        )
        audit.record(
            actor,
            "check.finding_reviewed",
            target=review,
            organisation=assessment.organisation,
            details={"element": element, "decision": decision},
        )
    return review


def _review_errors(
    assessment: Assessment,
    decision: str,
    status: str,
    strength: str,
    passage_ids: list[str],
    comment: str,
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if decision not in ReviewDecision.values:
        errors["decision"] = _("Choose accept, reject or correct.")
    if decision == ReviewDecision.CORRECT:
        if status not in STATUSES:
            errors["status"] = _("Choose the correct status.")
        if strength and strength not in STRENGTHS:
            errors["strength"] = _("Choose one of the listed strengths.")
        known = {p["id"] for p in assessment.document.passages}
        unknown = [p for p in passage_ids if p not in known]
        if unknown:
            errors["passage_ids"] = _("These passages are not in the document: %(ids)s") % {
                "ids": ", ".join(unknown[:5])
            }
    if decision == ReviewDecision.REJECT and not comment.strip():
        errors["comment"] = _("Say why the finding is wrong, so others can learn from it.")
    if len(comment) > 5000:
        errors["comment"] = _("Keep the comment under 5,000 characters.")
    return errors


def set_public(actor: Any, assessment_id: int, public: bool) -> Assessment:
    """Publish or unpublish an assessment (its author or the organisation's administrator)."""
    assessment = access.access_assessment(actor, assessment_id)
    if not access.can_manage(actor, assessment):
        raise PermissionDenied(_("Only the author or an administrator may publish this."))
    with transaction.atomic():
        assessment.is_public = public
        assessment.save(update_fields=["is_public"])
        audit.record(
            actor,
            "check.assessment_published" if public else "check.assessment_unpublished",
            target=assessment,
            organisation=assessment.organisation,
        )
    return assessment


STALE_AFTER_SECONDS = 300
"""A running check whose heartbeat is older than this is taken for dead (it beats every 30 s)."""

MAX_ATTEMPTS = 3
"""How many times a check may start before a stop without finishing marks it failed."""


def recover_stale_assessments(
    max_age_seconds: int = STALE_AFTER_SECONDS, max_attempts: int = MAX_ATTEMPTS
) -> int:
    """Requeue checks whose worker died; fail them, with a reason, after too many tries.

    Two cases: a running check whose heartbeat stopped (its worker was killed or its machine
    went down), and a queued check with no task waiting in the queue (the enqueue was lost,
    for example when a process died between saving the request and enqueuing it). Safe to run
    from several processes at once. Returns how many checks were recovered. `ungpkit worker`
    runs it when it starts and every minute; `ungpkit manage recover_assessments` runs it once.
    """
    cutoff = timezone.now() - timezone.timedelta(seconds=max_age_seconds)
    stopped = Assessment.objects.filter(state=AssessmentState.RUNNING).filter(
        Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, started_at__lt=cutoff)
    )
    handled = {
        pk
        for pk in stopped.values_list("pk", flat=True)
        if _recover_stopped(pk, cutoff, max_attempts)
    }
    waiting = _assessments_waiting_in_queue() | handled
    lost = Assessment.objects.filter(state=AssessmentState.QUEUED, created_at__lt=cutoff)
    handled |= {
        pk for pk in lost.values_list("pk", flat=True) if pk not in waiting and _recover_lost(pk)
    }
    return len(handled)


def _recover_stopped(pk: int, cutoff: Any, max_attempts: int) -> bool:
    with transaction.atomic():
        assessment = (
            Assessment.objects.select_for_update()
            .select_related("organisation")
            .filter(pk=pk, state=AssessmentState.RUNNING)
            .first()
        )
        beat = assessment and (assessment.heartbeat_at or assessment.started_at)
        if assessment is None or (beat is not None and beat >= cutoff):
            return False  # finished, or beat again since we looked
        if assessment.attempts >= max_attempts:
            assessment.state = AssessmentState.FAILED
            assessment.error = _(
                "The check stopped %(n)s times without finishing; "
                "the file may be too large for this server."
            ) % {"n": assessment.attempts}
            assessment.finished_at = timezone.now()
            assessment.save(update_fields=["state", "error", "finished_at"])
        else:
            assessment.state = AssessmentState.QUEUED
            assessment.progress = 0
            assessment.save(update_fields=["state", "progress"])
            transaction.on_commit(lambda: _enqueue(pk))
        _fail_orphaned_tasks(pk)
        audit.record(
            None,
            "check.assessment_recovered",
            target=assessment,
            organisation=assessment.organisation,
            details={"state": assessment.state, "attempts": assessment.attempts},
        )
    return True


def _recover_lost(pk: int) -> bool:
    with transaction.atomic():
        assessment = (
            Assessment.objects.select_for_update()
            .select_related("organisation")
            .filter(pk=pk, state=AssessmentState.QUEUED)
            .first()
        )
        if assessment is None:
            return False
        transaction.on_commit(lambda: _enqueue(pk))
        audit.record(
            None,
            "check.assessment_recovered",
            target=assessment,
            organisation=assessment.organisation,
            details={"state": assessment.state, "attempts": assessment.attempts},
        )
    return True


def _check_tasks(statuses: tuple[str, ...]) -> list[Any]:
    """The database queue's results of ``run_assessment`` in ``statuses``."""
    from django_tasks_db.models import DBTaskResult

    from ungpkit.apps.check.tasks import run_assessment

    return list(
        DBTaskResult.objects.filter(task_path=run_assessment.module_path, status__in=statuses)
    )


def _task_assessment_id(result: Any) -> int | None:
    args = (result.args_kwargs or {}).get("args") or [None]
    return args[0] if isinstance(args[0], int) else None


def _assessments_waiting_in_queue() -> set[int]:
    """Ids of the assessments that have a task ready or claimed in the database queue."""
    ids = (_task_assessment_id(r) for r in _check_tasks(("READY", "RUNNING")))
    return {i for i in ids if i is not None}


def _fail_orphaned_tasks(pk: int) -> None:
    """Close the queue's record of a dead worker's task, so the queue shows what happened."""
    for result in _check_tasks(("RUNNING",)):
        if _task_assessment_id(result) == pk:
            result.status = "FAILED"
            result.finished_at = timezone.now()
            result.exception_class_path = "ungpkit.apps.check.WorkerStopped"
            result.traceback = "The worker stopped sending heartbeats; the check was recovered."
            result.save(
                update_fields=["status", "finished_at", "exception_class_path", "traceback"]
            )
