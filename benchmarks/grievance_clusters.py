"""Triage and mass-complaint clustering of a million synthetic grievances against PostgreSQL.

Creates its own database on 127.0.0.1 (dropped at the end) and, timing each step:

1. **generates** N synthetic grievances in four languages with known clusters and severity
   (``ungpkit.grievances.synth``; synthetic text, see docs/mass-complaints.md);
2. **imports** them: grievance rows and their routing to members, written with PostgreSQL
   ``COPY`` (as a data migration would; the row-by-row bulk import with receipts is measured
   by the intake benchmark);
3. **triages** every grievance (rights, harm, severity, urgency, priority) in two worker
   processes and stores the triage records;
4. **clusters** the open grievances read back from the database (near-duplicates and same
   incidents) and stores the clusters;
5. scores the clusters against the known ones (pairwise and B-cubed precision and recall);
6. runs a **plain MinHash-LSH baseline** (datasketch: 3-word shingles, the same number of
   permutations, LSH at the same threshold, union of every pair it returns) on the first
   ``--baseline-count`` texts, and our clustering on the same texts, and prints the ratios.

Targets: whole run (import + triage + cluster) under 10 minutes for 1,000,000 grievances on
this 2-core machine; clustering recall at least 0.95 at precision at least 0.95.

Run: ``python -m benchmarks.grievance_clusters [--count 1000000] [--baseline-count 100000]``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import secrets
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
PG_HOST, PG_PORT, PG_USER = "127.0.0.1", 5432, "postgres"
TARGET_SECONDS = 600.0
TARGET_PRECISION = TARGET_RECALL = 0.95
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass
class Step:
    name: str
    seconds: float
    detail: str = ""


def _options(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.grievance_clusters")
    parser.add_argument("--count", type=int, default=1_000_000, help="Grievances to generate.")
    parser.add_argument(
        "--baseline-count",
        type=int,
        default=100_000,
        help="Texts given to the datasketch baseline and, for the ratio, to ours (0: none).",
    )
    parser.add_argument("--seed", type=int, default=7, help="Seed of the generator.")
    parser.add_argument("--keep", action="store_true", help="Keep the database afterwards.")
    parser.add_argument(
        "--pages", type=int, default=5, help="Requests per page when timing queue and statistics."
    )
    return parser.parse_args(argv)


def _print(message: str) -> None:
    print(message, flush=True)


def _admin_sql(statement: str) -> None:
    import psycopg

    dsn = f"host={PG_HOST} port={PG_PORT} user={PG_USER} dbname=postgres"
    with psycopg.connect(dsn, autocommit=True) as connection:
        connection.execute(statement)  # type: ignore[arg-type]


def _setup_django(database: str, folder: str) -> None:
    from cryptography.fernet import Fernet

    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "ungpkit.web.settings",
            "DATABASE_URL": f"postgres://{PG_USER}@{PG_HOST}:{PG_PORT}/{database}",
            "UNGPKIT_DEBUG": "false",
            "UNGPKIT_SECRET_KEY": secrets.token_urlsafe(50),
            "UNGPKIT_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
            "UNGPKIT_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "UNGPKIT_ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
            "UNGPKIT_DATA_DIR": folder,
            "UNGPKIT_LOG_LEVEL": "WARNING",
            "UNGPKIT_TASK_BACKEND": "immediate",
        }
    )
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


# Import ------------------------------------------------------------------------------------


def _columns(model: Any, values: dict[str, Any]) -> tuple[list[str], list[Any]]:
    """Every concrete column of ``model`` with ``values`` or the field's default."""
    names: list[str] = []
    defaults: list[Any] = []
    for field in model._meta.concrete_fields:
        if field.primary_key and field.attname not in values:
            continue
        names.append(field.column)
        if field.attname in values:
            defaults.append(values[field.attname])
        elif field.has_default():
            default = field.get_default()
            defaults.append(
                json.dumps(default) if field.get_internal_type() == "JSONField" else default
            )
        elif not field.null and field.empty_strings_allowed:
            defaults.append("")
        else:
            defaults.append(None)
    return names, defaults


