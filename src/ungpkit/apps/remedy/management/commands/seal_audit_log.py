"""``ungpkit manage seal_audit_log``: link new audit entries into the hash chain."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from ungpkit.apps.accounts.audit import SEAL_BATCH, SealReport, seal_audit_log


class Command(BaseCommand):
    help = (
        "Link the audit entries recorded since the last run into the hash chain, oldest first. "
        "Run it every few seconds (--every) or from a timer: until an entry is sealed, only its "
        "own content hash protects it. Exits with an error at an entry whose content changed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--every",
            type=float,
            default=0.0,
            metavar="SECONDS",
            help="Keep running, sealing again after this many seconds (0: seal once and stop).",
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=SEAL_BATCH,
            help="Entries sealed per transaction.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        every, batch_size = options["every"], max(1, options["batch_size"])
        while True:
            report = seal_audit_log(batch_size=batch_size)
            self._report(report, quiet=every > 0)
            if not every:
                return
            connection.close_if_unusable_or_obsolete()
            time.sleep(every)

    def _report(self, report: SealReport, *, quiet: bool) -> None:
        if report.stopped_at is not None:
            raise CommandError(
                f"Sealed {report.sealed} audit entries, then stopped at entry "
                f"{report.stopped_at}: its {report.reason}. Run verify_audit_log."
            )
        if not quiet or report.sealed:
            self.stdout.write(f"Sealed {report.sealed} audit entries.")
