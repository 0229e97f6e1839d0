"""Real `ungpkit worker` processes against one PostgreSQL database: a queued check is done,
and the check of a worker that died mid-task is recovered when a worker starts.

PostgreSQL only: the worker is another process, and it must share the test database."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from ungpkit.apps.accounts import audit
from ungpkit.apps.accounts.models import AuditEntry
from ungpkit.apps.check import actions
from ungpkit.apps.check.models import Assessment, AssessmentState
from ungpkit.demo.dataset import DRAFTS

from .conftest import DEMO_DATA

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith(("postgres", "pgsql")),
        reason="worker processes need a shared PostgreSQL database (set DATABASE_URL)",
    ),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def database_queue(settings: Any) -> None:
    """Enqueue into the database, as the web processes do in production."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _run_worker(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run `ungpkit worker --batch` against the test database and wait for it."""
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    url = f"postgres://{db['USER']}{password}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}"
    env = {
        **os.environ,
        "DATABASE_URL": f"{url}/{db['NAME']}",
        "UNGPKIT_TASK_BACKEND": "database",
        "UNGPKIT_DATA_DIR": str(tmp_path),
    }
    return subprocess.run(
        [sys.executable, "-m", "ungpkit", "worker", "--batch", "--interval", "0", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _request(drafter: Any, ministry: Any) -> Assessment:
    filename, title = DRAFTS[0]
    data = (DEMO_DATA / filename).read_bytes()
    document = actions.upload_document(
        drafter, ministry.pk, filename=filename, data=data, title=title
    )
    return actions.request_assessment(drafter, document.pk, grid="regulation")


def test_a_worker_process_runs_a_queued_check(
    database_queue: None, drafter: Any, ministry: Any, tmp_path: Path
) -> None:
    assessment = _request(drafter, ministry)
    assert Assessment.objects.get(pk=assessment.pk).state == AssessmentState.QUEUED
    assert DBTaskResult.objects.ready().count() == 1

    worker = _run_worker(tmp_path)

    assert worker.returncode == 0, worker.stderr
    assessment.refresh_from_db()
    assert assessment.state == AssessmentState.DONE, assessment.error
    assert assessment.progress == 100 and assessment.findings
    assert DBTaskResult.objects.successful().count() == 1
    # the worker also links the audit entries of the upload and the request into the chain
    assert AuditEntry.objects.exists()
    assert not AuditEntry.objects.filter(entry_hash__isnull=True).exists()
    assert audit.verify_audit_chain().ok


def test_a_starting_worker_recovers_the_check_of_a_dead_worker(
    database_queue: None, drafter: Any, ministry: Any, tmp_path: Path
) -> None:
    assessment = _request(drafter, ministry)
    task = DBTaskResult.objects.get()
    task.claim("dead-worker")  # a worker took the task, started the check, then died
    long_ago = timezone.now() - timedelta(hours=1)
    Assessment.objects.filter(pk=assessment.pk).update(
        state=AssessmentState.RUNNING, attempts=1, started_at=long_ago, heartbeat_at=long_ago
    )

    worker = _run_worker(tmp_path)

    assert worker.returncode == 0, worker.stderr
    assert "Recovered 1 check(s)" in worker.stderr
    assessment.refresh_from_db()
    assert assessment.state == AssessmentState.DONE, assessment.error
    assert assessment.attempts == 2
    task.refresh_from_db()
    assert task.status == "FAILED"
    assert task.exception_class_path == "ungpkit.apps.check.WorkerStopped"


def test_a_check_whose_workers_keep_dying_is_failed_with_a_reason(
    database_queue: None, drafter: Any, ministry: Any, tmp_path: Path
) -> None:
    assessment = _request(drafter, ministry)
    DBTaskResult.objects.get().claim("dead-worker")
    long_ago = timezone.now() - timedelta(hours=1)
    Assessment.objects.filter(pk=assessment.pk).update(
        state=AssessmentState.RUNNING, attempts=3, started_at=long_ago, heartbeat_at=long_ago
    )

    worker = _run_worker(tmp_path)

    assert worker.returncode == 0, worker.stderr
    assessment.refresh_from_db()
    assert assessment.state == AssessmentState.FAILED
    assert "stopped 3 times" in assessment.error
    assert not DBTaskResult.objects.ready().exists()
