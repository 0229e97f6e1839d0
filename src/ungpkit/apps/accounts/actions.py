"""Every write to accounts. Each action checks permission, validates, writes in one
transaction and appends to the audit log; pages, the API, the admin and the CLI call these."""

from __future__ import annotations

import datetime
import logging
import re
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from ungpkit.apps.accounts import access, audit, tokens
from ungpkit.apps.accounts.errors import NotFound
from ungpkit.apps.accounts.models import (
    ApiToken,
    Invitation,
    Membership,
    Organisation,
    OrganisationKind,
    Role,
)

COUNTRY_CODE = re.compile(r"^[A-Z]{2}$")
INVITATION_VALID_FOR = datetime.timedelta(days=14)
"""How long an invitation link can be used."""

logger = logging.getLogger(__name__)


def create_organisation(
    actor: Any, *, name: str, kind: str, country: str = "", slug: str = ""
) -> Organisation:
    """Register an organisation. Only platform admins (or holders of the
    ``accounts.add_organisation`` permission) may."""
    if not (actor.is_authenticated and actor.has_perm("accounts.add_organisation")):
        raise PermissionDenied(_("You may not create organisations."))
    name = name.strip()
    country = country.strip().upper()
    _validate_organisation(name, kind, country)
    with transaction.atomic():
        organisation = Organisation.objects.create(
            name=name, kind=kind, country=country, slug=_organisation_slug(slug, name)
        )
        audit.record(
            actor,
            "organisation.created",
            target=organisation,
            organisation=organisation,
            details={"kind": kind, "country": country},
        )
    return organisation


def _validate_organisation(name: str, kind: str, country: str) -> None:
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = _("Give the organisation a name.")
    elif len(name) > 200:
        errors["name"] = _("The name can be at most 200 characters long.")
    if kind not in OrganisationKind.values:
        errors["kind"] = _("Choose one of the listed kinds of organisation.")
    if country and not COUNTRY_CODE.match(country):
        errors["country"] = _("Use the two-letter ISO 3166-1 country code, such as FR or KR.")
    if errors:
        raise ValidationError(errors)


def _organisation_slug(requested: str, name: str) -> str:
    if requested:
        slug = slugify(requested, allow_unicode=True)
        if not slug or Organisation.objects.filter(slug=slug).exists():
            raise ValidationError({"slug": _("This short name is taken or invalid.")})
        return slug
    base = slugify(name, allow_unicode=True)[:70] or "organisation"
    slug, number = base, 1
    while Organisation.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def add_member(actor: Any, organisation_id: int, user_id: int, role: str) -> Membership:
    """Give a person a role in an organisation; its administrators and platform admins may."""
    with transaction.atomic():
        organisation = access.access_organisation(actor, organisation_id)
        if not access.can_manage_members(actor, organisation):
            raise PermissionDenied(_("You may not manage the members of this organisation."))
        _validate_role(role)
        user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
        if user is None:
            raise NotFound("No such user.")
        if Membership.objects.filter(organisation=organisation, user=user).exists():
            raise ValidationError({"user": _("This person is already a member.")})
        membership = Membership.objects.create(organisation=organisation, user=user, role=role)
        audit.record(
            actor,
            "membership.added",
            target=membership,
            organisation=organisation,
            details={"role": role},
        )
    return membership


def change_role(actor: Any, organisation_id: int, user_id: int, role: str) -> Membership:
    """Change a member's role. An organisation always keeps at least one administrator."""
    with transaction.atomic():
        membership = access.access_membership(actor, organisation_id, user_id)
        organisation = membership.organisation
        if not access.can_manage_members(actor, organisation):
            raise PermissionDenied(_("You may not manage the members of this organisation."))
        _validate_role(role)
        previous = membership.role
        if previous == role:
            return membership
        if previous == Role.ADMINISTRATOR and _administrator_count(organisation) == 1:
            raise ValidationError({"role": _("An organisation needs at least one administrator.")})
        membership.role = role
        membership.save(update_fields=["role"])
        audit.record(
            actor,
            "membership.role_changed",
            target=membership,
            organisation=organisation,
            details={"from": previous, "to": role},
        )
    return membership


def _validate_role(role: str) -> None:
    if role not in Role.values:
        raise ValidationError({"role": _("Choose one of the listed roles.")})


def _administrator_count(organisation: Organisation) -> int:
    """Count administrators, locking their rows so two demotions cannot both pass."""
    administrators = Membership.objects.select_for_update().filter(
        organisation=organisation, role=Role.ADMINISTRATOR
    )
    return len(list(administrators.values_list("pk", flat=True)))


