"""Clusters of mass complaints: found among a mechanism's open grievances and stored, kept
under the same id when run again, with grievances already in a collective case left where
they are; the list and detail pages and the command."""

from __future__ import annotations

from typing import Any

from ungpkit.apps.accounts.models import AuditEntry
from ungpkit.apps.remedy import actions as remedy_actions
from ungpkit.apps.remedy import states
from ungpkit.apps.triage import actions, clusters
from ungpkit.apps.triage.models import Cluster, ClusterMember, CollectiveMember

from .conftest import World, manage

CAMPAIGN = (
    "I demand that Nimbus stops selling the location data of its users to advertisers "
    "without consent and deletes everything it collected about me. Signed, {name}."
)
NAMES = ("Ana", "Ben", "Chloé", "Dev", "Eun", "Farid", "Gala", "Hugo")


def _campaign(world: World, count: int = 8) -> list[Any]:
    return [
        world.submit(CAMPAIGN.format(name=NAMES[n % len(NAMES)]), company_text="Nimbus")
        for n in range(count)
    ]


def _cluster_of(grievance: Any) -> int | None:
    return (
        ClusterMember.objects.filter(grievance=grievance)
        .values_list("cluster_id", flat=True)
        .first()
    )


def test_recluster_stores_clusters_with_size_dates_and_label(world: World) -> None:
    letters = _campaign(world)
    result = clusters.recluster(world.mechanism, actor=world.users["sec"])
    assert result.grievances == 10 and result.clusters >= 1
    cluster = Cluster.objects.get(pk=_cluster_of(letters[0]))
    assert {_cluster_of(g) for g in letters} == {cluster.pk}
    assert cluster.size == 8 and cluster.label
    assert cluster.first_at == letters[0].created_at and cluster.last_at == letters[-1].created_at
    assert _cluster_of(world.mild) is None
    assert AuditEntry.objects.filter(action="triage.reclustered").exists()


def test_a_cluster_keeps_its_id_and_collective_members_stay_put(world: World) -> None:
    letters = _campaign(world)
    clusters.recluster(world.mechanism)
    first = _cluster_of(letters[0])
    collective = actions.merge_cluster(world.users["sec"], first)  # type: ignore[arg-type]
    assert CollectiveMember.objects.filter(collective=collective).count() == 8

    more = _campaign(world, 3)
    remedy_actions.move(world.users["sec"], letters[1].pk, states.ACKNOWLEDGED)
    result = clusters.recluster(world.mechanism)
    # The letters in the collective case stay in their cluster; the new ones form their own.
    assert {_cluster_of(g) for g in letters} == {first}
    assert Cluster.objects.get(pk=first).size == 8
    assert result.grievances == 5  # severe, mild and the three new letters
    newer = _cluster_of(more[0])
    assert newer is not None and newer != first

    again = clusters.recluster(world.mechanism)
    assert _cluster_of(more[0]) == newer and again.kept >= 1  # the same id on a second run


def test_closed_grievances_leave_their_cluster(world: World) -> None:
    letters = _campaign(world, 3)
    clusters.recluster(world.mechanism)
    cluster = _cluster_of(letters[0])
    for step, reason in ((states.ACKNOWLEDGED, ""), (states.NOT_ADMISSIBLE, "A duplicate.")):
        remedy_actions.move(world.users["sec"], letters[2].pk, step, reason)
    clusters.recluster(world.mechanism)
    assert _cluster_of(letters[2]) is None
    assert _cluster_of(letters[0]) == cluster and Cluster.objects.get(pk=cluster).size == 2


def test_the_pages_show_clusters_biggest_first(world: World) -> None:
    letters = _campaign(world)
    client = world.client("sec")
    client.post("/en/triage/mechanisms/joint/clusters/refresh/")
    body = client.get("/en/triage/mechanisms/joint/clusters/").content.decode()
    cluster = Cluster.objects.get(pk=_cluster_of(letters[0]))
    assert f'href="/en/triage/clusters/{cluster.pk}/"' in body
    assert "Near-duplicate texts" in body or "Same incident" in body
    detail = client.get(f"/en/triage/clusters/{cluster.pk}/").content.decode()
    for letter in letters:
        assert letter.case_code in detail
    assert "I demand that Nimbus stops selling" in detail  # excerpts for the secretariat
    api = client.get("/api/triage/clusters").json()
    assert api["items"][0]["id"] == cluster.pk and api["items"][0]["size"] == 8


def test_the_command_reports_what_it_found(world: World) -> None:
    _campaign(world, 4)
    output = manage("cluster_grievances", "--mechanism", "joint")
    assert "open grievance(s) read" in output and "cluster(s)" in output
    assert Cluster.objects.filter(mechanism=world.mechanism).exists()
