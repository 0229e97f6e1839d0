"""Access functions return the record or one NotFound, whether missing or forbidden."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from ungpkit.apps.accounts import access, actions
from ungpkit.apps.accounts.errors import NotFound
from ungpkit.apps.accounts.models import Organisation, Role


def error_of(call: Callable[[], object]) -> tuple[type, str]:
    with pytest.raises(NotFound) as raised:
        call()
    return type(raised.value), str(raised.value)


def test_members_and_platform_admins_see_the_organisation(
    organisation: Organisation, org_admin: Any, platform_admin: Any
) -> None:
    assert access.access_organisation(org_admin, organisation.pk) == organisation
    assert access.access_organisation(platform_admin, organisation.pk) == organisation


def test_missing_and_forbidden_organisations_look_the_same(
    organisation: Organisation, make_user: Callable[..., Any]
) -> None:
    stranger = make_user("stranger")

    forbidden = error_of(lambda: access.access_organisation(stranger, organisation.pk))
    missing = error_of(lambda: access.access_organisation(stranger, organisation.pk + 1000))
    anonymous = error_of(lambda: access.access_organisation(AnonymousUser(), organisation.pk))

    assert forbidden == missing == anonymous


def test_user_roles_lists_the_memberships_roles(
    organisation: Organisation, org_admin: Any, make_user: Callable[..., Any]
) -> None:
    reviewer = make_user("reviewer")
    actions.add_member(org_admin, organisation.pk, reviewer.pk, Role.EXPERT_REVIEWER)

    assert access.user_roles(org_admin, organisation) == {Role.ADMINISTRATOR}
    assert access.user_roles(reviewer, organisation) == {Role.EXPERT_REVIEWER}
    assert access.user_roles(make_user("stranger"), organisation) == frozenset()
    assert access.user_roles(AnonymousUser(), organisation) == frozenset()


def test_inactive_members_lose_access(organisation: Organisation, org_admin: Any) -> None:
    org_admin.is_active = False
    org_admin.save()

    assert access.user_roles(org_admin, organisation) == frozenset()
    with pytest.raises(NotFound):
        access.access_organisation(org_admin, organisation.pk)


def test_api_tokens_are_visible_to_their_owner_only(
    make_user: Callable[..., Any], platform_admin: Any
) -> None:
    owner = make_user("owner")
    token = actions.issue_api_token(owner, "script").token

    assert access.access_api_token(owner, token.pk) == token
    assert access.access_api_token(platform_admin, token.pk) == token
    forbidden = error_of(lambda: access.access_api_token(make_user("other"), token.pk))
    missing = error_of(lambda: access.access_api_token(owner, token.pk + 1000))
    assert forbidden == missing


def test_not_found_becomes_a_404_page() -> None:
    from django.http import Http404

    assert issubclass(NotFound, Http404)
