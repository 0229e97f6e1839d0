"""``ungpkit manage refresh_priorities``: recompute priorities as cases grow older."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ungpkit.apps.triage.management.commands._common import mechanism_option, progress_printer
from ungpkit.apps.triage.records import refresh_priorities


class Command(BaseCommand):
    help = (
        "Recompute the priority of every open case (it depends on how long the case has "
        "waited). Run it daily, from cron."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--mechanism", help="Only this mechanism (its short name).")
        parser.add_argument("--batch", type=int, default=1000, help="Records per batch.")

    def handle(self, *args: Any, **options: Any) -> None:
        mechanism = mechanism_option(options["mechanism"])
        changed = refresh_priorities(
            mechanism, batch=options["batch"], progress=progress_printer(self, "checked")
        )
        self.stdout.write(f"{changed} priority(ies) changed.")
