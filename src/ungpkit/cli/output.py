"""Shared console helpers: one Console, and errors that end a command cleanly."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import click
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

console = Console(highlight=False, soft_wrap=False)
errors = Console(stderr=True, highlight=False)


def fail(message: str, code: int = 1) -> None:
    """Print ``message`` as an error paragraph on stderr and exit with ``code``."""
    errors.print(f"[bold red]Error:[/] {message}", markup=True)
    sys.exit(code)


@contextmanager
def progress_bar(label: str, show: bool = True) -> Iterator[Callable[[int, int], None]]:
    """A ``(done, total)`` callback drawing a transient progress bar on stderr.

    The bar is drawn only when ``show`` and stderr is a terminal; otherwise the callback does
    nothing, so scripts and logs get no control characters.
    """
    if not (show and errors.is_terminal):
        yield lambda done, total: None
        return
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.percentage:>3.0f}%"),
        TimeElapsedColumn(),
        console=errors,
        transient=True,
    ) as progress:
        task = progress.add_task(label, total=None)

        def advance(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        yield advance


LANG_OPTION = click.option(
    "--lang",
    "-l",
    type=click.Choice(["en", "fr", "es", "ko"]),
    default="en",
    show_default=True,
    help="Language of labels and text.",
)
