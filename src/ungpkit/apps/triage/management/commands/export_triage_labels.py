"""``ungpkit manage export_triage_labels -o FILE``: confirmed labels for ``ungpkit eval``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ungpkit.apps.triage.exports import write_jsonl
from ungpkit.apps.triage.management.commands._common import mechanism_option


class Command(BaseCommand):
    help = (
        "Write the triage labels staff confirmed as JSON Lines (the format of "
        "`ungpkit eval --triage FILE`): what each complainant told and the labels, never "
        "who they are. Cases whose complainant had their data erased are left out."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "-o", "--output", required=True, help="The file to write ('-' for stdout)."
        )
        parser.add_argument("--mechanism", help="Only this mechanism (its short name).")

    def handle(self, *args: Any, **options: Any) -> None:
        mechanism = mechanism_option(options["mechanism"])
        if options["output"] == "-":
            count = write_jsonl(self.stdout, mechanism)
            sys.stderr.write(f"{count} confirmed label set(s) written.\n")
            return
        path = Path(options["output"])
        with path.open("w", encoding="utf-8") as out:
            count = write_jsonl(out, mechanism)
        self.stdout.write(f"{count} confirmed label set(s) written to {path}.")
