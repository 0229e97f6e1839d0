"""Who may see which triage record, cluster and collective case.

The rules are the grievance mechanism's (``ungpkit.apps.remedy.access``): the secretariat sees
every case of its mechanisms, a member company's staff only the cases routed to it. A cluster
or collective case is seen by its mechanism's secretariat whole, and by a member's staff only
as far as the cases routed to them; to anyone else it does not exist ("not found"). Changing
clusters and collective cases is the secretariat's work.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from ungpkit.apps.accounts.access import is_platform_admin
from ungpkit.apps.accounts.errors import NotFound
from ungpkit.apps.remedy import access as remedy_access
from ungpkit.apps.remedy.models import CaseParty, Mechanism, Member
from ungpkit.apps.triage.models import Cluster, ClusterMember, CollectiveCase, CollectiveMember


@dataclass(frozen=True)
class Reach:
    """What a user's work covers: whole mechanisms (as their secretariat, or all of them for
    a platform admin) and member seats (a company in a mechanism)."""

    admin: bool
    mechanisms: frozenset[int]
    seats: frozenset[int]

    @property
    def anything(self) -> bool:
        return self.admin or bool(self.mechanisms or self.seats)

    def runs(self, mechanism_id: int) -> bool:
        """Whether this is the secretariat of ``mechanism_id`` (or a platform admin)."""
        return self.admin or mechanism_id in self.mechanisms

    def cases(self, mechanism: str = "mechanism_id", grievance: str = "pk") -> Q:
        """A filter for the cases in reach, on a model with these two fields."""
        if self.admin:
            return Q()
        whole = Q(**{f"{mechanism}__in": sorted(self.mechanisms)})
        routed = CaseParty.objects.filter(
            grievance_id=OuterRef(grievance), member_id__in=self.seats
        )
        if not self.seats:
            return whole  # a plain filter on the mechanism, which the queue's index serves
        if not self.mechanisms:
            return Q(Exists(routed))
        return whole | Q(Exists(routed))


def reach(user: Any) -> Reach:
    if is_platform_admin(user):
        return Reach(True, frozenset(), frozenset())
    mechanisms = remedy_access.secretariat_mechanisms(user).values_list("pk", flat=True)
    seats = remedy_access.member_seats(user).values_list("pk", flat=True)
    return Reach(False, frozenset(mechanisms), frozenset(seats))


def mechanisms(scope: Reach) -> QuerySet[Mechanism]:
    """The mechanisms whose queue the user may open."""
    if scope.admin:
        return Mechanism.objects.all()
    seat_mechanisms = Member.objects.filter(pk__in=scope.seats).values("mechanism_id")
    return Mechanism.objects.filter(Q(pk__in=scope.mechanisms) | Q(pk__in=seat_mechanisms))


def access_mechanism(scope: Reach, slug: str) -> Mechanism:
    """A mechanism the user works in, or ``NotFound``."""
    found = mechanisms(scope).filter(slug=slug).first()
    if found is None:
        raise NotFound(_("No such grievance mechanism."))
    return found


def must_run(scope: Reach, mechanism_id: int) -> None:
    """Refuse (403) anyone but the mechanism's secretariat."""
    if not scope.runs(mechanism_id):
        raise PermissionDenied(_("Only the mechanism's secretariat may do this."))


# Clusters ----------------------------------------------------------------------------------


def cluster_members(scope: Reach, cluster: Cluster) -> QuerySet[ClusterMember]:
    """The members of a cluster the user may see."""
    members = ClusterMember.objects.filter(cluster=cluster)
    if scope.runs(cluster.mechanism_id):
        return members
    return members.filter(scope.cases("cluster__mechanism_id", "grievance_id"))


def access_cluster(scope: Reach, cluster_id: int) -> Cluster:
    """A cluster the user may see (whole, or in part), or ``NotFound``."""
    cluster = Cluster.objects.select_related("mechanism").filter(pk=cluster_id).first()
    if cluster is None or not (
        scope.runs(cluster.mechanism_id) or cluster_members(scope, cluster).exists()
    ):
        raise NotFound(_("No such cluster."))
    return cluster


# Collective cases ---------------------------------------------------------------------------


def collective_members(scope: Reach, collective: CollectiveCase) -> QuerySet[CollectiveMember]:
    """The members of a collective case the user may see."""
    members = CollectiveMember.objects.filter(collective=collective)
    if scope.runs(collective.mechanism_id):
        return members
    return members.filter(scope.cases("collective__mechanism_id", "grievance_id"))


def access_collective(scope: Reach, collective_id: int) -> CollectiveCase:
    """A collective case the user may see (whole, or in part), or ``NotFound``."""
    collective = (
        CollectiveCase.objects.select_related("mechanism", "created_by")
        .filter(pk=collective_id)
        .first()
    )
    if collective is None or not (
        scope.runs(collective.mechanism_id) or collective_members(scope, collective).exists()
    ):
        raise NotFound(_("No such collective case."))
    return collective


def visible_collectives(scope: Reach) -> QuerySet[CollectiveCase]:
    if scope.admin:
        return CollectiveCase.objects.all()
    partly = CollectiveMember.objects.filter(
        scope.cases("collective__mechanism_id", "grievance_id")
    ).values("collective_id")
    return CollectiveCase.objects.filter(Q(mechanism_id__in=scope.mechanisms) | Q(pk__in=partly))
