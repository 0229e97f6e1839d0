"""Count a mechanism's grievances in the database, for the statistics and the indicators.

Every figure is a GROUP BY or an aggregate, so the work stays in the database and the
answer is small whatever the number of grievances. The JSON lists (rights and harm types of
triage records, remedy types of outcomes) are unnested with the database's own JSON
functions (``json_each`` on SQLite, ``jsonb_array_elements_text`` on PostgreSQL); durations
become histograms of tenths of a day in SQL too. Run inside ``consistent_reads`` so that
every query sees the same data.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth

from ungpkit.apps.remedy import states
from ungpkit.apps.remedy.models import (
    CaseParty,
    Escalation,
    Grievance,
    Mechanism,
    Member,
    Message,
    Outcome,
    Transition,
)
from ungpkit.apps.triage.models import TriageRecord
from ungpkit.grievances.selfassessment import MechanismFacts
from ungpkit.grievances.statistics import NOT_ROUTED, RawStatistics


@contextmanager
def consistent_reads() -> Iterator[None]:
    """A transaction in which every query sees the same data (on PostgreSQL, a read-only
    repeatable-read snapshot; SQLite's transactions already are)."""
    with transaction.atomic():
        if connection.vendor == "postgresql" and len(connection.atomic_blocks) == 1:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield


def _grouped(queryset: QuerySet[Any], field: str) -> dict[str, int]:
    rows = queryset.order_by().values_list(field).annotate(n=Count("pk"))
    return {str(key): n for key, n in rows}


def _sql(query: str, params: list[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return list(cursor.fetchall())


def _table(model: Any) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def json_list_counts(model: Any, column: str, mechanism_id: int) -> dict[str, int]:
    """How many rows of ``model`` (for one mechanism) hold each value of the JSON list in
    ``column``, counted in the database."""
    outcome = model is Outcome
    table = _table(model)
    key = "grievance_id"
    join = f"JOIN {_table(Grievance)} g ON g.id = t.grievance_id" if outcome else ""
    where = "g.mechanism_id = %s" if outcome else "t.mechanism_id = %s"
    column = connection.ops.quote_name(column)
    if connection.vendor == "sqlite":
        query = (
            f"SELECT j.value, COUNT(DISTINCT t.{key}) FROM {table} t {join}, "
            f"json_each(t.{column}) j WHERE {where} AND json_type(t.{column}) = 'array' "
            "GROUP BY j.value"
        )
    elif connection.vendor == "postgresql":
        query = (
            f"SELECT j.value, COUNT(DISTINCT t.{key}) FROM {table} t {join} "
            f"CROSS JOIN LATERAL jsonb_array_elements_text(t.{column}) AS j(value) "
            f"WHERE {where} AND jsonb_typeof(t.{column}) = 'array' GROUP BY j.value"
        )
    else:  # another database: unnest in Python, a chunk at a time
        return _json_list_counts_in_python(model, column.strip('"`'), mechanism_id)
    return {str(value): n for value, n in _sql(query, [mechanism_id])}


def _json_list_counts_in_python(model: Any, column: str, mechanism_id: int) -> dict[str, int]:
    rows = model.objects.filter(grievance__mechanism_id=mechanism_id).order_by()
    counts: Counter[str] = Counter()
    for values in rows.values_list(column, flat=True).iterator(chunk_size=10_000):
        counts.update({str(v) for v in values or ()})
    return dict(counts)


def _days_tenths(start: str, end: str) -> str:
    """SQL for the whole tenths of a day from ``start`` to ``end`` (halves rounded up)."""
    if connection.vendor == "postgresql":
        return f"ROUND(EXTRACT(EPOCH FROM ({end} - {start})) / 8640.0)"
    return f"CAST(ROUND((julianday({end}) - julianday({start})) * 10) AS INTEGER)"


def _histogram(query: str, mechanism_id: int) -> dict[int, int]:
    return {max(0, int(key)): n for key, n in _sql(query, [mechanism_id]) if key is not None}


def acknowledge_histogram(mechanism_id: int) -> dict[int, int]:
    """Days from receipt to acknowledgement, in tenths of a day."""
    days = _days_tenths("g.created_at", "t.created_at")
    return _histogram(
        f"SELECT {days} AS b, COUNT(*) FROM {_table(Transition)} t "
        f"JOIN {_table(Grievance)} g ON g.id = t.grievance_id "
        f"WHERE g.mechanism_id = %s AND t.to_state = '{states.ACKNOWLEDGED}' GROUP BY b",
        mechanism_id,
    )


def close_histogram(mechanism_id: int) -> dict[int, int]:
    """Days from receipt to closure, in tenths of a day."""
    days = _days_tenths("g.created_at", "g.closed_at")
    return _histogram(
        f"SELECT {days} AS b, COUNT(*) FROM {_table(Grievance)} g "
        "WHERE g.mechanism_id = %s AND g.closed_at IS NOT NULL GROUP BY b",
        mechanism_id,
    )


def state_histograms(mechanism_id: int) -> dict[str, dict[int, int]]:
    """For each state, the days cases stayed in it before moving on (a window function
    pairs each step with the one before)."""
    days = _days_tenths("s.previous_at", "s.created_at")
    rows = _sql(
        f"SELECT s.from_state, {days} AS b, COUNT(*) FROM ("
        "SELECT t.from_state, t.created_at, LAG(t.created_at) OVER ("
        "PARTITION BY t.grievance_id ORDER BY t.created_at, t.id) AS previous_at "
        f"FROM {_table(Transition)} t JOIN {_table(Grievance)} g ON g.id = t.grievance_id "
        "WHERE g.mechanism_id = %s) s "
        "WHERE s.from_state <> '' AND s.previous_at IS NOT NULL GROUP BY s.from_state, b",
        [mechanism_id],
    )
    found: dict[str, dict[int, int]] = {}
    for state, key, n in rows:
        found.setdefault(state, {})[max(0, int(key))] = n
    order = {state: index for index, state in enumerate(states.STATES)}
    return dict(sorted(found.items(), key=lambda item: order.get(item[0], len(order))))


def member_keys(mechanism: Mechanism) -> dict[int, tuple[str, str]]:
    """Each member's id with its key in the statistics (its organisation's short name)
    and its name."""
    members = Member.objects.filter(mechanism=mechanism).select_related("organisation")
    return {m.pk: (m.organisation.slug, m.organisation.name) for m in members}


def raw_statistics(mechanism: Mechanism) -> RawStatistics:
    """Every table and duration histogram of ``mechanism``, before suppression."""
    grievances = Grievance.objects.filter(mechanism=mechanism)
    raw = RawStatistics(total=grievances.order_by().count())
    for table, field in (("states", "state"), ("channels", "channel"), ("languages", "language")):
        raw.tables[table] = _grouped(grievances, field)
    months = grievances.order_by().annotate(month=TruncMonth("created_at"))
    raw.tables["months"] = {
        f"{month:%Y-%m}": n for month, n in months.values_list("month").annotate(n=Count("pk"))
    }
    raw.tables["rights"] = json_list_counts(TriageRecord, "rights", mechanism.pk)
    raw.tables["harms"] = json_list_counts(TriageRecord, "harms", mechanism.pk)
    raw.tables["members"] = _member_counts(mechanism)
    raw.tables["remedy_types"] = json_list_counts(Outcome, "remedy_types", mechanism.pk)
    rated = Outcome.objects.filter(grievance__mechanism=mechanism, satisfaction__isnull=False)
    raw.tables["satisfaction"] = _grouped(rated, "satisfaction")
    raw.durations["acknowledge"] = acknowledge_histogram(mechanism.pk)
    raw.durations["close"] = close_histogram(mechanism.pk)
    return raw


def _member_counts(mechanism: Mechanism) -> dict[str, int]:
    keys = member_keys(mechanism)
    parties = CaseParty.objects.filter(grievance__mechanism=mechanism)
    counts = {keys[int(member)][0]: n for member, n in _grouped(parties, "member_id").items()}
    routed = CaseParty.objects.filter(grievance=OuterRef("pk"))
    unrouted = (
        Grievance.objects.filter(mechanism=mechanism).filter(~Exists(routed)).order_by().count()
    )
    if unrouted:
        counts[NOT_ROUTED] = unrouted
    return counts


def mechanism_facts(
    mechanism: Mechanism, raw: RawStatistics, *, issues: int, recurring_issues: int
) -> MechanismFacts:
    """The figures the GP31 indicators are computed from."""
    grievances = Grievance.objects.filter(mechanism=mechanism).order_by()
    people = grievances.aggregate(
        anonymous=Count("pk", filter=Q(anonymous=True)),
        represented=Count("pk", filter=Q(on_behalf=True) | Q(source__isnull=False)),
    )
    outcomes = Outcome.objects.filter(grievance__mechanism=mechanism).order_by()
    told = Message.objects.filter(
        grievance=OuterRef("grievance"),
        from_complainant=False,
        internal=False,
        created_at__gte=OuterRef("recorded_at"),
    )
    rated = outcomes.aggregate(ratings=Count("satisfaction"), rating_sum=Sum("satisfaction"))
    steps = Transition.objects.filter(grievance__mechanism=mechanism).order_by()
    messages = Message.objects.filter(grievance__mechanism=mechanism).order_by()
    triaged = TriageRecord.objects.filter(mechanism=mechanism).order_by()
    return MechanismFacts(
        total=raw.total,
        anonymous=people["anonymous"],
        represented=people["represented"],
        languages=dict(raw.tables.get("languages", {})),
        channels=dict(raw.tables.get("channels", {})),
        acknowledge=dict(raw.durations.get("acknowledge", {})),
        acknowledge_deadline_days=mechanism.deadline_for(states.RECEIVED),
        state_days=state_histograms(mechanism.pk),
        outcomes=outcomes.count(),
        outcomes_told=outcomes.filter(Exists(told)).count(),
        remedy_accepted=steps.filter(to_state=states.REMEDY_ACCEPTED).count(),
        remedy_refused=steps.filter(to_state=states.REMEDY_REFUSED).count(),
        escalations=Escalation.objects.filter(grievance__mechanism=mechanism).count(),
        labelled=triaged.exclude(rights=[]).exclude(harms=[]).count(),
        issues=issues,
        recurring_issues=recurring_issues,
        messages_to_complainants=messages.filter(from_complainant=False, internal=False).count(),
        cases_with_complainant_message=messages.filter(from_complainant=True)
        .values("grievance")
        .distinct()
        .count(),
        ratings=rated["ratings"],
        rating_sum=rated["rating_sum"] or 0,
    )
