"""Fixtures for triage, the priority queue, clusters and collective cases.

Reach first for ``world``: one mechanism (``sec`` works for its secretariat) with two members
(``member_a``'s company, to which ``severe`` is routed, and ``member_b``'s, another company),
another mechanism (``other_sec`` is its staff), a ``drafter`` and a ``regulator`` of the
demo's State bodies, a ``rights_holder``, a ``platform_admin``; the grievances ``severe``
(a child involved, reprisal feared, a data breach) and ``mild`` (not routed), each with its
triage record made at intake. ``breach`` adds a cluster of near-duplicate breach complaints
(``severe`` among them) and ``collective`` a collective case made from it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from ungpkit.apps.accounts.models import Membership, Organisation, Role
from ungpkit.apps.remedy import actions as remedy_actions
from ungpkit.apps.remedy.models import Grievance, Mechanism, Member
from ungpkit.apps.triage import actions
from ungpkit.apps.triage.models import Cluster, ClusterMember, CollectiveCase

ROLES = (
    "anonymous",
    "rights_holder",
    "drafter",
    "regulator",
    "member_b",
    "other_sec",
    "member_a",
    "sec",
    "platform_admin",
)
"""Everyone the pages and the API are tried as."""

SEES_SEVERE = {"sec", "member_a", "platform_admin"}
"""Who may see ``severe`` (its mechanism's secretariat, the routed member, the admin)."""

SECRETARIAT = {"sec", "platform_admin"}
"""Who may change clusters and collective cases of the mechanism."""

SEVERE_TEXT = (
    "After the data breach at the app, my daughter's photos and our home address were "
    "leaked online and strangers are still sending her threats. We are afraid to complain."
)
MILD_TEXT = "The app changed its colours and I find the new menu harder to read."
BREACH_TEXT = (
    "My personal data was leaked in the Nimbus data breach last week and I received phishing "
    "messages using my name. Please tell me what was taken. Reference {n}."
)
NAME = "Ottoline Brackenridge-Testperson"
EMAIL = "ottoline.brackenridge@example.org"


def manage(*args: str) -> str:
    """Run ``ungpkit manage ARGS`` in-process and return its output."""
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@dataclass
class World:
    mechanism: Mechanism
    other: Mechanism
    member_a: Member
    member_b: Member
    users: dict[str, Any]
    severe: Grievance
    mild: Grievance
    receipts: dict[int, remedy_actions.Receipt] = field(default_factory=dict)

    def client(self, role: str) -> Client:
        client = Client()
        if role != "anonymous":
            client.force_login(self.users[role])
        return client

    def submit(self, text: str, **data: Any) -> Grievance:
        identity = data.pop("identity", None)
        fields = {"description": text, "anonymous": identity is None, **data}
        grievance, receipt, _new = remedy_actions.submit_grievance(
            self.mechanism, fields, identity=identity
        )
        self.receipts[grievance.pk] = receipt
        return grievance


def _org(name: str, kind: str) -> Organisation:
    return Organisation.objects.create(name=name, slug=name.lower().replace(" ", "-"), kind=kind)


def _user(username: str, organisation: Organisation | None, role: str, **fields: Any) -> Any:
    user = get_user_model().objects.create_user(username=username, password=None, **fields)
    if organisation is not None:
        Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


@pytest.fixture
def world(db: None) -> World:
    secretariat = _org("Joint Secretariat", "mechanism")
    company_a = _org("Nimbus Analytics", "company")
    company_b = _org("Veridia Telecom", "company")
    other_secretariat = _org("Other Secretariat", "mechanism")
    ministry = _org("Ministry", "state_body")
    authority = _org("Authority", "regulator")
    public = _org("The Public", "other")
    mechanism = Mechanism.objects.create(
        organisation=secretariat, name="Joint mechanism", slug="joint"
    )
    other = Mechanism.objects.create(
        organisation=other_secretariat, name="Other mechanism", slug="other"
    )
    member_a = Member.objects.create(mechanism=mechanism, organisation=company_a)
    member_b = Member.objects.create(mechanism=mechanism, organisation=company_b)
    users = {
        "sec": _user("sec", secretariat, Role.MECHANISM_STAFF, first_name="Sam"),
        "member_a": _user("member_a", company_a, Role.COMPANY_MEMBER, first_name="Kim"),
        "member_b": _user("member_b", company_b, Role.COMPANY_MEMBER),
        "other_sec": _user("other_sec", other_secretariat, Role.MECHANISM_STAFF),
        "drafter": _user("drafter", ministry, Role.REGULATOR),
        "regulator": _user("regulator", authority, Role.REGULATOR),
        "rights_holder": _user("rights_holder", public, Role.RIGHTS_HOLDER),
        "platform_admin": _user("platform_admin", None, "", is_superuser=True, is_staff=True),
    }
    world = World(mechanism, other, member_a, member_b, users, None, None)  # type: ignore[arg-type]
    world.severe = world.submit(
        SEVERE_TEXT,
        child_involved=True,
        fear_of_reprisal=True,
        ongoing=True,
        affected_count=2,
        identity={"name": NAME, "email": EMAIL},
        company_text="Nimbus app",
    )
    world.mild = world.submit(MILD_TEXT, company_text="Lumen app")
    remedy_actions.route(users["sec"], world.severe.pk, [member_a.pk])
    return world


@pytest.fixture
def breach(world: World) -> Cluster:
    """A cluster of five breach complaints and ``severe``, stored as ``recluster`` would."""
    grievances = [world.submit(BREACH_TEXT.format(n=n)) for n in range(5)]
    cluster = Cluster.objects.create(
        mechanism=world.mechanism, kind="duplicate", label="data breach leaked", size=6
    )
    for grievance in [world.severe, *grievances]:
        ClusterMember.objects.create(cluster=cluster, grievance=grievance, similarity=0.9)
    cluster.first_at = world.severe.created_at
    cluster.last_at = grievances[-1].created_at
    cluster.save()
    return cluster


@pytest.fixture
def collective(world: World, breach: Cluster) -> CollectiveCase:
    return actions.merge_cluster(world.users["sec"], breach.pk, "Nimbus data breach")