def _case_codes(count: int, rng: np.random.Generator) -> list[str]:
    from ungpkit.apps.remedy.receipts import ALPHABET

    letters = np.array(list(ALPHABET))[rng.integers(0, len(ALPHABET), size=(count, 12))]
    joined = ["".join(row) for row in letters.tolist()]
    return [f"G-{c[:4]}-{c[4:8]}-{c[8:]}" for c in joined]


@dataclass
class Truth:
    """What the generator knows about each grievance, kept compact (arrays, not objects)."""

    cluster: np.ndarray
    levels: np.ndarray
    texts: list[str]
    """The first ``--baseline-count`` texts, for the baseline."""
    members: list[str]
    days: list[int]
    generating: float = 0.0
    """Seconds spent generating (inside the import loop, not counted as import)."""


def synthetic(count: int, seed: int, keep_texts: int) -> tuple[Iterator[Any], Truth]:
    """Stream the synthetic grievances, recording the truth as they go by."""
    from ungpkit.grievances.synth import generate

    truth = Truth(
        np.full(count, -1, dtype=np.int64), np.zeros((count, 3), dtype=np.int8), [], [], []
    )

    def stream() -> Iterator[Any]:
        source = generate(count, seed=seed)
        for number in range(count):
            start = time.perf_counter()
            item = next(source)
            truth.generating += time.perf_counter() - start
            truth.cluster[number] = item.cluster
            truth.levels[number] = (item.scale, item.scope, item.irremediability)
            if number < keep_texts:
                truth.texts.append(item.text)
                truth.members.append(item.member)
                truth.days.append(item.day)
            yield item

    return stream(), truth


def import_grievances(
    items: Iterator[Any], count: int, seed: int, progress: Callable[[int], None]
) -> int:
    """COPY ``items`` into the grievance and case-party tables; returns the mechanism id."""
    from django.db import connection

    from ungpkit.apps.accounts.models import Organisation
    from ungpkit.apps.remedy import receipts
    from ungpkit.apps.remedy.models import CaseParty, Grievance, Mechanism, Member
    from ungpkit.grievances.synth import member_companies

    secretariat = Organisation.objects.create(
        name="Synthetic joint mechanism", slug="synthetic-secretariat", kind="mechanism"
    )
    mechanism = Mechanism.objects.create(
        organisation=secretariat, name="Synthetic joint mechanism", slug="synthetic"
    )
    members: dict[str, int] = {}
    for company in member_companies(seed):
        organisation = Organisation.objects.create(
            name=company.name, slug=company.key, kind="company"
        )
        members[company.key] = Member.objects.create(
            mechanism=mechanism, organisation=organisation
        ).pk
    rng = np.random.default_rng(1)
    first_id = 1
    now = datetime.now(UTC)
    columns, template = _columns(
        Grievance,
        {
            "id": 0,
            "mechanism_id": mechanism.pk,
            "case_code": "",
            "passphrase_hash": "",
            "channel": "bulk",
            "language": "",
            "description": "",
            "company_text": "",
            "affected_count": None,
            "ongoing": False,
            "child_involved": False,
            "fear_of_reprisal": False,
            "state_changed_at": now,
            "created_at": now,
        },
    )
    position = {name: columns.index(name) for name in columns}
    routed = np.zeros(count, dtype=np.int64)
    with connection.cursor() as cursor:
        sql = f"COPY {Grievance._meta.db_table} ({', '.join(columns)}) FROM STDIN"
        with cursor.cursor.copy(sql) as copy:
            for number, item in enumerate(items):
                if number % 100_000 == 0:
                    codes = iter(_case_codes(100_000, rng))
                    passphrases = iter(_case_codes(100_000, rng))
                    progress(number)
                row = list(template)
                created = EPOCH + timedelta(days=item.day, seconds=number % 86_400)
                row[position["id"]] = first_id + number
                row[position["case_code"]] = next(codes)
                row[position["passphrase_hash"]] = receipts.hash_passphrase(next(passphrases))
                row[position["language"]] = item.language
                row[position["description"]] = item.text
                row[position["company_text"]] = item.company
                row[position["affected_count"]] = item.affected_count
                row[position["ongoing"]] = item.ongoing
                row[position["child_involved"]] = item.child_involved
                row[position["fear_of_reprisal"]] = item.fear_of_reprisal
                row[position["state_changed_at"]] = created
                row[position["created_at"]] = created
                copy.write_row(row)
                routed[number] = members[item.member]
        party_columns, party_template = _columns(
            CaseParty, {"grievance_id": 0, "member_id": 0, "routed_at": now}
        )
        sql = f"COPY {CaseParty._meta.db_table} ({', '.join(party_columns)}) FROM STDIN"
        g, m = party_columns.index("grievance_id"), party_columns.index("member_id")
        with cursor.cursor.copy(sql) as copy:
            for number, member in enumerate(routed.tolist()):
                row = list(party_template)
                row[g] = first_id + number
                row[m] = member
                copy.write_row(row)
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)",
            [Grievance._meta.db_table, first_id + count],
        )
        cursor.execute(f"ANALYZE {Grievance._meta.db_table}")
        cursor.execute(f"ANALYZE {CaseParty._meta.db_table}")
    progress(count)
    return int(mechanism.pk)


