"""The accounts part of the JSON API, mounted at /api/accounts/: who you are, your
organisations, their members and invitations, and your API tokens.

Handlers are thin: they call ``actions`` (writes) and ``access`` (reads), which check
permission; a record you may not see answers 404 exactly like one that does not exist.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from ungpkit.apps.accounts import access, actions
from ungpkit.web.api import ERRORS, Page, actor

router = Router(tags=["accounts"])


# Schemas ----------------------------------------------------------------------------------


class PersonOut(Schema):
    """A person, as others see them."""

    id: int
    name: str = Field(description="Full name, or the user name when none is given.")

    @staticmethod
    def resolve_name(user: Any) -> str:
        return str(user.get_full_name() or user.get_username())


class OrganisationOut(Schema):
    """An organisation people work for."""

    id: int
    name: str
    slug: str = Field(description="Short name used in URLs.")
    kind: str = Field(description="state_body, regulator, company, mechanism, nhri, …")
    country: str = Field(description="ISO 3166-1 two-letter code, or empty.")


class MembershipOut(Schema):
    """One role of the signed-in person in one organisation."""

    organisation: OrganisationOut
    role: str = Field(
        description="public, rights_holder, company_member, mechanism_staff, "
        "expert_reviewer, regulator or administrator."
    )
    role_label: str = Field(description="The role's name in the request's language.")
    created_at: datetime

    @staticmethod
    def resolve_role_label(membership: Any) -> str:
        return str(membership.get_role_display())


class MeOut(Schema):
    """The person the request acts as."""

    id: int
    username: str
    name: str
    email: str
    is_platform_admin: bool = Field(description="Runs the whole platform (sees everything).")
    memberships: list[MembershipOut]

    @staticmethod
    def resolve_name(user: Any) -> str:
        return str(user.get_full_name() or user.get_username())

    @staticmethod
    def resolve_is_platform_admin(user: Any) -> bool:
        return access.is_platform_admin(user)

    @staticmethod
    def resolve_memberships(user: Any) -> list[Any]:
        return list(user.memberships.select_related("organisation").order_by("organisation"))


class MemberUserOut(PersonOut):
    """A member, as the organisation's administrators see them."""

    username: str
    email: str


class MemberOut(Schema):
    """A person's role in the organisation."""

    user: MemberUserOut
    role: str
    role_label: str
    created_at: datetime

    @staticmethod
    def resolve_role_label(membership: Any) -> str:
        return str(membership.get_role_display())


class TokenOut(Schema):
    """An API token; its secret is never shown again after it is issued."""

    id: int
    name: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class IssuedTokenOut(TokenOut):
    """A new API token with its secret."""

    token: str = Field(
        description="The secret to send as `Authorization: Bearer <token>`. It is shown only "
        "now: store it safely."
    )


class TokenIn(Schema):
    """A new API token."""

    name: str = Field(description="What the token is for, e.g. 'nightly import'.")


class InvitationOut(Schema):
    """An offer to join an organisation, sent by e-mail."""

    id: int
    organisation: int = Field(description="The organisation's id.")
    email: str
    role: str
    state: str = Field(description="pending, accepted, revoked or expired.")
    invited_by: PersonOut | None
    created_at: datetime
    expires_at: datetime
    accepted_at: datetime | None
    revoked_at: datetime | None

    @staticmethod
    def resolve_organisation(invitation: Any) -> int:
        return int(invitation.organisation_id)


class IssuedInvitationOut(Schema):
    """A new invitation with its one-time link (also sent by e-mail)."""

    invitation: InvitationOut
    token: str = Field(description="The link's secret; shown only now.")
    url: str = Field(description="The acceptance link.")

    @staticmethod
    def resolve_token(issued: Any) -> str:
        return str(issued.plaintext)


