"""How the API knows who is calling: personal tokens, the browser session with its CSRF
token, or nobody; and the uniform error body when it cannot tell."""

from __future__ import annotations

from typing import Any

from django.test import Client

from ungpkit.apps.accounts import actions
from ungpkit.apps.check.models import LawDocument

from .conftest import Api, World, error_body


def test_without_credentials_the_answer_is_401_with_the_uniform_body(api: Api) -> None:
    response = api.get("/api/accounts/me", "anonymous")

    assert response.status_code == 401
    assert error_body(response)["code"] == "unauthenticated"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_an_unknown_token_is_refused(api: Api) -> None:
    response = api.client.get("/api/accounts/me", headers={"Authorization": "Bearer ungp_nope"})

    assert response.status_code == 401
    assert "not valid" in error_body(response)["detail"]


def test_a_bad_token_is_refused_even_where_anonymous_reads_are_allowed(api: Api) -> None:
    response = api.client.get("/api/check/grids", headers={"Authorization": "Bearer ungp_nope"})

    assert response.status_code == 401


def test_the_token_of_a_deactivated_user_is_refused(api: Api, world: World) -> None:
    headers = api.headers("regulator")
    user = world.user("regulator")
    user.is_active = False
    user.save()

    response = api.client.get("/api/accounts/me", headers=headers)

    assert response.status_code == 401


def test_a_token_records_when_it_was_last_used(api: Api, world: World) -> None:
    api.get("/api/accounts/me", "public")

    token = world.user("public").api_tokens.get()
    assert token.last_used_at is not None


def session_client(world: World, role: str) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.user(role))
    return client


def test_the_browser_session_reads_without_a_csrf_token(world: World) -> None:
    response = session_client(world, "regulator").get("/api/accounts/me")

    assert response.status_code == 200
    assert response.json()["username"] == "regulator"


def test_a_session_write_without_the_csrf_token_is_refused(world: World) -> None:
    client = session_client(world, "regulator")

    response = client.post(
        "/api/check/documents/text",
        {"organisation": world.ministry.pk, "text": "# Act\n\nText."},
        content_type="application/json",
    )

    assert response.status_code == 403
    assert error_body(response)["code"] == "csrf_failed"
    assert not LawDocument.objects.exists()


def test_a_session_write_with_the_csrf_token_is_accepted(world: World) -> None:
    client = session_client(world, "regulator")
    token = "k" * 32  # a CSRF secret, as the csrftoken cookie holds it
    client.cookies["csrftoken"] = token

    response = client.post(
        "/api/check/documents/text",
        {"organisation": world.ministry.pk, "text": "# Act\n\nText."},
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )

    assert response.status_code == 201, response.content
    assert LawDocument.objects.get().uploaded_by == world.user("regulator")


def test_a_token_write_needs_no_csrf_token(api: Api, world: World) -> None:
    api.client = Client(enforce_csrf_checks=True)

    response = api.post(
        "/api/check/documents/text",
        "regulator",
        {"organisation": world.ministry.pk, "text": "# Act\n\nText."},
    )

    assert response.status_code == 201


def test_a_malformed_body_names_each_field(api: Api, world: World) -> None:
    response = api.post("/api/check/documents/text", "regulator", {"organisation": "ministry"})

    assert response.status_code == 422
    body = error_body(response)
    assert body["code"] == "invalid"
    assert set(body["errors"]) == {"organisation", "text"}


def test_pagination_limits_are_checked(api: Api) -> None:
    response = api.get("/api/check/documents", "regulator", limit=0)

    assert response.status_code == 422
    assert "limit" in error_body(response)["errors"]


def test_a_wrong_method_gets_the_uniform_body_or_a_plain_405(api: Api) -> None:
    response = api.client.delete("/api/accounts/me", headers=api.headers("public"))

    assert response.status_code == 405


def test_issuing_a_token_needs_a_name(api: Api, world: World) -> None:
    response = api.post("/api/accounts/tokens", "public", {"name": " "})

    assert response.status_code == 422
    assert set(error_body(response)["errors"]) == {"name"}
    assert world.user("public").api_tokens.count() == 1  # the one the test client uses


def test_revoking_a_revoked_token_explains_itself(api: Api, world: World) -> None:
    token = actions.issue_api_token(world.user("public"), "old").token
    api.post(f"/api/accounts/tokens/{token.pk}/revoke", "public")

    again: Any = api.post(f"/api/accounts/tokens/{token.pk}/revoke", "public")

    assert again.status_code == 422
    assert error_body(again)["detail"] == "This token is already revoked."
