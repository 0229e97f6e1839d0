"""Load test of grievance intake: concurrent submissions for 60 s against PostgreSQL on loopback.

Creates its own database on 127.0.0.1 (dropped at the end), starts the site with gunicorn
(worker processes with threads; Django's runserver when gunicorn is missing) using
``benchmarks.grievance_settings`` (DEBUG off, rate limit raised, two benchmark-only URLs) and,
beside it, what a deployment runs beside it: by default ``ungpkit worker`` at a lower priority
(``nice -n 10``, as docs/deploy.md sets it), which seals the audit log every second and
triages the grievances received (``UNGPKIT_TASK_BACKEND=database``); with
``--triage-at-intake``, no worker, each grievance triaged in its request, and the audit log's
sealer (``seal_audit_log --every 1``). Then,
with the same clients for the same time against the same server:

1. a **bare insert** view (parse JSON, insert a minimal row: no validation, no encryption,
   no transition, no audit entry) under the same load, as the floor to compare with: half of
   its time before the intake's phase and half after (A-B-A), so that what the shared machine
   does meanwhile weighs on both sides of the ratio;
2. the public ``POST /api/grievances`` (or, when that endpoint is not mounted, a test-only view
   calling ``actions.submit_grievance``), one in four submissions identified (encrypted).

Each phase is bounded by time and by count. Afterwards every receipt of both phases is checked
against the stored rows (the case code exists, and for intake the passphrase matches), the
stored counts against the receipts, and the audit log is sealed and verified (one entry per
grievance). With the worker, it also reports how many grievances still awaited triage when
the load stopped, waits for the worker to triage them (bounded) and checks that every one has
its record. Targets: at least 300 submissions/s, and at least 0.7x the bare view.

Run: ``python -m benchmarks.grievance_load [--seconds 60] [--clients 16] [--workers 2]
[--threads 8] [--runs 3] [--triage-at-intake] [--without-triage]``; with ``--runs`` it prints
the medians too.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import os
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PG_HOST, PG_PORT, PG_USER = "127.0.0.1", 5432, "postgres"
SETTINGS_MODULE = "benchmarks.grievance_settings"
MECHANISM = "veridia-joint"
API_PATH, FALLBACK_PATH, BARE_PATH = "/api/grievances", "/bench/submit", "/bench/bare-insert"
TARGET_RATE, TARGET_RATIO = 300.0, 0.7
WITHOUT_TRIAGE = "UNGPKIT_BENCH_WITHOUT_TRIAGE"  # read by benchmarks.grievance_urls


@dataclass
class Phase:
    """What one phase of load measured."""

    name: str
    path: str
    seconds: float = 0.0
    receipts: list[tuple[str, str]] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)
    cpu: dict[str, float] = field(default_factory=dict)
    """CPU seconds each part of the system used during the phase (Linux only)."""

    @property
    def rate(self) -> float:
        return len(self.receipts) / self.seconds if self.seconds else 0.0

    def percentile(self, share: float) -> float:
        if not self.latencies:
            return 0.0
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000


def main(argv: list[str] | None = None) -> None:
    """Run the load test (``--runs`` times, each in a fresh process and database)."""
    options = _options(argv or [])
    if options.runs > 1:
        _repeat(argv or [], options.runs)
    else:
        _run_once(options)


def _run_once(options: argparse.Namespace) -> dict[str, float]:
    """One run: its own database, server and sealer; prints the table, returns the figures."""
    database = f"ungpkit_load_{os.getpid()}"
    _admin_sql(f'CREATE DATABASE "{database}"')
    server = sealer = None
    try:
        with tempfile.TemporaryDirectory(prefix="ungpkit-load-") as folder:
            _configure(database, folder, options)
            intake = _prepare_site()
            server, port, kind = _start_server(options)
            sealer = _start_sealer(folder) if options.triage_at_intake else _start_worker()
            print(f"Site: {kind} on 127.0.0.1:{port}; intake at {intake}; database {database}")
            print(f"Triage: {_triage_mode(options)}")
            seconds = options.seconds if options.bare_seconds is None else options.bare_seconds
            warm_bare = _run(port, Phase("warm-up", BARE_PATH), options.clients, 2.0, 10_000)
            warm = _run(port, Phase("warm-up", intake), options.clients, 2.0, 10_000)
            # The bare view runs half before and half after the intake (A-B-A), so a change
            # in what else the shared machine runs weighs on both sides of the ratio alike.
            before = _run(
                port,
                Phase("bare insert view, before", BARE_PATH),
                options.clients,
                seconds / 2,
                options.max_requests // 2,
            )
            real = _run(
                port,
                Phase(f"POST {intake}", intake),
                options.clients,
                options.seconds,
                options.max_requests,
            )
            after = _run(
                port,
                Phase("bare insert view, after", BARE_PATH),
                options.clients,
                seconds / 2,
                options.max_requests // 2,
            )
            bare = _joined("bare insert view (both halves)", BARE_PATH, before, after)
            print(
                f"Bare insert view: {before.rate:.0f}/s before the intake, "
                f"{after.rate:.0f}/s after."
            )
            _stop(server)
            server = None
            triaged = _wait_for_triage(options)
            _stop(sealer)
            sealer = None
            _print_server_errors(Path(folder) / "server.log")
            _print_server_errors(Path(folder) / "sealer.log")
            verified = _verify([*warm.receipts, *real.receipts], bare=False)
            verified_bare = _verify([*warm_bare.receipts, *bare.receipts], bare=True)
            chain = _seal_and_verify_audit_log()
            return _report(bare, real, verified_bare, verified, chain, triaged, kind, options)
    finally:
        for process in (sealer, server):
            if process is not None:
                _stop(process)
        _close_django()
        _admin_sql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def _repeat(argv: list[str], runs: int) -> None:
    """Run the test ``runs`` times in fresh processes and print the median of each figure."""
    results = []
    single = _without_runs(argv)
    for number in range(1, runs + 1):
        print(f"\n=== Run {number} of {runs} ===", flush=True)
        child = subprocess.run(
            [sys.executable, "-m", "benchmarks.grievance_load", *single, "--runs", "1"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        print(child.stdout.replace(RESULT_MARK, "").rstrip(), flush=True)
        if child.returncode:
            sys.exit(f"Run {number} failed:\n{child.stderr[-3000:]}")
        results.append(json.loads(child.stdout.rsplit(RESULT_MARK, 1)[1].splitlines()[0]))
    print(f"\nMedians of {runs} runs:")
    for key, label in MEDIANS:
        values = [r.get(key, 0.0) for r in results]
        digits = 2 if key in PRECISE else 0
        shown = ", ".join(f"{v:.{digits}f}" for v in values)
        print(f"  {label}: {statistics.median(values):.{digits}f}", end="")
        print(f"  (runs: {shown})")
    rate = statistics.median(r["rate"] for r in results)
    ratio = statistics.median(r["ratio"] for r in results)
    correct = sum(1 for r in results if r.get("correct"))
    print(f"Targets, on the medians of the {runs} runs (this machine is shared: one run's ratio")
    print("moves with what else it does; every run's own figures are above):")
    verdicts = [
        (f"sustained rate >= {TARGET_RATE:.0f}/s", rate >= TARGET_RATE, f"{rate:.0f}/s"),
        (f"ratio to bare view >= {TARGET_RATIO}", ratio >= TARGET_RATIO, f"{ratio:.2f}x"),
        (
            "every run: receipts, audit log and triage all checked",
            correct == runs,
            f"{correct} of {runs}",
        ),
    ]
    for label, ok, value in verdicts:
        print(f"  [{'PASS' if ok else 'FAIL'}] {label} {value}")


def _without_runs(argv: list[str]) -> list[str]:
    kept, skip = [], False
    for arg in argv:
        if not skip and arg != "--runs" and not arg.startswith("--runs="):
            kept.append(arg)
        skip = arg == "--runs"
    return kept


RESULT_MARK = "RESULT "
PRECISE = {"ratio", "cpu_ms", "bare_cpu_ms"}
MEDIANS = [
    ("rate", "intake rate/s"),
    ("bare_rate", "bare insert rate/s"),
    ("ratio", "ratio"),
    ("p50", "intake p50 ms"),
    ("p99", "intake p99 ms"),
    ("cpu_ms", "intake CPU ms per request"),
    ("bare_cpu_ms", "bare CPU ms per request"),
    ("backlog", "awaiting triage when the load stopped"),
    ("catch_up", "seconds for the worker to triage them"),
]


def _options(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.grievance_load")
    parser.add_argument("--seconds", type=float, default=60.0, help="Length of each phase.")
    parser.add_argument(
        "--bare-seconds", type=float, default=None, help="Bare phase length (default: same)."
    )
    parser.add_argument("--max-requests", type=int, default=250_000, help="Bound per phase.")
    parser.add_argument("--clients", type=int, default=16, help="Concurrent client threads.")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes.")
    parser.add_argument("--threads", type=int, default=8, help="Threads per gunicorn worker.")
    parser.add_argument(
        "--runs",
        type=int,
        default=3,
        help="Runs, each in fresh processes and database; with more than one the targets are "
        "judged on the medians (default 3).",
    )
    parser.add_argument(
        "--triage-at-intake",
        action="store_true",
        help="No worker: triage each grievance in the request that receives it.",
    )
    parser.add_argument(
        "--without-triage",
        action="store_true",
        help="Disconnect the triage record made for each new grievance (to measure its cost).",
    )
    parser.add_argument(
        "--app", default="ungpkit.web.wsgi:application", help="WSGI application for gunicorn."
    )
    return parser.parse_args(argv)


# Database and site ---------------------------------------------------------------------------


def _admin_sql(statement: str) -> None:
    """Run one statement on the loopback server's maintenance database."""
    import psycopg

    dsn = f"host={PG_HOST} port={PG_PORT} user={PG_USER} dbname=postgres"
    with psycopg.connect(dsn, autocommit=True) as connection:
        connection.execute(statement)  # type: ignore[arg-type]


