"""A 150-page law submitted through the JSON API, against the CLI's `check` on the same file.

Measures, in one run: the CLI's check (``read_document`` + ``assess``) and the time from the
upload request to a finished assessment through the web platform (upload, request the check,
poll until done), with Django's test client against a temporary database: SQLite, or a
temporary PostgreSQL database next to the one ``DATABASE_URL`` names. Tasks run in-process
(``UNGPKIT_TASK_BACKEND=immediate``), so the ratio is the platform's own cost: reading the
upload once to validate and store it, the check in the task, and the database writes.

The check's JSON API (``/api/check/``) is used when it is mounted; otherwise the same path
runs through the check app's actions, which the API handlers call (the output says which).
"""

from __future__ import annotations

import os
import re
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.check_speed import make_pdf

RUNS = 5
POLL_SECONDS = 0.05
TIMEOUT_SECONDS = 300.0
UPLOADS: list[float] = []
"""Seconds each upload took (reading the file to validate it and storing its passages)."""


def _configure(folder: str) -> str:
    """Point ungpkit at a temporary data folder with tasks in-process; return the engine."""
    os.environ["UNGPKIT_DATA_DIR"] = folder
    os.environ["UNGPKIT_TASK_BACKEND"] = "immediate"
    os.environ.setdefault("UNGPKIT_DEBUG", "true")
    os.environ["UNGPKIT_LOG_LEVEL"] = "WARNING"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ungpkit.web.settings")
    url = os.environ.get("DATABASE_URL", "")
    return "PostgreSQL" if url.startswith(("postgres", "pgsql")) else "SQLite"


def _median(function: Callable[[], object]) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


@dataclass
class Member:
    """The person who submits: a regulator of one organisation, with an API token."""

    user: Any
    organisation_id: int
    token: str


def _member() -> Member:
    from django.contrib.auth import get_user_model

    from ungpkit.apps.accounts import actions
    from ungpkit.apps.accounts.models import Role

    admin = get_user_model().objects.create_user("bench-admin", is_superuser=True)
    user = get_user_model().objects.create_user("bench-drafter")
    ministry = actions.create_organisation(admin, name="Benchmark Ministry", kind="state_body")
    actions.add_member(admin, ministry.pk, user.pk, Role.REGULATOR)
    token = actions.issue_api_token(user, "benchmark").plaintext
    return Member(user, ministry.pk, token)


class ActionsPath:
    """Upload and request through the check app's actions, then poll the stored state."""

    name = "actions (the JSON API /api/check/ is not mounted yet)"

    def __init__(self, member: Member) -> None:
        self.member = member

    def submit(self, data: bytes) -> str:
        """Submit ``data`` and wait for the check; return its final state."""
        from ungpkit.apps.check import actions
        from ungpkit.apps.check.models import Assessment

        member = self.member
        start = time.perf_counter()
        document = actions.upload_document(
            member.user, member.organisation_id, filename="long-law.pdf", data=data
        )
        UPLOADS.append(time.perf_counter() - start)
        assessment = actions.request_assessment(member.user, document.pk, grid="regulation")
        return _poll(lambda: Assessment.objects.get(pk=assessment.pk).state)


class ApiPath:
    """Upload, request and poll through the JSON API with Django's test client."""

    def __init__(self, member: Member, routes: dict[str, Any]) -> None:
        from django.test import Client

        self.routes = routes
        self.member = member
        self.client = Client(HTTP_AUTHORIZATION=f"Bearer {member.token}")
        self.client.force_login(member.user)
        self.name = "JSON API (" + ", ".join(f"{r['method']} {r['path']}" for r in routes.values())
        self.name += ")"

    def submit(self, data: bytes) -> str:
        """Submit ``data`` and wait for the check; return its final state."""
        from django.core.files.uploadedfile import SimpleUploadedFile

        upload = self.routes["upload"]
        fields = _fill(upload["fields"], organisation=self.member.organisation_id)
        fields[upload["file_field"]] = SimpleUploadedFile(
            "long-law.pdf", data, content_type="application/pdf"
        )
        start = time.perf_counter()
        document_id = _ok(self.client.post(_path(upload, None), fields))["id"]
        UPLOADS.append(time.perf_counter() - start)
        request = self.routes["request"]
        body = _fill(request["fields"], document=document_id)
        response = self.client.post(
            _path(request, document_id), body, content_type="application/json"
        )
        assessment_id = _ok(response)["id"]
        poll = self.routes["poll"]
        return _poll(lambda: _ok(self.client.get(_path(poll, assessment_id)))["state"])


def _ok(response: Any) -> dict[str, Any]:
    if response.status_code >= 400:
        raise RuntimeError(f"API answered {response.status_code}: {response.content[:300]!r}")
    data: dict[str, Any] = response.json()
    return data


