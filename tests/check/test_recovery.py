"""Nothing lost when a worker dies: heartbeats, recovery of stale or lost checks, and a
worker that is stopped mid-task giving its check back. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import time
from datetime import timedelta
from io import StringIO
from typing import Any
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import timezone

from ungpkit.apps.accounts.models import AuditEntry
from ungpkit.apps.check import actions, tasks
from ungpkit.apps.check.models import Assessment, AssessmentState, LawDocument
from ungpkit.demo.dataset import DRAFTS

from .conftest import DEMO_DATA


@pytest.fixture
def upload(drafter: Any, ministry: Any) -> LawDocument:
    filename, title = DRAFTS[0]
    data = (DEMO_DATA / filename).read_bytes()
    return actions.upload_document(drafter, ministry.pk, filename=filename, data=data, title=title)


def _stuck(document: LawDocument, *, state: str, attempts: int, age: timedelta) -> Assessment:
    """An assessment as a dead worker leaves it: no heartbeat for ``age``."""
    moment = timezone.now() - age
    return Assessment.objects.create(
        document=document,
        organisation=document.organisation,
        state=state,
        attempts=attempts,
        progress=40 if state == AssessmentState.RUNNING else 0,
        created_at=moment,
        started_at=moment if state == AssessmentState.RUNNING else None,
        heartbeat_at=moment if state == AssessmentState.RUNNING else None,
    )


def test_a_running_check_without_heartbeat_is_requeued_and_finishes(
    upload: LawDocument, django_capture_on_commit_callbacks: Any
) -> None:
    stuck = _stuck(upload, state="running", attempts=1, age=timedelta(hours=1))

    with django_capture_on_commit_callbacks(execute=True):
        recovered = actions.recover_stale_assessments()

    stuck.refresh_from_db()
    assert recovered == 1
    assert stuck.state == AssessmentState.DONE  # the embedded default runs it right away
    assert stuck.attempts == 2
    assert AuditEntry.objects.filter(action="check.assessment_recovered").count() == 1


def test_a_check_that_stopped_too_often_fails_with_a_reason(upload: LawDocument) -> None:
    stuck = _stuck(upload, state="running", attempts=3, age=timedelta(hours=1))

    assert actions.recover_stale_assessments() == 1

    stuck.refresh_from_db()
    assert stuck.state == AssessmentState.FAILED
    assert "stopped 3 times without finishing" in stuck.error
    assert stuck.finished_at is not None


def test_a_check_with_a_fresh_heartbeat_is_left_alone(upload: LawDocument) -> None:
    alive = _stuck(upload, state="running", attempts=1, age=timedelta(seconds=20))
    waiting = _stuck(upload, state="queued", attempts=0, age=timedelta(seconds=20))

    assert actions.recover_stale_assessments() == 0

    alive.refresh_from_db()
    waiting.refresh_from_db()
    assert (alive.state, waiting.state) == ("running", "queued")


def test_a_queued_check_whose_task_was_lost_is_enqueued_again(
    upload: LawDocument, django_capture_on_commit_callbacks: Any
) -> None:
    lost = _stuck(upload, state="queued", attempts=0, age=timedelta(hours=1))

    with django_capture_on_commit_callbacks(execute=True):
        assert actions.recover_stale_assessments() == 1

    lost.refresh_from_db()
    assert lost.state == AssessmentState.DONE


def test_the_management_command_reports_what_it_recovered(upload: LawDocument) -> None:
    _stuck(upload, state="running", attempts=5, age=timedelta(minutes=10))
    out = StringIO()

    call_command("recover_assessments", "--stale-after", "60", stdout=out)

    assert "Recovered 1 stale check(s)." in out.getvalue()


def test_a_worker_stopped_mid_task_gives_the_check_back(upload: LawDocument) -> None:
    queued = _stuck(upload, state="queued", attempts=0, age=timedelta(seconds=1))

    with (
        mock.patch.object(tasks, "_run", side_effect=KeyboardInterrupt),
        pytest.raises(KeyboardInterrupt),
    ):
        tasks.run_assessment.call(queued.pk)

    queued.refresh_from_db()
    assert queued.state == AssessmentState.QUEUED
    assert queued.attempts == 0  # an interrupted try does not count towards failing


def test_an_engine_crash_is_recorded_as_failed_not_left_running(upload: LawDocument) -> None:
    queued = _stuck(upload, state="queued", attempts=0, age=timedelta(seconds=1))

    with (
        mock.patch.object(tasks, "_run", side_effect=MemoryError),
        pytest.raises(MemoryError),
    ):
        tasks.run_assessment.call(queued.pk)

    queued.refresh_from_db()
    assert queued.state == AssessmentState.FAILED
    assert "MemoryError" in queued.error


@pytest.mark.django_db(transaction=True)
def test_the_heartbeat_thread_stamps_a_running_check(upload: LawDocument) -> None:
    running = _stuck(upload, state="running", attempts=1, age=timedelta(hours=1))
    before = running.heartbeat_at

    with tasks.Heartbeat(running.pk, every=0.05):
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            running.refresh_from_db()
            if running.heartbeat_at != before:
                break
            time.sleep(0.05)

    assert running.heartbeat_at > before
    assert actions.recover_stale_assessments() == 0


def test_the_worker_refuses_to_start_without_the_database_queue(
    run_cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("UNGPKIT_TASK_BACKEND", "immediate")

    result = run_cli("worker", "--batch")

    assert result.exit_code == 2
    assert "UNGPKIT_TASK_BACKEND=database" in result.output


def test_the_worker_seals_the_audit_log_and_survives_a_database_error(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, db: None
) -> None:
    from django.db import DatabaseError

    from ungpkit.apps.accounts import audit
    from ungpkit.apps.accounts.models import AuditEntry
    from ungpkit.cli import web

    for number in range(3):
        audit.record(None, "test.entry", details={"number": number})
    assert AuditEntry.objects.filter(entry_hash__isnull=True).count() == 3

    web._seal_audit_log()  # what the worker runs when it starts and every few seconds

    assert not AuditEntry.objects.filter(entry_hash__isnull=True).exists()
    assert audit.verify_audit_chain().ok

    def broken(*args: Any, **kwargs: Any) -> None:
        raise DatabaseError("connection lost")

    monkeypatch.setattr(audit, "seal_audit_log", broken)
    web._seal_audit_log()
    assert "Could not seal the audit log: DatabaseError" in caplog.text
