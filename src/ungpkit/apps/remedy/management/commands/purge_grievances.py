"""``ungpkit manage purge_grievances``: delete closed cases past their retention period."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils import timezone

from ungpkit.apps.accounts import audit
from ungpkit.apps.remedy import states
from ungpkit.apps.remedy.models import Grievance, Mechanism


def expired(mechanism: Mechanism, now: Any) -> Any:
    """The mechanism's cases closed longer ago than its retention period."""
    cutoff = now - timedelta(days=mechanism.retention_days)
    return Grievance.objects.filter(
        mechanism=mechanism, state=states.CLOSED, closed_at__isnull=False, closed_at__lt=cutoff
    )


class Command(BaseCommand):
    help = (
        "Delete closed cases older than their mechanism's retention period (retention_days "
        "after closure), with their messages, attachments and steps. The audit log keeps a "
        "count per mechanism."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Only say how many cases would be deleted."
        )

    def handle(self, *args: Any, dry_run: bool, **options: Any) -> None:
        now = timezone.now()
        total = 0
        for mechanism in Mechanism.objects.all():
            cases = expired(mechanism, now)
            count = cases.count()
            total += count
            if dry_run or not count:
                self.stdout.write(f"{mechanism.slug}: {count} case(s) to delete")
                continue
            with transaction.atomic():
                cases.delete()
                audit.record(
                    None,
                    "remedy.grievances_purged",
                    target=mechanism,
                    organisation=mechanism.organisation,
                    details={"count": count, "retention_days": mechanism.retention_days},
                )
            self.stdout.write(f"{mechanism.slug}: {count} case(s) deleted")
        verb = "would be deleted" if dry_run else "deleted"
        self.stdout.write(f"{total} case(s) {verb}.")
