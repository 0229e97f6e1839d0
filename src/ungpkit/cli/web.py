"""``ungpkit demo``, ``manage`` and ``worker``: run the web platform and its task workers."""

from __future__ import annotations

import logging
import os
import threading
import time
import webbrowser
from collections.abc import Callable

import click

from ungpkit.cli.output import console


def _django(argv: list[str]) -> None:
    from ungpkit.web.management import run

    run(["ungpkit manage", *argv])


@click.command()
@click.option("--port", default=8000, show_default=True, help="Port to serve the site on.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind.")
@click.option("--no-browser", is_flag=True, help="Do not open a web browser.")
@click.option("--no-serve", is_flag=True, help="Prepare the demo database, then stop.")
def demo(port: int, host: str, no_browser: bool, no_serve: bool) -> None:
    """Create a SQLite demo database with sample data and start the site on localhost."""
    os.environ.setdefault("UNGPKIT_DEBUG", "true")
    os.environ.setdefault("UNGPKIT_DATA_DIR", os.path.abspath(os.path.join("var", "demo")))
    console.print(
        f"[bold]Preparing the demo database[/] (SQLite, in {os.environ['UNGPKIT_DATA_DIR']})"
    )
    _django(["migrate", "--no-input", "-v", "0"])
    from ungpkit.demo.load import load_demo

    logins = load_demo()
    console.print("\n[bold]Demo logins[/] (password for all: [cyan]demo-password[/])")
    for role, username in logins:
        console.print(f"  {role:<18} [cyan]{username}[/]")
    url = f"http://{host}:{port}/"
    if no_serve:
        return
    console.print(f"\n[bold green]ungpkit is running at {url}[/]  (Ctrl+C to stop)\n")
    if not no_browser:
        threading.Timer(1.5, webbrowser.open, args=(url,)).start()
    _django(["runserver", f"{host}:{port}", "--noreload", "--skip-checks"])


@click.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def manage(args: tuple[str, ...]) -> None:
    """Run a Django management command (migrate, createsuperuser, ...)."""
    _django(list(args))


@click.command()
@click.option("--queue", default="default", show_default=True, help="Queue to take tasks from.")
@click.option("--batch", is_flag=True, help="Run every queued task, then stop (cron, tests).")
@click.option(
    "--interval",
    default=1.0,
    show_default=True,
    type=click.FloatRange(min=0),
    help="Seconds to wait before looking again at an empty queue.",
)
@click.option(
    "--recover-every",
    default=60,
    show_default=True,
    type=click.IntRange(min=0),
    help="Seconds between looks for checks whose worker died (0: only when starting).",
)
@click.option(
    "--seal-every",
    default=5.0,
    show_default=True,
    type=click.FloatRange(min=0),
    help="Seconds between links of new audit entries into the hash chain (0: only when "
    "starting; run seal_audit_log yourself then).",
)
@click.option(
    "--triage-every",
    default=2.0,
    show_default=True,
    type=click.FloatRange(min=0),
    help="Seconds between triages of the grievances received since (0: only when starting).",
)
def worker(
    queue: str,
    batch: bool,
    interval: float,
    recover_every: int,
    seal_every: float,
    triage_every: float,
) -> None:
    """Run a background task worker against the configured database (scale by adding more).

    When it starts, and every minute while it waits, the worker requeues checks whose worker
    died (no heartbeat for five minutes) and fails those that stopped too often, with a reason.
    It also seals the audit log: entries are written without a lock and linked into the hash
    chain afterwards, every few seconds (docs/decisions/0003-audit-log-sealing.md); and it
    triages the grievances received since it last looked, in batches, so that a surge of
    complaints never waits for triage (docs/decisions/0005-one-statement-intake.md).
    Run workers at a lower priority than the web processes (``nice``, or ``Nice=`` in
    systemd): what they do can wait a little, a person submitting a complaint should not.
    """
    backend = os.environ.setdefault("UNGPKIT_TASK_BACKEND", "database")
    if backend.strip() != "database":
        raise click.UsageError(
            "Workers take tasks from the database queue: set UNGPKIT_TASK_BACKEND=database "
            "for the web processes and the workers alike."
        )
    _setup()
    _recover_stale_checks()
    _seal_audit_log()
    _triage_received()
    if not batch:
        _freeze_start_up()
    if recover_every and not batch:
        threading.Thread(
            target=_every, args=(recover_every, _recover_stale_checks), name="recovery", daemon=True
        ).start()
    if seal_every and not batch:
        threading.Thread(
            target=_every, args=(seal_every, _seal_audit_log), name="audit-sealer", daemon=True
        ).start()
    if triage_every and not batch:
        threading.Thread(
            target=_every, args=(triage_every, _triage_received), name="triage", daemon=True
        ).start()
    options = ["--queue-name", queue, "--interval", str(interval), "--no-reload"]
    _django(["db_worker", *options, *(["--batch"] if batch else [])])
    if batch:
        _triage_received()
        _seal_audit_log()  # what the tasks just recorded


