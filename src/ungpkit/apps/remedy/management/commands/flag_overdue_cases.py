"""``ungpkit manage flag_overdue_cases``: notify staff about overdue cases."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from ungpkit.apps.remedy.notifications import flag_overdue


class Command(BaseCommand):
    help = (
        "Leave a notification for the secretariat and the routed members' staff about each "
        "case past its deadline (once per deadline, so it is safe to run from cron hourly)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        cases, sent = flag_overdue()
        self.stdout.write(f"{cases} overdue case(s); {sent} notification(s) sent.")
