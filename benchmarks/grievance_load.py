"""Load test of grievance intake: concurrent submissions for 60 s against PostgreSQL on loopback.

Creates its own database on 127.0.0.1 (dropped at the end), starts the site with gunicorn
(several worker processes; Django's runserver when gunicorn is missing) using
``benchmarks.grievance_settings`` (rate limit raised, two benchmark-only URLs), then:

1. a **bare insert** view (parse JSON, insert a minimal row: no validation, no encryption,
   no transition, no audit entry) under the same load, as the floor to compare with;
2. the public ``POST /api/grievances`` (or, when that endpoint is not mounted, a test-only view
   calling ``actions.submit_grievance``), one in four submissions identified (encrypted).

Each phase is bounded by time and by count. Afterwards every receipt received is checked
against the stored grievance (case code exists, passphrase matches) and the stored count
against the receipts. Targets: at least 300 submissions/s, and at least 0.7x the bare view.

Run: ``python -m benchmarks.grievance_load [--seconds 60] [--clients 16] [--workers 4]``.
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


@dataclass
class Phase:
    """What one phase of load measured."""

    name: str
    path: str
    seconds: float = 0.0
    receipts: list[tuple[str, str]] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return len(self.receipts) / self.seconds if self.seconds else 0.0

    def percentile(self, share: float) -> float:
        if not self.latencies:
            return 0.0
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000


def main(argv: list[str] | None = None) -> None:
    """Run the load test once and print its table."""
    options = _options(argv or [])
    database = f"ungpkit_load_{os.getpid()}"
    _admin_sql(f'CREATE DATABASE "{database}"')
    server: subprocess.Popen[bytes] | None = None
    try:
        with tempfile.TemporaryDirectory(prefix="ungpkit-load-") as folder:
            _configure(database, folder)
            intake = _prepare_site()
            server, port, kind = _start_server(options)
            print(f"Site: {kind} on 127.0.0.1:{port}; intake at {intake}; database {database}")
            _run(port, Phase("warm-up", BARE_PATH), options.clients, 2.0, 10_000)
            warm = _run(port, Phase("warm-up", intake), options.clients, 2.0, 10_000)
            bare = _run(
                port,
                Phase("bare insert view", BARE_PATH),
                options.clients,
                options.bare_seconds,
                options.max_requests,
            )
            real = _run(
                port,
                Phase(f"POST {intake}", intake),
                options.clients,
                options.seconds,
                options.max_requests,
            )
            _stop(server)
            server = None
            _print_server_errors(Path(folder) / "server.log")
            verified = _verify([*warm.receipts, *real.receipts])
            _report(bare, real, verified, kind, options)
    finally:
        if server is not None:
            _stop(server)
        _close_django()
        _admin_sql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def _options(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.grievance_load")
    parser.add_argument("--seconds", type=float, default=60.0, help="Intake phase length.")
    parser.add_argument("--bare-seconds", type=float, default=20.0, help="Bare phase length.")
    parser.add_argument("--max-requests", type=int, default=100_000, help="Bound per phase.")
    parser.add_argument("--clients", type=int, default=16, help="Concurrent client threads.")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes.")
    parser.add_argument("--threads", type=int, default=4, help="Threads per gunicorn worker.")
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


def _configure(database: str, folder: str) -> None:
    """Production-like settings for this process and the server it starts."""
    from cryptography.fernet import Fernet

    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": SETTINGS_MODULE,
            "DATABASE_URL": f"postgres://{PG_USER}@{PG_HOST}:{PG_PORT}/{database}",
            "UNGPKIT_DEBUG": "false",
            "UNGPKIT_SECRET_KEY": secrets.token_urlsafe(50),
            "UNGPKIT_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
            "UNGPKIT_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "UNGPKIT_DATA_DIR": folder,
            "UNGPKIT_LOG_LEVEL": "WARNING",
            "UNGPKIT_TASK_BACKEND": "immediate",
        }
    )


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
    log = (Path(os.environ["UNGPKIT_DATA_DIR"]) / "server.log").open("wb")
    server = subprocess.Popen(
        command,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        env={
            **os.environ,
            "PYTHONPATH": os.pathsep.join(filter(None, (str(ROOT), os.environ.get("PYTHONPATH")))),
        },
    )
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
    failed = sum("Internal Server Error" in line for line in lines)
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
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    phase.seconds = time.perf_counter() - started
    return phase


# Checks and report ---------------------------------------------------------------------------


@dataclass
class Verified:
    """Receipts checked against what the database holds."""

    checked: int
    matching: int
    stored: int


def _verify(received: list[tuple[str, str]]) -> Verified:
    """Every receipt opens a stored grievance, and no grievance was stored without one."""
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
            if code in stored and receipts.check_passphrase(passphrase, stored[code])
        )
    stored_count = Grievance.objects.exclude(case_code__startswith="B-").count()
    return Verified(len(received), matching, stored_count)


def _report(bare: Phase, real: Phase, verified: Verified, kind: str, options: Any) -> None:
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
    print(
        f"\nReceipts received (warm-up included): {verified.checked}; matching a stored "
        f"grievance: {verified.matching}; grievances stored: {verified.stored}"
    )
    checks = [
        (f"sustained rate >= {TARGET_RATE:.0f}/s", real.rate >= TARGET_RATE, f"{real.rate:.0f}/s"),
        (f"ratio to bare view >= {TARGET_RATIO}", ratio >= TARGET_RATIO, f"{ratio:.2f}x"),
        ("every receipt matches a stored grievance", verified.matching == verified.checked, ""),
        ("one stored grievance per receipt", verified.stored == verified.checked, ""),
    ]
    for label, ok, value in checks:
        print(f"  [{'PASS' if ok else 'FAIL'}] {label} {value}")


if __name__ == "__main__":
    main(sys.argv[1:])
