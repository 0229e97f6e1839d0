"""Background work: running the engine on an upload. Workers are `ungpkit worker` processes
against the database queue; the embedded default runs tasks in-process.

A running check proves it is alive by its heartbeat (``Assessment.heartbeat_at``), written by
a small thread every ``HEARTBEAT_SECONDS`` and on each progress step. A worker that dies stops
the heartbeat; ``actions.recover_stale_assessments`` then requeues the check or fails it with a
reason, so no check is ever silently stuck.
"""

from __future__ import annotations

import logging
import threading
import time
from types import TracebackType

from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from ungpkit.analysis import UnsupportedLanguage
from ungpkit.apps.check.document_errors import UNSUPPORTED_LANGUAGE
from ungpkit.apps.check.models import Assessment, AssessmentState
from ungpkit.documents import DocumentError, read_bytes
from ungpkit.documents.model import Document, document_from_dict
from ungpkit.framework import default_framework

logger = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 30.0
"""How often a running check writes its heartbeat, whatever the engine is doing."""


class Heartbeat:
    """While open, a daemon thread stamps ``heartbeat_at`` of one running assessment.

    The thread uses its own database connection and closes it when it stops; a failed write
    is logged and retried at the next beat (the check itself goes on).
    """

    def __init__(self, assessment_id: int, every: float = HEARTBEAT_SECONDS) -> None:
        self.assessment_id = assessment_id
        self.every = every
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._run, name=f"heartbeat-{assessment_id}", daemon=True
        )

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._stop.set()
        self._thread.join(timeout=self.every + 5)

    def _run(self) -> None:
        try:
            while not self._stop.wait(self.every):
                self.beat()
        finally:
            connection.close()

    def beat(self) -> None:
        """Write one heartbeat (only while the assessment is still running)."""
        try:
            Assessment.objects.filter(pk=self.assessment_id, state=AssessmentState.RUNNING).update(
                heartbeat_at=timezone.now()
            )
        except DatabaseError:
            logger.warning("Heartbeat of assessment %s failed; retrying", self.assessment_id)


@task()
def run_assessment(assessment_id: int) -> str:
    """Run the check for one queued assessment and store its result (or why it failed)."""
    assessment = _claim(assessment_id)
    if assessment is None:
        return "skipped"
    try:
        with Heartbeat(assessment.pk):
            result = _run(assessment)
    except (DocumentError, UnsupportedLanguage, FileNotFoundError, KeyError) as exc:
        # FileNotFoundError: the report model file is missing (ModelMissing says how to build it)
        if isinstance(exc, UnsupportedLanguage):
            message = UNSUPPORTED_LANGUAGE  # translated when shown: the worker has no reader
        else:
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
    except BaseException:  # the worker is being stopped: give the check back to the queue
        _requeue_interrupted(assessment)
        raise
    _finish(assessment, AssessmentState.DONE, result=result)
    return "done"


def _claim(assessment_id: int) -> Assessment | None:
    """Mark a queued assessment as running (once, even with several workers), or ``None``."""
    with transaction.atomic():
        assessment = (
            Assessment.objects.select_for_update()
            .select_related("document", "organisation")
            .filter(pk=assessment_id)
            .first()
        )
        if assessment is None or assessment.state != AssessmentState.QUEUED:
            return None
        assessment.state = AssessmentState.RUNNING
        assessment.attempts += 1
        assessment.started_at = assessment.heartbeat_at = timezone.now()
        assessment.progress = 0
        assessment.save(
            update_fields=["state", "attempts", "started_at", "heartbeat_at", "progress"]
        )
    return assessment


def _document(assessment: Assessment) -> Document:
    """The document as read at upload, or read again when a language is forced."""
    law = assessment.document
    if law.parsed and (not assessment.lang or assessment.lang == law.language):
        return document_from_dict(law.parsed)
    return read_bytes(bytes(law.content), filename=law.filename, language=assessment.lang or None)


def _run(assessment: Assessment) -> dict[str, object]:
    document = _document(assessment)
    grid = default_framework().grid(assessment.grid)
    last = [0.0]

    def progress(done: int, total: int) -> None:
        now = time.monotonic()
        if now - last[0] > 0.5 or done == total:
            last[0] = now
            Assessment.objects.filter(pk=assessment.pk).update(
                progress=int(100 * done / total), heartbeat_at=timezone.now()
            )

    from ungpkit.reporting import check_document  # numpy and scikit-learn: only when checking

    return check_document(document, grid, lang=assessment.lang or None, progress=progress).to_dict()


def _requeue_interrupted(assessment: Assessment) -> None:
    """Give the check of a worker that is shutting down back to the queue; the try does not
    count. Only with a task queue: run inline, the interrupted process must not start it again
    (recovery of stale checks picks it up instead)."""
    try:
        with transaction.atomic():
            updated = Assessment.objects.filter(
                pk=assessment.pk, state=AssessmentState.RUNNING
            ).update(
                state=AssessmentState.QUEUED,
                progress=0,
                attempts=max(assessment.attempts - 1, 0),
            )
            if updated and uses_task_queue():
                transaction.on_commit(lambda: run_assessment.enqueue(assessment.pk))
    except Exception:  # recovery of stale checks will pick it up from its heartbeat
        logger.exception("Could not requeue interrupted assessment %s", assessment.pk)


def uses_task_queue() -> bool:
    """Whether checks go through the database queue (run by `ungpkit worker`), not inline."""
    from django_tasks_db import DatabaseBackend

    return isinstance(run_assessment.get_backend(), DatabaseBackend)


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
