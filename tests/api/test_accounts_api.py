"""Every endpoint of /api/accounts/ for every role."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail

from ungpkit.apps.accounts import actions
from ungpkit.apps.accounts.models import ApiToken, AuditEntry, Invitation, Membership, Role

from .conftest import MEMBER_ROLES, ORG_ADMINS, ROLES, SEERS, Api, World, error_body, expect

MISSING = 987654


def assert_refused(response: Any, status: int, missing: Any | None = None) -> None:
    assert response.status_code == status, response.content
    body = error_body(response)
    assert body["code"] == {401: "unauthenticated", 403: "forbidden", 404: "not_found"}[status]
    if status == 404 and missing is not None:
        assert body == missing.json()


# Me and organisations ---------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_me(api: Api, world: World, role: str) -> None:
    response = api.get("/api/accounts/me", role)

    if role == "anonymous":
        assert_refused(response, 401)
        return
    assert response.status_code == 200
    body = response.json()
    user = world.user(role)
    assert (body["id"], body["username"]) == (user.pk, user.username)
    assert body["is_platform_admin"] is (role == "platform_admin")
    expected = {(m.organisation_id, m.role) for m in Membership.objects.filter(user=user)}
    assert {(m["organisation"]["id"], m["role"]) for m in body["memberships"]} == expected


@pytest.mark.parametrize("role", ROLES)
def test_list_organisations(api: Api, world: World, role: str) -> None:
    response = api.get("/api/accounts/organisations", role)

    if role == "anonymous":
        assert_refused(response, 401)
        return
    ids = {o["id"] for o in response.json()["items"]}
    expected = {
        "platform_admin": {world.ministry.pk, world.other.pk},
        "outsider": {world.other.pk},
    }.get(role, {world.ministry.pk})
    assert ids == expected
    assert response.json()["count"] == len(expected)


@pytest.mark.parametrize("role", ROLES)
def test_get_an_organisation(api: Api, world: World, role: str) -> None:
    response = api.get(f"/api/accounts/organisations/{world.ministry.pk}", role)

    status = expect(role, SEERS, hidden={"outsider"})
    if status != 200:
        assert_refused(response, status, api.get(f"/api/accounts/organisations/{MISSING}", role))
        return
    assert response.json()["name"] == world.ministry.name


@pytest.mark.parametrize("role", ROLES)
def test_list_members(api: Api, world: World, role: str) -> None:
    path = f"/api/accounts/organisations/{world.ministry.pk}/members"
    response = api.get(path, role)

    status = expect(role, ORG_ADMINS, hidden={"outsider"})
    if status != 200:
        missing = api.get(f"/api/accounts/organisations/{MISSING}/members", role)
        assert_refused(response, status, missing)
        return
    body = response.json()
    assert body["count"] == len(MEMBER_ROLES)
    assert {(m["user"]["username"], m["role"]) for m in body["items"]} == {
        (role, role) for role in MEMBER_ROLES
    }


# Invitations ------------------------------------------------------------------------------


def invite(api: Api, world: World, as_: str, **body: Any) -> Any:
    payload = {"email": "new.person@example.org", "role": "expert_reviewer", **body}
    return api.post(f"/api/accounts/organisations/{world.ministry.pk}/invitations", as_, payload)


@pytest.mark.parametrize("role", ROLES)
def test_invite_a_member(
    api: Api, world: World, role: str, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(api, world, role, lang="fr")

    status = expect(role, ORG_ADMINS, hidden={"outsider"})
    if status != 200:
        missing = api.post(
            f"/api/accounts/organisations/{MISSING}/invitations",
            role,
            {"email": "new.person@example.org", "role": "expert_reviewer"},
        )
        assert_refused(response, status, missing)
        assert not Invitation.objects.exists()
        assert not mail.outbox
        return
    assert response.status_code == 201, response.content
    body = response.json()
    stored = Invitation.objects.get(pk=body["invitation"]["id"])
    assert (stored.organisation, stored.email, stored.role) == (
        world.ministry,
        "new.person@example.org",
        "expert_reviewer",
    )
    assert stored.invited_by == world.user(role)
    assert body["token"] not in stored.token_hash
    assert body["url"] == f"http://testserver/fr/accounts/invitations/{body['token']}/"
    assert body["invitation"]["state"] == "pending"
    assert body["invitation"]["invited_by"]["id"] == world.user(role).pk
    [message] = mail.outbox
    assert message.to == ["new.person@example.org"]
    assert body["url"] in message.body
    assert world.ministry.name in message.subject


@pytest.mark.parametrize("role", ROLES)
def test_list_invitations(api: Api, world: World, role: str) -> None:
    issued = actions.invite_member(
        world.user("administrator"), world.ministry.pk, email="a@example.org", role="public"
    )
    response = api.get(f"/api/accounts/organisations/{world.ministry.pk}/invitations", role)

    status = expect(role, ORG_ADMINS, hidden={"outsider"})
    if status != 200:
        missing = api.get(f"/api/accounts/organisations/{MISSING}/invitations", role)
        assert_refused(response, status, missing)
        return
    body = response.json()
    assert [i["id"] for i in body["items"]] == [issued.invitation.pk]
    assert "token" not in body["items"][0]


@pytest.mark.parametrize("role", ROLES)
def test_revoke_an_invitation(api: Api, world: World, role: str) -> None:
    issued = actions.invite_member(
        world.user("administrator"), world.ministry.pk, email="a@example.org", role="public"
    )
    response = api.post(f"/api/accounts/invitations/{issued.invitation.pk}/revoke", role)

    status = expect(role, ORG_ADMINS, hidden={"outsider"})
    stored = Invitation.objects.get(pk=issued.invitation.pk)
    if status != 200:
        missing = api.post(f"/api/accounts/invitations/{MISSING}/revoke", role)
        assert_refused(response, status, missing)
        assert stored.revoked_at is None
        return
    assert response.json()["state"] == "revoked"
    assert stored.revoked_at is not None
    assert AuditEntry.objects.filter(action="invitation.revoked", object_id=str(stored.pk)).exists()


@pytest.mark.parametrize("role", ROLES)
def test_accept_an_invitation(api: Api, world: World, role: str) -> None:
    issued = actions.invite_member(
        world.user("platform_admin"), world.other.pk, email="x@example.org", role="regulator"
    )
    response = api.post("/api/accounts/invitations/accept", role, {"token": issued.plaintext})

    if role == "anonymous":
        assert_refused(response, 401)
        return
    if role in {"outsider"}:  # already a member of ``other``
        assert response.status_code == 422
        assert "already a member" in error_body(response)["errors"]["token"]
        return
    assert response.status_code == 200, response.content
    assert response.json()["organisation"]["id"] == world.other.pk
    membership = Membership.objects.get(user=world.user(role), organisation=world.other)
    assert membership.role == Role.REGULATOR
    stored = Invitation.objects.get(pk=issued.invitation.pk)
    assert stored.accepted_by == world.user(role)


def test_an_invitation_cannot_be_accepted_twice(api: Api, world: World) -> None:
    issued = actions.invite_member(
        world.user("administrator"), world.ministry.pk, email="p@example.org", role="public"
    )
    api.post("/api/accounts/invitations/accept", "outsider", {"token": issued.plaintext})

    again = api.post(
        "/api/accounts/invitations/accept", "platform_admin", {"token": issued.plaintext}
    )

    assert again.status_code == 422
    assert "already been used" in error_body(again)["errors"]["token"]


def test_an_unknown_invitation_token_is_not_found(api: Api) -> None:
    response = api.post("/api/accounts/invitations/accept", "outsider", {"token": "nope"})

    assert_refused(response, 404)


def test_an_invalid_invitation_names_the_field(api: Api, world: World) -> None:
    response = invite(api, world, "administrator", email="not an address", role="king")

    assert response.status_code == 422
    assert set(error_body(response)["errors"]) == {"email", "role"}


# API tokens -------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_issue_list_and_revoke_tokens(api: Api, world: World, role: str) -> None:
    issued = api.post("/api/accounts/tokens", role, {"name": "nightly import"})

    if role == "anonymous":
        assert_refused(issued, 401)
        assert_refused(api.get("/api/accounts/tokens", role), 401)
        assert_refused(api.post(f"/api/accounts/tokens/{MISSING}/revoke", role), 401)
        return
    assert issued.status_code == 201, issued.content
    secret = issued.json()["token"]
    token = ApiToken.objects.get(pk=issued.json()["id"])
    assert (token.user, token.name) == (world.user(role), "nightly import")
    assert secret not in token.token_hash

    listed = api.get("/api/accounts/tokens", role).json()
    assert {t["name"] for t in listed["items"]} == {"tests", "nightly import"}
    assert all("token" not in t for t in listed["items"])

    me = api.client.get("/api/accounts/me", headers={"Authorization": f"Bearer {secret}"})
    assert me.json()["id"] == world.user(role).pk

    revoked = api.post(f"/api/accounts/tokens/{token.pk}/revoke", role)
    assert revoked.status_code == 200
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
    refused = api.client.get("/api/accounts/me", headers={"Authorization": f"Bearer {secret}"})
    assert_refused(refused, 401)


@pytest.mark.parametrize("role", [r for r in ROLES if r not in {"anonymous", "platform_admin"}])
def test_nobody_revokes_someone_elses_token(api: Api, world: World, role: str) -> None:
    other = "outsider" if role != "outsider" else "public"
    token = actions.issue_api_token(world.user(other), "theirs").token

    response = api.post(f"/api/accounts/tokens/{token.pk}/revoke", role)

    assert_refused(response, 404, api.post(f"/api/accounts/tokens/{MISSING}/revoke", role))
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None


def test_a_platform_admin_revokes_any_token(api: Api, world: World) -> None:
    token = actions.issue_api_token(world.user("public"), "theirs").token

    response = api.post(f"/api/accounts/tokens/{token.pk}/revoke", "platform_admin")

    assert response.status_code == 200
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
