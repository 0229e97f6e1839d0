"""Storing a new record and the rows that hang on it in one round trip to the database.

A grievance arrives with its first transition, its audit entry and its triage record. Saved
one by one, that is eight statements (BEGIN, four INSERTs, a savepoint and its release,
COMMIT), each a round trip to a database server that shares the machine's cores with the
web processes. On PostgreSQL :func:`insert_with` sends them as one statement (one INSERT per
row, chained in a ``WITH`` clause), which commits on its own: all rows are stored or none.
Other engines (SQLite, embedded, where a statement costs no round trip) get the same rows
through the ORM in one transaction.

The dependent rows need the new record's id before it is stored (the audit entry's content
hash covers it): :class:`ReservedIds` takes ids from the table's own sequence, a block at a
time, so reserving costs one round trip per block. Ids of rows stored this way follow the
order of reservation, not of storage, across processes (see
docs/decisions/0005-one-statement-intake.md). No ``post_save`` is sent: callers say what
follows a new record through their own signal.
"""

from __future__ import annotations

import datetime
import sys
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any, TypeVar

import orjson
from django.db import connections, models, transaction

Row = TypeVar("Row", bound=models.Model)


class ReservedIds:
    """Ids taken in advance from a table's sequence (PostgreSQL), ``block`` at a time, shared
    by the threads of a process. Ids left unused when the process ends are gaps, as after a
    rolled-back insert."""

    def __init__(self, block: int = 64) -> None:
        self.block = block
        self._lock = threading.Lock()
        self._free: dict[tuple[str, str], list[int]] = {}

    def take(self, model: type[models.Model], using: str = "default") -> int | None:
        """A fresh id for a new row of ``model``, or None when the engine has no sequences
        (the id is then given by the insert)."""
        connection = connections[using]
        if connection.vendor != "postgresql":
            return None
        key = (using, model._meta.db_table)
        with self._lock:
            free = self._free.setdefault(key, [])
            if free:
                return free.pop()
        # Reserve without holding the lock: the other threads go on with ids left meanwhile.
        fresh = self._reserve(model, using)
        with self._lock:
            free = self._free[key]
            free.extend(fresh)
            free.sort(reverse=True)
            return free.pop()

    def _reserve(self, model: type[models.Model], using: str) -> list[int]:
        pk = model._meta.pk
        assert pk is not None
        with connections[using].cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [model._meta.db_table, pk.column, self.block],
            )
            ids = [row[0] for row in cursor.fetchall()]
        return sorted(ids, reverse=True)  # popped from the end: smallest first


reserved_ids = ReservedIds()


def insert_with(
    record: Row,
    dependents: Callable[[Row], Sequence[models.Model]],
    using: str = "default",
) -> Row:
    """Store the new ``record`` and the rows ``dependents(record)`` returns once its id is
    known, atomically; ``record`` is returned saved. Raises what the database raises
    (``IntegrityError`` for a clash), with nothing stored."""
    model = type(record)
    if record.pk is None:
        record.pk = reserved_ids.take(model, using)
    connection = connections[using]
    if connection.vendor != "postgresql":  # one transaction; the insert gives the id
        with transaction.atomic(using):
            _insert_one(record, using)
            _insert_all(dependents(record), using)
        return record
    rows = [record, *dependents(record)]
    statement, params = _chained_insert(rows, using)
    # Alone, the statement is its own transaction; inside the caller's, a savepoint keeps a
    # failure (a case-code clash) from spoiling the rest of it.
    within = transaction.atomic(using) if connection.in_atomic_block else nullcontext()
    with within:
        _execute_prepared(connection, statement, params)
    _mark_saved(rows, using)
    return record


def _execute_prepared(connection: Any, statement: str, params: list[object]) -> None:
    """Run ``statement`` as a prepared statement of this connection (bound on the server):
    PostgreSQL parses and plans it once per connection instead of once per grievance, which
    cost it more than storing the rows. Django's cursors bind on the client, so this one
    goes to the driver itself, inside Django's error translation and query log."""
    import psycopg

    started = time.monotonic()
    with connection.cursor() as wrapper, connection.wrap_database_errors:
        driver = wrapper.cursor.connection
        if driver.prepare_threshold is None:
            # Django turns psycopg's automatic preparation off (``prepare_threshold`` None),
            # and that also ignores ``prepare=True``: allow explicit requests only.
            driver.prepare_threshold = sys.maxsize
        with psycopg.Cursor(driver) as cursor:
            cursor.execute(statement, params, prepare=True)  # type: ignore[arg-type]
    if connection.queries_logged:
        connection.queries_log.append(
            {"sql": f"{statement} -- params: {params}", "time": f"{time.monotonic() - started:.3f}"}
        )


