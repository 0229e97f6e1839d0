"""``ungpkit.web.rows``: a record and its dependent rows stored at once (one statement on
PostgreSQL), read back exactly as the ORM would have stored them, or not at all.

These run outside a test transaction (``transactional_db``), as a request does, so on
PostgreSQL the statement commits on its own.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.db import IntegrityError, connection, models
from django.test.utils import CaptureQueriesContext
from django.utils.translation import gettext_lazy

from ungpkit.apps.accounts import audit
from ungpkit.apps.accounts.models import AuditEntry, Organisation
from ungpkit.apps.remedy.models import Grievance, Mechanism, Transition
from ungpkit.web import rows

pytestmark = pytest.mark.django_db(transaction=True)

WHEN = datetime(2026, 3, 1, 9, 30, 15, 123456, tzinfo=UTC)


@pytest.fixture
def mechanism() -> Mechanism:
    organisation = Organisation.objects.create(name="Secretariat", slug="sec", kind="mechanism")
    return Mechanism.objects.create(organisation=organisation, name="Joint", slug="joint")


def _grievance(mechanism: Mechanism, code: str = "G-TEST-0001") -> Grievance:
    return Grievance(
        mechanism=mechanism,
        case_code=code,
        passphrase_hash="salt$digest",
        description='Ma position a été vendue — 위치 정보가 팔렸습니다 "quoted" \\ back.',
        happened_on="March",
        country="FR",
        affected_count=3,
        ongoing=True,
        wants=["stop_harm", "explanation"],
        language="fr",
        state="received",
        state_changed_at=WHEN,
        created_at=WHEN,
        due_at=WHEN + timedelta(days=7),
    )


def _dependents(grievance: Grievance) -> list[models.Model]:
    return [
        Transition(
            grievance=grievance,
            from_state="",
            to_state="received",
            created_at=WHEN,
            by_complainant=True,
            reason=gettext_lazy("Received."),  # not a plain str: prepared by the field
        ),
        audit.new_entry(
            None, "remedy.grievance_received", target=grievance, details={"channel": "web"}
        ),
    ]


def _columns(row: models.Model) -> dict[str, Any]:
    return {f.attname: getattr(row, f.attname) for f in row._meta.concrete_fields}


def test_rows_read_back_as_the_orm_stores_them(mechanism: Mechanism) -> None:
    grievance = _grievance(mechanism)
    stored = rows.insert_with(grievance, _dependents)

    assert stored.pk is not None and not stored._state.adding
    orm = _grievance(mechanism, "G-TEST-0002")
    orm.save()
    read, read_orm = Grievance.objects.get(pk=stored.pk), Grievance.objects.get(pk=orm.pk)
    ignored = {"id", "case_code"}
    mine = {k: v for k, v in _columns(read).items() if k not in ignored}
    assert mine == {k: v for k, v in _columns(read_orm).items() if k not in ignored}
    assert read.description == grievance.description and read.wants == grievance.wants

    transition = Transition.objects.get(grievance=stored)
    assert (transition.reason, transition.created_at, transition.by_complainant) == (
        "Received.",
        WHEN,
        True,
    )
    entry = AuditEntry.objects.get(object_id=str(stored.pk))
    assert entry.details == {"channel": "web"}
    assert entry.content_hash == entry.compute_content_hash()  # the id it hashed is the row's


def test_on_postgresql_it_is_one_statement(mechanism: Mechanism) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("one statement is how PostgreSQL stores them; SQLite uses a transaction")
    rows.insert_with(_grievance(mechanism, "G-WARM-0001"), _dependents)  # ids reserved
    with CaptureQueriesContext(connection) as queries:
        rows.insert_with(_grievance(mechanism), _dependents)
    assert len(queries.captured_queries) == 1
    assert queries.captured_queries[0]["sql"].startswith("WITH r0 AS (INSERT INTO")


def test_on_postgresql_the_statement_is_prepared_once_per_connection(
    mechanism: Mechanism,
) -> None:
    """Parsed and planned once: Django's default (no automatic preparation) must not make
    the driver ignore the explicit request, as it once silently did."""
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    for number in range(3):
        rows.insert_with(_grievance(mechanism, f"G-PREP-{number:04d}"), _dependents)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
            ["WITH r0 AS (INSERT INTO%"],
        )
        assert cursor.fetchone() == (1,)
    assert Grievance.objects.filter(case_code__startswith="G-PREP-").count() == 3


def test_a_clash_stores_nothing(mechanism: Mechanism) -> None:
    rows.insert_with(_grievance(mechanism), _dependents)
    counts = (Grievance.objects.count(), Transition.objects.count(), AuditEntry.objects.count())

    with pytest.raises(IntegrityError):
        rows.insert_with(_grievance(mechanism), _dependents)  # the same case code

    assert counts == (
        Grievance.objects.count(),
        Transition.objects.count(),
        AuditEntry.objects.count(),
    )
    stored = rows.insert_with(_grievance(mechanism, "G-TEST-0003"), _dependents)  # still works
    assert Transition.objects.filter(grievance=stored).count() == 1


def test_reserved_ids_are_never_given_twice(mechanism: Mechanism) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no sequence to reserve ids from; the insert gives them")
    reserved = rows.ReservedIds(block=7)
    taken: list[int] = []
    lock = threading.Lock()

    def take() -> None:
        mine = [reserved.take(Grievance) for _ in range(40)]
        with lock:
            taken.extend(i for i in mine if i is not None)
        connection.close()

    threads = [threading.Thread(target=take) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(taken) == 160 and len(set(taken)) == 160
    stored = rows.insert_with(_grievance(mechanism), _dependents)
    assert stored.pk not in taken  # the table's own sequence: no clash with reserved ids


def test_a_row_with_its_id_given_elsewhere_keeps_it(mechanism: Mechanism) -> None:
    grievance = _grievance(mechanism)
    grievance.pk = 10_000_001
    rows.insert_with(grievance, _dependents)
    assert Grievance.objects.filter(pk=10_000_001, case_code="G-TEST-0001").exists()


def test_many_rows_read_back_as_bulk_create_stores_them(mechanism: Mechanism) -> None:
    stored = rows.insert_many([_grievance(mechanism, f"G-MANY-{n:04d}") for n in range(5)])
    orm = Grievance.objects.bulk_create([_grievance(mechanism, "G-BULK-0001")])[0]
    assert len(stored) == 5 and not any(row._state.adding for row in stored)
    ignored = {"id", "case_code"}
    expected = {k: v for k, v in _columns(Grievance.objects.get(pk=orm.pk)).items()}
    for read in Grievance.objects.filter(case_code__startswith="G-MANY-"):
        assert {k: v for k, v in _columns(read).items() if k not in ignored} == {
            k: v for k, v in expected.items() if k not in ignored
        }


def test_many_rows_skip_conflicts_when_asked(mechanism: Mechanism) -> None:
    rows.insert_many([_grievance(mechanism, "G-ONCE-0001")])
    with pytest.raises(IntegrityError):
        rows.insert_many([_grievance(mechanism, "G-ONCE-0001")])
    rows.insert_many(
        [_grievance(mechanism, "G-ONCE-0001"), _grievance(mechanism, "G-ONCE-0002")],
        ignore_conflicts=True,
    )
    assert sorted(Grievance.objects.values_list("case_code", flat=True)) == [
        "G-ONCE-0001",
        "G-ONCE-0002",
    ]
    assert rows.insert_many([]) == []


def test_values_are_stored_as_the_orm_stores_the_same_rows(mechanism: Mechanism) -> None:
    """``insert_values`` (rows as dicts, for the workers) stores what ``bulk_create`` does;
    a column left out gets the field's default. (On SQLite the rows go through
    ``bulk_create`` itself; the comparison tells most on PostgreSQL.)"""
    template = _grievance(mechanism, "G-BULK-0002")
    values = {
        f.attname: getattr(template, f.attname)
        for f in Grievance._meta.concrete_fields
        if f.attname not in {"id", "anonymous", "consent_record", "wants_other"}
    }
    rows.insert_values(
        Grievance,
        [values | {"case_code": f"G-DICT-{n:04d}", "wants_other": "é"} for n in range(3)],
    )
    orm = Grievance.objects.bulk_create([template])[0]
    ignored = {"id", "case_code", "wants_other"}
    expected = _columns(Grievance.objects.get(pk=orm.pk))
    stored = Grievance.objects.filter(case_code__startswith="G-DICT-")
    assert stored.count() == 3
    for read in stored:
        assert read.wants_other == "é" and read.anonymous is True
        assert {k: v for k, v in _columns(read).items() if k not in ignored} == {
            k: v for k, v in expected.items() if k not in ignored
        }


def test_values_skip_conflicts_when_asked_and_unknown_columns_are_refused(
    mechanism: Mechanism,
) -> None:
    rows.insert_many([_grievance(mechanism, "G-ONCE-0001")])
    values = {
        f.attname: getattr(_grievance(mechanism, "G-ONCE-0001"), f.attname)
        for f in Grievance._meta.concrete_fields
        if f.attname != "id"
    }
    with pytest.raises(IntegrityError):
        rows.insert_values(Grievance, [values])
    rows.insert_values(
        Grievance, [values, values | {"case_code": "G-ONCE-0002"}], ignore_conflicts=True
    )
    assert Grievance.objects.filter(case_code__startswith="G-ONCE-").count() == 2
    with pytest.raises(ValueError, match="no column colour"):
        rows.insert_values(Grievance, [values | {"colour": "red"}])
    rows.insert_values(Grievance, [])


def test_values_with_uneven_columns_or_a_default_made_per_row_are_refused(
    mechanism: Mechanism,
) -> None:
    values = {
        f.attname: getattr(_grievance(mechanism, "G-EVEN-0001"), f.attname)
        for f in Grievance._meta.concrete_fields
        if f.attname != "id"
    }
    with pytest.raises(ValueError, match="same columns"):
        rows.insert_values(
            Grievance, [values, {k: v for k, v in values.items() if k != "wants_other"}]
        )
    without_time = {k: v for k, v in values.items() if k != "created_at"}
    with pytest.raises(ValueError, match=r"Grievance\.created_at"):
        rows.insert_values(Grievance, [without_time])  # timezone.now: one per row
    assert not Grievance.objects.filter(case_code="G-EVEN-0001").exists()
