"""``ungpkit manage recover_assessments``: requeue or fail checks whose worker died."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ungpkit.apps.check.actions import MAX_ATTEMPTS, STALE_AFTER_SECONDS, recover_stale_assessments


class Command(BaseCommand):
    help = (
        "Requeue checks whose worker stopped sending heartbeats (or whose task was lost), "
        "and fail them with a reason after too many tries. `ungpkit worker` also does this "
        "when it starts and every minute; run this from cron when no worker is running."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--stale-after",
            type=int,
            default=STALE_AFTER_SECONDS,
            help="Seconds without a heartbeat after which a check is taken for dead "
            "(default: %(default)s).",
        )
        parser.add_argument(
            "--max-attempts",
            type=int,
            default=MAX_ATTEMPTS,
            help="Starts after which a check that stops again is marked failed "
            "(default: %(default)s).",
        )

    def handle(self, *args: Any, stale_after: int, max_attempts: int, **options: Any) -> None:
        recovered = recover_stale_assessments(stale_after, max_attempts)
        self.stdout.write(f"Recovered {recovered} stale check(s).")