def insert_many(
    rows: Sequence[Row], *, ignore_conflicts: bool = False, using: str = "default"
) -> list[Row]:
    """Store ``rows`` of one model (their ids given, or left to the table), as
    ``bulk_create`` does, and return them. On PostgreSQL, one statement whose single
    parameter is the JSON array of the rows, read by ``jsonb_populate_recordset``: Django's
    own bulk insert there sends one array per column, and quoting long texts (a triage
    record's reasons) into array literals cost more than triaging them."""
    if not rows:
        return []
    model = type(rows[0])
    connection = connections[using]
    if connection.vendor != "postgresql":
        return model._base_manager.using(using).bulk_create(  # type: ignore[no-any-return]
            rows, ignore_conflicts=ignore_conflicts
        )
    with_pk = rows[0].pk is not None
    plan = _plan(model, with_pk)
    if any((row.pk is not None) != with_pk or type(row) is not model for row in rows):
        raise ValueError("insert_many takes rows of one model, all with ids or none.")
    values = [plan.values(row, connection) for row in rows]
    _store_recordset(plan, values, ignore_conflicts, connection)
    _mark_saved(rows, using)
    return list(rows)


def insert_values(
    model: type[models.Model],
    values: Sequence[dict[str, Any]],
    *,
    ignore_conflicts: bool = False,
    using: str = "default",
) -> None:
    """Store rows of ``model`` given as ``{attname: value}``, without building an instance
    for each (what ``insert_many`` needs): for the workers, which store thousands of rows a
    minute. Every row has the same columns; a column left out gets its field's default
    (refused when the ORM would compute it for each row: ``auto_now``, a callable default
    other than ``list`` or ``dict``). Values are what the ORM would store unchanged:
    strings, numbers, booleans, aware datetimes, JSON-ready lists and dicts. On databases
    other than PostgreSQL the rows go through ``bulk_create``."""
    if not values:
        return
    columns = values[0].keys()
    if any(row.keys() != columns for row in values):
        raise ValueError("insert_values takes rows that all have the same columns.")
    plan = _plan(model, model._meta.pk.attname in columns)
    names = {column.attname: column.name for column in plan.columns}
    unknown = set(columns) - set(names)
    if unknown:
        raise ValueError(f"{model.__name__} has no column {', '.join(sorted(unknown))}.")
    defaults = {}
    for column in plan.columns:
        if column.attname in columns:
            continue
        field = column.field
        per_row = field.has_default() and callable(field.default)
        per_row = per_row and field.default not in (list, dict)
        if per_row or getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            raise ValueError(
                f"Give {model.__name__}.{column.attname}: its default is made for each row."
            )
        defaults[column.attname] = field.get_default()
    connection = connections[using]
    if connection.vendor != "postgresql":
        model._base_manager.using(using).bulk_create(
            [model(**defaults, **row) for row in values], ignore_conflicts=ignore_conflicts
        )
        return
    if any(attname != name for attname, name in names.items()):
        values = [{names[key]: value for key, value in row.items()} for row in values]
        defaults = {names[key]: value for key, value in defaults.items()}
    if defaults:
        values = [defaults | row for row in values]
    _store_recordset(plan, values, ignore_conflicts, connection)


def _store_recordset(
    plan: _Plan, values: Sequence[dict[str, Any]], ignore_conflicts: bool, connection: Any
) -> None:
    """Rows (column name to value) as one JSON array parameter of ``plan.sql_many``."""
    statement = plan.sql_many + (" ON CONFLICT DO NOTHING" if ignore_conflicts else "")
    payload = orjson.dumps(values, default=_json_value).decode()
    with connection.cursor() as cursor:
        cursor.execute(statement, [payload])


def _mark_saved(rows: Sequence[models.Model], using: str) -> None:
    """What ``save()`` notes on an instance once its row is stored."""
    for row in rows:
        row._state.adding, row._state.db = False, using


def _insert_all(rows: Sequence[models.Model], using: str) -> None:
    for row in rows:
        _insert_one(row, using)


def _insert_one(row: models.Model, using: str) -> None:
    """``row`` inserted as ``save(force_insert=True)`` would, without signals."""
    model = type(row)
    meta = model._meta
    fields = _insert_fields(row)
    returning = meta.db_returning_fields if row.pk is None else []
    results = model._base_manager.using(using)._insert(  # type: ignore[attr-defined]
        [row], fields=fields, returning_fields=returning, using=using
    )
    for value, field in zip(results[0] if results else [], returning, strict=False):
        setattr(row, field.attname, value)
    _mark_saved([row], using)


