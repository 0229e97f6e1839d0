"""``ungpkit grievances``: work with the grievance mechanism from the command line."""

from __future__ import annotations

import os
from pathlib import Path

import click
from rich.progress import Progress

from ungpkit.cli.output import console, fail


@click.group()
def grievances() -> None:
    """Work with grievance mechanisms (bulk import of complaints)."""


@grievances.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--mechanism", "mechanism_slug", required=True, help="Short name of the mechanism.")
@click.option(
    "--source", "source_slug", required=True, help="Short name of the partner organisation."
)
@click.option(
    "--receipts",
    "receipts_path",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="CSV to write (row, case code, passphrase) for the partner to hand back.",
)
@click.option(
    "--batch-size",
    default=500,
    show_default=True,
    type=click.IntRange(1, 10_000),
    help="Rows stored per transaction.",
)
def import_command(
    file: Path,
    mechanism_slug: str,
    source_slug: str,
    receipts_path: Path | None,
    batch_size: int,
) -> None:
    """Import complaints from FILE for a partner: a .csv with a header row (wants separated
    by semicolons), or JSON (an array of objects, or one object per line).

    Safe to run again on the same file, for example after a crash: rows already stored are
    not stored twice, and the receipts file lists every stored row again.
    """
    _setup()
    from ungpkit.apps.accounts.models import Organisation
    from ungpkit.apps.remedy import bulk
    from ungpkit.apps.remedy.models import Mechanism

    mechanism = Mechanism.objects.filter(slug=mechanism_slug).first()
    source = Organisation.objects.filter(slug=source_slug).first()
    if mechanism is None:
        fail(f"No mechanism has the short name {mechanism_slug!r}.")
    if source is None:
        fail(f"No organisation has the short name {source_slug!r}.")
    with Progress(console=console, transient=True) as bar:
        task = bar.add_task("Importing", total=None)
        report = bulk.import_file(
            mechanism,
            file,
            source=source,
            receipts_out=receipts_path,
            batch_size=batch_size,
            progress=lambda done, total: bar.update(task, completed=done, total=total),
        )
    console.print(
        f"Stored {report.created} new grievance(s); {report.existing} already stored; "
        f"{len(report.failed)} row(s) refused."
    )
    for failure in report.failed[:50]:
        console.print(f"  row {failure['row']}: {failure['message']}")
    if len(report.failed) > 50:
        console.print(f"  ... and {len(report.failed) - 50} more (see the import's record).")
    if receipts_path is not None:
        console.print(f"Receipts written to {receipts_path}")


def _setup() -> None:
    import django

    from ungpkit.web.management import SETTINGS_MODULE

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS_MODULE)
    django.setup()
