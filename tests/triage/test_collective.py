"""Collective cases: made from a cluster, grown and shrunk one case at a time, and moved
through their steps together, with each member grievance getting its own step (who, when,
why) that its complainant sees on their own status page; members whose step does not allow
the move are listed as skipped, not forced. One message and one outcome reach everyone; each
complainant still accepts or refuses a remedy for themselves."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from ungpkit.apps.accounts.models import AuditEntry
from ungpkit.apps.remedy import actions as remedy_actions
from ungpkit.apps.remedy import states
from ungpkit.apps.remedy.models import Grievance, Message, Outcome, Transition
from ungpkit.apps.triage import actions
from ungpkit.apps.triage.models import Cluster, CollectiveCase, CollectiveMember

from .conftest import World


def _members(collective: CollectiveCase) -> list[Grievance]:
    return list(Grievance.objects.filter(collective_membership__collective=collective))


def _status(world: World, grievance: Grievance, n: int) -> str:
    receipt = world.receipts[grievance.pk]
    client = Client(REMOTE_ADDR=f"198.51.100.{n}")
    response = client.post(
        "/en/grievances/status/", {"case_code": receipt.case_code, "passphrase": receipt.passphrase}
    )
    assert response.status_code == 200
    return response.content.decode()


def test_merging_a_cluster_makes_a_collective_case(world: World, breach: Cluster) -> None:
    response = world.client("sec").post(f"/en/triage/clusters/{breach.pk}/merge/", {"title": ""})
    collective = CollectiveCase.objects.get()
    assert response["Location"] == f"/en/triage/collective/{collective.pk}/"
    assert collective.title == "data breach leaked"  # the cluster's label
    assert collective.cluster == breach and collective.created_by == world.users["sec"]
    assert len(_members(collective)) == 6
    entry = AuditEntry.objects.get(action="triage.collective_created")
    assert entry.details == {"cluster": breach.pk, "members": 6}
    page = world.client("sec").get(f"/en/triage/collective/{collective.pk}/").content.decode()
    assert "Received: <strong>6</strong>" in page


def test_a_case_is_in_one_collective_case_at_most(world: World, breach: Cluster) -> None:
    sec = world.users["sec"]
    single = CollectiveCase.objects.create(mechanism=world.mechanism, title="Alone")
    actions.add_to_collective(sec, single.pk, [world.severe.pk])
    collective = actions.merge_cluster(sec, breach.pk)
    assert world.severe not in _members(collective) and len(_members(collective)) == 5
    with pytest.raises(ValidationError):
        actions.add_to_collective(sec, collective.pk, [world.severe.pk])
    again = actions.merge_cluster(sec, breach.pk)  # merging again adds nothing new
    assert again == collective and len(_members(collective)) == 5


def test_adding_and_removing_single_cases(world: World, collective: CollectiveCase) -> None:
    client = world.client("sec")
    base = f"/en/triage/collective/{collective.pk}"
    refused = client.post(f"{base}/members/", {"case_codes": "G-NOPE-NOPE-NOPE"})
    assert refused.status_code == 400 and "G-NOPE-NOPE-NOPE" in refused.content.decode()
    client.post(f"{base}/members/", {"case_codes": world.mild.case_code.lower()})
    assert world.mild in _members(collective)
    client.post(f"{base}/members/{world.mild.pk}/remove/")
    assert world.mild not in _members(collective)
    assert Grievance.objects.filter(pk=world.mild.pk).exists()
    actions_logged = set(
        AuditEntry.objects.filter(object_id=str(collective.pk)).values_list("action", flat=True)
    )
    assert {"triage.collective_members_added", "triage.collective_member_removed"} <= actions_logged


def test_a_collective_move_gives_each_grievance_its_own_step(
    world: World, collective: CollectiveCase
) -> None:
    sec = world.users["sec"]
    members = _members(collective)
    ahead = members[-1]
    remedy_actions.move(sec, ahead.pk, states.ACKNOWLEDGED)  # already one step further

    response = world.client("sec").post(
        f"/en/triage/collective/{collective.pk}/move/", {"target": states.ACKNOWLEDGED}, follow=True
    )
    body = response.content.decode()
    assert "5 cases moved to the step “Acknowledged”." in body
    assert "1 case was skipped" in body and ahead.case_code in body
    for grievance in members:
        grievance.refresh_from_db()
        assert grievance.state == states.ACKNOWLEDGED
        steps = Transition.objects.filter(grievance=grievance, to_state=states.ACKNOWLEDGED)
        assert steps.count() == 1 and steps.get().actor == sec
    assert AuditEntry.objects.filter(action="remedy.case_moved").count() == 6
    collective_entry = AuditEntry.objects.get(action="triage.collective_moved")
    assert collective_entry.details == {"to": "acknowledged", "moved": 5, "skipped": 1}


def test_the_complainant_sees_the_collective_step_on_their_status_page(
    world: World, collective: CollectiveCase
) -> None:
    result = actions.move_collective(world.users["sec"], collective.pk, states.ACKNOWLEDGED)
    assert len(result.moved) == 6 and result.skipped == []
    result = actions.move_collective(
        world.users["sec"],
        collective.pk,
        states.NOT_ADMISSIBLE,
        "The breach is handled by the regulator.",
    )
    assert len(result.moved) == 6
    for n, grievance in enumerate(_members(collective)[:2]):
        page = _status(world, grievance, n)
        assert "Not accepted" in page
        assert "The breach is handled by the regulator." in page


def test_a_move_that_needs_a_reason_moves_nothing_without_one(
    world: World, collective: CollectiveCase
) -> None:
    actions.move_collective(world.users["sec"], collective.pk, states.ACKNOWLEDGED)
    response = world.client("sec").post(
        f"/en/triage/collective/{collective.pk}/move/", {"target": states.NOT_ADMISSIBLE}
    )
    assert response.status_code == 400
    assert "every complainant will read it" in response.content.decode()
    assert not Grievance.objects.filter(state=states.NOT_ADMISSIBLE).exists()


def test_the_complainants_decision_is_never_taken_for_them(
    world: World, collective: CollectiveCase
) -> None:
    sec = world.users["sec"]
    for step in (states.ACKNOWLEDGED, states.ACCEPTED, states.DIALOGUE, states.REMEDY_PROPOSED):
        actions.move_collective(sec, collective.pk, step)
    result = actions.move_collective(sec, collective.pk, states.REMEDY_ACCEPTED)
    assert result.moved == [] and len(result.skipped) == 6
    assert "Only the complainant" in result.skipped[0].why

    first, second = _members(collective)[:2]
    for grievance, accept in ((first, True), (second, False)):
        receipt = world.receipts[grievance.pk]
        remedy_actions.complainant_decide(
            receipt.case_code,
            receipt.passphrase,
            accept=accept,
            reason="" if accept else "Not enough.",
        )
    states_now = dict(
        Grievance.objects.filter(pk__in=[first.pk, second.pk]).values_list("pk", "state")
    )
    assert states_now == {first.pk: states.REMEDY_ACCEPTED, second.pk: states.REMEDY_REFUSED}
    moved = actions.move_collective(sec, collective.pk, states.REMEDY_IMPLEMENTED)
    assert moved.moved == [(first.pk, first.case_code)]
    assert {s.case_code for s in moved.skipped} == {g.case_code for g in _members(collective)} - {
        first.case_code
    }


def test_one_message_and_one_outcome_reach_every_complainant(
    world: World, collective: CollectiveCase
) -> None:
    client = world.client("sec")
    base = f"/en/triage/collective/{collective.pk}"
    sent = client.post(
        f"{base}/message/", {"body": "We found what happened in the breach."}, follow=True
    )
    assert "Your message is sent to 6 complainants." in sent.content.decode()
    assert (
        Message.objects.filter(body="We found what happened in the breach.", internal=False).count()
        == 6
    )
    client.post(
        f"{base}/outcome/",
        {"remedy_types": ["explanation", "compensation"], "description": "A payment of 50."},
    )
    outcomes = Outcome.objects.filter(grievance__in=_members(collective))
    assert outcomes.count() == 6
    assert {tuple(o.remedy_types) for o in outcomes} == {("compensation", "explanation")}
    page = _status(world, _members(collective)[0], 7)
    assert "We found what happened in the breach." in page and "A payment of 50." in page
    assert client.post(f"{base}/outcome/", {"remedy_types": []}).status_code == 400
    assert client.post(f"{base}/message/", {"body": " "}).status_code == 400


def test_the_api_moves_a_collective_case_and_reports_the_skipped(
    world: World, collective: CollectiveCase
) -> None:
    client = world.client("sec")
    ahead = _members(collective)[0]
    remedy_actions.move(world.users["sec"], ahead.pk, states.ACKNOWLEDGED)
    response = client.post(
        f"/api/triage/collective/{collective.pk}/move",
        {"state": "acknowledged"},
        content_type="application/json",
    )
    assert response.status_code == 200
    body = response.json()
    assert len(body["moved"]) == 5
    assert body["skipped"] == [
        {
            "id": ahead.pk,
            "case_code": ahead.case_code,
            "state": "acknowledged",
            "why": "Its step does not allow this move.",
        }
    ]
    detail = client.get(f"/api/triage/collective/{collective.pk}").json()
    assert detail["counts"] == {"acknowledged": 6}
    assert "accepted" in detail["next_states"]
    assert CollectiveMember.objects.filter(collective=collective).count() == 6
