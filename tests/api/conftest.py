"""Fixtures for the JSON API.

Reach first for ``api``: ``api.get(path, as_=ROLE)`` / ``api.post(...)`` call the API as one of
the ``ROLES`` (each a person with a personal API token; ``anonymous`` sends none). The people
come from ``world``: ``ministry`` has one member in each role (``regulator`` uploaded the
documents), ``outsider`` administers ``other``, and ``platform_admin`` runs the platform.
``assessment`` is a finished check of the demo's first draft in ``ministry``;
``other_assessment`` is one in ``other``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from ungpkit.apps.accounts import actions as accounts
from ungpkit.apps.accounts.models import Organisation, Role
from ungpkit.apps.check import actions as check
from ungpkit.apps.check.models import Assessment, LawDocument
from ungpkit.demo.dataset import DRAFTS

DEMO_DATA = Path(__file__).resolve().parents[2] / "src" / "ungpkit" / "demo" / "data"

MEMBER_ROLES = (
    "public",
    "rights_holder",
    "company_member",
    "mechanism_staff",
    "expert_reviewer",
    "regulator",
    "administrator",
)
"""One member of ``ministry`` per role (the username is the role)."""

ROLES = ("anonymous", *MEMBER_ROLES, "outsider", "platform_admin")
"""Everyone the API is tested as, for every endpoint."""

CHECKERS = {
    "company_member",
    "mechanism_staff",
    "expert_reviewer",
    "regulator",
    "administrator",
    "platform_admin",
}
"""Who may upload to ``ministry`` and run checks there."""

REVIEWERS = {"expert_reviewer", "regulator", "administrator", "platform_admin"}
"""Who may review ``ministry``'s findings."""

SEERS = {*MEMBER_ROLES, "platform_admin"}
"""Who sees ``ministry``'s private documents and assessments."""

ORG_ADMINS = {"administrator", "platform_admin"}
"""Who manages ``ministry``'s members and invitations."""


@dataclass
class World:
    """The organisations and people every API test uses."""

    ministry: Organisation
    other: Organisation
    users: dict[str, Any]
    tokens: dict[str, str] = field(default_factory=dict)

    def user(self, role: str) -> Any:
        return self.users[role]


@pytest.fixture
def world(db: None) -> World:
    model = get_user_model()
    admin = model.objects.create_user(
        username="platform_admin", password=None, is_superuser=True, is_staff=True
    )
    ministry = accounts.create_organisation(
        admin, name="Veridia Ministry of Digital Affairs", kind="state_body", country="VD"
    )
    other = accounts.create_organisation(admin, name="Nimbus Analytics", kind="company")
    users: dict[str, Any] = {"anonymous": None, "platform_admin": admin}
    for role in MEMBER_ROLES:
        user = model.objects.create_user(
            username=role, password=None, email=f"{role}@example.org", first_name=role.title()
        )
        accounts.add_member(admin, ministry.pk, user.pk, Role(role))
        users[role] = user
    outsider = model.objects.create_user(
        username="outsider", password=None, email="outsider@example.org"
    )
    accounts.add_member(admin, other.pk, outsider.pk, Role.ADMINISTRATOR)
    users["outsider"] = outsider
    return World(ministry=ministry, other=other, users=users)


class Api:
    """Calls the JSON API as one of ``ROLES`` with a Bearer token (issued on first use)."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.client = Client()

    def headers(self, role: str) -> dict[str, str]:
        if role == "anonymous":
            return {}
        if role not in self.world.tokens:
            issued = accounts.issue_api_token(self.world.user(role), "tests")
            self.world.tokens[role] = issued.plaintext
        return {"Authorization": f"Bearer {self.world.tokens[role]}"}

    def get(self, path: str, as_: str, **params: Any) -> Any:
        return self.client.get(path, params, headers=self.headers(as_))

    def post(self, path: str, as_: str, body: Any = None, **kwargs: Any) -> Any:
        return self.client.post(
            path,
            json.dumps(body if body is not None else {}),
            content_type="application/json",
            headers=self.headers(as_),
            **kwargs,
        )

    def upload(self, path: str, as_: str, data: dict[str, Any]) -> Any:
        return self.client.post(path, data, headers=self.headers(as_))


@pytest.fixture
def api(world: World) -> Api:
    return Api(world)


@pytest.fixture
def run_check(django_capture_on_commit_callbacks: Any) -> Callable[..., Assessment]:
    """Upload a demo draft as ``user`` into ``organisation`` and check it in-process."""

    def run(user: Any, organisation: Organisation, draft: int = 0) -> Assessment:
        filename, title = DRAFTS[draft]
        document = check.upload_document(
            user,
            organisation.pk,
            filename=filename,
            data=(DEMO_DATA / filename).read_bytes(),
            title=title,
        )
        with django_capture_on_commit_callbacks(execute=True):
            requested = check.request_assessment(user, document.pk, grid="regulation")
        assessment = Assessment.objects.get(pk=requested.pk)
        assert assessment.state == "done", assessment.error
        return assessment

    return run


@pytest.fixture
def assessment(world: World, run_check: Callable[..., Assessment]) -> Assessment:
    """The demo's first draft in ``ministry``, checked by ``regulator``."""
    return run_check(world.user("regulator"), world.ministry)


@pytest.fixture
def document(assessment: Assessment) -> LawDocument:
    return assessment.document


@pytest.fixture
def other_assessment(world: World, run_check: Callable[..., Assessment]) -> Assessment:
    """A checked draft of ``other``, which nobody in ``ministry`` may see."""
    return run_check(world.user("outsider"), world.other)


def expect(role: str, allowed: Iterable[str], *, hidden: Iterable[str] = ()) -> int:
    """The status ``role`` should get: 401 for anonymous (unless allowed), 404 for those
    in ``hidden`` (who may not know the record exists), 403 for the other refusals."""
    if role in allowed:
        return 200
    if role in set(hidden):
        return 404
    return 401 if role == "anonymous" else 403


def error_body(response: Any) -> dict[str, Any]:
    """The error body, checked for its uniform shape."""
    body = response.json()
    assert set(body) == {"detail", "code", "errors"}, body
    assert body["detail"]
    return dict(body)
