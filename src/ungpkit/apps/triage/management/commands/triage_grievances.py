"""``ungpkit manage triage_grievances``: triage the grievances that have no record yet."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ungpkit.apps.triage.management.commands._common import mechanism_option, progress_printer
from ungpkit.apps.triage.records import triage_pending


class Command(BaseCommand):
    help = (
        "Triage every grievance that has no triage record yet (bulk imports, or grievances "
        "received before triage was installed), in batches. Safe to run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--mechanism", help="Only this mechanism (its short name).")
        parser.add_argument("--batch", type=int, default=1000, help="Grievances per batch.")

    def handle(self, *args: Any, **options: Any) -> None:
        mechanism = mechanism_option(options["mechanism"])
        done = triage_pending(
            mechanism, batch=options["batch"], progress=progress_printer(self, "triaged")
        )
        self.stdout.write(f"{done} grievance(s) triaged.")
