"""``ungpkit demo``, ``manage`` and ``worker``: run the web platform and its task workers."""

from __future__ import annotations

import os
import threading
import time
import webbrowser

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
def worker(queue: str, batch: bool, interval: float, recover_every: int, seal_every: float) -> None:
    """Run a background task worker against the configured database (scale by adding more).

    When it starts, and every minute while it waits, the worker requeues checks whose worker
    died (no heartbeat for five minutes) and fails those that stopped too often, with a reason.
    It also seals the audit log: entries are written without a lock and linked into the hash
    chain afterwards, every few seconds (docs/decisions/0003-audit-log-sealing.md).
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
    if recover_every and not batch:
        threading.Thread(
            target=_recover_periodically, args=(recover_every,), name="recovery", daemon=True
        ).start()
    if seal_every and not batch:
        threading.Thread(
            target=_seal_periodically, args=(seal_every,), name="audit-sealer", daemon=True
        ).start()
    options = ["--queue-name", queue, "--interval", str(interval), "--no-reload"]
    _django(["db_worker", *options, *(["--batch"] if batch else [])])
    if batch:
        _seal_audit_log()  # what the tasks just recorded


def _setup() -> None:
    import django

    from ungpkit.web.management import SETTINGS_MODULE

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS_MODULE)
    django.setup()


def _recover_stale_checks() -> None:
    """Requeue or fail the checks of dead workers; log, never crash the worker, on failure."""
    import logging

    from django.db import DatabaseError, connection

    from ungpkit.apps.check.actions import recover_stale_assessments

    logger = logging.getLogger("ungpkit.worker")
    try:
        recovered = recover_stale_assessments()
    except DatabaseError as error:
        logger.warning("Could not look for stale checks: %s", type(error).__name__)
    else:
        if recovered:
            logger.warning("Recovered %d check(s) whose worker had stopped", recovered)
    finally:
        if threading.current_thread() is not threading.main_thread():
            connection.close()


def _seal_audit_log() -> None:
    """Link new audit entries into the chain; log (never crash the worker) on failure."""
    import logging

    from django.db import DatabaseError, connection

    from ungpkit.apps.accounts.audit import seal_audit_log

    logger = logging.getLogger("ungpkit.worker")
    try:
        report = seal_audit_log()
    except DatabaseError as error:
        logger.warning("Could not seal the audit log: %s", type(error).__name__)
    else:
        if report.stopped_at is not None:
            logger.error(
                "Audit entry %s was not sealed: %s. Run ungpkit manage verify_audit_log.",
                report.stopped_at,
                report.reason,
            )
    finally:
        if threading.current_thread() is not threading.main_thread():
            connection.close()


def _seal_periodically(every: float) -> None:
    while True:
        time.sleep(every)
        _seal_audit_log()


def _recover_periodically(every: int) -> None:
    while True:
        time.sleep(every)
        _recover_stale_checks()
