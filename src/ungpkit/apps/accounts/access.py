"""Reads that check permission. Each ``access_*`` returns the record or raises ``NotFound``,
the same error whether the record is missing or the user may not see it."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from ungpkit.apps.accounts.errors import NotFound
from ungpkit.apps.accounts.models import ApiToken, Invitation, Membership, Organisation, Role
from ungpkit.apps.accounts.tokens import hash_token


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
        raise NotFound(_("No such organisation."))
    if is_platform_admin(user) or user_roles(user, organisation):
        return organisation
    raise NotFound(_("No such organisation."))


def access_membership(user: Any, organisation_id: int, member_id: int) -> Membership:
    """The membership of user ``member_id`` in an organisation ``user`` may see."""
    organisation = access_organisation(user, organisation_id)
    membership = (
        Membership.objects.select_related("user", "organisation")
        .filter(organisation=organisation, user_id=member_id)
        .first()
    )
    if membership is None:
        raise NotFound(_("No such member."))
    return membership


def access_api_token(user: Any, token_id: int) -> ApiToken:
    """One of ``user``'s own API tokens (any token for a platform admin)."""
    if not (user.is_authenticated and user.is_active):
        raise NotFound(_("No such API token."))
    tokens = ApiToken.objects.select_related("user")
    if not is_platform_admin(user):
        tokens = tokens.filter(user=user)
    token = tokens.filter(pk=token_id).first()
    if token is None:
        raise NotFound(_("No such API token."))
    return token


def visible_organisations(user: Any) -> QuerySet[Organisation]:
    """The organisations ``user`` belongs to (every one, for a platform admin)."""
    if is_platform_admin(user):
        return Organisation.objects.all()
    if not (user.is_authenticated and user.is_active):
        return Organisation.objects.none()
    return Organisation.objects.filter(memberships__user=user).distinct()


def access_invitation(user: Any, invitation_id: int) -> Invitation:
    """An invitation to an organisation ``user`` may see, or ``NotFound``. Only those who
    manage the organisation's members see its invitations (``PermissionDenied`` for other
    members, who already know the organisation exists)."""
    invitation = (
        Invitation.objects.select_related("organisation", "invited_by", "accepted_by")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None:
        raise NotFound(_("No such invitation."))
    try:
        _managed_organisation(user, invitation.organisation_id)
    except NotFound:
        raise NotFound(_("No such invitation.")) from None  # the same answer as a missing one
    return invitation


def invitation_for_token(plaintext: str) -> Invitation:
    """The invitation an acceptance link's secret belongs to, whatever its state, or
    ``NotFound``. The secret is the proof: whoever holds it may see what it offers."""
    invitation = (
        Invitation.objects.select_related("organisation", "invited_by")
        .filter(token_hash=hash_token(plaintext.strip()))
        .first()
    )
    if invitation is None:
        raise NotFound(_("This invitation link is not valid. Check that you copied all of it."))
    return invitation


def _managed_organisation(user: Any, organisation_id: int) -> Organisation:
    """An organisation whose members ``user`` manages: ``NotFound`` for strangers,
    ``PermissionDenied`` for members who are not its administrators."""
    organisation = access_organisation(user, organisation_id)
    if not can_manage_members(user, organisation):
        raise PermissionDenied(_("You may not manage the members of this organisation."))
    return organisation


def organisation_members(user: Any, organisation_id: int) -> QuerySet[Membership]:
    """The memberships of an organisation whose members ``user`` manages."""
    organisation = _managed_organisation(user, organisation_id)
    return (
        Membership.objects.select_related("user", "organisation")
        .filter(organisation=organisation)
        .order_by("user__username", "pk")
    )


def organisation_invitations(user: Any, organisation_id: int) -> QuerySet[Invitation]:
    """The invitations of an organisation whose members ``user`` manages, newest first."""
    organisation = _managed_organisation(user, organisation_id)
    return Invitation.objects.select_related("invited_by").filter(organisation=organisation)


def visible_api_tokens(user: Any) -> QuerySet[ApiToken]:
    """``user``'s own API tokens, newest first."""
    if not (user.is_authenticated and user.is_active):
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")
