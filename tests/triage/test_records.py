"""Triage records through the services and commands: made at intake in the same transaction,
``open`` kept in step with the case's state, pending grievances triaged in batches, staff
corrections stored, audited, kept on re-triage and exported in the JSON Lines label format,
and priorities that grow with age."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from ungpkit.apps.accounts.models import AuditEntry
from ungpkit.apps.remedy import actions as remedy_actions
from ungpkit.apps.remedy import states
from ungpkit.apps.remedy.models import Grievance
from ungpkit.apps.triage import actions, exports, records
from ungpkit.apps.triage.models import TriageRecord
from ungpkit.grievances.model import Triage
from ungpkit.grievances.priority import priority
from ungpkit.grievances.triage import triage

from .conftest import EMAIL, NAME, SEVERE_TEXT, World, manage

LABEL_KEYS = {
    "description",
    "language",
    "affected_count",
    "ongoing",
    "child_involved",
    "fear_of_reprisal",
    "wants",
    "company_text",
    "rights",
    "harms",
    "urgency",
    "scale",
    "scope",
    "irremediability",
}
"""The keys of one line of ``ungpkit eval --triage FILE``."""


def test_intake_stores_the_suggestion_and_starts_the_labels_from_it(world: World) -> None:
    record = TriageRecord.objects.get(grievance=world.severe)
    expected = triage(records.grievance_input(world.severe))
    assert record.suggested == expected.to_dict()
    assert Triage.from_dict(record.suggested) == expected
    assert record.rights == [s.id for s in expected.rights]
    assert record.harms == [s.id for s in expected.harms]
    assert record.urgency == [s.id for s in expected.urgency]
    assert record.scale == expected.level("severity.scale")
    assert record.irremediability == expected.level("severity.irremediability")
    assert (record.mechanism, record.open, record.created_at) == (
        world.mechanism,
        True,
        world.severe.created_at,
    )
    assert record.confirmed_at is None and record.confirmed_by is None
    assert "urgent.child" in record.urgency and "urgent.reprisal" in record.urgency
    assert record.priority_reasons and all(r["detail"] for r in record.priority_reasons)


def test_the_record_is_written_in_the_intakes_transaction(world: World) -> None:
    before = TriageRecord.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        world.submit("My account was closed and my savings are locked in the app.")
        assert TriageRecord.objects.count() == before + 1
        raise RuntimeError("roll back")
    assert TriageRecord.objects.count() == before


def test_a_failing_triage_never_blocks_a_complaint(world: World, monkeypatch: Any) -> None:
    def broken(*args: Any, **kwargs: Any) -> None:
        raise ValueError("triage is down")

    monkeypatch.setattr(records, "record_for_new", broken)
    grievance = world.submit("The app sold my location to advertisers without asking me.")
    assert Grievance.objects.filter(pk=grievance.pk).exists()
    assert not TriageRecord.objects.filter(grievance=grievance).exists()
    monkeypatch.undo()
    assert "1 grievance(s) triaged." in manage("triage_grievances", "--mechanism", "joint")
    assert TriageRecord.objects.filter(grievance=grievance).exists()


def test_open_follows_the_state(world: World) -> None:
    sec = world.users["sec"]
    record = TriageRecord.objects.filter(grievance=world.mild)
    remedy_actions.move(sec, world.mild.pk, states.ACKNOWLEDGED)
    assert record.get().open
    remedy_actions.move(sec, world.mild.pk, states.NOT_ADMISSIBLE, "Not about a member.")
    assert not record.get().open
    remedy_actions.move(sec, world.mild.pk, states.CLOSED, "Closed.")
    assert not record.get().open


@pytest.mark.parametrize(
    "text",
    [
        SEVERE_TEXT,
        "The app shared my location with advertisers without asking.",
        "Nothing happened really.",
        "Mon fils de 12 ans a été harcelé en ligne et j'ai peur de représailles.",
    ],
)
def test_a_new_records_priority_is_the_one_its_stored_labels_give(world: World, text: str) -> None:
    """``record_values`` computes a new record's priority from the suggestion itself; it is
    what ``compute_priority`` gives once the record is read back with its labels."""
    grievance = world.submit(text)
    TriageRecord.objects.filter(grievance=grievance).delete()
    now = timezone.now()
    subject = records.subjects(Grievance.objects.filter(pk=grievance.pk))[0]
    assert records.triage_batch([subject], now) == 1
    stored = TriageRecord.objects.get(grievance=grievance)
    expected = records.compute_priority(stored, now)
    assert stored.priority == expected.score
    assert stored.priority_reasons == [r.to_dict() for r in expected.reasons]
    assert stored.suggested == triage(records.grievance_input(grievance)).to_dict()


def test_triage_pending_fills_in_grievances_without_a_record(world: World) -> None:
    """Bulk imports store grievances with ``bulk_create`` (no signal): the command catches up."""
    TriageRecord.objects.all().delete()
    seen: list[tuple[int, int]] = []
    done = records.triage_pending(
        world.mechanism, batch=1, progress=lambda d, t: seen.append((d, t))
    )
    assert done == 2 and seen == [(1, 2), (2, 2)]
    assert TriageRecord.objects.count() == 2
    assert records.triage_pending() == 0
    assert "0 grievance(s) triaged." in manage("triage_grievances")


def test_staff_correct_labels_which_are_stored_audited_and_reprioritised(world: World) -> None:
    sec = world.users["sec"]
    before = TriageRecord.objects.get(grievance=world.severe)
    labels = {
        "rights": ["right.privacy", "right.child"],
        "harms": ["harm.data_breach"],
        "urgency": ["urgent.child"],
        "scale": 3,
        "scope": 1,
        "irremediability": 3,
    }
    record = actions.confirm_triage(sec, world.severe.pk, labels)
    stored = TriageRecord.objects.get(pk=record.pk)
    assert stored.rights == ["right.privacy", "right.child"]
    assert stored.harms == ["harm.data_breach"] and stored.urgency == ["urgent.child"]
    assert (stored.scale, stored.scope, stored.irremediability) == (3, 1, 3)
    assert stored.confirmed_by == sec and stored.confirmed_at is not None
    assert stored.suggested == before.suggested  # the suggestion is kept unchanged
    expected = priority(
        records.current_triage(stored), age_days=records.age_days(stored.created_at)
    )
    assert stored.priority == expected.score
    entry = AuditEntry.objects.get(action="triage.labels_confirmed")
    assert entry.actor_id == sec.pk and entry.object_id == str(world.severe.pk)
    assert "urgency" in entry.details["corrected"]
    assert NAME not in json.dumps(entry.details)

    records.triage_grievance(Grievance.objects.get(pk=world.severe.pk))  # triaged again
    again = TriageRecord.objects.get(pk=record.pk)
    assert again.rights == ["right.privacy", "right.child"] and again.urgency == ["urgent.child"]


def test_wrong_labels_are_refused_field_by_field(world: World) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        actions.confirm_triage(
            world.users["sec"],
            world.severe.pk,
            {"rights": ["right.flying"], "harms": [], "urgency": ["urgent.soon"], "scale": 4},
        )
    assert set(refused.value.message_dict) == {"rights", "urgency", "scale"}


def test_partial_correction_keeps_the_other_labels(world: World) -> None:
    record = TriageRecord.objects.get(grievance=world.severe)
    assert record.scope != 3
    actions.confirm_triage(world.users["sec"], world.severe.pk, {"scope": 3}, partial=True)
    after = TriageRecord.objects.get(pk=record.pk)
    assert after.scope == 3
    assert (after.rights, after.harms, after.urgency) == (
        record.rights,
        record.harms,
        record.urgency,
    )
    assert after.confirmed_by == world.users["sec"]


def test_the_member_company_does_not_confirm_the_triage_of_its_own_case(world: World) -> None:
    """It sees the case (routed to it) but its priority is the secretariat's to set."""
    record = TriageRecord.objects.get(grievance=world.severe)
    assert actions.triage_record(world.users["member_a"], world.severe.pk) == record
    for partial, labels in ((True, {"scope": 3}), (False, {"rights": [], "scale": 0})):
        with pytest.raises(PermissionDenied) as refused:
            actions.confirm_triage(
                world.users["member_a"], world.severe.pk, labels, partial=partial
            )
        assert str(refused.value) == "Only the mechanism's secretariat confirms or corrects triage."
    after = TriageRecord.objects.get(pk=record.pk)
    assert (after.scope, after.rights, after.scale, after.priority) == (
        record.scope,
        record.rights,
        record.scale,
        record.priority,
    )
    assert after.confirmed_at is None and after.confirmed_by is None
    assert not AuditEntry.objects.filter(action="triage.labels_confirmed").exists()


