"""What the triage commands share: the ``--mechanism`` option and progress lines."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from ungpkit.apps.remedy.models import Mechanism


def mechanism_option(slug: str | None) -> Mechanism | None:
    """The mechanism named by ``--mechanism``, or None for all; an unknown slug is an error."""
    if not slug:
        return None
    mechanism = Mechanism.objects.filter(slug=slug).first()
    if mechanism is None:
        known = ", ".join(Mechanism.objects.values_list("slug", flat=True)) or "none"
        raise CommandError(f"No mechanism {slug!r}; the mechanisms are: {known}.")
    return mechanism


def progress_printer(command: BaseCommand, what: str) -> Callable[[int, int], None]:
    """``progress(done, total)`` that prints one line per batch."""

    def show(done: int, total: int, *_extra: Any) -> None:
        command.stdout.write(f"{what}: {done} of {total}")

    return show
