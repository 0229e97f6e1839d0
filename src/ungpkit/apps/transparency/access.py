"""Who may see what of a mechanism's learning and self-assessment. Statistics are public;
recurring issues are for the secretariat (every member) and for each member's staff (their
own company only); the self-assessment is the secretariat's.

A user with no part in a mechanism gets "not found", as for a mechanism that does not exist;
a member's staff asking for the secretariat's self-assessment are refused (403).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from ungpkit.apps.accounts.errors import NotFound
from ungpkit.apps.remedy import access as remedy_access
from ungpkit.apps.remedy.models import Mechanism


def public_mechanism(slug: str) -> Mechanism:
    """Any mechanism, by its short name (statistics are public)."""
    mechanism = Mechanism.objects.select_related("organisation").filter(slug=slug).first()
    if mechanism is None:
        raise NotFound(_("There is no such grievance mechanism."))
    return mechanism


def is_secretariat(user: Any, mechanism: Mechanism) -> bool:
    """Whether ``user`` works for the mechanism's secretariat (or runs the platform)."""
    return remedy_access.secretariat_mechanisms(user).filter(pk=mechanism.pk).exists()


def member_ids(user: Any, mechanism: Mechanism) -> frozenset[int]:
    """The member seats ``user`` holds in ``mechanism``."""
    seats = remedy_access.member_seats(user).filter(mechanism=mechanism)
    return frozenset(seats.values_list("pk", flat=True))


def secretariat_mechanism(user: Any, slug: str) -> Mechanism:
    """The mechanism, for its secretariat; its members' staff get 403, others 404."""
    mechanism = public_mechanism(slug)
    if is_secretariat(user, mechanism):
        return mechanism
    if member_ids(user, mechanism):
        raise PermissionDenied(_("Only the mechanism's secretariat may do this."))
    raise NotFound(_("There is no such grievance mechanism."))


@dataclass(frozen=True)
class LearningScope:
    """Whose recurring issues a user may see in one mechanism."""

    mechanism: Mechanism
    members: frozenset[int] | None
    """The member seats whose issues are shown; None for every member (the secretariat)."""

    @property
    def secretariat(self) -> bool:
        return self.members is None

    def allows(self, member_id: int | None) -> bool:
        return self.members is None or (member_id is not None and member_id in self.members)


def learning_scope(user: Any, slug: str) -> LearningScope:
    """The recurring issues ``user`` may see in the mechanism ``slug``, or ``NotFound``."""
    mechanism = public_mechanism(slug)
    if is_secretariat(user, mechanism):
        return LearningScope(mechanism, None)
    seats = member_ids(user, mechanism)
    if not seats:
        raise NotFound(_("There is no such grievance mechanism."))
    return LearningScope(mechanism, seats)


def staff_mechanisms(user: Any) -> list[tuple[Mechanism, bool]]:
    """Mechanisms where ``user`` may see recurring issues, each with whether they work for
    its secretariat."""
    secretariat = set(remedy_access.secretariat_mechanisms(user).values_list("pk", flat=True))
    seats = set(remedy_access.member_seats(user).values_list("mechanism_id", flat=True))
    mechanisms = Mechanism.objects.filter(pk__in=secretariat | seats).order_by("name")
    return [(mechanism, mechanism.pk in secretariat) for mechanism in mechanisms]
