"""Who may see which grievance. Every read goes through here; a case a user may not see is
"not found", exactly as a case that does not exist."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from ungpkit.apps.accounts.access import is_platform_admin
from ungpkit.apps.accounts.errors import NotFound
from ungpkit.apps.accounts.models import Membership, Role
from ungpkit.apps.remedy.models import Grievance, Mechanism, Member

SECRETARIAT_ROLES = frozenset({Role.MECHANISM_STAFF, Role.ADMINISTRATOR})
MEMBER_ROLES = frozenset({Role.MECHANISM_STAFF, Role.COMPANY_MEMBER, Role.ADMINISTRATOR})


def _organisations(user: Any, roles: frozenset[Role]) -> list[int]:
    if not (user.is_authenticated and user.is_active):
        return []
    return list(
        Membership.objects.filter(user=user, role__in=roles).values_list(
            "organisation_id", flat=True
        )
    )


def secretariat_mechanisms(user: Any) -> QuerySet[Mechanism]:
    """Mechanisms whose secretariat ``user`` works for (all of them for a platform admin)."""
    if is_platform_admin(user):
        return Mechanism.objects.all()
    return Mechanism.objects.filter(organisation_id__in=_organisations(user, SECRETARIAT_ROLES))


def member_seats(user: Any) -> QuerySet[Member]:
    """The member seats (company in a mechanism) ``user`` works for."""
    return Member.objects.filter(organisation_id__in=_organisations(user, MEMBER_ROLES))


def visible_grievances(user: Any) -> QuerySet[Grievance]:
    """Cases ``user`` may see: every case of their secretariat's mechanisms, and the cases
    routed to their company."""
    grievances = Grievance.objects.select_related("mechanism")
    if is_platform_admin(user):
        return grievances
    return grievances.filter(
        Q(mechanism__in=secretariat_mechanisms(user)) | Q(parties__member__in=member_seats(user))
    ).distinct()


def access_grievance(user: Any, grievance_id: int) -> Grievance:
    """A case ``user`` may see, or ``NotFound``."""
    grievance = visible_grievances(user).filter(pk=grievance_id).first()
    if grievance is None:
        raise NotFound("No such case.")
    return grievance


def is_secretariat(user: Any, grievance: Grievance) -> bool:
    """Whether ``user`` works for the secretariat of the case's mechanism."""
    return secretariat_mechanisms(user).filter(pk=grievance.mechanism_id).exists()


def may_see_who_complained(user: Any, grievance: Grievance) -> bool:
    """The secretariat; a routed member's staff only when the complainant, not anonymous,
    let members see who complained. Identity, files and the consent record of a person
    represented all follow this one rule."""
    if is_secretariat(user, grievance):
        return True
    return (
        grievance.reveal_identity_to_members
        and not grievance.anonymous
        and grievance.parties.filter(member__in=member_seats(user)).exists()
    )


def can_reveal_identity(user: Any, grievance: Grievance) -> bool:
    """Whether ``user`` may read the identity (there is one, and they may see who complained)."""
    if grievance.anonymous or not grievance.identity_encrypted:
        return False
    return may_see_who_complained(user, grievance)


def can_see_files(user: Any, grievance: Grievance) -> bool:
    """Whether ``user`` may open the complainant's files (a file can show who they are)."""
    return may_see_who_complained(user, grievance)
