"""Fixtures for the UNGP check app.

Reach first for ``finished_assessment``: the demo's first draft uploaded by ``drafter`` (a
regulator of ``ministry``) and checked, with one finding corrected and one accepted by
``reviewer``. ``outsider`` belongs to another organisation. ``korean_assessment`` is the Korean
test law, checked.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from ungpkit.apps.accounts import actions as accounts
from ungpkit.apps.accounts.models import Organisation, Role
from ungpkit.apps.check import actions
from ungpkit.apps.check.models import Assessment
from ungpkit.demo.dataset import DRAFTS, REVIEWS

DEMO_DATA = Path(__file__).resolve().parents[2] / "src" / "ungpkit" / "demo" / "data"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "documents"

CORRECTED = REVIEWS[0][1]
"""The element ``reviewer`` corrects (to partial) in ``finished_assessment``."""
ACCEPTED = REVIEWS[1][1]
"""The element ``reviewer`` accepts in ``finished_assessment``."""


@pytest.fixture
def make_user(db: None) -> Callable[..., Any]:
    """Create an active user; pass ``username`` and any other field."""

    def make(username: str, **fields: Any) -> Any:
        return get_user_model().objects.create_user(username=username, password=None, **fields)

    return make


@pytest.fixture
def platform_admin(make_user: Callable[..., Any]) -> Any:
    return make_user("platform-admin", is_superuser=True, is_staff=True)


@pytest.fixture
def ministry(platform_admin: Any) -> Organisation:
    return accounts.create_organisation(
        platform_admin, name="Veridia Ministry of Digital Affairs", kind="state_body"
    )


@pytest.fixture
def drafter(make_user: Callable[..., Any], platform_admin: Any, ministry: Organisation) -> Any:
    user = make_user("drafter", first_name="Dara")
    accounts.add_member(platform_admin, ministry.pk, user.pk, Role.REGULATOR)
    return user


@pytest.fixture
def reviewer(make_user: Callable[..., Any], platform_admin: Any, ministry: Organisation) -> Any:
    user = make_user("reviewer", first_name="Esi", last_name="Mensah")
    accounts.add_member(platform_admin, ministry.pk, user.pk, Role.EXPERT_REVIEWER)
    return user


@pytest.fixture
def outsider(make_user: Callable[..., Any], platform_admin: Any) -> Any:
    """An administrator of another organisation."""
    other = accounts.create_organisation(platform_admin, name="Nimbus Analytics", kind="company")
    user = make_user("outsider")
    accounts.add_member(platform_admin, other.pk, user.pk, Role.ADMINISTRATOR)
    return user


@pytest.fixture
def check(django_capture_on_commit_callbacks: Any) -> Callable[..., Assessment]:
    """Upload ``data`` as ``actor`` and run the check in-process; return the stored result."""

    def run(actor: Any, organisation: Organisation, filename: str, data: bytes, title: str = ""):
        document = actions.upload_document(
            actor, organisation.pk, filename=filename, data=data, title=title
        )
        with django_capture_on_commit_callbacks(execute=True):
            assessment = actions.request_assessment(actor, document.pk, grid="regulation")
        return Assessment.objects.get(pk=assessment.pk)

    return run


@pytest.fixture
def finished_assessment(
    check: Callable[..., Assessment], drafter: Any, reviewer: Any, ministry: Organisation
) -> Assessment:
    filename, title = DRAFTS[0]
    assessment = check(drafter, ministry, filename, (DEMO_DATA / filename).read_bytes(), title)
    assert assessment.state == "done", assessment.error
    passage = assessment.document.passages[3]["id"]
    actions.review_finding(
        reviewer,
        assessment.pk,
        CORRECTED,
        decision="correct",
        status="partial",
        passage_ids=[passage],
        comment="Article 9 only encourages companies to consult; it is not a duty.",
    )
    actions.review_finding(reviewer, assessment.pk, ACCEPTED, decision="accept")
    return assessment


@pytest.fixture
def korean_assessment(
    check: Callable[..., Assessment], drafter: Any, ministry: Organisation
) -> Assessment:
    data = (FIXTURES / "ko_law.txt").read_bytes()
    assessment = check(drafter, ministry, "ko_law.txt", data, "인공지능 기본법")
    assert assessment.state == "done", assessment.error
    return assessment