def _insert_fields(row: models.Model) -> list[models.Field[object, object]]:
    return [column.field for column in _plan(type(row), row.pk is not None).columns]


def _chained_insert(rows: Sequence[models.Model], using: str) -> tuple[str, list[object]]:
    """One ``WITH r0 AS (INSERT ...), r1 AS (INSERT ...) INSERT ...`` statement. Each row
    travels as one JSON parameter that ``jsonb_populate_record`` turns into the table's
    types, so the statement is short, has a parameter per row and is the same text for
    every grievance (the driver then parses it once, not once per request)."""
    connection = connections[using]
    parts: list[str] = []
    params: list[object] = []
    for row in rows:
        plan = _plan(type(row), row.pk is not None)
        parts.append(plan.sql)
        params.append(orjson.dumps(plan.values(row, connection), default=_json_value).decode())
    chained = ", ".join(f"r{index} AS ({sql})" for index, sql in enumerate(parts[:-1]))
    return (f"WITH {chained} {parts[-1]}" if chained else parts[-1]), params


def quote_name(name: str) -> str:
    """A PostgreSQL identifier, quoted."""
    return '"' + name.replace('"', '""') + '"'


@dataclass(frozen=True)
class _Column:
    field: models.Field[object, object]
    attname: str
    name: str
    plain: tuple[type, ...]  # value types the ORM stores unchanged (see _plain_types)


@dataclass(frozen=True)
class _Plan:
    """How rows of one model are inserted: the columns, and the statement for one row
    (a JSON object) and for many (a JSON array of them)."""

    columns: tuple[_Column, ...]
    sql: str
    sql_many: str

    def values(self, row: models.Model, connection: Any) -> dict[str, object]:
        """Each column's value as the ORM would store it (defaults and ``auto_now``
        applied). A value the ORM would store unchanged is read as it is; the others go
        through the field's own preparation."""
        values: dict[str, object] = {}
        state = row.__dict__
        for column in self.columns:
            value = state.get(column.attname)
            if (value is None or type(value) in column.plain) and (
                not isinstance(value, datetime.datetime) or value.tzinfo is not None
            ):
                values[column.name] = value
                continue
            field = column.field
            value = field.pre_save(row, add=True)
            if not isinstance(field, models.JSONField):
                value = field.get_db_prep_save(value, connection)
            values[column.name] = value
        return values


@lru_cache(maxsize=128)
def _plan(model: type[models.Model], with_pk: bool) -> _Plan:
    meta = model._meta
    columns = tuple(
        _Column(field, field.attname, field.column, _plain_types(field))
        for field in meta.local_concrete_fields
        if not field.generated and (with_pk or field is not meta.auto_field)
    )
    table = quote_name(meta.db_table)
    names = ", ".join(quote_name(column.name) for column in columns)
    insert = f"INSERT INTO {table} ({names}) SELECT {names} FROM"
    return _Plan(
        columns,
        f"{insert} jsonb_populate_record(NULL::{table}, %s::jsonb)",
        f"{insert} jsonb_populate_recordset(NULL::{table}, %s::jsonb)",
    )


_PLAIN: dict[type[models.Field[object, object]], tuple[type, ...]] = {
    models.CharField: (str,),
    models.TextField: (str,),
    models.BooleanField: (bool,),
    models.IntegerField: (int,),
    models.BigIntegerField: (int,),
    models.SmallIntegerField: (int,),
    models.PositiveIntegerField: (int,),
    models.PositiveSmallIntegerField: (int,),
    models.AutoField: (int,),
    models.BigAutoField: (int,),
    models.ForeignKey: (int,),
    models.DateTimeField: (datetime.datetime,),
}


def _plain_types(field: models.Field[object, object]) -> tuple[type, ...]:
    """The value types the ORM stores unchanged for ``field`` (exactly these types, for
    exactly these field classes: a subclass may prepare values its own way), or ()."""
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return ()
    if isinstance(field, models.ForeignKey) and not isinstance(
        field.target_field, models.AutoField | models.BigAutoField
    ):
        return ()
    return _PLAIN.get(type(field), ())


def _json_value(value: object) -> object:
    """Values JSON has no type for, as PostgreSQL reads them back into their columns
    (orjson writes datetimes, dates and UUIDs itself, in ISO 8601)."""
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)
    raise TypeError(f"Cannot store {type(value).__name__} through ungpkit.web.rows.")
