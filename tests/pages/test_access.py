"""Every check page for every demo role: members see their organisation's work, everyone sees
public assessments, and another organisation's private work is a 404 (never a 403)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

MINISTRY_MEMBERS = ("admin", "drafter")
OTHER_MEMBERS = ("regulator", "company", "staff", "expert", "rightsholder", "public")
EVERYONE = ("", *MINISTRY_MEMBERS, *OTHER_MEMBERS)
CHECKERS = ("admin", "drafter", "regulator", "company", "staff", "expert")


def private_pages(demo: Any) -> list[str]:
    return [
        f"/en/check/assessments/{demo.private_id}/",
        f"/en/check/assessments/{demo.private_id}/document/",
        f"/en/check/assessments/{demo.private_id}/progress/",
        f"/en/check/assessments/{demo.private_id}/export/csv/",
        f"/en/check/documents/{demo.private_document_id}/",
        f"/en/check/documents/{demo.public_document_id}/",
    ]


@pytest.mark.parametrize("username", MINISTRY_MEMBERS)
def test_ministry_members_open_their_private_pages(
    signed_in: Callable[[str], Client], demo: Any, username: str
) -> None:
    client = signed_in(username)
    for url in private_pages(demo):
        response = client.get(url, follow=True)
        assert response.status_code == 200, url


@pytest.mark.parametrize("username", ("", *OTHER_MEMBERS))
def test_other_organisations_get_404_for_private_pages(
    signed_in: Callable[[str], Client], demo: Any, username: str
) -> None:
    client = signed_in(username)
    for url in private_pages(demo):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Page not found" in response.content.decode()


@pytest.mark.parametrize("username", EVERYONE)
def test_everyone_reads_the_public_assessment_and_its_document(
    signed_in: Callable[[str], Client], demo: Any, username: str
) -> None:
    client = signed_in(username)
    for url in (
        "/en/check/",
        "/en/check/compare/",
        "/en/check/overlap/",
        f"/en/check/assessments/{demo.public_id}/",
        f"/en/check/assessments/{demo.public_id}/document/",
    ):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("username", CHECKERS)
def test_checkers_open_the_upload_form(signed_in: Callable[[str], Client], username: str) -> None:
    response = signed_in(username).get("/en/check/upload/")

    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in response.content.decode()


@pytest.mark.parametrize("username", ("rightsholder", "public"))
def test_people_without_a_checking_role_get_403_on_upload(
    signed_in: Callable[[str], Client], username: str
) -> None:
    response = signed_in(username).get("/en/check/upload/")

    assert response.status_code == 403
    assert "You may not do this" in response.content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(signed_in: Callable[[str], Client]) -> None:
    response = signed_in("").get("/fr/check/upload/")

    assert response.status_code == 302
    assert response["Location"] == "/fr/accounts/sign-in/?next=/fr/check/upload/"


def test_dashboard_lists_own_documents_and_public_assessments(
    signed_in: Callable[[str], Client], demo: Any
) -> None:
    drafter = signed_in("drafter").get("/en/check/").content.decode()
    outsider = signed_in("regulator").get("/en/check/").content.decode()
    anonymous = signed_in("").get("/en/check/").content.decode()

    assert f"/en/check/documents/{demo.private_document_id}/" in drafter
    assert f"/en/check/assessments/{demo.private_id}/" in drafter
    for html in (drafter, outsider, anonymous):
        assert f"/en/check/assessments/{demo.public_id}/" in html
    for html in (outsider, anonymous):
        assert f"/en/check/assessments/{demo.private_id}/" not in html
        assert "/en/check/documents/" not in html
    assert "/en/accounts/sign-in/" in anonymous


def test_public_readers_open_evidence_in_the_assessments_document_view(
    signed_in: Callable[[str], Client], demo: Any
) -> None:
    html = signed_in("regulator").get(f"/en/check/assessments/{demo.public_id}/").content
    text = html.decode()

    assert f"/en/check/assessments/{demo.public_id}/document/#passage-" in text
    assert f"/en/check/documents/{demo.public_document_id}/" not in text
