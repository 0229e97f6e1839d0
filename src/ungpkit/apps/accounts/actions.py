"""Every write to accounts. Each action checks permission, validates, writes in one
transaction and appends to the audit log; pages, the API, the admin and the CLI call these."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from ungpkit.apps.accounts import access, audit, tokens
from ungpkit.apps.accounts.errors import NotFound
from ungpkit.apps.accounts.models import (
    ApiToken,
    Membership,
    Organisation,
    OrganisationKind,
    Role,
)

COUNTRY_CODE = re.compile(r"^[A-Z]{2}$")


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
