"""Snapshots: the SQL aggregation counts what the pure core counts from the same grievances,
the command and the task store a snapshot, and a snapshot holds no personal data."""

from __future__ import annotations

import itertools
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ungpkit.apps.accounts.models import AuditEntry
from ungpkit.apps.remedy import states
from ungpkit.apps.remedy.models import Grievance, Mechanism
from ungpkit.apps.transparency import actions, aggregates, learning
from ungpkit.apps.transparency.models import StatisticsSnapshot
from ungpkit.apps.transparency.tasks import publish_statistics_task
from ungpkit.grievances import selfassessment, statistics
from ungpkit.grievances.statistics import GrievanceRecord

from .conftest import CASE_WORDS, World


def records_of(mechanism: Mechanism) -> list[GrievanceRecord]:
    """Each grievance as a plain record, read object by object (the slow, obvious way)."""
    found = []
    for g in Grievance.objects.filter(mechanism=mechanism).order_by("pk"):
        steps = list(g.transitions.order_by("created_at", "id"))
        acknowledged = next((s.created_at for s in steps if s.to_state == "acknowledged"), None)
        state_days = tuple(
            (later.from_state, statistics.days_between(earlier.created_at, later.created_at))
            for earlier, later in itertools.pairwise(steps)
        )
        outcome = getattr(g, "outcome", None)
        triage = getattr(g, "triage", None)
        messages = list(g.messages.all())
        found.append(
            GrievanceRecord(
                created_at=g.created_at,
                state=g.state,
                channel=g.channel,
                language=g.language,
                members=tuple(p.member.organisation.slug for p in g.parties.all()),
                rights=tuple(triage.rights) if triage else (),
                harms=tuple(triage.harms) if triage else (),
                acknowledged_at=acknowledged,
                closed_at=g.closed_at,
                remedy_types=tuple(outcome.remedy_types) if outcome else None,
                satisfaction=outcome.satisfaction if outcome else None,
                anonymous=g.anonymous,
                on_behalf=g.on_behalf,
                represented=g.source_id is not None,
                state_days=state_days,
                messages_to_complainant=sum(
                    1 for m in messages if not m.from_complainant and not m.internal
                ),
                complainant_messages=sum(1 for m in messages if m.from_complainant),
                outcome_told=outcome is not None
                and any(
                    not m.from_complainant
                    and not m.internal
                    and m.created_at >= outcome.recorded_at
                    for m in messages
                ),
                remedy_decisions=tuple(
                    "accepted" if s.to_state == states.REMEDY_ACCEPTED else "refused"
                    for s in steps
                    if s.to_state in (states.REMEDY_ACCEPTED, states.REMEDY_REFUSED)
                ),
                escalations=g.escalations.count(),
            )
        )
    return found


def test_sql_counts_match_the_pure_core(busy: World) -> None:
    records = records_of(busy.mechanism)
    expected = statistics.collect(records)
    with aggregates.consistent_reads():
        found = aggregates.raw_statistics(busy.mechanism)
    assert found.total == expected.total == 46
    for name in statistics.TABLES:
        assert found.tables.get(name, {}) == expected.tables.get(name, {}), name
    assert found.durations == expected.durations
    assert found.tables["languages"]["ko"] == 3


def test_sql_facts_match_the_pure_core(busy: World) -> None:
    records = records_of(busy.mechanism)
    raw = aggregates.raw_statistics(busy.mechanism)
    found = aggregates.mechanism_facts(busy.mechanism, raw, issues=4, recurring_issues=3)
    expected = selfassessment.facts_from_records(
        records, acknowledge_deadline_days=5, issues=4, recurring_issues=3
    )
    assert found == expected
    assert found.outcomes == 13 and found.outcomes_told == 13 and found.remedy_accepted == 13


def test_publish_stores_suppressed_tables_issues_and_indicators(busy: World) -> None:
    snapshot = StatisticsSnapshot.objects.filter(mechanism=busy.mechanism).first()
    assert snapshot is not None and snapshot.threshold == 5
    data = snapshot.statistics
    assert data["total"] == 46
    assert all(count >= 5 for count in statistics.published_counts(data))
    languages = next(t for t in data["tables"] if t["name"] == "languages")
    hidden = {cell["key"]: cell["hidden"] for cell in languages["cells"]}
    assert hidden["ko"] == "small"
    assert hidden["es"] == "secondary"  # otherwise 46 - 22 - 9 - 6 would give Korean away
    assert data["member_names"]["nimbus-analytics"] == "Nimbus Analytics"
    assert snapshot.indicators["gp31.b_accessible"][0]["id"] == "languages"
    assert any(issue["recurring"] for issue in snapshot.issues)
    stored = json.dumps([snapshot.statistics, snapshot.issues, snapshot.indicators])
    for grievance in Grievance.objects.all():
        assert grievance.case_code not in stored
    assert CASE_WORDS not in stored and "Test Person" not in stored


def test_the_threshold_setting_is_used(world: World, settings: object) -> None:
    settings.UNGPKIT_STATISTICS_MIN_COUNT = 3  # type: ignore[attr-defined]
    snapshot = actions.publish_statistics(None, world.mechanism)
    assert snapshot.threshold == 3
    members = next(t for t in snapshot.statistics["tables"] if t["name"] == "members")
    assert {cell["key"]: cell["count"] for cell in members["cells"]}["nimbus-analytics"] == 3


def test_the_command_publishes_every_mechanism_or_one(world: World) -> None:
    out = StringIO()
    call_command("publish_statistics", stdout=out)
    assert "joint: 6 grievances" in out.getvalue()
    assert "other: fewer than 5 grievances" in out.getvalue()
    out = StringIO()
    call_command("publish_statistics", "--mechanism", "other", "--threshold", "3", stdout=out)
    assert "joint" not in out.getvalue() and "(threshold 3)" in out.getvalue()
    with pytest.raises(CommandError, match="no mechanism"):
        call_command("publish_statistics", "--mechanism", "nowhere")
    for threshold in ("0", "-2"):  # never quietly the default, never a traceback
        with pytest.raises(CommandError, match="--threshold must be 1 or more"):
            call_command("publish_statistics", "--threshold", threshold)
    assert AuditEntry.objects.filter(action="transparency.statistics_published").count() == 4


def test_the_task_publishes_and_old_snapshots_are_pruned(world: World) -> None:
    for _ in range(actions.KEEP_SNAPSHOTS + 2):
        publish_statistics_task.enqueue(world.mechanism.pk)
    kept = StatisticsSnapshot.objects.filter(mechanism=world.mechanism)
    assert kept.count() == actions.KEEP_SNAPSHOTS


def test_only_the_secretariat_may_publish(world: World) -> None:
    from django.core.exceptions import PermissionDenied

    for role in ("member_a", "other_sec", "public"):
        with pytest.raises(PermissionDenied):
            actions.publish_statistics(world.users[role], world.mechanism)
    assert actions.publish_statistics(world.users["sec"], world.mechanism).pk


def test_issue_cases_are_read_with_products(world: World) -> None:
    cases = list(learning.mechanism_cases(world.mechanism))
    assert len(cases) == 6
    products = sorted(case.product for case in cases)
    assert products == ["", "Mobile internet", "Mobile internet", *["Nimbus credit scoring"] * 3]
    assert {case.member for case in cases if not case.product} == {None}
