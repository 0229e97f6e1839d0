"""``ungpkit demo``, ``manage`` and ``worker``: run the web platform and its task workers."""

from __future__ import annotations

import os
import threading
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
def worker(queue: str) -> None:
    """Run a background task worker against the configured database (scale by adding more)."""
    os.environ.setdefault("UNGPKIT_TASK_BACKEND", "database")
    _django(["db_worker", "--queue-name", queue])
