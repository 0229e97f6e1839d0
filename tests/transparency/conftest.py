"""Fixtures for the transparency app.

Reach first for ``world``: the mechanism ``joint`` (``sec`` works for its secretariat) with
two members, Nimbus (``member_a``) and Veridia Telecom (``member_b``), a few grievances
labelled by triage and a published snapshot; another mechanism (``other_sec``), a company
outside the mechanism (``outsider``), a ministry (``drafter``), a regulator (``regulator``),
``public``, ``rights_holder`` and ``platform_admin``. For figures above the threshold use
``busy``: the same world with 40 grievances at every stage, published again.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from ungpkit.apps.accounts.models import Membership, Organisation, Role
from ungpkit.apps.remedy import actions, states
from ungpkit.apps.remedy.models import (
    Channel,
    Grievance,
    Mechanism,
    Member,
    Outcome,
    Transition,
)
from ungpkit.apps.transparency import actions as transparency
from ungpkit.apps.transparency.models import StatisticsSnapshot
from ungpkit.apps.triage.models import TriageRecord

ROLES = (
    "anonymous",
    "public",
    "rights_holder",
    "drafter",
    "regulator",
    "member_a",
    "member_b",
    "outsider",
    "other_sec",
    "sec",
    "platform_admin",
)
"""Everyone the pages and endpoints are tested as."""

SECRETARIAT = {"sec", "platform_admin"}
MEMBERS = {"member_a", "member_b"}

DESCRIPTION = "Zorblax-Testperson says the scoring app refused the loan without reason."
CASE_WORDS = "Zorblax-Testperson"


@dataclass
class World:
    mechanism: Mechanism
    other: Mechanism
    member_a: Member
    member_b: Member
    users: dict[str, Any]

    def client(self, role: str) -> Client:
        client = Client()
        if role != "anonymous":
            client.force_login(self.users[role])
        return client

    def publish(self) -> StatisticsSnapshot:
        return transparency.publish_statistics(None, self.mechanism)


def _org(name: str, kind: str) -> Organisation:
    return Organisation.objects.create(name=name, slug=name.lower().replace(" ", "-"), kind=kind)


def _user(username: str, organisation: Organisation | None, role: str, **fields: Any) -> Any:
    user = get_user_model().objects.create_user(username=username, password=None, **fields)
    if organisation is not None:
        Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


def label(
    grievance: Grievance,
    rights: list[str],
    harms: list[str],
    severity: tuple[int, int, int] = (1, 1, 1),
) -> None:
    """Give a grievance the triage labels the tests count (whatever triage suggested)."""
    scale, scope, irremediability = severity
    TriageRecord.objects.update_or_create(
        grievance=grievance,
        defaults={
            "mechanism": grievance.mechanism,
            "suggested": {},
            "rights": rights,
            "harms": harms,
            "scale": scale,
            "scope": scope,
            "irremediability": irremediability,
            "created_at": grievance.created_at,
        },
    )


def submit(mechanism: Mechanism, **data: Any) -> Grievance:
    channel = data.pop("channel", Channel.WEB)
    anonymous = data.pop("anonymous", True)
    identity = None if anonymous else {"name": "Test Person"}
    fields = {"description": DESCRIPTION, "anonymous": anonymous, **data}
    grievance, _receipt, _new = actions.submit_grievance(
        mechanism, fields, identity=identity, channel=channel
    )
    return grievance


def backdate(grievance: Grievance, days: float, step_days: float = 0.0) -> None:
    """Receive the grievance ``days`` ago and take each later step ``step_days`` apart."""
    start = timezone.now() - timedelta(days=days)
    Grievance.objects.filter(pk=grievance.pk).update(created_at=start)
    steps = list(Transition.objects.filter(grievance=grievance).order_by("created_at", "id"))
    for index, step in enumerate(steps):
        at = start + timedelta(days=index * step_days)
        Transition.objects.filter(pk=step.pk).update(created_at=at)
    if steps and steps[-1].to_state == states.CLOSED:
        closed = start + timedelta(days=(len(steps) - 1) * step_days)
        Grievance.objects.filter(pk=grievance.pk).update(closed_at=closed)
    TriageRecord.objects.filter(grievance=grievance).update(created_at=start)
    grievance.refresh_from_db()


@pytest.fixture
def world(db: None) -> World:
    secretariat = _org("Joint Secretariat", "mechanism")
    nimbus = _org("Nimbus Analytics", "company")
    telecom = _org("Veridia Telecom", "company")
    outsider = _org("Outside Cloud", "company")
    other_secretariat = _org("Other Secretariat", "mechanism")
    ministry = _org("Ministry", "state_body")
    regulator = _org("Digital Rights Authority", "regulator")
    people = _org("The Public", "other")
    mechanism = Mechanism.objects.create(
        organisation=secretariat, name="Joint mechanism", slug="joint"
    )
    other = Mechanism.objects.create(
        organisation=other_secretariat, name="Other mechanism", slug="other"
    )
    member_a = Member.objects.create(
        mechanism=mechanism,
        organisation=nimbus,
        products="Nimbus credit scoring\nNimbus HR analytics",
    )
    member_b = Member.objects.create(
        mechanism=mechanism, organisation=telecom, products="Mobile internet\nHome broadband"
    )
    Member.objects.create(mechanism=other, organisation=outsider)
    users = {
        "sec": _user("sec", secretariat, Role.MECHANISM_STAFF, first_name="Sam"),
        "member_a": _user("member_a", nimbus, Role.COMPANY_MEMBER, first_name="Kim"),
        "member_b": _user("member_b", telecom, Role.MECHANISM_STAFF),
        "outsider": _user("outsider", outsider, Role.COMPANY_MEMBER),
        "other_sec": _user("other_sec", other_secretariat, Role.ADMINISTRATOR),
        "drafter": _user("drafter", ministry, Role.REGULATOR),
        "regulator": _user("regulator", regulator, Role.REGULATOR),
        "public": _user("public", people, Role.PUBLIC),
        "rights_holder": _user("rights_holder", people, Role.RIGHTS_HOLDER),
        "platform_admin": _user("platform_admin", None, "", is_superuser=True, is_staff=True),
    }
    sec = users["sec"]
    for number in range(3):
        grievance = submit(mechanism, company_text="Nimbus credit scoring")
        actions.route(sec, grievance.pk, [member_a.pk])
        label(grievance, ["right.non_discrimination"], ["harm.discriminatory_decision"], (2, 1, 3))
        backdate(grievance, 10 * number)
    for _number in range(2):
        grievance = submit(mechanism, company_text="my mobile internet")
        actions.route(sec, grievance.pk, [member_b.pk])
        label(grievance, ["right.privacy"], ["harm.data_breach"])
    label(submit(mechanism), ["right.privacy"], ["harm.data_breach"])
    world = World(mechanism, other, member_a, member_b, users)
    world.publish()
    return world


LANGUAGES = ["en"] * 22 + ["fr"] * 9 + ["es"] * 6 + ["ko"] * 3
"""Languages of the 40 ``busy`` grievances: every count at least 5 but Korean (3)."""

WALKS = (
    # (how many, steps after receipt)
    (8, ()),
    (10, (states.ACKNOWLEDGED,)),
    (8, (states.ACKNOWLEDGED, states.ACCEPTED, states.DIALOGUE)),
    (1, (states.ACKNOWLEDGED, states.NOT_ADMISSIBLE, states.CLOSED)),
    (
        13,
        (
            states.ACKNOWLEDGED,
            states.ACCEPTED,
            states.DIALOGUE,
            states.REMEDY_PROPOSED,
            states.REMEDY_ACCEPTED,
            states.REMEDY_IMPLEMENTED,
            states.CLOSED,
        ),
    ),
)
"""How far the 40 ``busy`` grievances went."""


@pytest.fixture
def busy(world: World) -> World:
    """``world`` and 40 grievances more, in four languages, at every stage, with outcomes,
    ratings and messages, then published again."""
    sec = world.users["sec"]
    languages = iter(LANGUAGES)
    walks = itertools.chain.from_iterable(itertools.repeat(steps, n) for n, steps in WALKS)
    for number, steps in enumerate(walks):
        routed_to_a = number % 2 == 0
        grievance = submit(
            world.mechanism,
            language=next(languages),
            company_text="Nimbus HR analytics" if routed_to_a else "Home broadband",
            channel=Channel.API if number % 10 == 9 else Channel.WEB,
            anonymous=number % 4 != 0,
            on_behalf=number % 8 == 1,
            consent_record="They asked me to write for them." if number % 8 == 1 else "",
        )
        member = world.member_a if routed_to_a else world.member_b
        actions.route(sec, grievance.pk, [member.pk])
        harms = ["harm.algorithmic_work_decision"] if routed_to_a else ["harm.data_breach"]
        label(grievance, ["right.work" if routed_to_a else "right.privacy"], harms)
        for step in steps:
            if step == states.REMEDY_ACCEPTED:
                receipt_accept(grievance)
                continue
            if step == states.CLOSED and states.REMEDY_IMPLEMENTED in steps:
                remedies = ["apology", "compensation"] if number % 3 else ["apology"]
                actions.record_outcome(sec, grievance.pk, remedies)
                actions.post_message(sec, grievance.pk, "We have put the remedy in place.")
                Outcome.objects.filter(grievance=grievance).update(
                    satisfaction=4 if number % 2 else 5
                )
            actions.move(sec, grievance.pk, step, "Done." if step in states.REASON_REQUIRED else "")
        backdate(grievance, 40 + number, step_days=1 + (number % 5) * 0.5)
    world.publish()
    return world


def receipt_accept(grievance: Grievance) -> None:
    """The complainant accepts the proposed remedy (as the status page would)."""
    grievance.refresh_from_db()
    actions._move(None, grievance, states.REMEDY_ACCEPTED, "", by_complainant=True)