def test_confirmed_labels_are_exported_as_json_lines_without_identity(
    world: World, tmp_path: Path
) -> None:
    actions.confirm_triage(
        world.users["sec"],
        world.severe.pk,
        {
            "rights": ["right.privacy"],
            "harms": ["harm.data_breach"],
            "urgency": ["urgent.child", "urgent.reprisal"],
            "scale": 3,
            "scope": 1,
            "irremediability": 2,
        },
    )
    target = tmp_path / "labels.jsonl"
    output = manage("export_triage_labels", "-o", str(target), "--mechanism", "joint")
    assert "1 confirmed label set(s) written" in output
    text = target.read_text(encoding="utf-8")
    assert NAME not in text and EMAIL not in text and world.severe.case_code not in text
    lines = [json.loads(line) for line in text.splitlines()]
    assert len(lines) == 1  # ``mild`` was never confirmed
    (line,) = lines
    assert set(line) == LABEL_KEYS
    assert line["description"] == SEVERE_TEXT
    assert line["child_involved"] is True and line["affected_count"] == 2
    assert line["rights"] == ["right.privacy"] and line["harms"] == ["harm.data_breach"]
    assert line["urgency"] == ["urgent.child", "urgent.reprisal"]
    assert (line["scale"], line["scope"], line["irremediability"]) == (3, 1, 2)

    Grievance.objects.filter(pk=world.severe.pk).update(erased_at=timezone.now())
    assert list(exports.confirmed()) == []  # erased at the complainant's request