# Triage ------------------------------------------------------------------------------------

_TRIAGE_COLUMNS: list[str] = []
_TRIAGE_TEMPLATE: list[Any] = []


def _triage_chunk(rows: list[tuple[Any, ...]]) -> list[list[Any]]:
    """Triage one chunk in a worker process: database rows in, triage-record rows out."""
    from ungpkit.grievances.model import GrievanceInput
    from ungpkit.grievances.priority import priority
    from ungpkit.grievances.triage import triage_many

    now = datetime.now(UTC)
    inputs = [
        GrievanceInput(
            description=r[1],
            language=r[2],
            affected_count=r[3],
            ongoing=r[4],
            child_involved=r[5],
            fear_of_reprisal=r[6],
            company_text=r[7],
        )
        for r in rows
    ]
    position = {name: _TRIAGE_COLUMNS.index(name) for name in _TRIAGE_COLUMNS}
    out: list[list[Any]] = []
    for r, result in zip(rows, triage_many(inputs), strict=True):
        rank = priority(result, age_days=(now - r[8]).total_seconds() / 86_400)
        row = list(_TRIAGE_TEMPLATE)
        row[position["grievance_id"]] = r[0]
        row[position["created_at"]] = r[8]
        row[position["suggested"]] = json.dumps(result.to_dict(), ensure_ascii=False)
        row[position["language"]] = result.language
        row[position["rights"]] = json.dumps([s.id for s in result.rights])
        row[position["harms"]] = json.dumps([s.id for s in result.harms])
        row[position["urgency"]] = json.dumps([s.id for s in result.urgency])
        row[position["scale"]] = result.level("severity.scale")
        row[position["scope"]] = result.level("severity.scope")
        row[position["irremediability"]] = result.level("severity.irremediability")
        row[position["priority"]] = rank.score
        row[position["priority_reasons"]] = json.dumps(
            [reason.to_dict() for reason in rank.reasons], ensure_ascii=False
        )
        row[position["analyser_version"]] = result.version[:32]
        out.append(row)
    return out


def _read_chunks(sql: str, size: int) -> Iterator[list[tuple[Any, ...]]]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DECLARE bench_cursor NO SCROLL CURSOR WITH HOLD FOR " + sql)
        try:
            while True:
                cursor.execute(f"FETCH {size} FROM bench_cursor")
                rows = cursor.fetchall()
                if not rows:
                    return
                yield rows
        finally:
            cursor.execute("CLOSE bench_cursor")


