"""``ungpkit manage verify_audit_log``: check the audit log's hash chain."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from ungpkit.apps.accounts.audit import verify_audit_chain


class Command(BaseCommand):
    help = (
        "Recompute the hash of every audit entry and check that each links to the one before. "
        "Exits with an error naming the first broken entry if the log was tampered with."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify_audit_chain()
        if not report.ok:
            raise CommandError(
                f"The audit log is broken at entry {report.broken_at}: {report.reason} "
                f"({report.checked} entries before it are intact)."
            )
        self.stdout.write(f"The audit log is intact: {report.checked} entries checked.")
