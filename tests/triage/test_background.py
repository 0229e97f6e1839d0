"""Triage in the background: when workers run (``UNGPKIT_TASK_BACKEND=database``), a new
grievance is stored with its place on the workers' to-do list instead of its triage record,
the queue tells its secretariat how many wait, and the workers' batch triage stores the
records (and survives a triage that fails)."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.test import Client

from ungpkit.apps.remedy.models import Grievance
from ungpkit.apps.triage import records
from ungpkit.apps.triage.models import AwaitingTriage, TriageRecord
from ungpkit.grievances.triage import triage

from .conftest import SEVERE_TEXT, World, manage

TEXT = "The app sold my location to advertisers without asking me, and it still does."


@pytest.fixture
def workers(settings: Any) -> None:
    """Work is queued for ``ungpkit worker`` processes, as in production."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _queue(client: Client, path: str = "/en/triage/") -> str:
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def test_without_workers_the_record_is_made_at_intake(world: World) -> None:
    assert not records.in_background()
    grievance = world.submit(TEXT)
    assert TriageRecord.objects.filter(grievance=grievance).exists()
    assert not AwaitingTriage.objects.exists()


def test_with_workers_a_new_grievance_waits_for_them(world: World, workers: None) -> None:
    response = Client().post(
        "/api/grievances",
        {"mechanism": "joint", "description": TEXT, "ongoing": True},
        content_type="application/json",
    )
    assert response.status_code == 201
    grievance = Grievance.objects.get(case_code=response.json()["case_code"])
    assert not TriageRecord.objects.filter(grievance=grievance).exists()
    assert list(AwaitingTriage.objects.values_list("pk", flat=True)) == [grievance.pk]

    page = _queue(world.client("sec"))
    assert "1 new grievance is waiting to be triaged" in page
    assert "waiting to be triaged" not in _queue(world.client("member_a"))  # not routed yet
    assert "waiting to be triaged" not in _queue(world.client("other_sec"))
    assert "1 new grievance is waiting" in _queue(world.client("platform_admin"))
    sec_joint = _queue(world.client("sec"), "/en/triage/mechanisms/joint/")
    assert "1 new grievance is waiting" in sec_joint
    assert "waiting to be triaged" not in _queue(
        world.client("other_sec"), "/en/triage/mechanisms/other/"
    )

    assert records.triage_awaiting() == 1

    record = TriageRecord.objects.get(grievance=grievance)
    assert record.suggested == triage(records.grievance_input(grievance)).to_dict()
    assert record.open and record.priority > 0 and "urgent.ongoing" in record.urgency
    assert not AwaitingTriage.objects.exists()
    page = _queue(world.client("sec"))
    assert "waiting to be triaged" not in page and grievance.case_code in page


def test_the_workers_triage_in_batches_until_none_waits(world: World, workers: None) -> None:
    grievances = [world.submit(f"{TEXT} ({n})") for n in range(7)]
    assert "7 new grievances are waiting to be triaged" in _queue(world.client("sec"))

    assert records.triage_awaiting(batch=3) == 7

    assert TriageRecord.objects.filter(grievance__in=grievances).count() == 7
    assert not AwaitingTriage.objects.exists()
    assert records.triage_awaiting() == 0


def test_a_failing_triage_is_logged_and_left_for_the_command(
    world: World, workers: None, monkeypatch: Any, caplog: pytest.LogCaptureFixture
) -> None:
    good = world.submit(TEXT)
    bad = world.submit(SEVERE_TEXT)
    real = records.triage_batch

    def fails_on_bad(grievances: list[Grievance]) -> int:
        if any(g.pk == bad.pk for g in grievances):
            raise ValueError("triage is down")
        return real(grievances)

    monkeypatch.setattr(records, "triage_batch", fails_on_bad)
    with caplog.at_level(logging.ERROR, logger="ungpkit.apps.triage.records"):
        assert records.triage_awaiting() == 1

    assert TriageRecord.objects.filter(grievance=good).exists()
    assert not TriageRecord.objects.filter(grievance=bad).exists()
    assert not AwaitingTriage.objects.exists()
    assert f"Triage failed for grievance {bad.pk}" in caplog.text
    assert SEVERE_TEXT not in caplog.text  # the complaint's words never reach the log
    monkeypatch.undo()
    assert "1 grievance(s) triaged." in manage("triage_grievances", "--mechanism", "joint")
    assert TriageRecord.objects.filter(grievance=bad).exists()


def test_an_erased_grievance_is_dropped_from_the_list(world: World, workers: None) -> None:
    grievance = world.submit(TEXT)
    Grievance.objects.filter(pk=grievance.pk).delete()  # the ORM drops its row with it
    AwaitingTriage.objects.create(grievance_id=grievance.pk)  # as a raw delete leaves it
    assert records.triage_awaiting() == 0
    assert not AwaitingTriage.objects.exists()
