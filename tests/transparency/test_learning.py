"""The learning loop: recurring issues per member and product, the staff page for every role,
and the export a company's risk register takes in (no personal data, no case codes)."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from ungpkit.apps.remedy.models import Grievance
from ungpkit.apps.transparency import exports, learning
from ungpkit.apps.transparency.learning import IssueCase
from ungpkit.apps.transparency.models import StatisticsSnapshot

from .conftest import CASE_WORDS, MEMBERS, ROLES, SECRETARIAT, World

NOW = datetime(2026, 6, 1, tzinfo=UTC)
NIMBUS = "Discriminatory automated decision – Equality and non-discrimination"


def case(days_ago: int, **fields: Any) -> IssueCase:
    values: dict[str, Any] = {
        "member": 1,
        "product": "App",
        "harms": ("harm.data_breach",),
        "rights": ("right.privacy",),
        "created_at": NOW - timedelta(days=days_ago),
        "resolved": False,
        "severity": 1,
    }
    values.update(fields)
    return IssueCase(**values)


# The pure grouping ---------------------------------------------------------------------------


def test_issues_group_by_member_product_harm_and_right() -> None:
    cases = [
        case(10, severity=3),
        case(400, resolved=True),
        case(5, rights=("right.privacy", "right.expression")),
        case(3, member=2),
        case(1, harms=(), rights=()),
    ]
    issues = learning.group_issues(cases, NOW)
    top = issues[0]
    assert (top.member, top.product, top.harm, top.right) == (
        1,
        "App",
        "harm.data_breach",
        "right.privacy",
    )
    assert top.count == 3 and top.recent == 2 and top.resolved == 1
    assert top.severity_max == 3 and top.status == "open" and top.share_resolved == 0.333
    assert top.first_seen == NOW - timedelta(days=400) and top.last_seen == NOW - timedelta(days=5)
    keys = {(i.member, i.harm, i.right) for i in issues}
    assert (1, "harm.data_breach", "right.expression") in keys
    assert (2, "harm.data_breach", "right.privacy") in keys
    assert (1, "", "") in keys  # not classified yet


@pytest.mark.parametrize(
    ("recent", "expected"),
    [
        (0, "rare"),
        (1, "unlikely"),
        (2, "possible"),
        (4, "possible"),
        (5, "likely"),
        (10, "almost_certain"),
    ],
)
def test_likelihood_comes_from_the_last_twelve_months(recent: int, expected: str) -> None:
    assert learning.likelihood(recent) == expected


def test_products_match_the_complainants_words() -> None:
    products = ["Lumen app", "Lumen app Marketplace", "Mobile internet"]
    assert learning.match_product("The LUMEN  app marketplace stole my data", products) == (
        "Lumen app Marketplace"
    )
    assert learning.match_product("Lumen Social Network: Lumen app", products) == "Lumen app"
    assert learning.match_product("my bank", products) == ""
    assert learning.match_product("", products) == ""


def test_issue_ids_are_stable() -> None:
    issue = learning.group_issues([case(1)], NOW)[0]
    first = learning.issue_id("joint", "nimbus", issue)
    assert first == learning.issue_id("joint", "nimbus", issue)
    assert first != learning.issue_id("joint", "telecom", issue)
    assert first.startswith("issue-") and len(first) == 18


# The staff page, for every role --------------------------------------------------------------

SEES_ISSUES = SECRETARIAT | MEMBERS


@pytest.mark.parametrize("role", ROLES)
def test_issues_page_for_every_role(world: World, role: str) -> None:
    response = world.client(role).get("/en/transparency/joint/issues/")
    if role == "anonymous":
        assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"]
        return
    if role not in SEES_ISSUES:
        assert response.status_code == 404
        missing = world.client(role).get("/en/transparency/nowhere/issues/")
        assert missing.status_code == 404
        return
    assert response.status_code == 200
    body = response.content.decode()
    assert (NIMBUS in body) == (role != "member_b")
    assert ("Veridia Telecom" in body) == (role != "member_a")
    assert ("Nimbus credit scoring" in body) == (role != "member_b")
    assert ("Compute again now" in body) == (role in SECRETARIAT)
    assert CASE_WORDS not in body
    for code in Grievance.objects.values_list("case_code", flat=True):
        assert code not in body


def test_the_secretariat_sees_unrouted_issues_and_filters_by_member(world: World) -> None:
    client = world.client("sec")
    body = client.get("/en/transparency/joint/issues/").content.decode()
    routed = "Data breach or leak – Right to privacy (Mobile internet, Veridia Telecom) <span"
    assert routed in body  # and recurring
    assert "Data breach or leak – Right to privacy</th>" in body  # not routed yet, once
    assert "Issues: 3. Recurring (raised at least twice): 2." in body
    only_a = client.get(f"/en/transparency/joint/issues/?member={world.member_a.pk}")
    text = only_a.content.decode()
    assert "Nimbus credit scoring" in text and "Veridia Telecom" not in text


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_issue_export_for_every_role(world: World, role: str, fmt: str) -> None:
    response = world.client(role).get(f"/en/transparency/joint/issues.{fmt}")
    if role == "anonymous":
        assert response.status_code == 302
        return
    if role not in SEES_ISSUES:
        assert response.status_code == 404
        return
    assert response.status_code == 200
    text = response.content.decode()
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(text)))
        assert tuple(rows[0]) == exports.ISSUE_COLUMNS
    else:
        rows = json.loads(text)
        assert tuple(rows[0]) == exports.ISSUE_COLUMNS
    members = {row["member"] for row in rows}
    expected = {
        "member_a": {"Nimbus Analytics"},
        "member_b": {"Veridia Telecom"},
    }.get(role, {"Nimbus Analytics", "Veridia Telecom", ""})
    assert members == expected
    assert all(row["source"] == "grievance mechanism joint" for row in rows)
    assert CASE_WORDS not in text


def test_export_rows_read_as_a_risk_register(world: World) -> None:
    rows = json.loads(world.client("member_a").get("/en/transparency/joint/issues.json").content)
    assert rows == [
        {
            "id": rows[0]["id"],
            "title": f"{NIMBUS} (Nimbus credit scoring, Nimbus Analytics)",
            "rights": "right.non_discrimination",
            "harm_type": "harm.discriminatory_decision",
            "member": "Nimbus Analytics",
            "product": "Nimbus credit scoring",
            "count": 3,
            "count_last_12_months": 3,
            "first_seen": rows[0]["first_seen"],
            "last_seen": rows[0]["last_seen"],
            "severity_max": "high",
            "likelihood": "possible",
            "status": "open",
            "share_resolved": 0.0,
            "source": "grievance mechanism joint",
        }
    ]
    assert rows[0]["first_seen"] < rows[0]["last_seen"]


@pytest.mark.parametrize("role", ROLES)
def test_issues_api_for_every_role(world: World, role: str) -> None:
    response = world.client(role).get("/api/transparency/joint/issues")
    if role == "anonymous":
        assert response.status_code == 401
        return
    if role not in SEES_ISSUES:
        assert response.status_code == 404
        missing = world.client(role).get("/api/transparency/nowhere/issues")
        assert response.json() == missing.json()
        return
    assert response.status_code == 200
    members = {row["member"] for row in response.json()}
    assert ("Veridia Telecom" in members) == (role != "member_a")
    assert ("Nimbus Analytics" in members) == (role != "member_b")


def test_issues_api_filters_by_member(world: World) -> None:
    rows = (
        world.client("sec").get(f"/api/transparency/joint/issues?member={world.member_b.pk}").json()
    )
    assert {row["member"] for row in rows} == {"Veridia Telecom"}
    assert rows[0]["product"] == "Mobile internet" and rows[0]["count"] == 2


@pytest.mark.parametrize("role", ROLES)
def test_compute_again_for_every_role(
    world: World, role: str, django_capture_on_commit_callbacks: Any
) -> None:
    before = StatisticsSnapshot.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        response = world.client(role).post(
            "/en/transparency/joint/publish/", {"next": "/en/transparency/joint/self-assessment/"}
        )
    if role == "anonymous":
        assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"]
    elif role in SECRETARIAT:
        assert response.status_code == 302
        assert response["Location"] == "/en/transparency/joint/self-assessment/"
    elif role in MEMBERS:
        assert response.status_code == 403
    else:
        assert response.status_code == 404
    grew = StatisticsSnapshot.objects.count() == before + 1
    assert grew == (role in SECRETARIAT)


def test_compute_again_never_redirects_elsewhere(world: World) -> None:
    response = world.client("sec").post(
        "/en/transparency/joint/publish/", {"next": "https://elsewhere.example/"}
    )
    assert response["Location"] == "/en/transparency/joint/issues/"
