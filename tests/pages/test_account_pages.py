"""Signing in and out, the error pages, and accepting an invitation."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from ungpkit.apps.accounts import actions
from ungpkit.apps.accounts.models import Membership, Organisation, Role
from ungpkit.demo.dataset import DEMO_PASSWORD


@pytest.fixture
def fast_passwords(settings: Any) -> None:
    """The demo's passwords were hashed with the fast hasher (see conftest)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_header_links_to_sign_in_and_the_check_pages(signed_in: Callable[[str], Client]) -> None:
    html = signed_in("").get("/es/").content.decode()

    assert 'href="/es/accounts/sign-in/"' in html
    for url in ("/es/check/", "/es/check/compare/", "/es/check/overlap/"):
        assert f'href="{url}"' in html
    assert "Iniciar sesión" in html


def test_signing_in_with_a_demo_login_opens_the_dashboard(
    fast_passwords: None, signed_in: Callable[[str], Client]
) -> None:
    client = signed_in("")
    form = client.get("/en/accounts/sign-in/").content.decode()

    response = client.post(
        "/en/accounts/sign-in/", {"username": "drafter", "password": DEMO_PASSWORD}
    )

    assert 'autocomplete="current-password"' in form
    assert response.status_code == 302
    assert response["Location"] == "/en/check/"
    dashboard = client.get("/en/check/").content.decode()
    assert "Signed in as Dara" in dashboard
    assert 'action="/en/accounts/sign-out/"' in dashboard


def test_signing_in_returns_to_the_page_asked_for(
    fast_passwords: None, signed_in: Callable[[str], Client]
) -> None:
    response = signed_in("").post(
        "/fr/accounts/sign-in/",
        {"username": "drafter", "password": DEMO_PASSWORD, "next": "/fr/check/upload/"},
    )

    assert response["Location"] == "/fr/check/upload/"


def test_a_wrong_password_is_explained(
    fast_passwords: None, signed_in: Callable[[str], Client]
) -> None:
    response = signed_in("").post(
        "/ko/accounts/sign-in/", {"username": "drafter", "password": "wrong"}
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "사용자 이름과 비밀번호가 일치하는 계정이 없습니다" in html
    assert "<title>오류: 로그인" in html


def test_signing_out_is_a_post_to_the_home_page(signed_in: Callable[[str], Client]) -> None:
    client = signed_in("drafter")

    response = client.post("/en/accounts/sign-out/")

    assert response.status_code == 302
    assert response["Location"] == "/en/"
    assert client.get("/en/check/upload/").status_code == 302


def test_forbidden_and_missing_pages_are_translated(signed_in: Callable[[str], Client]) -> None:
    forbidden = signed_in("public").get("/fr/check/upload/")
    missing = signed_in("public").get("/fr/check/assessments/999999/")

    assert forbidden.status_code == 403
    assert "Vous n’avez pas le droit de faire ceci" in forbidden.content.decode()
    assert missing.status_code == 404
    assert '<html lang="fr"' in missing.content.decode()


@pytest.fixture
def invitation_link(db: None, demo: Any) -> str:
    admin = get_user_model().objects.get(username="admin")
    ministry = Organisation.objects.get(name="Veridia Ministry of Digital Affairs")
    issued = actions.invite_member(
        admin, ministry.pk, email="public@demo.invalid", role=Role.EXPERT_REVIEWER, lang="en"
    )
    return f"/en/accounts/invitations/{issued.plaintext}/"


def test_accepting_an_invitation_joins_the_organisation(
    signed_in: Callable[[str], Client], invitation_link: str
) -> None:
    client = signed_in("public")

    page = client.get(invitation_link).content.decode()
    response = client.post(invitation_link)

    assert "Veridia Ministry of Digital Affairs invites you to join it" in page
    assert "Expert reviewer" in page
    assert response.status_code == 302
    assert response["Location"] == "/en/check/"
    assert Membership.objects.filter(
        user__username="public",
        organisation__name__startswith="Veridia Ministry",
        role="expert_reviewer",
    ).exists()
    assert "you are now a member of Veridia Ministry" in client.get("/en/check/").content.decode()
    again = client.post(invitation_link)
    assert again.status_code == 400
    assert "There is a problem" in again.content.decode()


def test_invitations_need_sign_in_and_a_real_link(
    signed_in: Callable[[str], Client], invitation_link: str
) -> None:
    anonymous = signed_in("").get(invitation_link)

    # A visitor without an account sees the offer and can sign in or create an account.
    assert anonymous.status_code == 200
    assert "Create my account and join" in anonymous.content.decode()
    assert signed_in("public").get("/en/accounts/invitations/not-a-token/").status_code == 404