def _configure(database: str, folder: str, options: argparse.Namespace) -> None:
    """Production-like settings for this process and the server it starts."""
    from cryptography.fernet import Fernet

    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": SETTINGS_MODULE,
            "DATABASE_URL": f"postgres://{PG_USER}@{PG_HOST}:{PG_PORT}/{database}",
            "UNGPKIT_DEBUG": "false",
            "UNGPKIT_SECRET_KEY": secrets.token_urlsafe(50),
            "UNGPKIT_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
            "UNGPKIT_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "UNGPKIT_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "UNGPKIT_DATA_DIR": folder,
            "UNGPKIT_LOG_LEVEL": "WARNING",
            "UNGPKIT_TASK_BACKEND": "immediate" if options.triage_at_intake else "database",
        }
    )
    if options.without_triage:
        os.environ[WITHOUT_TRIAGE] = "1"


def _prepare_site() -> str:
    """Migrate, create the mechanism, and return the intake path the site offers."""
    import django

    sys.path.insert(0, str(ROOT))
    django.setup()
    from django.core.management import call_command
    from django.urls import Resolver404, resolve

    from ungpkit.apps.accounts.models import Organisation
    from ungpkit.apps.remedy.models import Mechanism

    call_command("migrate", verbosity=0, interactive=False)
    secretariat = Organisation.objects.create(
        name="Veridia Joint Tech Grievance Mechanism", slug="secretariat", kind="mechanism"
    )
    Mechanism.objects.create(organisation=secretariat, name="Joint mechanism", slug=MECHANISM)
    from benchmarks.grievance_urls import SITE_URLS_ERROR

    if SITE_URLS_ERROR:
        print(f"The site's URLs do not load ({SITE_URLS_ERROR}); using {FALLBACK_PATH}.")
        return FALLBACK_PATH
    try:
        resolve(API_PATH)
    except Resolver404:
        return FALLBACK_PATH
    return API_PATH


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((PG_HOST, 0))
        return int(probe.getsockname()[1])


