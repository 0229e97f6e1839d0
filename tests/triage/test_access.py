"""Every role against every page and endpoint of triage. Someone who may not see a case, a
cluster or a collective case is told it is not found, exactly as if it did not exist; a
member company's staff see the cases routed to them but may not confirm their triage or
change clusters or collective cases (403); anonymous visitors are sent to sign in (pages) or
refused (API)."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from ungpkit.apps.accounts import actions as accounts
from ungpkit.apps.accounts.models import AuditEntry
from ungpkit.apps.remedy import states
from ungpkit.apps.triage import actions
from ungpkit.apps.triage.models import Cluster, CollectiveCase, TriageRecord

from .conftest import BREACH_TEXT, EMAIL, NAME, ROLES, SECRETARIAT, SEES_SEVERE, SEVERE_TEXT, World


def unmasked(response: Any) -> str:
    """The page without its CSRF token (masked differently on every response)."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def written(code: int, success: int) -> int:
    """The status of a write that ``expected`` allows (a redirect, or 201), else ``code``."""
    return success if code == 200 else code


def expected(
    role: str, allowed: set[str], *, page: bool = True, seen: set[str] = SEES_SEVERE
) -> int:
    """The status ``role`` should get: 302/401 for anonymous, 404 for those who may not see
    the record, 403 for those who see it but may not do this."""
    if role == "anonymous":
        return 302 if page else 401
    if role in allowed:
        return 200
    return 403 if role in seen else 404


# Pages that list ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_the_queue_lists_only_cases_the_role_may_see(world: World, role: str) -> None:
    response = world.client(role).get("/en/triage/")
    if role == "anonymous":
        assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"]
        return
    assert response.status_code == 200
    body = response.content.decode()
    assert (world.severe.case_code in body) == (role in SEES_SEVERE)
    assert (world.mild.case_code in body) == (role in SECRETARIAT)
    assert NAME not in body and EMAIL not in body


@pytest.mark.parametrize("role", ROLES)
def test_lists_of_clusters_and_collective_cases(
    world: World, collective: CollectiveCase, role: str
) -> None:
    for path in ("/en/triage/clusters/", "/en/triage/collective/"):
        response = world.client(role).get(path)
        if role == "anonymous":
            assert response.status_code == 302
            continue
        assert response.status_code == 200
        body = response.content.decode()
        label = "data breach leaked" if "clusters" in path else "Nimbus data breach"
        assert (label in body) == (role in SEES_SEVERE), path
        if role == "member_a" and "clusters" in path:
            assert "<td>1</td>" in body  # only the one case routed to them is counted


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "path", ["/en/triage/mechanisms/joint/", "/en/triage/mechanisms/joint/clusters/"]
)
def test_mechanism_pages(world: World, role: str, path: str) -> None:
    """Staff of the mechanism and of its members open its pages (``member_b``'s is empty)."""
    response = world.client(role).get(path)
    assert response.status_code == expected(role, SEES_SEVERE | {"member_b"})
    if role == "member_b":
        assert world.severe.case_code not in response.content.decode()


# One case, one cluster, one collective case ------------------------------------------------


