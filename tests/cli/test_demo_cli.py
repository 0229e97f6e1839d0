"""`ungpkit demo`: the README's main command prepares a SQLite database with demo logins."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path


def _run(args: list[str], data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(UNGPKIT_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="ungpkit.web.settings")
    return subprocess.run(
        [sys.executable, "-m", "ungpkit", *args],
        env=env,
        cwd=data_dir,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_demo_prepares_database_and_prints_logins(tmp_path: Path) -> None:
    first = _run(["demo", "--no-serve", "--no-browser"], tmp_path)
    assert first.returncode == 0, first.stderr
    for login in ("admin", "drafter", "regulator", "company", "staff", "expert", "rightsholder"):
        assert login in first.stdout
    assert "demo-password" in first.stdout
    databases = list(tmp_path.glob("*.sqlite3"))
    assert databases, list(tmp_path.iterdir())
    with sqlite3.connect(databases[0]) as connection:
        users = connection.execute("select count(*) from accounts_user").fetchone()[0]
        audit = connection.execute("select count(*) from accounts_auditentry").fetchone()[0]
    assert users == 8 and audit > 0
    again = _run(["demo", "--no-serve", "--no-browser"], tmp_path)
    assert again.returncode == 0, "loading the demo twice is safe"
    with sqlite3.connect(databases[0]) as connection:
        assert connection.execute("select count(*) from accounts_user").fetchone()[0] == 8