def _start_server(options: Any) -> tuple[subprocess.Popen[bytes], int, str]:
    """gunicorn with several worker processes (runserver when gunicorn is missing)."""
    workers, threads = options.workers, options.threads
    port = _free_port()
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent))
    if gunicorn:
        command = [gunicorn, options.app, "--bind", f"127.0.0.1:{port}"]
        command += ["--workers", str(workers), "--worker-class", "gthread"]
        command += ["--threads", str(threads), "--keep-alive", "30", "--log-level", "warning"]
        command += ["--chdir", str(ROOT)]
        kind = f"gunicorn, {workers} workers x {threads} threads"
    else:
        command = [sys.executable, "-m", "ungpkit", "manage", "runserver"]
        command += [f"127.0.0.1:{port}", "--noreload", "--skip-checks"]
        kind = "Django runserver (gunicorn not installed; one process)"
    server = _spawn(command, "server.log")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"The server stopped at start (exit code {server.returncode}).")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/health")
            if connection.getresponse().status == 200:
                return server, port, kind
        except OSError:
            time.sleep(0.2)
    _stop(server)
    raise RuntimeError("The server did not answer /health within 60 s.")


def _triage_mode(options: argparse.Namespace) -> str:
    if options.without_triage:
        return "off (to measure its cost)"
    if options.triage_at_intake:
        return "in each request (no worker)"
    return "by the worker (nice -n 10), in batches"


