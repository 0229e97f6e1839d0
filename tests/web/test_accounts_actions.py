"""Every accounts action: its permission check, validation, write and audit entry."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from ungpkit.apps.accounts import actions, tokens
from ungpkit.apps.accounts.errors import NotFound
from ungpkit.apps.accounts.models import (
    ApiToken,
    AuditEntry,
    Membership,
    Organisation,
    Role,
)


def last_audit() -> AuditEntry:
    entry = AuditEntry.objects.order_by("-id").first()
    assert entry is not None
    return entry


# Organisations.


def test_platform_admin_creates_an_organisation(platform_admin: Any) -> None:
    organisation = actions.create_organisation(
        platform_admin, name="  Ministry of Digital Affairs ", kind="state_body", country="kr"
    )

    stored = Organisation.objects.get(pk=organisation.pk)
    assert (stored.name, stored.kind, stored.country) == (
        "Ministry of Digital Affairs",
        "state_body",
        "KR",
    )
    assert stored.slug == "ministry-of-digital-affairs"
    entry = last_audit()
    assert (entry.action, entry.actor_id, entry.organisation_id) == (
        "organisation.created",
        platform_admin.pk,
        organisation.pk,
    )
    assert (entry.object_type, entry.object_id) == ("accounts.organisation", str(organisation.pk))
    assert entry.details == {"kind": "state_body", "country": "KR"}


def test_an_ordinary_user_cannot_create_an_organisation(make_user: Callable[..., Any]) -> None:
    with pytest.raises(PermissionDenied):
        actions.create_organisation(make_user("someone"), name="Shadow Co", kind="company")
    with pytest.raises(PermissionDenied):
        actions.create_organisation(AnonymousUser(), name="Shadow Co", kind="company")

    assert not Organisation.objects.exists()
    assert not AuditEntry.objects.exists()


def test_organisation_fields_are_validated(platform_admin: Any) -> None:
    with pytest.raises(ValidationError) as raised:
        actions.create_organisation(platform_admin, name=" ", kind="club", country="FRA")

    assert set(raised.value.message_dict) == {"name", "kind", "country"}
    assert not AuditEntry.objects.exists()


def test_slugs_are_unique_and_keep_non_latin_names(platform_admin: Any) -> None:
    first = actions.create_organisation(platform_admin, name="Open Data Lab", kind="academia")
    second = actions.create_organisation(platform_admin, name="Open Data Lab", kind="academia")
    korean = actions.create_organisation(platform_admin, name="국가인권위원회", kind="nhri")

    assert (first.slug, second.slug) == ("open-data-lab", "open-data-lab-2")
    assert korean.slug == "국가인권위원회"
    with pytest.raises(ValidationError):
        actions.create_organisation(platform_admin, name="X", kind="other", slug="open-data-lab")


# Members and roles.


def test_organisation_admin_adds_a_member(
    organisation: Organisation, org_admin: Any, make_user: Callable[..., Any]
) -> None:
    analyst = make_user("analyst")

    membership = actions.add_member(org_admin, organisation.pk, analyst.pk, Role.COMPANY_MEMBER)

    assert Membership.objects.get(pk=membership.pk).role == Role.COMPANY_MEMBER
    entry = last_audit()
    assert (entry.action, entry.actor_id) == ("membership.added", org_admin.pk)
    assert (entry.object_type, entry.object_id) == ("accounts.membership", str(membership.pk))
    assert entry.details == {"role": "company_member"}


def test_only_administrators_manage_members(
    organisation: Organisation, org_admin: Any, make_user: Callable[..., Any]
) -> None:
    member = make_user("member")
    stranger = make_user("stranger")
    newcomer = make_user("newcomer")
    actions.add_member(org_admin, organisation.pk, member.pk, Role.COMPANY_MEMBER)
    entries_before = AuditEntry.objects.count()

    with pytest.raises(PermissionDenied):
        actions.add_member(member, organisation.pk, newcomer.pk, Role.COMPANY_MEMBER)
    with pytest.raises(NotFound):
        actions.add_member(stranger, organisation.pk, newcomer.pk, Role.COMPANY_MEMBER)
    with pytest.raises(NotFound):
        actions.add_member(AnonymousUser(), organisation.pk, newcomer.pk, Role.COMPANY_MEMBER)

    assert not Membership.objects.filter(user=newcomer).exists()
    assert AuditEntry.objects.count() == entries_before


def test_adding_a_member_is_validated(
    organisation: Organisation, org_admin: Any, make_user: Callable[..., Any]
) -> None:
    person = make_user("person")

    with pytest.raises(ValidationError, match="listed roles"):
        actions.add_member(org_admin, organisation.pk, person.pk, "overlord")
    with pytest.raises(ValidationError, match="already a member"):
        actions.add_member(org_admin, organisation.pk, org_admin.pk, Role.COMPANY_MEMBER)
    with pytest.raises(NotFound):
        actions.add_member(org_admin, organisation.pk, 999_999, Role.COMPANY_MEMBER)


def test_changing_a_role_is_audited(
    organisation: Organisation, org_admin: Any, make_user: Callable[..., Any]
) -> None:
    person = make_user("person")
    actions.add_member(org_admin, organisation.pk, person.pk, Role.COMPANY_MEMBER)

    membership = actions.change_role(org_admin, organisation.pk, person.pk, Role.ADMINISTRATOR)

    assert Membership.objects.get(pk=membership.pk).role == Role.ADMINISTRATOR
    entry = last_audit()
    assert entry.action == "membership.role_changed"
    assert entry.details == {"from": "company_member", "to": "administrator"}


def test_the_last_administrator_cannot_step_down(
    organisation: Organisation, org_admin: Any
) -> None:
    with pytest.raises(ValidationError, match="at least one administrator"):
        actions.change_role(org_admin, organisation.pk, org_admin.pk, Role.COMPANY_MEMBER)

    assert Membership.objects.get(user=org_admin).role == Role.ADMINISTRATOR


def test_members_cannot_change_roles(
    organisation: Organisation, org_admin: Any, make_user: Callable[..., Any]
) -> None:
    member = make_user("member")
    actions.add_member(org_admin, organisation.pk, member.pk, Role.COMPANY_MEMBER)

    with pytest.raises(PermissionDenied):
        actions.change_role(member, organisation.pk, member.pk, Role.ADMINISTRATOR)
    with pytest.raises(NotFound):
        actions.change_role(make_user("stranger"), organisation.pk, member.pk, Role.REGULATOR)


# API tokens.


def test_issuing_a_token_returns_the_secret_once_and_stores_only_its_hash(
    make_user: Callable[..., Any],
) -> None:
    owner = make_user("owner")

    issued = actions.issue_api_token(owner, " reporting script ")

    stored = ApiToken.objects.get(pk=issued.token.pk)
    assert issued.plaintext.startswith(tokens.TOKEN_PREFIX)
    assert stored.token_hash == hashlib.sha256(issued.plaintext.encode()).hexdigest()
    assert stored.name == "reporting script"
    stored_values = ApiToken.objects.filter(pk=stored.pk).values().get()
    assert issued.plaintext not in str(stored_values)
    entry = last_audit()
    assert (entry.action, entry.object_id) == ("api_token.issued", str(stored.pk))
    assert issued.plaintext not in str(entry.details)
    assert tokens.authenticate(issued.plaintext) == owner


def test_tokens_need_a_signed_in_user_and_a_name(make_user: Callable[..., Any]) -> None:
    with pytest.raises(PermissionDenied):
        actions.issue_api_token(AnonymousUser(), "script")
    with pytest.raises(ValidationError):
        actions.issue_api_token(make_user("owner"), "   ")

    assert not ApiToken.objects.exists()


def test_revoking_a_token_stops_it_working(make_user: Callable[..., Any]) -> None:
    owner = make_user("owner")
    issued = actions.issue_api_token(owner, "script")

    revoked = actions.revoke_api_token(owner, issued.token.pk)

    assert ApiToken.objects.get(pk=revoked.pk).revoked
    assert last_audit().action == "api_token.revoked"
    assert tokens.authenticate(issued.plaintext) is None
    with pytest.raises(ValidationError, match="already revoked"):
        actions.revoke_api_token(owner, issued.token.pk)


def test_nobody_else_can_revoke_a_token(make_user: Callable[..., Any]) -> None:
    issued = actions.issue_api_token(make_user("owner"), "script")

    with pytest.raises(NotFound) as forbidden:
        actions.revoke_api_token(make_user("intruder"), issued.token.pk)
    with pytest.raises(NotFound) as missing:
        actions.revoke_api_token(make_user("someone"), 999_999)

    assert str(forbidden.value) == str(missing.value)
    assert not ApiToken.objects.get(pk=issued.token.pk).revoked


def test_authentication_checks_the_token_and_records_its_use(
    make_user: Callable[..., Any],
) -> None:
    owner = make_user("owner")
    issued = actions.issue_api_token(owner, "script")

    assert tokens.authenticate(issued.plaintext + "x") is None
    assert tokens.authenticate("not-a-token") is None
    assert tokens.authenticate(issued.plaintext) == owner
    assert ApiToken.objects.get(pk=issued.token.pk).last_used_at is not None

    owner.is_active = False
    owner.save()
    assert tokens.authenticate(issued.plaintext) is None
