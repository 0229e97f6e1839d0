"""Background work: running the engine on an upload. Workers are `ungpkit worker` processes
against the database queue; the embedded default runs tasks in-process."""

from __future__ import annotations

import time

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from ungpkit.analysis import UnsupportedLanguage, assess
from ungpkit.apps.check.models import Assessment, AssessmentState
from ungpkit.documents import DocumentError, read_bytes
from ungpkit.framework import default_framework


@task()
def run_assessment(assessment_id: int) -> str:
    """Run the check for one queued assessment and store its result (or why it failed)."""
    with transaction.atomic():
        assessment = (
            Assessment.objects.select_for_update()
            .select_related("document")
            .filter(pk=assessment_id)
            .first()
        )
        if assessment is None or assessment.state not in (AssessmentState.QUEUED,):
            return "skipped"
        assessment.state = AssessmentState.RUNNING
        assessment.attempts += 1
        assessment.started_at = assessment.heartbeat_at = timezone.now()
        assessment.progress = 0
        assessment.save(
            update_fields=["state", "attempts", "started_at", "heartbeat_at", "progress"]
        )
    try:
        result = _run(assessment)
    except (DocumentError, UnsupportedLanguage, KeyError) as exc:
        message = exc.message if isinstance(exc, DocumentError) else str(exc)
        _finish(assessment, AssessmentState.FAILED, error=message)
        return "failed"
    except Exception as exc:  # the worker must record every failure, never leave it stuck
        _finish(
            assessment,
            AssessmentState.FAILED,
            error=_(
                "The check failed unexpectedly (%(kind)s). Please try again; if it "
                "fails again, report it with the file."
            )
            % {"kind": type(exc).__name__},
        )
        raise
    _finish(assessment, AssessmentState.DONE, result=result)
    return "done"


def _run(assessment: Assessment) -> dict[str, object]:
    document = read_bytes(
        bytes(assessment.document.content),
        filename=assessment.document.filename,
        language=assessment.lang or None,
    )
    grid = default_framework().grid(assessment.grid)
    last = [0.0]

    def progress(done: int, total: int) -> None:
        now = time.monotonic()
        if now - last[0] > 0.5 or done == total:
            last[0] = now
            Assessment.objects.filter(pk=assessment.pk).update(
                progress=int(100 * done / total), heartbeat_at=timezone.now()
            )

    return assess(document, grid, lang=assessment.lang or None, progress=progress).to_dict()


def _finish(
    assessment: Assessment, state: str, *, error: str = "", result: dict[str, object] | None = None
) -> None:
    from ungpkit.apps.accounts import audit

    with transaction.atomic():
        assessment.state = state
        assessment.error = error
        assessment.result = result
        assessment.progress = 100 if state == AssessmentState.DONE else assessment.progress
        assessment.finished_at = timezone.now()
        assessment.save(update_fields=["state", "error", "result", "progress", "finished_at"])
        audit.record(
            None,
            f"check.assessment_{state}",
            target=assessment,
            organisation=assessment.organisation,
        )
