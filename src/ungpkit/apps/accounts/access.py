"""Reads that check permission. Each ``access_*`` returns the record or raises ``NotFound``,
the same error whether the record is missing or the user may not see it."""

from __future__ import annotations

from typing import Any

from ungpkit.apps.accounts.errors import NotFound
from ungpkit.apps.accounts.models import ApiToken, Membership, Organisation, Role


def is_platform_admin(user: Any) -> bool:
    """Whether ``user`` runs the whole platform (Django superuser)."""
    return bool(user.is_authenticated and user.is_active and user.is_superuser)


def user_roles(user: Any, organisation: Organisation) -> frozenset[Role]:
    """The roles ``user`` holds in ``organisation`` (empty for strangers and visitors)."""
    if not (user.is_authenticated and user.is_active):
        return frozenset()
    roles = Membership.objects.filter(user=user, organisation=organisation).values_list(
        "role", flat=True
    )
    return frozenset(Role(role) for role in roles)


def can_manage_members(user: Any, organisation: Organisation) -> bool:
    """Platform admins and the organisation's administrators manage its members."""
    return is_platform_admin(user) or Role.ADMINISTRATOR in user_roles(user, organisation)


def access_organisation(user: Any, organisation_id: int) -> Organisation:
    """The organisation, if ``user`` is a member or a platform admin; otherwise ``NotFound``."""
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None:
        raise NotFound("No such organisation.")
    if is_platform_admin(user) or user_roles(user, organisation):
        return organisation
    raise NotFound("No such organisation.")


def access_membership(user: Any, organisation_id: int, member_id: int) -> Membership:
    """The membership of user ``member_id`` in an organisation ``user`` may see."""
    organisation = access_organisation(user, organisation_id)
    membership = (
        Membership.objects.select_related("user", "organisation")
        .filter(organisation=organisation, user_id=member_id)
        .first()
    )
    if membership is None:
        raise NotFound("No such member.")
    return membership


def access_api_token(user: Any, token_id: int) -> ApiToken:
    """One of ``user``'s own API tokens (any token for a platform admin)."""
    if not (user.is_authenticated and user.is_active):
        raise NotFound("No such API token.")
    tokens = ApiToken.objects.select_related("user")
    if not is_platform_admin(user):
        tokens = tokens.filter(user=user)
    token = tokens.filter(pk=token_id).first()
    if token is None:
        raise NotFound("No such API token.")
    return token