def _missing_id(model: Any) -> int:
    return (model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1000


@pytest.mark.parametrize("role", ROLES)
def test_the_triage_panel(world: World, role: str) -> None:
    path = f"/en/triage/cases/{world.severe.pk}/"
    response = world.client(role).get(path)
    assert response.status_code == expected(role, SEES_SEVERE)
    body = response.content.decode()
    if response.status_code == 200:
        assert "Triage of case" in body and "<mark>" in body
        assert NAME not in body and EMAIL not in body
        # Only the secretariat is offered the form it alone may send.
        assert ("Save the triage" in body) == (role in SECRETARIAT)
    elif response.status_code == 404:
        from ungpkit.apps.remedy.models import Grievance

        absent = _missing_id(Grievance)
        missing = world.client(role).get(f"/en/triage/cases/{absent}/")
        assert missing.status_code == 404
        same = unmasked(missing).replace(f"/cases/{absent}/", f"/cases/{world.severe.pk}/")
        assert unmasked(response) == same
        assert SEVERE_TEXT[:40] not in body


@pytest.mark.parametrize("role", ROLES)
def test_confirming_triage(world: World, role: str) -> None:
    data = {
        "rights": ["right.privacy"],
        "urgency": ["urgent.child"],
        "scale": 3,
        "scope": 1,
        "irremediability": 2,
    }
    suggested = TriageRecord.objects.get(grievance=world.severe)
    assert (suggested.rights, suggested.urgency) != (["right.privacy"], ["urgent.child"])
    response = world.client(role).post(f"/en/triage/cases/{world.severe.pk}/confirm/", data)
    code = expected(role, SECRETARIAT)  # the company does not set its own case's priority
    assert response.status_code == written(code, 302)
    invalid = world.client(role).post(f"/en/triage/cases/{world.severe.pk}/confirm/", {})
    assert invalid.status_code == (400 if code == 200 else code)  # refused before validation
    record = TriageRecord.objects.get(grievance=world.severe)
    if code == 200:
        assert (record.rights, record.urgency) == (["right.privacy"], ["urgent.child"])
        assert record.confirmed_by == world.users[role]
    else:
        assert (record.rights, record.urgency, record.priority) == (
            suggested.rights,
            suggested.urgency,
            suggested.priority,
        )
        assert record.confirmed_at is None and record.confirmed_by is None
    assert AuditEntry.objects.filter(action="triage.labels_confirmed").exists() == (code == 200)


@pytest.mark.parametrize("role", ROLES)
def test_the_cluster_page(world: World, breach: Cluster, role: str) -> None:
    response = world.client(role).get(f"/en/triage/clusters/{breach.pk}/")
    assert response.status_code == expected(role, SEES_SEVERE)
    body = response.content.decode()
    if response.status_code == 200:
        assert world.severe.case_code in body
        others = breach.members.exclude(grievance=world.severe)
        shown_others = any(m.grievance.case_code in body for m in others)
        assert shown_others == (role in SECRETARIAT)
        assert ("Reference 0" in body) == (role in SECRETARIAT)  # excerpts: secretariat only
        assert ("Make a collective case" in body) == (role in SECRETARIAT)
    elif response.status_code == 404:
        absent = _missing_id(Cluster)
        missing = world.client(role).get(f"/en/triage/clusters/{absent}/")
        same = unmasked(missing).replace(f"/clusters/{absent}/", f"/clusters/{breach.pk}/")
        assert unmasked(response) == same
        assert BREACH_TEXT[:30] not in body


@pytest.mark.parametrize("role", ROLES)
def test_merging_a_cluster(world: World, breach: Cluster, role: str) -> None:
    response = world.client(role).post(
        f"/en/triage/clusters/{breach.pk}/merge/", {"title": "Breach"}
    )
    code = expected(role, SECRETARIAT)
    assert response.status_code == written(code, 302)
    assert CollectiveCase.objects.exists() == (code == 200)


@pytest.mark.parametrize("role", ROLES)
def test_reclustering(world: World, role: str) -> None:
    response = world.client(role).post("/en/triage/mechanisms/joint/clusters/refresh/")
    code = expected(role, SECRETARIAT, seen=SEES_SEVERE | {"member_b"})
    assert response.status_code == written(code, 302)


@pytest.mark.parametrize("role", ROLES)
def test_the_collective_page(world: World, collective: CollectiveCase, role: str) -> None:
    response = world.client(role).get(f"/en/triage/collective/{collective.pk}/")
    assert response.status_code == expected(role, SEES_SEVERE)
    if response.status_code == 200:
        body = response.content.decode()
        assert world.severe.case_code in body
        assert ("Move the cases" in body) == (role in SECRETARIAT)
        assert ("Take out" in body) == (role in SECRETARIAT)


COLLECTIVE_POSTS = {
    "move": {"target": states.ACKNOWLEDGED, "reason": ""},
    "message": {"body": "We are looking into the breach for all of you."},
    "outcome": {"remedy_types": ["explanation"], "description": "We explained what leaked."},
    "members": {"case_codes": ""},
    "remove": {},
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(COLLECTIVE_POSTS))
def test_collective_actions(
    world: World, collective: CollectiveCase, role: str, action: str
) -> None:
    data = dict(COLLECTIVE_POSTS[action])
    if action == "members":
        data["case_codes"] = world.mild.case_code
    path = f"/en/triage/collective/{collective.pk}/{action}/"
    if action == "remove":
        path = f"/en/triage/collective/{collective.pk}/members/{world.severe.pk}/remove/"
    response = world.client(role).post(path, data)
    code = expected(role, SECRETARIAT)
    assert response.status_code == written(code, 302)


# The API --------------------------------------------------------------------------------------


def _api(world: World, role: str) -> dict[str, str]:
    if role == "anonymous":
        return {}
    token = accounts.issue_api_token(world.users[role], "tests").plaintext
    return {"Authorization": f"Bearer {token}"}


def _call(world: World, role: str, method: str, path: str, body: Any = None) -> Any:
    client = world.client("anonymous")
    send = getattr(client, method)
    if method == "get":
        return send(path, headers=_api(world, role))
    return send(
        path, json.dumps(body or {}), content_type="application/json", headers=_api(world, role)
    )


def _error(response: Any) -> dict[str, Any]:
    body = response.json()
    assert set(body) == {"detail", "code", "errors"}
    return dict(body)


@pytest.mark.parametrize("role", ROLES)
def test_api_reads(world: World, collective: CollectiveCase, role: str) -> None:
    cluster = collective.cluster
    for path, who in (
        ("/api/triage/queue", None),
        ("/api/triage/clusters", None),
        (f"/api/triage/cases/{world.severe.pk}", SEES_SEVERE),
        (f"/api/triage/clusters/{cluster.pk}", SEES_SEVERE),
        (f"/api/triage/collective/{collective.pk}", SEES_SEVERE),
    ):
        response = _call(world, role, "get", path)
        allowed = who if who is not None else set(ROLES) - {"anonymous"}
        assert response.status_code == expected(role, allowed, page=False), path
        if response.status_code != 200:
            assert (
                _error(response)["code"]
                == {401: "unauthenticated", 404: "not_found"}[response.status_code]
            )
        else:
            text = json.dumps(response.json(), ensure_ascii=False)
            assert NAME not in text and EMAIL not in text
            if path.endswith("queue"):
                assert (world.severe.case_code in text) == (role in SEES_SEVERE)


@pytest.mark.parametrize("role", ROLES)
def test_api_writes(world: World, breach: Cluster, role: str) -> None:
    labels = {
        "rights": ["right.privacy"],
        "harms": [],
        "urgency": [],
        "scale": 2,
        "scope": 1,
        "irremediability": 1,
    }
    put = _call(world, role, "put", f"/api/triage/cases/{world.severe.pk}", labels)
    confirming = expected(role, SECRETARIAT, page=False)
    assert put.status_code == confirming
    patch = _call(world, role, "patch", f"/api/triage/cases/{world.severe.pk}", {"scope": 3})
    assert patch.status_code == confirming
    record = TriageRecord.objects.get(grievance=world.severe)
    if confirming == 200:
        assert patch.json()["scope"] == 3 and record.rights == ["right.privacy"]
    else:
        for refused in (put, patch):
            error = _error(refused)
            assert (
                error["code"]
                == {401: "unauthenticated", 403: "forbidden", 404: "not_found"}[confirming]
            )
            if confirming == 403:
                assert error["detail"] == (
                    "Only the mechanism's secretariat confirms or corrects triage."
                )
        assert record.confirmed_at is None and record.confirmed_by is None
        assert record.scope != 3 and record.rights != ["right.privacy"]

    merged = _call(world, role, "post", f"/api/triage/clusters/{breach.pk}/collective", {})
    code = expected(role, SECRETARIAT, page=False)
    assert merged.status_code == written(code, 201)
    if code != 200:
        assert _error(merged)["code"] in {"unauthenticated", "forbidden", "not_found"}
    collective = CollectiveCase.objects.first() or actions.merge_cluster(
        world.users["sec"], breach.pk
    )
    base = f"/api/triage/collective/{collective.pk}"
    moved = _call(world, role, "post", f"{base}/move", {"state": "acknowledged"})
    assert moved.status_code == expected(role, SECRETARIAT, page=False)
    added = _call(world, role, "post", f"{base}/members", {"cases": [world.mild.pk]})
    assert added.status_code == expected(role, SECRETARIAT, page=False)
    removed = _call(world, role, "delete", f"{base}/members/{world.severe.pk}")
    assert removed.status_code == expected(role, SECRETARIAT, page=False)


def test_the_other_mechanisms_staff_cannot_reach_into_this_one(
    world: World, collective: CollectiveCase
) -> None:
    """Not even by naming a case of this mechanism to add to a collective case of theirs."""
    other = CollectiveCase.objects.create(mechanism=world.other, title="Theirs")
    with pytest.raises(ValidationError):
        actions.add_to_collective(world.users["other_sec"], other.pk, [world.severe.pk])
    assert not other.members.exists()


def test_page_writes_need_the_csrf_token(world: World, breach: Cluster) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["sec"])
    assert client.post(f"/en/triage/clusters/{breach.pk}/merge/", {"title": "x"}).status_code == 403
    assert not CollectiveCase.objects.exists()
    page = client.get(f"/en/triage/clusters/{breach.pk}/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    merged = client.post(
        f"/en/triage/clusters/{breach.pk}/merge/", {"title": "x", "csrfmiddlewaretoken": token}
    )
    assert merged.status_code == 302 and CollectiveCase.objects.exists()
