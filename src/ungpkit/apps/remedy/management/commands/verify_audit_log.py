"""``ungpkit manage verify_audit_log``: seal the audit log, then check it all."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ungpkit.apps.accounts.audit import seal_audit_log, verify_audit_chain


class Command(BaseCommand):
    help = (
        "Link new audit entries into the hash chain, then recompute the hash of every entry and "
        "check that each one in the chain links to the one before. Exits with an error naming "
        "the first broken entry if the log was tampered with."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--no-seal",
            action="store_true",
            help="Only check (on a read-only replica, say): entries not sealed yet are checked "
            "against their own content hash.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["no_seal"]:
            sealed = seal_audit_log()
            if sealed.sealed:
                self.stdout.write(f"Sealed {sealed.sealed} new audit entries.")
        report = verify_audit_chain()
        if not report.ok:
            raise CommandError(
                f"The audit log is broken at entry {report.broken_at}: {report.reason} "
                f"({report.checked} entries before it are intact)."
            )
        waiting = f", {report.unsealed} of them not sealed yet" if report.unsealed else ""
        self.stdout.write(f"The audit log is intact: {report.checked} entries checked{waiting}.")
