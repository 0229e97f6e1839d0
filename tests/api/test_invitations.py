"""Invitations through the accounts actions: who may invite, the e-mail, acceptance once,
expiry, revocation, and the audit entry of each."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from ungpkit.apps.accounts import actions, tokens
from ungpkit.apps.accounts.access import invitation_for_token
from ungpkit.apps.accounts.errors import NotFound
from ungpkit.apps.accounts.models import AuditEntry, Invitation, Membership

from .conftest import World


def last_audit() -> AuditEntry:
    entry = AuditEntry.objects.order_by("-id").first()
    assert entry is not None
    return entry


def invite(world: World, **fields: Any) -> actions.IssuedInvitation:
    values = {"email": "new@example.org", "role": "expert_reviewer", **fields}
    return actions.invite_member(world.user("administrator"), world.ministry.pk, **values)


def test_an_administrator_invites_by_email(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        issued = invite(world, lang="ko", base_url="https://ungp.example/")

    stored = Invitation.objects.get(pk=issued.invitation.pk)
    assert stored.token_hash == tokens.hash_token(issued.plaintext)
    assert issued.url == f"https://ungp.example/ko/accounts/invitations/{issued.plaintext}/"
    assert stored.expires_at - stored.created_at == actions.INVITATION_VALID_FOR
    [message] = mail.outbox
    assert message.to == ["new@example.org"]
    assert issued.url in message.body
    entry = last_audit()
    assert (entry.action, entry.object_id, entry.details) == (
        "invitation.created",
        str(stored.pk),
        {"role": "expert_reviewer"},
    )
    assert "new@example.org" not in str(entry.details)


def test_the_email_is_sent_only_after_commit(world: World) -> None:
    invite(world)

    assert not mail.outbox


@pytest.mark.parametrize("role", ["public", "regulator", "expert_reviewer"])
def test_members_who_are_not_administrators_may_not_invite(world: World, role: str) -> None:
    with pytest.raises(PermissionDenied):
        actions.invite_member(world.user(role), world.ministry.pk, email="a@b.org", role="public")


def test_strangers_do_not_learn_the_organisation_exists(world: World) -> None:
    for actor in (world.user("outsider"), AnonymousUser()):
        with pytest.raises(NotFound):
            actions.invite_member(actor, world.ministry.pk, email="a@b.org", role="public")


def test_a_platform_admin_invites_to_any_organisation(world: World) -> None:
    issued = actions.invite_member(
        world.user("platform_admin"), world.other.pk, email="a@b.org", role="administrator"
    )

    assert issued.invitation.organisation == world.other


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"email": "not-an-address"}, "email"),
        ({"role": "king"}, "role"),
        ({"email": "public@example.org"}, "email"),  # already a member
    ],
)
def test_invalid_invitations_are_refused(world: World, fields: dict[str, str], field: str) -> None:
    with pytest.raises(ValidationError) as error:
        invite(world, **fields)

    assert field in error.value.message_dict
    assert not Invitation.objects.exists()


def test_a_second_pending_invitation_to_the_same_address_is_refused(world: World) -> None:
    invite(world)

    with pytest.raises(ValidationError) as error:
        invite(world, email="NEW@example.org")

    assert "pending invitation" in error.value.message_dict["email"][0]


def test_accepting_creates_the_membership(world: World) -> None:
    issued = invite(world)
    newcomer = world.user("outsider")

    membership = actions.accept_invitation(newcomer, issued.plaintext)

    assert Membership.objects.get(pk=membership.pk).role == "expert_reviewer"
    assert membership.organisation == world.ministry
    stored = Invitation.objects.get(pk=issued.invitation.pk)
    assert (stored.accepted_by, stored.state) == (newcomer, "accepted")
    entry = last_audit()
    assert (entry.action, entry.actor_id, entry.details) == (
        "invitation.accepted",
        newcomer.pk,
        {"role": "expert_reviewer", "membership": membership.pk},
    )


def test_a_used_invitation_is_refused(world: World) -> None:
    issued = invite(world)
    actions.accept_invitation(world.user("outsider"), issued.plaintext)

    with pytest.raises(ValidationError) as error:
        actions.accept_invitation(world.user("platform_admin"), issued.plaintext)

    assert "already been used" in error.value.message_dict["token"][0]


def test_an_expired_invitation_is_refused(world: World) -> None:
    issued = invite(world)
    Invitation.objects.filter(pk=issued.invitation.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )

    with pytest.raises(ValidationError) as error:
        actions.accept_invitation(world.user("outsider"), issued.plaintext)

    assert "expired" in error.value.message_dict["token"][0]
    assert not Membership.objects.filter(user=world.user("outsider"), organisation=world.ministry)


def test_a_revoked_invitation_is_refused(world: World) -> None:
    issued = invite(world)
    actions.revoke_invitation(world.user("administrator"), issued.invitation.pk)

    with pytest.raises(ValidationError) as error:
        actions.accept_invitation(world.user("outsider"), issued.plaintext)

    assert "withdrawn" in error.value.message_dict["token"][0]
    entry = AuditEntry.objects.get(action="invitation.revoked")
    assert entry.object_id == str(issued.invitation.pk)


def test_only_an_open_invitation_can_be_revoked(world: World) -> None:
    issued = invite(world)
    actions.accept_invitation(world.user("outsider"), issued.plaintext)

    with pytest.raises(ValidationError):
        actions.revoke_invitation(world.user("administrator"), issued.invitation.pk)


def test_accepting_needs_a_signed_in_person(world: World) -> None:
    issued = invite(world)

    with pytest.raises(PermissionDenied):
        actions.accept_invitation(AnonymousUser(), issued.plaintext)


def test_an_unknown_token_is_not_found(world: World) -> None:
    with pytest.raises(NotFound):
        actions.accept_invitation(world.user("outsider"), "made-up")
    with pytest.raises(NotFound):
        invitation_for_token("made-up")


def test_the_acceptance_page_can_show_what_a_link_offers(world: World) -> None:
    issued = invite(world)

    found = invitation_for_token(issued.plaintext)

    assert (found.organisation, found.role, found.state) == (
        world.ministry,
        "expert_reviewer",
        "pending",
    )