def _setup() -> None:
    import django

    from ungpkit.web.management import SETTINGS_MODULE

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS_MODULE)
    django.setup()


def _freeze_start_up() -> None:
    """Compile triage's rules (the first grievance in each language would), then move what
    start-up made out of the garbage collector's way (``gc.freeze``). A triage batch makes
    hundreds of thousands of short-lived objects, so collections are frequent, and each full
    one walked Django's, the framework's and the rules' objects again: about a fifth of the
    worker's time per grievance (docs/decisions/0005-one-statement-intake.md)."""
    import gc

    from ungpkit.grievances.priority import default_priority_rules
    from ungpkit.grievances.triage import compile_all

    compile_all()
    default_priority_rules()
    gc.collect()
    gc.freeze()


def _housekeeping(what: str, job: Callable[[], None]) -> None:
    """Run one of the worker's own jobs: a database error is logged (as "Could not
    ``what``"), never allowed to stop the worker. A background thread keeps its connection
    for its next round (opening one costs the database a new process), and closes it when
    it failed or is older than ``CONN_MAX_AGE``, as a web request does."""
    import logging

    from django.db import DatabaseError, close_old_connections

    try:
        job()
    except DatabaseError as error:
        logging.getLogger("ungpkit.worker").warning("Could not %s: %s", what, type(error).__name__)
    finally:
        if threading.current_thread() is not threading.main_thread():
            close_old_connections()


def _every(seconds: float, job: Callable[[], None]) -> None:
    """Run ``job`` every ``seconds``, for ever (in a daemon thread)."""
    while True:
        time.sleep(seconds)
        job()


def _recover_stale_checks() -> None:
    """Requeue or fail the checks of dead workers."""

    def recover() -> None:
        from ungpkit.apps.check.actions import recover_stale_assessments

        recovered = recover_stale_assessments()
        if recovered:
            logging.getLogger("ungpkit.worker").warning(
                "Recovered %d check(s) whose worker had stopped", recovered
            )

    _housekeeping("look for stale checks", recover)


def _triage_received() -> None:
    """Triage the grievances awaiting triage."""

    def triage() -> None:
        from ungpkit.apps.triage.records import triage_awaiting

        triage_awaiting()

    _housekeeping("triage new grievances", triage)


def _seal_audit_log() -> None:
    """Link new audit entries into the hash chain."""

    def seal() -> None:
        from ungpkit.apps.accounts.audit import seal_audit_log

        report = seal_audit_log()
        if report.stopped_at is not None:
            logging.getLogger("ungpkit.worker").error(
                "Audit entry %s was not sealed: %s. Run ungpkit manage verify_audit_log.",
                report.stopped_at,
                report.reason,
            )

    _housekeeping("seal the audit log", seal)
