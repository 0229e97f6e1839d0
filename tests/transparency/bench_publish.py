"""How long ``publish_statistics`` takes, and how much memory, on a generated mechanism.

Generates ROWS grievances with bulk inserts (about 3.5 steps each, triage labels, routing to
one of ten members, outcomes and ratings for the closed ones, messages), then computes the
snapshot in a fresh process and reports its time, the peak memory of that process (and its
memory before computing), and the time of the public page that reads the snapshot.

Run: ``python tests/transparency/bench_publish.py [--rows 100000] [--postgres]``. SQLite goes
to a temporary folder; ``--postgres`` creates a database on 127.0.0.1 (user postgres) and
drops it afterwards. Not collected by pytest.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RIGHTS = (
    "right.privacy",
    "right.expression",
    "right.non_discrimination",
    "right.work",
    "right.health",
    "right.child",
    "right.remedy",
    "right.social_security",
)
HARMS = (
    "harm.data_breach",
    "harm.data_misuse",
    "harm.discriminatory_decision",
    "harm.wrongful_content_removal",
    "harm.account_suspension",
    "harm.algorithmic_work_decision",
    "harm.online_harassment",
    "harm.denial_of_service_or_benefit",
)
WALK = ("acknowledged", "accepted", "dialogue", "remedy_proposed", "remedy_accepted",
        "remedy_implemented", "closed")  # fmt: skip


def _admin_sql(statement: str) -> None:
    import psycopg

    with psycopg.connect("host=127.0.0.1 user=postgres dbname=postgres", autocommit=True) as c:
        c.execute(statement)  # type: ignore[arg-type]


def generate(rows: int, seed: int = 7) -> None:
    """Insert ``rows`` grievances of one mechanism, with everything the snapshot reads."""
    from django.contrib.auth.hashers import make_password  # noqa: F401  (settings check)
    from django.db import transaction

    from ungpkit.apps.accounts.models import Organisation
    from ungpkit.apps.remedy.models import (
        CaseParty,
        Grievance,
        Mechanism,
        Member,
        Message,
        Outcome,
        Transition,
    )
    from ungpkit.apps.triage.models import TriageRecord

    rng = random.Random(seed)
    secretariat = Organisation.objects.create(
        name="Bench secretariat", slug="bench", kind="mechanism"
    )
    mechanism = Mechanism.objects.create(organisation=secretariat, name="Bench", slug="bench")
    members = []
    for number in range(10):
        company = Organisation.objects.create(
            name=f"Company {number}", slug=f"company-{number}", kind="company"
        )
        products = "\n".join(f"Product {number}-{p}" for p in range(3))
        members.append(
            Member.objects.create(mechanism=mechanism, organisation=company, products=products)
        )
    start = datetime(2024, 1, 1, tzinfo=UTC)
    batch = 5_000
    for offset in range(0, rows, batch):
        size = min(batch, rows - offset)
        grievances, plans = [], []
        for index in range(offset, offset + size):
            created = start + timedelta(minutes=rng.randrange(0, 2 * 365 * 24 * 60))
            member = rng.randrange(10)
            steps = WALK[: rng.choice((0, 1, 1, 2, 3, 3, 4, 7, 7, 7))]
            gaps = [rng.uniform(0.2, 20) for _ in steps]
            closed = (
                created + timedelta(days=sum(gaps)) if steps and steps[-1] == "closed" else None
            )
            grievances.append(
                Grievance(
                    mechanism=mechanism,
                    case_code=f"B{index:09d}",
                    passphrase_hash="x",
                    channel=rng.choice(("web", "web", "web", "api", "bulk")),
                    language=rng.choice(("en", "en", "fr", "es", "ko")),
                    description="Generated for the benchmark.",
                    company_text=(
                        f"Product {member}-{rng.randrange(3)}" if rng.random() < 0.6 else "an app"
                    ),
                    anonymous=rng.random() < 0.7,
                    on_behalf=rng.random() < 0.1,
                    state=steps[-1] if steps else "received",
                    created_at=created,
                    closed_at=closed,
                )
            )
            plans.append((member, steps, gaps, created))
        with transaction.atomic():
            Grievance.objects.bulk_create(grievances, batch_size=batch)
            parties, transitions, triage, outcomes, messages = [], [], [], [], []
            for grievance, (member, steps, gaps, created) in zip(grievances, plans, strict=True):
                if rng.random() < 0.95:
                    parties.append(CaseParty(grievance=grievance, member=members[member]))
                if rng.random() < 0.05:
                    parties.append(
                        CaseParty(grievance=grievance, member=members[(member + 1) % 10])
                    )
                at, previous = created, ""
                transitions.append(
                    Transition(
                        grievance=grievance, from_state="", to_state="received", created_at=at
                    )
                )
                previous = "received"
                for step, gap in zip(steps, gaps, strict=True):
                    at = at + timedelta(days=gap)
                    transitions.append(
                        Transition(
                            grievance=grievance, from_state=previous, to_state=step, created_at=at
                        )
                    )
                    previous = step
                triage.append(
                    TriageRecord(
                        grievance=grievance,
                        mechanism=mechanism,
                        open=previous != "closed",
                        created_at=created,
                        suggested={},
                        rights=rng.sample(RIGHTS, rng.choice((1, 1, 2))),
                        harms=[rng.choice(HARMS)],
                        scale=rng.randrange(4),
                        scope=rng.randrange(4),
                        irremediability=rng.randrange(4),
                    )
                )
                if previous == "closed":
                    outcomes.append(
                        Outcome(
                            grievance=grievance,
                            remedy_types=rng.sample(("apology", "compensation", "explanation"), 2),
                            satisfaction=rng.choice((None, 2, 3, 4, 4, 5)),
                            recorded_at=at,
                        )
                    )
                    messages.append(Message(grievance=grievance, body="Done.", created_at=at))
            CaseParty.objects.bulk_create(parties, batch_size=batch)
            Transition.objects.bulk_create(transitions, batch_size=batch)
            TriageRecord.objects.bulk_create(triage, batch_size=batch)
            Outcome.objects.bulk_create(outcomes, batch_size=batch)
            Message.objects.bulk_create(messages, batch_size=batch)


def _rss(field: str) -> float:
    """A memory figure of this process from /proc (VmRSS now, VmHWM peak), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure() -> dict[str, float]:
    """Compute the snapshot once (in this fresh process) and time the public page."""
    import django

    django.setup()
    from django.test import Client

    from ungpkit.apps.remedy.models import Grievance, Mechanism
    from ungpkit.apps.transparency import actions, aggregates, learning

    mechanism = Mechanism.objects.get(slug="bench")
    grievances = Grievance.objects.filter(mechanism=mechanism).count()
    before = _rss("VmRSS")
    Path("/proc/self/clear_refs").write_text("5")  # restart the peak (VmHWM) from here
    started = time.perf_counter()
    snapshot = actions.publish_statistics(None, mechanism)
    seconds = time.perf_counter() - started
    peak = _rss("VmHWM")
    phases = {}
    for name, run in (
        ("tables", lambda: aggregates.raw_statistics(mechanism)),
        ("issues", lambda: learning.group_issues(learning.mechanism_cases(mechanism), snapshot.computed_at)),
        ("indicators", lambda: aggregates.mechanism_facts(mechanism, aggregates.raw_statistics(mechanism), issues=0, recurring_issues=0)),
    ):  # fmt: skip
        phase_started = time.perf_counter()
        run()
        phases[f"{name}_seconds"] = round(time.perf_counter() - phase_started, 2)
    client = Client()
    client.get("/en/transparency/bench/")
    pages = []
    for _ in range(20):
        page_started = time.perf_counter()
        response = client.get("/en/transparency/bench/")
        pages.append(time.perf_counter() - page_started)
        assert response.status_code == 200
    pages.sort()
    return {
        "grievances": grievances,
        "seconds": round(seconds, 2),
        **phases,
        "rss_before_mb": round(before),
        "rss_peak_mb": round(peak),
        "issues": len(snapshot.issues),
        "page_median_ms": round(pages[len(pages) // 2] * 1000, 1),
        "page_max_ms": round(pages[-1] * 1000, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(prog="bench_publish")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.measure:
        print(json.dumps(measure()))
        return
    database = f"ungpkit_bench_{os.getpid()}"
    with tempfile.TemporaryDirectory(prefix="ungpkit-bench-") as folder:
        os.environ.update(
            {
                "DJANGO_SETTINGS_MODULE": "ungpkit.web.settings",
                "UNGPKIT_DATA_DIR": folder,
                "UNGPKIT_LOG_LEVEL": "WARNING",
                "UNGPKIT_ALLOWED_HOSTS": "testserver,localhost",
            }
        )
        if options.postgres:
            _admin_sql(f'CREATE DATABASE "{database}"')
            os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{database}"
        else:
            os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
        try:
            import django
            from django.core.management import call_command

            django.setup()
            call_command("migrate", verbosity=0)
            started = time.perf_counter()
            generate(options.rows)
            from django.db import connection

            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("VACUUM ANALYZE")
            connection.close()
            print(f"generated {options.rows} grievances in {time.perf_counter() - started:.0f} s")
            result = subprocess.run(
                [sys.executable, __file__, "--measure"],
                check=True,
                capture_output=True,
                text=True,
                cwd=ROOT,
            )
            found = json.loads(result.stdout.strip().splitlines()[-1])
            found["database"] = "PostgreSQL" if options.postgres else "SQLite"
            print(json.dumps(found, indent=2))
        finally:
            if options.postgres:
                from django.db import connections

                connections.close_all()
                _admin_sql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


if __name__ == "__main__":
    main()
