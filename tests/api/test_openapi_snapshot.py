"""The OpenAPI schema is a contract: any change to it must be deliberate.

When this test fails, read the diff; if the change is intended, regenerate the snapshot with
``UPDATE_SNAPSHOTS=1 pytest tests/api/test_openapi_snapshot.py`` and commit it.
"""

from __future__ import annotations

import difflib
import json
import os
from pathlib import Path

import pytest
from django.test import Client

SNAPSHOT = Path(__file__).with_name("openapi.snapshot.json")


def render(schema: object) -> str:
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


@pytest.mark.django_db
def test_the_openapi_schema_matches_its_snapshot() -> None:
    response = Client().get("/api/openapi.json")
    assert response.status_code == 200
    current = render(response.json())

    if os.environ.get("UPDATE_SNAPSHOTS") == "1" or not SNAPSHOT.exists():
        SNAPSHOT.write_text(current, encoding="utf-8")
        if os.environ.get("UPDATE_SNAPSHOTS") != "1":
            pytest.fail(f"Wrote a new snapshot to {SNAPSHOT}; check it and commit it.")
        return

    expected = SNAPSHOT.read_text(encoding="utf-8")
    if current != expected:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(keepends=True),
                current.splitlines(keepends=True),
                fromfile="openapi.snapshot.json",
                tofile="/api/openapi.json",
            )
        )
        pytest.fail(
            "The API schema changed. If that is intended, regenerate the snapshot with\n"
            "    UPDATE_SNAPSHOTS=1 pytest tests/api/test_openapi_snapshot.py\n"
            f"and commit it.\n\n{diff}"
        )


def test_every_operation_is_documented() -> None:
    schema = Client().get("/api/openapi.json").json()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert operation.get("description"), f"{method.upper()} {path} has no docstring"
            assert {"401", "404", "422"} <= set(operation["responses"]), (method, path)