class InvitationIn(Schema):
    """Whom to invite, in which role."""

    email: str = Field(description="Where to send the invitation.")
    role: str = Field(description="The role the person will hold once they accept.")
    lang: str = Field(
        "",
        description="Language of the e-mail and the link (en, fr, es, ko); default: "
        "the request's language.",
    )


class AcceptIn(Schema):
    """The secret from an invitation link."""

    token: str


# Endpoints --------------------------------------------------------------------------------


@router.get("/me", response={200: MeOut, **ERRORS})
def me(request: HttpRequest) -> Any:
    """The signed-in person and their role in each organisation."""
    return actor(request)


@router.get("/organisations", response={200: list[OrganisationOut], **ERRORS})
@paginate(Page)
def list_organisations(request: HttpRequest) -> Any:
    """The organisations you belong to (all of them for a platform admin)."""
    return access.visible_organisations(actor(request))


@router.get("/organisations/{organisation_id}", response={200: OrganisationOut, **ERRORS})
def get_organisation(request: HttpRequest, organisation_id: int) -> Any:
    """One organisation you belong to."""
    return access.access_organisation(actor(request), organisation_id)


@router.get("/organisations/{organisation_id}/members", response={200: list[MemberOut], **ERRORS})
@paginate(Page)
def list_members(request: HttpRequest, organisation_id: int) -> Any:
    """The organisation's members and their roles (for its administrators)."""
    return access.organisation_members(actor(request), organisation_id)


@router.get(
    "/organisations/{organisation_id}/invitations",
    response={200: list[InvitationOut], **ERRORS},
)
@paginate(Page)
def list_invitations(request: HttpRequest, organisation_id: int) -> Any:
    """Invitations sent on behalf of the organisation (for its administrators)."""
    return access.organisation_invitations(actor(request), organisation_id)


@router.post(
    "/organisations/{organisation_id}/invitations",
    response={201: IssuedInvitationOut, **ERRORS},
)
def invite_member(request: HttpRequest, organisation_id: int, payload: InvitationIn) -> Any:
    """Invite someone by e-mail to join the organisation in a role (for its administrators).
    The answer holds the acceptance link, valid for 14 days and usable once."""
    issued = actions.invite_member(
        actor(request),
        organisation_id,
        email=payload.email,
        role=payload.role,
        lang=payload.lang or getattr(request, "LANGUAGE_CODE", ""),
        base_url=request.build_absolute_uri("/"),
    )
    return Status(201, issued)


@router.post("/invitations/{invitation_id}/revoke", response={200: InvitationOut, **ERRORS})
def revoke_invitation(request: HttpRequest, invitation_id: int) -> Any:
    """Withdraw an invitation that has not been accepted; its link stops working."""
    return actions.revoke_invitation(actor(request), invitation_id)


@router.post("/invitations/accept", response={200: MembershipOut, **ERRORS})
def accept_invitation(request: HttpRequest, payload: AcceptIn) -> Any:
    """Join the organisation an invitation offers, with its role. Expired, revoked or used
    links are refused with the reason."""
    return actions.accept_invitation(actor(request), payload.token)


@router.get("/tokens", response={200: list[TokenOut], **ERRORS})
@paginate(Page)
def list_tokens(request: HttpRequest) -> Any:
    """Your API tokens, newest first (secrets are never shown again)."""
    return access.visible_api_tokens(actor(request))


@router.post("/tokens", response={201: IssuedTokenOut, **ERRORS})
def issue_token(request: HttpRequest, payload: TokenIn) -> Any:
    """Create an API token for yourself. Its secret is in this answer only."""
    issued = actions.issue_api_token(actor(request), payload.name)
    data = TokenOut.from_orm(issued.token).dict()
    return Status(201, IssuedTokenOut(**data, token=issued.plaintext))


@router.post("/tokens/{token_id}/revoke", response={200: TokenOut, **ERRORS})
def revoke_token(request: HttpRequest, token_id: int) -> Any:
    """Revoke one of your API tokens; requests with it are refused from now on."""
    return actions.revoke_api_token(actor(request), token_id)