def _start_worker() -> subprocess.Popen[bytes]:
    """``ungpkit worker`` at the priority docs/deploy.md gives it: it seals the audit log
    and triages new grievances while the load runs."""
    command = ["nice", "-n", "10", sys.executable, "-m", "ungpkit", "worker"]
    command += ["--seal-every", "1", "--triage-every", "1", "--interval", "1"]
    return _spawn(command, "sealer.log")


@dataclass
class Triaged:
    """Triage after the load: how many still waited, how long the worker took to clear
    them, and how many intake grievances have their record."""

    waiting: int
    seconds: float
    records: int
    grievances: int
    mode: str


def _wait_for_triage(options: argparse.Namespace, limit: float = 600.0) -> Triaged:
    from ungpkit.apps.remedy.models import Grievance
    from ungpkit.apps.triage.models import AwaitingTriage, TriageRecord

    waiting = AwaitingTriage.objects.count()
    started = time.perf_counter()
    while AwaitingTriage.objects.exists() and time.perf_counter() - started < limit:
        time.sleep(0.5)
    seconds = time.perf_counter() - started if waiting else 0.0
    intake = Grievance.objects.exclude(case_code__startswith="B-")
    records = TriageRecord.objects.filter(grievance__in=intake).count()
    return Triaged(waiting, seconds, records, intake.count(), _triage_mode(options))


def _start_sealer(folder: str) -> subprocess.Popen[bytes]:
    """The audit log's sealer, as a deployment runs it beside the web processes."""
    command = [sys.executable, "-m", "ungpkit", "manage", "seal_audit_log", "--every", "1"]
    return _spawn(command, "sealer.log")


def _spawn(command: list[str], log_name: str) -> subprocess.Popen[bytes]:
    log = (Path(os.environ["UNGPKIT_DATA_DIR"]) / log_name).open("wb")
    path = os.pathsep.join(filter(None, (str(ROOT), os.environ.get("PYTHONPATH"))))
    return subprocess.Popen(
        command,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "PYTHONPATH": path},
    )