def triage_all(mechanism_id: int, progress: Callable[[int], None]) -> tuple[int, np.ndarray]:
    """Triage every grievance of the mechanism in two processes; store the records."""
    from django.db import connection

    from ungpkit.apps.remedy.models import Grievance
    from ungpkit.apps.triage.models import TriageRecord

    columns, template = _columns(
        TriageRecord,
        {
            "grievance_id": 0,
            "mechanism_id": mechanism_id,
            "open": True,
            "created_at": None,
            "suggested": "{}",
            "language": "",
            "rights": "[]",
            "harms": "[]",
            "urgency": "[]",
            "scale": 0,
            "scope": 0,
            "irremediability": 0,
            "priority": 0,
            "priority_reasons": "[]",
            "analyser_version": "",
        },
    )
    _TRIAGE_COLUMNS[:] = columns
    _TRIAGE_TEMPLATE[:] = template
    _TRIAGE_SQL[:] = [
        "SELECT id, description, language, affected_count, ongoing, child_involved, "
        f"fear_of_reprisal, company_text, created_at FROM {Grievance._meta.db_table} "
        "WHERE mechanism_id = %s AND id >= %s AND id < %s ORDER BY id"
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT min(id), max(id) FROM {Grievance._meta.db_table} WHERE mechanism_id = %s",
            [mechanism_id],
        )
        low, high = cursor.fetchone()
    step = 10_000
    ranges = [(mechanism_id, lo, lo + step) for lo in range(low, high + 1, step)]
    done = 0
    levels = np.zeros((high + 1, 3), dtype=np.int8)
    scale_at = columns.index("scale")
    grievance_at = columns.index("grievance_id")
    connection.close()  # the workers are forked: each opens its own connection
    context = get_context("fork")
    with context.Pool(2) as pool, connection.cursor() as cursor:
        table = TriageRecord._meta.db_table
        with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for rows in pool.imap(_triage_range, ranges):
                for row in rows:
                    copy.write_row(row)
                    levels[row[grievance_at]] = row[scale_at : scale_at + 3]
                done += len(rows)
                progress(done)
        cursor.execute(f"ANALYZE {table}")
    return done, levels


_TRIAGE_SQL: list[str] = []