@dataclass(frozen=True)
class IssuedToken:
    """A new token and its secret, which is shown once and never stored."""

    token: ApiToken
    plaintext: str


def issue_api_token(actor: Any, name: str) -> IssuedToken:
    """Create an API token for the signed-in person; the plaintext is returned only here."""
    if not (actor.is_authenticated and actor.is_active):
        raise PermissionDenied(_("Sign in to create an API token."))
    name = name.strip()
    if not name or len(name) > 100:
        raise ValidationError({"name": _("Give the token a name of 1 to 100 characters.")})
    plaintext = tokens.new_token()
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=actor, name=name, token_hash=tokens.hash_token(plaintext)
        )
        audit.record(actor, "api_token.issued", target=token)
    return IssuedToken(token=token, plaintext=plaintext)


def revoke_api_token(actor: Any, token_id: int) -> ApiToken:
    """Revoke one of the actor's tokens (platform admins may revoke anyone's)."""
    with transaction.atomic():
        token = access.access_api_token(actor, token_id)
        if token.revoked:
            raise ValidationError(_("This token is already revoked."))
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(actor, "api_token.revoked", target=token)
    return token


@dataclass(frozen=True)
class IssuedInvitation:
    """A new invitation, its secret and its acceptance link; both are shown once only."""

    invitation: Invitation
    plaintext: str
    url: str


def invite_member(
    actor: Any,
    organisation_id: int,
    *,
    email: str,
    role: str,
    lang: str = "",
    base_url: str = "",
) -> IssuedInvitation:
    """Invite a person by e-mail to join an organisation in ``role``; its administrators and
    platform admins may. The e-mail, in ``lang``, carries the acceptance link
    ``<base_url>/<lang>/accounts/invitations/<token>/``, sent after commit."""
    organisation = access.access_organisation(actor, organisation_id)
    if not access.can_manage_members(actor, organisation):
        raise PermissionDenied(_("You may not manage the members of this organisation."))
    email = email.strip()
    _validate_invitation(organisation, email, role)
    lang = _interface_language(lang)
    plaintext = secrets.token_urlsafe(32)
    url = f"{base_url.rstrip('/')}/{lang}/accounts/invitations/{plaintext}/"
    now = timezone.now()
    with transaction.atomic():
        invitation = Invitation.objects.create(
            organisation=organisation,
            email=email,
            role=role,
            token_hash=tokens.hash_token(plaintext),
            invited_by=actor,
            created_at=now,
            expires_at=now + INVITATION_VALID_FOR,
        )
        audit.record(
            actor,
            "invitation.created",
            target=invitation,
            organisation=organisation,
            details={"role": role},
        )
        transaction.on_commit(lambda: _send_invitation(invitation, url, lang))
    return IssuedInvitation(invitation=invitation, plaintext=plaintext, url=url)


def _validate_invitation(organisation: Organisation, email: str, role: str) -> None:
    errors: dict[str, str] = {}
    if role not in Role.values:
        errors["role"] = _("Choose one of the listed roles.")
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = _("Enter a valid e-mail address.")
    else:
        if Membership.objects.filter(organisation=organisation, user__email__iexact=email):
            errors["email"] = _("Someone with this address is already a member.")
        elif _pending_invitations(organisation, email).exists():
            errors["email"] = _(
                "This address already has a pending invitation. Revoke it first to send a new one."
            )
    if errors:
        raise ValidationError(errors)


def _pending_invitations(organisation: Organisation, email: str) -> Any:
    return Invitation.objects.filter(
        organisation=organisation,
        email__iexact=email,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    )


def _interface_language(lang: str) -> str:
    codes = [code for code, _name in settings.LANGUAGES]
    candidate = (lang or translation.get_language() or settings.LANGUAGE_CODE)[:2].lower()
    return candidate if candidate in codes else codes[0]


def _send_invitation(invitation: Invitation, url: str, lang: str) -> None:
    """E-mail the acceptance link. A failure is logged, not raised: the invitation is stored
    and its link was shown to the person who sent it."""
    inviter = invitation.invited_by
    with translation.override(lang):
        subject = _("Invitation to join %(organisation)s on ungpkit") % {
            "organisation": invitation.organisation.name
        }
        body = _(
            "%(inviter)s invites you to join %(organisation)s on ungpkit as %(role)s.\n\n"
            "To accept, sign in (or create an account) and open this link:\n%(url)s\n\n"
            "The link can be used once and expires on %(expires)s. If you did not expect "
            "this invitation, you can ignore this message."
        ) % {
            "inviter": (inviter.get_full_name() or inviter.get_username()) if inviter else "",
            "organisation": invitation.organisation.name,
            "role": invitation.get_role_display(),
            "url": url,
            "expires": formats.date_format(timezone.localtime(invitation.expires_at)),
        }
    try:
        send_mail(subject, body, None, [invitation.email])
    except Exception:  # the link was shown to the inviter, who can pass it on
        logger.exception("Could not send invitation %s", invitation.pk)