def _stop(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _print_server_errors(log: Path) -> None:
    """How many requests the server logged as failed, and the exceptions it logged most."""
    lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
    failed = sum("Internal Server Error" in line or "CommandError" in line for line in lines)
    if failed:
        raised = Counter(
            line[:160] for line in lines if line[:1].isalpha() and "Error:" in line.split()[0]
        )
        print(f"The server logged {failed} internal error(s); the exceptions it logged most:")
        for line, count in raised.most_common(3):
            print(f"  {count} x {line}")


def _close_django() -> None:
    if "django.db" in sys.modules:
        from django.db import connections

        connections.close_all()


# Load ----------------------------------------------------------------------------------------


def _body(number: int) -> bytes:
    """A plausible submission; one in four identified (its identity is encrypted)."""
    body: dict[str, Any] = {
        "mechanism": MECHANISM,
        "description": f"The app shared my location with advertisers without asking ({number}).",
        "happened_on": "March 2026",
        "country": "FR",
        "company_text": "Lumen app",
        "affected_count": 3,
        "ongoing": True,
        "wants": ["stop_harm", "explanation"],
        "language": "fr",
    }
    if number % 4 == 0:
        body["anonymous"] = False
        body["identity"] = {"name": f"Person {number}", "email": f"p{number}@example.org"}
    return json.dumps(body).encode()


def _joined(name: str, path: str, *phases: Phase) -> Phase:
    """One phase made of several: their requests and their time added up."""
    joined = Phase(name, path)
    for phase in phases:
        joined.seconds += phase.seconds
        joined.receipts.extend(phase.receipts)
        joined.errors.update(phase.errors)
        joined.latencies.extend(phase.latencies)
        for part, used in phase.cpu.items():
            joined.cpu[part] = joined.cpu.get(part, 0.0) + used
    return joined


def _run(port: int, phase: Phase, clients: int, seconds: float, limit: int) -> Phase:
    """Submit from ``clients`` threads until ``seconds`` pass or ``limit`` requests are made."""
    numbers = itertools.count(1)
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        receipts, errors, latencies = [], Counter[str](), []
        while time.monotonic() < deadline:
            number = next(numbers)
            if number > limit:
                break
            started = time.perf_counter()
            try:
                connection.request(
                    "POST", phase.path, _body(number), {"Content-Type": "application/json"}
                )
                response = connection.getresponse()
                payload = response.read()
            except (OSError, http.client.HTTPException) as error:
                errors[type(error).__name__] += 1
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                continue
            latencies.append(time.perf_counter() - started)
            if response.status == 201:
                answer = json.loads(payload)
                receipts.append((answer["case_code"], answer["passphrase"]))
            else:
                errors[f"HTTP {response.status}"] += 1
        connection.close()
        with lock:
            phase.receipts.extend(receipts)
            phase.errors.update(errors)
            phase.latencies.extend(latencies)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    before = _cpu_seconds()
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    phase.seconds = time.perf_counter() - started
    after = _cpu_seconds()
    phase.cpu = _cpu_used(before, after)
    return phase


def _cpu_seconds() -> dict[tuple[str, int], float]:
    """CPU seconds used so far by each process of the test (the web processes, the worker,
    PostgreSQL's and this one, the clients), from /proc; empty where there is none."""
    proc = Path("/proc")
    if not (proc / "self" / "stat").exists():
        return {}
    ticks = os.sysconf("SC_CLK_TCK")
    used: dict[tuple[str, int], float] = {("clients", os.getpid()): time.process_time()}
    for entry in proc.iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        part = (
            "web"
            if "gunicorn" in command or "runserver" in command
            else "worker"
            if " ungpkit worker" in command or "seal_audit_log" in command
            else "database"
            if command.startswith("postgres")
            else None
        )
        if part is not None:
            used[(part, int(entry.name))] = (int(fields[11]) + int(fields[12])) / ticks
    return used


def _cpu_used(
    before: dict[tuple[str, int], float], after: dict[tuple[str, int], float]
) -> dict[str, float]:
    """CPU seconds each part used between two readings. A process that ended meanwhile (a
    database connection closed at its age limit) takes its time with it: a floor."""
    parts: dict[str, float] = {}
    for (part, pid), seconds in after.items():
        parts[part] = parts.get(part, 0.0) + seconds - before.get((part, pid), 0.0)
    return parts


# Checks and report ---------------------------------------------------------------------------


@dataclass
class Verified:
    """Receipts checked against what the database holds."""

    checked: int
    matching: int
    stored: int

    @property
    def ok(self) -> bool:
        return self.matching == self.checked == self.stored


def _verify(received: list[tuple[str, str]], *, bare: bool) -> Verified:
    """Every receipt opens a stored row (for intake, with its passphrase), and no row was
    stored without a receipt. The bare view stores no passphrase: its codes are checked."""
    from ungpkit.apps.remedy import receipts
    from ungpkit.apps.remedy.models import Grievance

    matching = 0
    for start in range(0, len(received), 2000):
        chunk = received[start : start + 2000]
        stored = dict(
            Grievance.objects.filter(case_code__in=[code for code, _ in chunk]).values_list(
                "case_code", "passphrase_hash"
            )
        )
        matching += sum(
            1
            for code, passphrase in chunk
            if code in stored and (bare or receipts.check_passphrase(passphrase, stored[code]))
        )
    rows = Grievance.objects.filter(case_code__startswith="B-")
    if not bare:
        rows = Grievance.objects.exclude(case_code__startswith="B-")
    return Verified(len(received), matching, rows.count())


@dataclass
class Chain:
    """The audit log after the load: sealed by the running sealer, then the rest, verified."""

    entries: int
    sealed_during_load: int
    sealed_after: int
    seal_seconds: float
    intact: bool
    report: str


def _seal_and_verify_audit_log() -> Chain:
    from ungpkit.apps.accounts.audit import seal_audit_log, verify_audit_chain
    from ungpkit.apps.accounts.models import AuditEntry

    entries = AuditEntry.objects.filter(action="remedy.grievance_received").count()
    waiting = AuditEntry.objects.unsealed().count()
    started = time.perf_counter()
    sealed = seal_audit_log()
    seconds = time.perf_counter() - started
    report = verify_audit_chain()
    total = AuditEntry.objects.count()
    return Chain(
        entries,
        total - waiting,
        sealed.sealed,
        seconds,
        report.ok and sealed.stopped_at is None and report.unsealed == 0,
        f"{report.checked} entries checked"
        if report.ok
        else f"broken at {report.broken_at}: {report.reason}",
    )


def _report(
    bare: Phase,
    real: Phase,
    verified_bare: Verified,
    verified: Verified,
    chain: Chain,
    triaged: Triaged,
    kind: str,
    options: Any,
) -> dict[str, float]:
    ratio = real.rate / bare.rate if bare.rate else 0.0
    rows = [
        ("Phase", "Seconds", "Stored", "Errors", "Rate/s", "p50 ms", "p95 ms", "p99 ms"),
        *(
            (
                phase.name,
                f"{phase.seconds:.1f}",
                str(len(phase.receipts)),
                str(sum(phase.errors.values())),
                f"{phase.rate:.0f}",
                f"{phase.percentile(0.5):.1f}",
                f"{phase.percentile(0.95):.1f}",
                f"{phase.percentile(0.99):.1f}",
            )
            for phase in (bare, real)
        ),
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    print(f"\nGrievance intake load test ({kind}; {options.clients} client threads; PostgreSQL)")
    for index, row in enumerate(rows):
        print(
            "  ".join(
                cell.ljust(w) if i == 0 else cell.rjust(w)
                for i, (cell, w) in enumerate(zip(row, widths, strict=True))
            )
        )
        if index == 0:
            print("  ".join("-" * w for w in widths))
    for phase in (bare, real):
        if phase.errors:
            print(f"Errors in {phase.name}: {dict(phase.errors)}")
    cpu = {phase.name: _cpu_per_request(phase) for phase in (bare, real)}
    if all(cpu.values()):
        print("CPU per request, ms (all processes of the test: " + ", ".join(cpu[real.name]) + ")")
        for name, parts in cpu.items():
            print(
                f"  {name}: {sum(parts.values()):.2f} ("
                + ", ".join(f"{part} {value:.2f}" for part, value in parts.items())
                + ")"
            )
    print()
    for name, result in (("bare insert", verified_bare), ("intake", verified)):
        print(
            f"Receipts of {name} (warm-up included): {result.checked}; matching a stored "
            f"row: {result.matching}; rows stored: {result.stored}"
        )
    print(
        f"Audit log: {chain.entries} intake entries; {chain.sealed_during_load} sealed while "
        f"the load ran, {chain.sealed_after} after it ({chain.seal_seconds:.2f} s); "
        f"verified: {chain.report}"
    )
    print(
        f"Triage ({triaged.mode}): {triaged.waiting} grievance(s) awaited triage when the load "
        f"stopped, triaged {triaged.seconds:.1f} s later; {triaged.records} of "
        f"{triaged.grievances} intake grievances have their triage record"
    )
    checks = [
        (f"sustained rate >= {TARGET_RATE:.0f}/s", real.rate >= TARGET_RATE, f"{real.rate:.0f}/s"),
        (f"ratio to bare view >= {TARGET_RATIO}", ratio >= TARGET_RATIO, f"{ratio:.2f}x"),
        ("every receipt matches a stored grievance", verified.matching == verified.checked, ""),
        ("one stored grievance per receipt", verified.stored == verified.checked, ""),
        ("every bare receipt matches one stored row", verified_bare.ok, ""),
        ("one audit entry per grievance, sealed and intact", _chain_ok(chain, verified), ""),
        *(
            []
            if options.without_triage
            else [
                (
                    "every grievance triaged",
                    triaged.records == triaged.grievances == verified.stored,
                    "",
                )
            ]
        ),
    ]
    for label, ok, value in checks:
        print(f"  [{'PASS' if ok else 'FAIL'}] {label} {value}".rstrip())
    figures = {
        "correct": float(all(ok for _label, ok, _value in checks[2:])),
        "rate": real.rate,
        "bare_rate": bare.rate,
        "ratio": ratio,
        "p50": real.percentile(0.5),
        "p99": real.percentile(0.99),
        "cpu_ms": sum(cpu[real.name].values()) if cpu[real.name] else 0.0,
        "bare_cpu_ms": sum(cpu[bare.name].values()) if cpu[bare.name] else 0.0,
        "backlog": float(triaged.waiting),
        "catch_up": triaged.seconds,
    }
    print(RESULT_MARK + json.dumps(figures))
    return figures


def _cpu_per_request(phase: Phase) -> dict[str, float]:
    """Milliseconds of CPU per stored request, for each part of the system."""
    if not phase.cpu or not phase.receipts:
        return {}
    return {part: 1000 * used / len(phase.receipts) for part, used in phase.cpu.items()}


def _chain_ok(chain: Chain, verified: Verified) -> bool:
    return chain.intact and chain.entries == verified.stored


if __name__ == "__main__":
    main(sys.argv[1:])
