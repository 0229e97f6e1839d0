"""Shared console helpers: one Console, and errors that end a command cleanly."""

from __future__ import annotations

import sys

import click
from rich.console import Console

console = Console(highlight=False, soft_wrap=False)
errors = Console(stderr=True, highlight=False)


def fail(message: str, code: int = 1) -> None:
    """Print ``message`` as an error paragraph on stderr and exit with ``code``."""
    errors.print(f"[bold red]Error:[/] {message}", markup=True)
    sys.exit(code)


LANG_OPTION = click.option(
    "--lang",
    "-l",
    type=click.Choice(["en", "fr", "es", "ko"]),
    default="en",
    show_default=True,
    help="Language of labels and text.",
)