def test_priorities_are_refreshed_as_cases_grow_older(world: World) -> None:
    old = timezone.now() - timedelta(days=90)
    TriageRecord.objects.filter(grievance=world.mild).update(created_at=old)
    record = TriageRecord.objects.get(grievance=world.mild)
    expected = priority(records.current_triage(record), age_days=records.age_days(old))
    output = manage("refresh_priorities", "--mechanism", "joint")
    assert "priority(ies) changed" in output
    assert TriageRecord.objects.get(grievance=world.mild).priority == expected.score
    closed = TriageRecord.objects.filter(grievance=world.severe)
    closed.update(open=False, priority=-5)
    manage("refresh_priorities")
    assert closed.get().priority == -5  # closed cases are left alone


def test_the_export_is_what_eval_reads(world: World, tmp_path: Path, run_cli: Any) -> None:
    for grievance in (world.severe, world.mild):
        record = actions.triage_record(world.users["sec"], grievance.pk)
        labels = {f: getattr(record, f) for f in actions.LABEL_FIELDS}
        actions.confirm_triage(world.users["sec"], grievance.pk, labels)
    target = tmp_path / "labels.jsonl"
    manage("export_triage_labels", "-o", str(target))
    result = run_cli("eval", "--triage", str(target), "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["grievances"] == 2
    # The labels confirmed as suggested: triage agrees with itself on every label.
    assert report["labels"] and all(
        (label["precision"], label["recall"]) == (1.0, 1.0) for label in report["labels"].values()
    )