def accept_invitation(user: Any, token: str) -> Membership:
    """Join the organisation an invitation link offers, in its role. A link works once, until
    it expires or is revoked; each refusal says why (``ValidationError`` on ``token``)."""
    if not (user.is_authenticated and user.is_active):
        raise PermissionDenied(_("Sign in to accept the invitation."))
    with transaction.atomic():
        found = access.invitation_for_token(token)
        invitation = Invitation.objects.select_for_update().get(pk=found.pk)
        _check_acceptable(invitation, user)
        membership = Membership.objects.create(
            organisation=invitation.organisation, user=user, role=invitation.role
        )
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        audit.record(
            user,
            "invitation.accepted",
            target=invitation,
            organisation=invitation.organisation,
            details={"role": invitation.role, "membership": membership.pk},
        )
    return membership


def _check_acceptable(invitation: Invitation, user: Any) -> None:
    message = refusal_reason(invitation, user)
    if message:
        raise ValidationError({"token": message})


def refusal_reason(invitation: Invitation, user: Any) -> str:
    """Why ``user`` (possibly a visitor who is not signed in) cannot accept ``invitation``,
    in plain words, or ``""`` when they can. Pages show it before anyone presses a button."""
    state = invitation.state
    if state == "accepted":
        message = _(
            "This invitation has already been used. Ask the organisation for a new one "
            "if you still need to join."
        )
    elif state == "revoked":
        message = _("This invitation was withdrawn by the organisation.")
    elif state == "expired":
        message = _(
            "This invitation expired on %(date)s. Ask the organisation to send a new one."
        ) % {"date": formats.date_format(timezone.localtime(invitation.expires_at))}
    elif (
        user.is_authenticated
        and Membership.objects.filter(organisation=invitation.organisation, user=user).exists()
    ):
        message = _("You are already a member of %(organisation)s.") % {
            "organisation": invitation.organisation.name
        }
    else:
        message = ""
    return message


def register_and_accept(token: str, username: str, email: str, password: str) -> Membership:
    """Create an account for someone who holds an invitation link and has none yet, and join
    the organisation in the invitation's role, all in one transaction: if the invitation can
    no longer be used, no account is created. The caller signs the new person in."""
    username, email = username.strip(), email.strip()
    with transaction.atomic():
        found = access.invitation_for_token(token)
        invitation = Invitation.objects.select_for_update().get(pk=found.pk)
        _check_acceptable(invitation, AnonymousUser())
        user = _register(username, email, password)
        membership = Membership.objects.create(
            organisation=invitation.organisation, user=user, role=invitation.role
        )
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        audit.record(user, "user.registered", target=user, details={"invitation": invitation.pk})
        audit.record(
            user,
            "invitation.accepted",
            target=invitation,
            organisation=invitation.organisation,
            details={"role": invitation.role, "membership": membership.pk},
        )
    return membership


def _register(username: str, email: str, password: str) -> Any:
    """Validate and create an active account with a hashed password."""
    user_model = get_user_model()
    user = user_model(
        username=user_model.normalize_username(username),
        email=user_model.objects.normalize_email(email),
    )
    errors: dict[str, list[str]] = {}
    try:
        user.clean_fields(exclude=["password"])
    except ValidationError as error:
        errors.update(error.message_dict)
    if "username" not in errors and user_model.objects.filter(username__iexact=username):
        errors["username"] = [_("This user name is taken. Choose another one.")]
    if not email:
        errors["email"] = [_("Enter your e-mail address.")]
    elif "email" not in errors and user_model.objects.filter(email__iexact=email):
        errors["email"] = [
            _(
                "An account with this e-mail address already exists. "
                "Sign in with it to accept the invitation."
            )
        ]
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        errors["password"] = list(error.messages)
    if errors:
        raise ValidationError(errors)
    user.set_password(password)
    user.save()
    return user


def revoke_invitation(actor: Any, invitation_id: int) -> Invitation:
    """Withdraw an invitation that has not been accepted, so its link no longer works."""
    with transaction.atomic():
        invitation = access.access_invitation(actor, invitation_id)
        if invitation.accepted_at is not None or invitation.revoked_at is not None:
            raise ValidationError(_("Only an invitation that is still open can be revoked."))
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        audit.record(
            actor,
            "invitation.revoked",
            target=invitation,
            organisation=invitation.organisation,
        )
    return invitation