def _fill(
    names: list[str], *, organisation: int | None = None, document: int | None = None
) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in names:
        if "organisation" in name or "organization" in name:
            values[name] = organisation
        elif "document" in name:
            values[name] = document
        elif name == "grid":
            values[name] = "regulation"
    return {k: v for k, v in values.items() if v is not None}


def _path(route: dict[str, Any], object_id: int | None) -> str:
    path: str = route["path"]
    if "{" in path and object_id is not None:
        start, end = path.index("{"), path.index("}")
        path = path[:start] + str(object_id) + path[end + 1 :]
    return path


def _poll(state: Callable[[], str]) -> str:
    deadline = time.monotonic() + TIMEOUT_SECONDS
    while (current := state()) not in ("done", "failed"):
        if time.monotonic() > deadline:
            raise RuntimeError(f"The check did not finish in {TIMEOUT_SECONDS:.0f} s")
        time.sleep(POLL_SECONDS)
    return current


def api_routes() -> dict[str, Any] | None:
    """The check API's upload, request and status operations from the OpenAPI schema, or
    ``None`` when they are not all mounted."""
    from django.test import Client

    response = Client().get("/api/openapi.json")
    if response.status_code != 200:
        return None
    schema = response.json()
    routes: dict[str, Any] = {}
    for path, operations in schema.get("paths", {}).items():
        if not path.startswith("/api/check/"):
            continue
        for method, operation in operations.items():
            _classify(routes, path, method.upper(), operation, schema)
    return routes if {"upload", "request", "poll"} <= set(routes) else None


def _classify(
    routes: dict[str, Any], path: str, method: str, operation: dict[str, Any], openapi: Any
) -> None:
    content = operation.get("requestBody", {}).get("content", {})
    last = path.rstrip("/").rsplit("/", 1)[-1]
    if method == "POST" and "multipart/form-data" in content and "document" in path:
        form = _resolve(content["multipart/form-data"].get("schema", {}), openapi)
        properties = form.get("properties", {})
        files = [n for n, p in properties.items() if p.get("format") == "binary"]
        if files:
            names = [n for n in properties if n not in files]
            routes["upload"] = {"method": method, "path": path, "file_field": files[0]}
            routes["upload"]["fields"] = names
    elif method == "POST" and last == "assessments":
        schema = _resolve(content.get("application/json", {}).get("schema", {}), openapi)
        names = list(schema.get("properties", {}))
        routes["request"] = {"method": method, "path": path, "fields": names}
    elif method == "GET" and re.fullmatch(r"/api/check/assessments/\{\w+\}/?", path):
        routes["poll"] = {"method": method, "path": path}


def _resolve(schema: dict[str, Any], openapi: dict[str, Any]) -> dict[str, Any]:
    """``schema`` with its ``$ref`` (to ``#/components/...``) followed."""
    ref = schema.get("$ref")
    if not ref:
        return schema
    node: Any = openapi
    for part in ref.lstrip("#/").split("/"):
        node = node[part]
    return dict(node)


def main() -> None:
    """Print the CLI check, the API's time to a finished assessment and their ratio."""
    with tempfile.TemporaryDirectory() as folder:
        engine = _configure(folder)
        import django

        django.setup()
        from django.db import connection
        from django.test.utils import setup_test_environment, teardown_test_environment

        from ungpkit.analysis import assess
        from ungpkit.documents import read_document
        from ungpkit.framework import default_framework

        setup_test_environment()
        old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
        try:
            grid = default_framework().grid("regulation")
            path = make_pdf(Path(folder))
            data = path.read_bytes()
            assess(read_document(path), grid)  # warm the caches both sides share
            cli = _median(lambda: assess(read_document(path), grid))
            member = _member()
            routes = api_routes()
            submitter = ApiPath(member, routes) if routes else ActionsPath(member)
            states: list[str] = []
            api = _median(lambda: states.append(submitter.submit(data)))
            pages = _pages(path)
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)
            teardown_test_environment()
    if set(states) != {"done"}:
        raise SystemExit(f"The check did not finish: {states}")
    print(
        f"API benchmark: {pages} pages, {engine} (temporary database), tasks in-process, "
        f"median of {RUNS} runs"
    )
    print(f"  path: {submitter.name}")
    print(f"  CLI check (read_document + assess)       {cli:8.3f} s")
    print(f"  upload to finished assessment (web)      {api:8.3f} s")
    print(f"    of which the upload (read and store)   {statistics.median(UPLOADS):8.3f} s")
    print(f"  ratio web / CLI                          {api / cli:8.2f}x")


def _pages(path: Path) -> int:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        return len(pdf)
    finally:
        pdf.close()


if __name__ == "__main__":
    main()
