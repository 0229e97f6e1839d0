"""``ungpkit manage publish_statistics [--mechanism SLUG]``: compute the statistics snapshot
of every mechanism (or one), which the public pages then read. Run it from cron, for
example every night."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ungpkit.apps.remedy.models import Mechanism
from ungpkit.apps.transparency import actions


class Command(BaseCommand):
    help = "Compute and store the public statistics, recurring issues and GP31 indicators."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--mechanism", help="Only this mechanism (its short name).")
        parser.add_argument(
            "--threshold",
            type=int,
            help="Smallest count shown (default: UNGPKIT_STATISTICS_MIN_COUNT).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        threshold = options["threshold"]
        if threshold is not None and threshold < 1:
            raise CommandError(
                f"--threshold must be 1 or more (it was {threshold}): it is the smallest count "
                "the public statistics show, and counts below it are hidden to protect people."
            )
        mechanisms = Mechanism.objects.order_by("slug")
        if options["mechanism"]:
            mechanisms = mechanisms.filter(slug=options["mechanism"])
            if not mechanisms.exists():
                raise CommandError(f"There is no mechanism {options['mechanism']!r}.")
        for mechanism in mechanisms:
            snapshot = actions.publish_statistics(None, mechanism, threshold=options["threshold"])
            total = snapshot.statistics.get("total")
            shown = total if total is not None else f"fewer than {snapshot.threshold}"
            self.stdout.write(
                f"{mechanism.slug}: {shown} grievances, {len(snapshot.issues)} issues, "
                f"computed in {snapshot.seconds:.2f} s (threshold {snapshot.threshold})."
            )