def _triage_range(bounds: tuple[int, int, int]) -> list[list[Any]]:
    """In a worker: read one range of grievances and triage it."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(_TRIAGE_SQL[0], list(bounds))
        rows = cursor.fetchall()
    return _triage_chunk(rows)


# Clustering --------------------------------------------------------------------------------


def cluster_all(
    mechanism_id: int, progress: Callable[[str, int, int], None]
) -> tuple[np.ndarray, np.ndarray, int]:
    """Read the open grievances back, cluster them, store the clusters.

    Returns grievance ids, their cluster label (-1 alone) and the number of clusters stored.
    """
    from django.db import connection, transaction

    from ungpkit.apps.triage.models import Cluster, ClusterMember
    from ungpkit.grievances.clustering import Settings, cluster_arrays

    sql = (
        "SELECT g.id, g.description, p.member_id, "
        "(g.created_at AT TIME ZONE 'UTC')::date - date '1970-01-01' "
        "FROM remedy_grievance g LEFT JOIN remedy_caseparty p ON p.grievance_id = g.id "
        "JOIN triage_triagerecord t ON t.grievance_id = g.id "
        f"WHERE g.mechanism_id = {int(mechanism_id)} AND t.open ORDER BY g.id"
    )
    ids: list[int] = []
    texts: list[str] = []
    members: list[str] = []
    days: list[int | None] = []
    for rows in _read_chunks(sql, 50_000):
        for row in rows:
            ids.append(row[0])
            texts.append(row[1])
            members.append(str(row[2] or ""))
            days.append(row[3])
    progress("read", len(ids), len(ids))
    labels, duplicate_kind, similarity, corpus = cluster_arrays(
        texts, members, days, Settings(), progress
    )
    id_array = np.array(ids, dtype=np.int64)
    now = datetime.now(UTC)
    count = int(labels.max()) + 1 if len(labels) else 0
    sizes = np.bincount(labels[labels >= 0], minlength=count)
    with transaction.atomic():
        created = Cluster.objects.bulk_create(
            [
                Cluster(
                    mechanism_id=mechanism_id,
                    kind="duplicate" if duplicate_kind[index] else "incident",
                    size=int(sizes[index]),
                    created_at=now,
                    updated_at=now,
                )
                for index in range(count)
            ],
            batch_size=5_000,
        )
        cluster_ids = np.array([c.pk for c in created], dtype=np.int64)
        columns, template = _columns(
            ClusterMember, {"cluster_id": 0, "grievance_id": 0, "similarity": 0.0}
        )
        c, g, s = (columns.index(n) for n in ("cluster_id", "grievance_id", "similarity"))
        with connection.cursor() as cursor:
            table = ClusterMember._meta.db_table
            with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for position in np.flatnonzero(labels >= 0).tolist():
                    row = list(template)
                    row[c] = int(cluster_ids[labels[position]])
                    row[g] = int(id_array[position])
                    row[s] = float(similarity[position])
                    copy.write_row(row)
    del corpus
    return id_array, labels, count


# Baseline ----------------------------------------------------------------------------------


def datasketch_baseline(texts: Sequence[str], permutations: int, threshold: float) -> np.ndarray:
    """Plain MinHash-LSH: 3-word shingles, LSH at ``threshold``, union of all pairs found."""
    from datasketch import MinHash, MinHashLSH
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    from ungpkit.grievances.clustering import tokenize

    lsh = MinHashLSH(threshold=threshold, num_perm=permutations)
    signatures = []
    for number, text in enumerate(texts):
        words = tokenize(text)
        grams = {" ".join(words[i : i + 3]) for i in range(max(len(words) - 2, 1))}
        signature = MinHash(num_perm=permutations, seed=1)
        signature.update_batch([g.encode("utf-8") for g in grams])
        lsh.insert(number, signature)
        signatures.append(signature)
    left: list[int] = []
    right: list[int] = []
    for number, signature in enumerate(signatures):
        for other in lsh.query(signature):
            if other != number:
                left.append(number)
                right.append(other)
    size = len(texts)
    graph = coo_matrix((np.ones(len(left)), (left, right)), shape=(size, size)).tocsr()
    _, labels = connected_components(graph, directed=False)
    sizes = np.bincount(labels)
    return np.where(sizes[labels] >= 2, labels, -1)


# Page timings ------------------------------------------------------------------------------


def _time_pages(mechanism_id: int, repeat: int) -> list[tuple[str, float, int]]:
    """Median time of the staff queue and the public statistics page at this size."""
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    from ungpkit.apps.accounts.models import Membership, Role, User
    from ungpkit.apps.remedy.models import Mechanism

    mechanism = Mechanism.objects.get(pk=mechanism_id)
    staff = User.objects.create_user("bench-staff", password="bench-password-123")
    Membership.objects.create(
        user=staff, organisation=mechanism.organisation, role=Role.MECHANISM_STAFF
    )
    results = []
    pages: list[tuple[str, str, bool]] = []
    try:
        pages.append(("staff priority queue", reverse("triage:queue"), True))
    except NoReverseMatch:
        _print("  (the priority queue page is not available)")
    try:
        from django.core.management import call_command

        call_command("publish_statistics", mechanism=mechanism.slug, verbosity=0)
        pages.append(
            ("public statistics", reverse("transparency:statistics", args=[mechanism.slug]), False)
        )
    except Exception as error:
        _print(f"  (the public statistics page is not available: {error})")
    for name, url, signed_in in pages:
        client = Client()
        if signed_in:
            client.force_login(staff)
        timings = []
        status = 0
        for _ in range(repeat + 1):
            start = time.perf_counter()
            response = client.get(url)
            timings.append(time.perf_counter() - start)
            status = response.status_code
        results.append((name, statistics.median(timings[1:]), status))
    return results


# Run ---------------------------------------------------------------------------------------


def _peak_mib() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def main(argv: list[str] | None = None) -> None:
    options = _options(argv or [])
    sys.path.insert(0, str(ROOT))
    try:
        _admin_sql("SELECT 1")
    except Exception as error:
        sys.exit(f"PostgreSQL is not reachable on {PG_HOST}:{PG_PORT} ({error}); start it first.")
    from ungpkit.grievances.cluster_eval import score_clusters
    from ungpkit.grievances.clustering import Settings, cluster_arrays

    database = f"ungpkit_bench_clusters_{os.getpid()}"
    _admin_sql(f"CREATE DATABASE {database}")
    steps: list[Step] = []
    try:
        with tempfile.TemporaryDirectory(prefix="ungpkit-bench-") as folder:
            _setup_django(database, folder)
            _print(f"Generating and importing {options.count:,} synthetic grievances...")
            items, truth = synthetic(options.count, options.seed, options.baseline_count)
            start = time.perf_counter()
            mechanism_id = import_grievances(
                items, options.count, options.seed, lambda n: _print(f"  {n:,} rows")
            )
            elapsed = time.perf_counter() - start
            steps.append(Step("generate (not counted)", truth.generating))
            steps.append(Step("import", elapsed - truth.generating))
            del items

            _print("Triaging...")
            start = time.perf_counter()
            triaged, levels = triage_all(
                mechanism_id, lambda n: _print(f"  {n:,} triaged") if n % 100_000 == 0 else None
            )
            steps.append(Step("triage", time.perf_counter() - start, f"{triaged:,} records"))

            _print("Clustering...")
            start = time.perf_counter()
            last = [0.0]

            def report(stage: str, done: int, total: int) -> None:
                if time.perf_counter() - last[0] > 10 or done == total:
                    last[0] = time.perf_counter()
                    _print(f"  {stage}: {done:,}/{total:,}")

            ids, labels, clusters = cluster_all(mechanism_id, report)
            steps.append(Step("cluster", time.perf_counter() - start, f"{clusters:,} clusters"))
            order = ids - 1  # grievance ids were given in generation order from 1
            found = np.full(options.count, -1, dtype=np.int64)
            found[order] = labels
            scores = score_clusters(truth.cluster, found)
            suggested = levels[1 : options.count + 1].astype(np.int64)
            within_one = float((np.abs(truth.levels.astype(np.int64) - suggested) <= 1).mean())
            page_times = _time_pages(mechanism_id, options.pages)

            baseline = None
            if options.baseline_count:
                subset = truth.texts
                sub_truth = truth.cluster[: len(subset)]
                _print(f"Baseline (datasketch MinHash-LSH) on {len(subset):,} texts...")
                start = time.perf_counter()
                base_labels = datasketch_baseline(
                    subset, Settings().permutations, Settings().duplicate_threshold
                )
                base_seconds = time.perf_counter() - start
                start = time.perf_counter()
                ours_labels, *_ = cluster_arrays(subset, truth.members, list(truth.days))
                ours_seconds = time.perf_counter() - start
                baseline = (
                    len(subset),
                    base_seconds,
                    score_clusters(sub_truth, base_labels),
                    ours_seconds,
                    score_clusters(sub_truth, ours_labels),
                )
        _report(options, steps, scores, clusters, within_one, page_times, baseline)
    finally:
        from django.db import connections

        connections.close_all()
        if not options.keep:
            _admin_sql(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")


def _report(
    options: argparse.Namespace,
    steps: list[Step],
    scores: Any,
    clusters: int,
    within_one: float,
    page_times: list[tuple[str, float, int]],
    baseline: tuple[int, float, Any, float, Any] | None,
) -> None:
    _print("")
    _print(f"Mass-complaint benchmark: {options.count:,} synthetic grievances, PostgreSQL")
    for step in steps:
        _print(f"  {step.name:<24} {step.seconds:8.1f} s  {step.detail}")
    total = sum(s.seconds for s in steps if s.name in ("import", "triage", "cluster"))
    verdict = "met" if total <= TARGET_SECONDS else "NOT met"
    label = "import+triage+cluster"
    _print(f"  {label:<24} {total:8.1f} s  (target {TARGET_SECONDS:.0f} s: {verdict})")
    _print(f"  peak memory              {_peak_mib():8.0f} MiB (largest process)")
    _print(
        f"  clusters: {clusters:,}; pairwise precision {scores.pair_precision:.4f} "
        f"recall {scores.pair_recall:.4f}; B-cubed precision {scores.bcubed_precision:.4f} "
        f"recall {scores.bcubed_recall:.4f}"
    )
    ok = scores.pair_precision >= TARGET_PRECISION and scores.pair_recall >= TARGET_RECALL
    _print(f"  target recall >= 0.95 at precision >= 0.95 (pairwise): {'met' if ok else 'NOT met'}")
    _print(f"  triage severity within one level of the known level: {within_one:.3f}")
    for name, seconds, status in page_times:
        _print(f"  {name}: median {seconds * 1000:.0f} ms (HTTP {status}; target 200 ms)")
    if baseline is not None:
        size, base_seconds, base_scores, ours_seconds, ours_scores = baseline
        _print(f"  Baseline on the first {size:,} texts, same run:")
        for name, seconds, found in (
            ("datasketch MinHash-LSH", base_seconds, base_scores),
            ("ungpkit clustering", ours_seconds, ours_scores),
        ):
            _print(
                f"    {name:<23} {seconds:7.1f} s  pairwise P {found.pair_precision:.4f} "
                f"R {found.pair_recall:.4f}  B-cubed P {found.bcubed_precision:.4f} "
                f"R {found.bcubed_recall:.4f}"
            )
        _print(f"    time ratio ungpkit / baseline: {ours_seconds / base_seconds:.2f}x")


if __name__ == "__main__":
    main(sys.argv[1:])
