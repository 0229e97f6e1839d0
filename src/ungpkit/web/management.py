"""Django's ``manage.py``, as a function the CLI exposes as ``ungpkit manage ...``."""

from __future__ import annotations

import os

SETTINGS_MODULE = "ungpkit.web.settings"


def run(argv: list[str]) -> None:
    """Run one Django management command.

    ``argv`` is shaped like ``sys.argv``: the program name shown in help first, then the
    command and its options, e.g. ``run(["ungpkit manage", "migrate"])``.
    """
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS_MODULE)
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)
