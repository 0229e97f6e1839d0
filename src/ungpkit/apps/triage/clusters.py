"""Mass complaints: cluster a mechanism's open grievances and store the clusters.

``recluster`` runs ``ungpkit.grievances.clustering.cluster_grievances`` over the open
grievances that are not in a collective case yet (those stay put, in their cluster), then
matches the clusters found to the stored ones, so a cluster keeps its id (and its address)
while most of its members persist.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.db.models import Count, Max, Min
from django.utils import timezone

from ungpkit.apps.accounts import audit
from ungpkit.apps.remedy.models import CaseParty, Grievance, Mechanism
from ungpkit.apps.triage.models import (
    Cluster,
    ClusterMember,
    CollectiveCase,
    CollectiveMember,
)
from ungpkit.apps.triage.records import CLOSED_STATES

KEEP_ID_OVERLAP = 0.5
"""A new cluster keeps a stored cluster's id when more than half of the union of their
members is shared (Jaccard similarity above this)."""

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class Reclustering:
    """What ``recluster`` found."""

    grievances: int
    clusters: int
    kept: int
    """Clusters that kept their id."""
    clustered: int
    """Grievances in a cluster."""


def member_key(party_member: int | None, company_text: str) -> str:
    """The key of the company a complaint is about: the member it is routed to, else what
    the complainant wrote, normalised."""
    if party_member is not None:
        return f"member:{party_member}"
    return " ".join(company_text.lower().split())


def day_number(moment: datetime) -> int:
    """Days since 1970-01-01."""
    return (moment.date() - date(1970, 1, 1)).days


def _candidates(mechanism: Mechanism) -> list[dict[str, Any]]:
    """The open grievances of ``mechanism`` not in a collective case, oldest first."""
    in_collective = CollectiveMember.objects.filter(grievance__mechanism=mechanism).values(
        "grievance_id"
    )
    rows = list(
        Grievance.objects.filter(mechanism=mechanism)
        .exclude(state__in=CLOSED_STATES)
        .exclude(pk__in=in_collective)
        .order_by("created_at", "pk")
        .values("pk", "description", "language", "company_text", "created_at")
    )
    parties: dict[int, int] = {}
    for grievance_id, member_id in (
        CaseParty.objects.filter(grievance__mechanism=mechanism)
        .order_by("routed_at", "pk")
        .values_list("grievance_id", "member_id")
    ):
        parties.setdefault(grievance_id, member_id)
    for row in rows:
        row["member"] = parties.get(row["pk"])
    return rows


def _match(found: list[set[int]], stored: dict[int, set[int]]) -> dict[int, int]:
    """For each found cluster (by index), the stored cluster id it continues, if any:
    greedily, best overlap first, each stored cluster used once."""
    pairs = []
    for index, members in enumerate(found):
        for cluster_id, old in stored.items():
            shared = len(members & old)
            if shared:
                jaccard = shared / len(members | old)
                if jaccard > KEEP_ID_OVERLAP:
                    pairs.append((jaccard, shared, index, cluster_id))
    chosen: dict[int, int] = {}
    used: set[int] = set()
    for _jaccard, _shared, index, cluster_id in sorted(pairs, reverse=True):
        if index not in chosen and cluster_id not in used:
            chosen[index] = cluster_id
            used.add(cluster_id)
    return chosen


def _stored(mechanism: Mechanism) -> dict[int, set[int]]:
    """Stored clusters and their members that are free to move (not in a collective case)."""
    stored: dict[int, set[int]] = {
        pk: set() for pk in Cluster.objects.filter(mechanism=mechanism).values_list("pk", flat=True)
    }
    for cluster_id, grievance_id in ClusterMember.objects.filter(
        cluster__mechanism=mechanism, grievance__collective_membership__isnull=True
    ).values_list("cluster_id", "grievance_id"):
        stored[cluster_id].add(grievance_id)
    return stored


def recluster(
    mechanism: Mechanism, actor: Any = None, progress: Progress | None = None
) -> Reclustering:
    """Cluster the mechanism's open grievances and store the clusters."""
    from ungpkit.grievances.clustering import ClusterItem, cluster_grievances

    rows = _candidates(mechanism)
    items = [
        ClusterItem(
            text=row["description"],
            language=row["language"] or "und",
            member=member_key(row["member"], row["company_text"]),
            day=day_number(row["created_at"]),
        )
        for row in rows
    ]
    if progress:
        progress("read", len(rows), len(rows))
    clustering = cluster_grievances(items)
    found = [{rows[i]["pk"] for i in info.members} for info in clustering.clusters]
    now = timezone.now()
    with transaction.atomic():
        stored = _stored(mechanism)
        matched = _match(found, stored)
        ClusterMember.objects.filter(
            cluster__mechanism=mechanism, grievance__collective_membership__isnull=True
        ).delete()
        members: list[ClusterMember] = []
        for index, info in enumerate(clustering.clusters):
            cluster = _cluster(mechanism, matched.get(index), info, now)
            members.extend(
                ClusterMember(cluster=cluster, grievance_id=rows[i]["pk"], similarity=float(s))
                for i, s in zip(info.members, info.similarity, strict=True)
            )
        ClusterMember.objects.bulk_create(members)
        _tidy(mechanism, now)
        if actor is not None:
            audit.record(
                actor,
                "triage.reclustered",
                organisation=mechanism.organisation,
                details={"mechanism": mechanism.pk, "clusters": len(found)},
            )
    if progress:
        progress("stored", len(found), len(found))
    return Reclustering(len(rows), len(found), len(matched), len(members))


def _cluster(mechanism: Mechanism, cluster_id: int | None, info: Any, now: datetime) -> Cluster:
    fields = {"kind": info.kind, "label": str(info.label)[:200], "updated_at": now}
    if cluster_id is None:
        return Cluster.objects.create(mechanism=mechanism, created_at=now, **fields)
    Cluster.objects.filter(pk=cluster_id).update(**fields)
    return Cluster(pk=cluster_id, mechanism=mechanism)


def _tidy(mechanism: Mechanism, now: datetime) -> None:
    """Store each cluster's size and date range; drop clusters left empty (unless a
    collective case was made from them)."""
    totals = (
        ClusterMember.objects.filter(cluster__mechanism=mechanism)
        .values("cluster_id")
        .annotate(
            size=Count("pk"),
            first=Min("grievance__created_at"),
            last=Max("grievance__created_at"),
        )
    )
    by_cluster = {row["cluster_id"]: row for row in totals}
    clusters = list(Cluster.objects.filter(mechanism=mechanism))
    merged = set(
        CollectiveCase.objects.filter(mechanism=mechanism, cluster__isnull=False).values_list(
            "cluster_id", flat=True
        )
    )
    empty = [c.pk for c in clusters if c.pk not in by_cluster and c.pk not in merged]
    Cluster.objects.filter(pk__in=empty).delete()
    changed = []
    for cluster in clusters:
        row = by_cluster.get(cluster.pk)
        if cluster.pk in empty:
            continue
        cluster.size = row["size"] if row else 0
        cluster.first_at = row["first"] if row else None
        cluster.last_at = row["last"] if row else None
        changed.append(cluster)
    Cluster.objects.bulk_update(changed, ["size", "first_at", "last_at"])
