"""``ungpkit manage cluster_grievances --mechanism SLUG``: find mass complaints."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ungpkit.apps.triage.clusters import recluster
from ungpkit.apps.triage.management.commands._common import mechanism_option


class Command(BaseCommand):
    help = (
        "Cluster the open grievances of a mechanism into near-duplicates and same-incident "
        "groups, and store the clusters (a cluster keeps its id while most of its members "
        "stay). Grievances already in a collective case stay where they are."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--mechanism", required=True, help="The mechanism's short name.")

    def handle(self, *args: Any, **options: Any) -> None:
        mechanism = mechanism_option(options["mechanism"])
        if mechanism is None:
            raise CommandError("Name the mechanism with --mechanism.")

        def show(stage: str, done: int, total: int) -> None:
            self.stdout.write(f"{stage}: {done} of {total}")

        result = recluster(mechanism, progress=show)
        self.stdout.write(
            f"{result.grievances} open grievance(s) read; {result.clusters} cluster(s) "
            f"holding {result.clustered} grievance(s); {result.kept} kept their id."
        )
