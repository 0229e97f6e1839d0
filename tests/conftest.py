"""Shared fixtures. Reach first for `framework` (the shipped framework data, loaded once)
and `run_cli` (runs the `ungpkit` command in-process and returns its result)."""

from __future__ import annotations

import os
from collections.abc import Callable

import pytest
from click.testing import CliRunner, Result

from ungpkit.cli import cli
from ungpkit.framework import Framework, default_framework


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
