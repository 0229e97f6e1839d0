"""Shared fixtures. Reach first for `framework` (the shipped framework data, loaded once)
and `run_cli` (runs the `ungpkit` command in-process and returns its result); browser tests
use `browser` (one headless Chromium for the whole session)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from hypothesis import settings as hypothesis_settings

from ungpkit.cli import cli
from ungpkit.framework import Framework, default_framework

# No time limit per example: these machines are shared and a slow moment is not a failure
# (speed is measured by the benchmarks, never by tests). Hypothesis's default of 200 ms made
# a property test of the bulk import fail now and then under load.
hypothesis_settings.register_profile("ungpkit", deadline=None)
hypothesis_settings.load_profile("ungpkit")


@pytest.fixture(autouse=True)
def _forget_rate_limits() -> Iterator[None]:
    """Each test starts with empty rate-limit counters (the in-process cache is shared)."""
    yield
    from django.conf import settings

    if settings.configured:
        from django.core.cache import caches

        cache = caches["default"]
        if type(cache).__module__.endswith("locmem"):
            cache.clear()


@pytest.fixture
def with_workers(settings: Any) -> None:
    """The web process of a deployment with workers: requests do not seal the audit log (a
    worker does, every few seconds), as with ``UNGPKIT_TASK_BACKEND=database``."""
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if not m.endswith("AuditSealMiddleware")]


@pytest.fixture(scope="session")
def framework() -> Framework:
    """The framework shipped with the package."""
    return default_framework()


@pytest.fixture
def run_cli() -> Callable[..., Result]:
    """Run `ungpkit ARGS...` and return click's Result (exit_code, stdout, stderr)."""
    runner = CliRunner()

    def run(*args: str, input: str | None = None) -> Result:
        return runner.invoke(
            cli, list(args), input=input, catch_exceptions=False, env={"COLUMNS": "120"}
        )

    return run


def pytest_report_header() -> str:
    engine = "PostgreSQL" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "SQLite"
    return f"ungpkit database engine: {engine}"


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright (one per session: Playwright's sync API allows
    only one running instance per thread). Skips when Chromium or Playwright is missing."""
    if not CHROMIUM.exists():
        pytest.skip("Chromium is not installed at /usr/bin/chromium")
    # Playwright's sync API runs an event loop; Django's ORM refuses to run beside one.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(autouse=True)
def _reset_language() -> Iterator[None]:
    """Pages activate the visitor's language for the thread; start every test in English."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()
