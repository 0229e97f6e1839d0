"""The staff side of the grievance mechanism, through its pages and its JSON API, for every
role: the queue, a case, its steps, messages, routing, the identity, escalation with its case
file, the outcome and notifications; and what each of them stores.

Reach first for ``world``: one mechanism (``sec`` works for its secretariat) with two members
(``member_a``'s company, to which ``case`` is routed, and ``member_b``'s, to which it is not),
another mechanism (``other_sec``), a ``public`` and a ``rights_holder`` user, and a
``platform_admin``. ``case`` is identified (``NAME``, ``EMAIL``) and wants email contact.

Who decides: the secretariat takes every staff step of a case and records its outcome; a
routed member's staff only propose a remedy in the dialogue and report an accepted remedy
implemented, and write to a complainant who fears reprisal only through internal notes.
``bring_to`` takes ``case`` to a state as the secretariat (and the complainant) would.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.test import Client

from ungpkit.apps.accounts.models import AuditEntry, Membership, Organisation, Role
from ungpkit.apps.remedy import actions, casefile, states
from ungpkit.apps.remedy.models import (
    CaseParty,
    Escalation,
    Grievance,
    Mechanism,
    Member,
    Message,
    Notification,
    Outcome,
    Transition,
)

NAME = "Zoë Quillfeather-Testperson"
EMAIL = "zoe.quillfeather@example.org"
DESCRIPTION = "The app suspended my account without any explanation after I posted a review."

ROLES = (
    "anonymous",
    "public",
    "rights_holder",
    "sec",
    "member_a",
    "member_b",
    "other_sec",
    "platform_admin",
)
SEES = {"sec", "member_a", "platform_admin"}
"""Who may open ``case``."""
SECRETARIAT = {"sec", "platform_admin"}
"""Who may route, escalate, export the case file, take the secretariat's steps and record
the outcome."""

LABELS = {
    "received": "Received",
    "acknowledged": "Acknowledged",
    "not_admissible": "Not admissible",
    "accepted": "Accepted for handling",
    "dialogue": "Dialogue and investigation",
    "remedy_proposed": "Remedy proposed",
    "remedy_accepted": "Remedy accepted by the complainant",
    "remedy_refused": "Remedy refused by the complainant",
    "remedy_implemented": "Remedy implemented",
    "closed": "Closed",
}
"""The steps as the case page names them (on its buttons: Move to “...”)."""

MEMBER_STEPS = {("dialogue", "remedy_proposed"), ("remedy_accepted", "remedy_implemented")}
"""The only steps a routed member's staff take: proposing a remedy, reporting it implemented."""
SECRETARIAT_STEPS = [
    ("received", "acknowledged"),
    ("acknowledged", "accepted"),
    ("acknowledged", "not_admissible"),
    ("not_admissible", "closed"),
    ("accepted", "dialogue"),
    ("dialogue", "closed"),
    ("remedy_refused", "dialogue"),
    ("remedy_refused", "closed"),
    ("remedy_implemented", "closed"),
]
"""The staff steps only the secretariat takes: receipt, admissibility, acceptance, closing."""
SECRETARIAT_ONLY = (
    "Only the mechanism's secretariat decides this step; a company may propose a remedy."
)
COMPLAINANT_ONLY = "Only the complainant accepts or refuses a remedy."
REPRISAL = (
    "The complainant fears reprisal: write an internal note, and the secretariat will pass on "
    "what is needed."
)
NOTES_ONLY = (
    "The complainant fears reprisal: your company writes internal notes, and the secretariat "
    "passes on what is needed."
)


def manage(*args: str) -> str:
    """Run ``ungpkit manage ARGS`` in-process and return its output. (``run_cli`` would go
    through ``run_from_argv``, which closes the test's database connection; a
    ``CommandError`` there is exit status 1.)"""
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
    case: Grievance
    receipt: actions.Receipt

    def client(self, role: str) -> Client:
        client = Client()
        if role != "anonymous":
            client.force_login(self.users[role])
        return client


def _org(name: str, kind: str) -> Organisation:
    slug = name.lower().replace(" ", "-")
    return Organisation.objects.create(name=name, slug=slug, kind=kind)


def _user(username: str, organisation: Organisation | None, role: str, **fields: Any) -> Any:
    user = get_user_model().objects.create_user(username=username, password=None, **fields)
    if organisation is not None:
        Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


def submit(mechanism: Mechanism, **data: Any) -> tuple[Grievance, actions.Receipt]:
    identity = data.pop("identity", None)
    fields = {"description": DESCRIPTION, "country": "KR", "anonymous": identity is None, **data}
    grievance, receipt, _new = actions.submit_grievance(mechanism, fields, identity=identity)
    return grievance, receipt


@pytest.fixture
def world(db: None) -> World:
    secretariat = _org("Joint Secretariat", "mechanism")
    company_a = _org("Nimbus Analytics", "company")
    company_b = _org("Veridia Telecom", "company")
    other_secretariat = _org("Other Secretariat", "mechanism")
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
        "member_b": _user("member_b", company_b, Role.MECHANISM_STAFF),
        "other_sec": _user("other_sec", other_secretariat, Role.ADMINISTRATOR),
        "public": _user("public", public, Role.PUBLIC),
        "rights_holder": _user("rights_holder", public, Role.RIGHTS_HOLDER),
        "platform_admin": _user("platform_admin", None, "", is_superuser=True, is_staff=True),
    }
    case, receipt = submit(
        mechanism,
        identity={"name": NAME, "email": EMAIL},
        contact_preference="email",
        wants=["explanation"],
    )
    actions.route(users["sec"], case.pk, [member_a.pk])
    return World(mechanism, other, member_a, member_b, users, case, receipt)


def page(pk: int, name: str = "", *extra: Any) -> str:
    base = f"/en/remedy/cases/{pk}/"
    return base + name


def unmasked(response: Any) -> str:
    """The page without its CSRF token (masked differently on every response)."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def missing_id() -> int:
    return (Grievance.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1000


PATHS = {
    "received": (),
    "acknowledged": ("acknowledged",),
    "not_admissible": ("acknowledged", "not_admissible"),
    "accepted": ("acknowledged", "accepted"),
    "dialogue": ("acknowledged", "accepted", "dialogue"),
    "remedy_proposed": ("acknowledged", "accepted", "dialogue", "remedy_proposed"),
    "remedy_refused": ("acknowledged", "accepted", "dialogue", "remedy_proposed", "remedy_refused"),
    "remedy_accepted": (
        "acknowledged",
        "accepted",
        "dialogue",
        "remedy_proposed",
        "remedy_accepted",
    ),
    "remedy_implemented": (
        "acknowledged",
        "accepted",
        "dialogue",
        "remedy_proposed",
        "remedy_accepted",
        "remedy_implemented",
    ),
}


def bring_to(world: World, state: str) -> None:
    """Take ``case`` to ``state``: the secretariat's steps, the complainant's decision."""
    for step in PATHS[state]:
        if step in ("remedy_accepted", "remedy_refused"):
            actions.complainant_decide(
                world.case.case_code,
                world.receipt.passphrase,
                accept=step == "remedy_accepted",
                reason="It does not give my account back.",
            )
        else:
            why = "The secretariat decided so." if step in states.REASON_REQUIRED else ""
            actions.move(world.users["sec"], world.case.pk, step, why)
    world.case.refresh_from_db()
    assert world.case.state == state


def offered_steps(body: str) -> list[str]:
    """The steps the case page offers as buttons, by their label."""
    return re.findall(r"Move to “([^”]+)”", body)


# The queue ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_queue_for_every_role(world: World, role: str) -> None:
    response = world.client(role).get("/en/remedy/")
    if role == "anonymous":
        assert response.status_code == 302
        assert "/accounts/sign-in/" in response["Location"]
        return
    assert response.status_code == 200
    shown = world.case.case_code in response.content.decode()
    assert shown == (role in SEES)


def test_queue_filters_sorts_and_flags_overdue(world: World) -> None:
    late, _receipt = submit(world.mechanism)
    Grievance.objects.filter(pk=late.pk).update(due_at=world.case.created_at - timedelta(days=3))
    client = world.client("sec")
    body = client.get("/en/remedy/").content.decode()
    assert body.index(late.case_code) < body.index(world.case.case_code)  # soonest due first
    assert "Overdue by 3 days" in body
    overdue = client.get("/en/remedy/?overdue=on").content.decode()
    assert late.case_code in overdue and world.case.case_code not in overdue
    routed = client.get(f"/en/remedy/?member={world.member_a.pk}").content.decode()
    assert world.case.case_code in routed and late.case_code not in routed
    received = client.get("/en/remedy/?state=acknowledged").content.decode()
    assert world.case.case_code not in received


# The case page -------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_case_page_for_every_role(world: World, role: str) -> None:
    response = world.client(role).get(page(world.case.pk))
    if role == "anonymous":
        assert response.status_code == 302
    elif role in SEES:
        assert response.status_code == 200
        body = response.content.decode()
        assert DESCRIPTION in body
        assert NAME not in body and EMAIL not in body
        assert ("Reveal identity" in body) == (role in SECRETARIAT)
        assert ("Route the case" in body) == (role in SECRETARIAT)
        assert ("Record the outcome" in body) == (role in SECRETARIAT)
        assert offered_steps(body) == (["Acknowledged"] if role in SECRETARIAT else [])
    else:
        assert response.status_code == 404
        absent = missing_id()
        missing = world.client(role).get(page(absent))
        assert missing.status_code == 404
        # hidden and missing look the same (but for the address, in the language switcher)
        same = unmasked(missing).replace(f"/cases/{absent}/", f"/cases/{world.case.pk}/")
        assert unmasked(response) == same
        assert NAME not in response.content.decode()
        assert DESCRIPTION not in response.content.decode()


POSTS = {
    "move": {"target": states.ACKNOWLEDGED, "reason": ""},
    "messages": {"body": "We have received your complaint."},
    "route": {"members": []},
    "identity": {},
    "escalations": {"body_type": "nhri", "body_name": "Veridia NHRI", "consent": "By message."},
    "outcome": {"remedy_types": ["explanation"], "description": "We explained."},
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(POSTS))
def test_case_actions_for_every_role(world: World, role: str, action: str) -> None:
    data = dict(POSTS[action])
    if action == "route":
        data["members"] = [world.member_a.pk, world.member_b.pk]
    response = world.client(role).post(page(world.case.pk, f"{action}/"), data)
    if role == "anonymous":
        assert response.status_code == 302
        assert "/accounts/sign-in/" in response["Location"]
    elif role not in SEES:
        assert response.status_code == 404
    elif action in ("route", "escalations") and role not in SECRETARIAT:
        assert response.status_code == 403
    elif action == "identity" and role not in SECRETARIAT:
        assert response.status_code == 403  # no consent to show members the identity
    elif action == "identity":
        assert response.status_code == 200
        assert NAME in response.content.decode()
    elif action == "move" and role not in SECRETARIAT:
        assert response.status_code == 400  # the secretariat acknowledges, not the company
        world.case.refresh_from_db()
        assert world.case.state == "received"
        assert list(
            Transition.objects.filter(grievance=world.case).values_list("to_state", flat=True)
        ) == ["received"]
    elif action == "outcome" and role not in SECRETARIAT:
        assert response.status_code == 403
        assert not Outcome.objects.filter(grievance=world.case).exists()
    else:
        assert response.status_code == 302, response.content.decode()[:2000]


def test_move_stores_who_when_why_and_requires_a_reason(world: World) -> None:
    member = world.client("member_a")
    refused = member.post(page(world.case.pk, "move/"), {"target": "acknowledged"})
    assert refused.status_code == 400  # the company does not acknowledge its own complaint
    world.case.refresh_from_db()
    assert world.case.state == "received"
    client = world.client("sec")
    client.post(page(world.case.pk, "move/"), {"target": "acknowledged"})
    client.post(page(world.case.pk, "move/"), {"target": "not_admissible", "reason": ""})
    world.case.refresh_from_db()
    assert world.case.state == "acknowledged"
    refused = client.post(page(world.case.pk, "move/"), {"target": "not_admissible"})
    assert refused.status_code == 400
    assert "Say why" in refused.content.decode()
    declined = member.post(
        page(world.case.pk, "move/"),
        {"target": "not_admissible", "reason": "Not about us."},
    )
    assert declined.status_code == 400
    world.case.refresh_from_db()
    assert world.case.state == "acknowledged"
    client.post(
        page(world.case.pk, "move/"),
        {"target": "not_admissible", "reason": "Outside our scope; try the regulator."},
    )
    steps = Transition.objects.filter(grievance=world.case)
    assert [(s.from_state, s.to_state, s.actor) for s in steps] == [
        ("", "received", None),
        ("received", "acknowledged", world.users["sec"]),
        ("acknowledged", "not_admissible", world.users["sec"]),
    ]
    assert steps.last().reason == "Outside our scope; try the regulator."
    body = member.get(page(world.case.pk)).content.decode()  # the company reads who and why
    assert "Outside our scope; try the regulator." in body
    assert re.search(r"<strong>Not admissible</strong> · [^<]* · Sam<br>", body)
    assert "Not about us." not in body
    assert (
        AuditEntry.objects.filter(action="remedy.case_moved", object_id=str(world.case.pk)).count()
        == 2
    )


def test_member_cannot_take_the_complainants_decision(world: World) -> None:
    for step in ("acknowledged", "accepted", "dialogue", "remedy_proposed"):
        actions.move(world.users["sec"], world.case.pk, step)
    for role in ("member_a", "sec"):
        body = world.client(role).get(page(world.case.pk)).content.decode()
        assert "Move to" not in body
        assert "The complainant decides" in body
        response = world.client(role).post(
            page(world.case.pk, "move/"), {"target": "remedy_accepted"}
        )
        assert response.status_code == 400
        api = _api(
            world,
            role,
            "post",
            f"/api/remedy/cases/{world.case.pk}/move",
            {"state": "remedy_refused", "reason": "No."},
        )
        assert api.status_code == 403
        assert api.json()["code"] == "forbidden" and api.json()["detail"] == COMPLAINANT_ONLY
    world.case.refresh_from_db()
    assert world.case.state == "remedy_proposed"
    assert Transition.objects.filter(grievance=world.case).last().to_state == "remedy_proposed"


def test_messages_and_internal_notes_are_stored_and_shown(world: World) -> None:
    client = world.client("member_a")
    client.post(page(world.case.pk, "messages/"), {"body": "Could you tell us the date?"})
    client.post(page(world.case.pk, "messages/"), {"body": "Check the logs.", "internal": "on"})
    stored = list(Message.objects.filter(grievance=world.case).values_list("body", "internal"))
    assert stored == [("Could you tell us the date?", False), ("Check the logs.", True)]
    body = client.get(page(world.case.pk)).content.decode()
    assert "Internal note" in body and "Check the logs." in body
    assert client.post(page(world.case.pk, "messages/"), {"body": " "}).status_code == 400


def test_routing_to_several_members(world: World) -> None:
    world.client("sec").post(
        page(world.case.pk, "route/"), {"members": [world.member_a.pk, world.member_b.pk]}
    )
    assert set(CaseParty.objects.filter(grievance=world.case).values_list("member", flat=True)) == {
        world.member_a.pk,
        world.member_b.pk,
    }
    assert world.client("member_b").get(page(world.case.pk)).status_code == 200
    foreign = Member.objects.create(
        mechanism=world.other, organisation=Organisation.objects.create(name="X", slug="x")
    )
    refused = world.client("sec").post(page(world.case.pk, "route/"), {"members": [foreign.pk]})
    assert refused.status_code == 400


def test_reveal_identity_is_audited_and_shown_once(world: World) -> None:
    client = world.client("sec")
    response = client.post(page(world.case.pk, "identity/"))
    assert NAME in response.content.decode() and EMAIL in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    reads = AuditEntry.objects.filter(action="remedy.identity_read", object_id=str(world.case.pk))
    assert reads.count() == 1
    assert reads.get().actor_id == world.users["sec"].pk
    again = client.get(page(world.case.pk)).content.decode()
    assert NAME not in again
    client.post(page(world.case.pk, "identity/"))
    assert reads.count() == 2
    entry = reads.first()
    assert NAME not in json.dumps(entry.details) and EMAIL not in json.dumps(entry.details)


def test_identity_never_reaches_a_member_without_consent(world: World) -> None:
    client = world.client("member_a")
    for path in ("", "identity/"):
        body = client.post(page(world.case.pk, path)) if path else client.get(page(world.case.pk))
        assert NAME not in body.content.decode() and EMAIL not in body.content.decode()
    api = json.dumps(client.get(f"/api/remedy/cases/{world.case.pk}").json(), ensure_ascii=False)
    assert NAME not in api and EMAIL not in api
    assert client.post(f"/api/remedy/cases/{world.case.pk}/identity").status_code == 403
    assert not AuditEntry.objects.filter(action="remedy.identity_read").exists()


def test_member_sees_identity_when_the_complainant_consented(world: World) -> None:
    consenting, _receipt = submit(
        world.mechanism, identity={"name": NAME}, reveal_identity_to_members=True
    )
    actions.route(world.users["sec"], consenting.pk, [world.member_a.pk])
    response = world.client("member_a").post(page(consenting.pk, "identity/"))
    assert response.status_code == 200 and NAME in response.content.decode()
    assert world.client("member_b").post(page(consenting.pk, "identity/")).status_code == 404


def test_escalation_and_case_file_without_identity(world: World) -> None:
    client = world.client("sec")
    client.post(page(world.case.pk, "escalations/"), POSTS["escalations"])
    escalation = Escalation.objects.get(grievance=world.case)
    assert escalation.consent == "By message."
    as_json = client.get(page(world.case.pk, f"escalations/{escalation.pk}/case-file.json"))
    assert as_json.status_code == 200
    data = json.loads(as_json.content)
    assert data["identity"] is None and data["grievance"]["description"] == DESCRIPTION
    assert NAME not in as_json.content.decode()
    as_pdf = client.get(page(world.case.pk, f"escalations/{escalation.pk}/case-file.pdf"))
    assert as_pdf.status_code == 200 and as_pdf.content.startswith(b"%PDF")
    assert (
        world.client("member_a")
        .get(page(world.case.pk, f"escalations/{escalation.pk}/case-file.json"))
        .status_code
        == 403
    )
    assert (
        world.client("other_sec")
        .get(page(world.case.pk, f"escalations/{escalation.pk}/case-file.json"))
        .status_code
        == 404
    )
    assert (
        client.get(page(world.case.pk, f"escalations/{escalation.pk}/case-file.doc")).status_code
        == 404
    )
    assert not AuditEntry.objects.filter(action="remedy.identity_read").exists()
    assert AuditEntry.objects.filter(action="remedy.casefile_exported").count() == 2


def test_case_file_carries_identity_only_with_consent(world: World) -> None:
    client = world.client("sec")
    client.post(
        page(world.case.pk, "escalations/"), {**POSTS["escalations"], "share_identity": "on"}
    )
    escalation = Escalation.objects.get(grievance=world.case)
    assert casefile.IDENTITY_CONSENT_NOTE in escalation.consent
    data = json.loads(
        client.get(page(world.case.pk, f"escalations/{escalation.pk}/case-file.json")).content
    )
    assert data["identity"] == {"name": NAME, "email": EMAIL}
    assert AuditEntry.objects.filter(action="remedy.identity_read").count() == 1
    missing = client.post(page(world.case.pk, "escalations/"), {"body_type": "nhri"})
    assert missing.status_code == 400


def test_outcome_is_stored(world: World) -> None:
    recorded = world.client("sec").post(
        page(world.case.pk, "outcome/"),
        {"remedy_types": ["explanation", "apology"], "description": "We apologised."},
    )
    assert recorded.status_code == 302
    outcome = Outcome.objects.get(grievance=world.case)
    assert outcome.remedy_types == ["apology", "explanation"]
    assert world.client("sec").post(page(world.case.pk, "outcome/"), {}).status_code == 400
    member = world.client("member_a")
    refused = member.post(
        page(world.case.pk, "outcome/"),
        {"remedy_types": ["compensation"], "description": "We paid."},
    )
    assert refused.status_code == 403  # the company does not record how its own case ended
    outcome.refresh_from_db()
    assert (outcome.remedy_types, outcome.description) == (
        ["apology", "explanation"],
        "We apologised.",
    )
    body = member.get(page(world.case.pk)).content.decode()
    assert "Apology, Explanation" in body and "We apologised." in body  # the company reads it
    assert "Record the outcome" not in body
    assert (
        AuditEntry.objects.filter(action="remedy.outcome_recorded", object_id=str(world.case.pk))
        .values_list("actor__username", flat=True)
        .get()
        == "sec"
    )


# Notifications ----------------------------------------------------------------------------


def test_notifications_after_commit(world: World, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        actions.move(world.users["sec"], world.case.pk, "acknowledged")
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == [EMAIL]
    assert DESCRIPTION not in sent.body and NAME not in sent.body
    assert "receipt" in sent.body
    notes = Notification.objects.filter(grievance=world.case)
    assert [(n.recipient.username, n.kind) for n in notes] == [("member_a", "moved")]
    with django_capture_on_commit_callbacks(execute=True):
        actions.post_message(world.users["member_a"], world.case.pk, "Internal.", internal=True)
    assert len(mail.outbox) == 1  # internal notes are not mailed
    with django_capture_on_commit_callbacks(execute=True):
        actions.post_message(world.users["sec"], world.case.pk, "Hello.")
    assert len(mail.outbox) == 2
    # The secretariat hears of the member's note, the member of the secretariat's message;
    # nobody of their own.
    heard = sorted(n.recipient.username for n in notes.filter(kind="message"))
    assert heard == ["member_a", "sec"]
    body = world.client("member_a").get("/en/remedy/notifications/").content.decode()
    assert world.case.case_code in body
    assert (
        world.client("member_b")
        .get("/en/remedy/notifications/")
        .content.decode()
        .count(world.case.case_code)
        == 0
    )
    world.client("member_a").post("/en/remedy/notifications/read/")
    assert not notes.filter(recipient=world.users["member_a"], read_at__isnull=True).exists()


def test_no_mail_without_email_preference(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    quiet, _receipt = submit(
        world.mechanism, identity={"email": EMAIL}, contact_preference="receipt"
    )
    with django_capture_on_commit_callbacks(execute=True):
        actions.move(world.users["sec"], quiet.pk, "acknowledged")
    assert mail.outbox == []


def test_nothing_is_sent_when_rolled_back(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        actions.move(world.users["sec"], world.case.pk, "acknowledged")
    assert len(callbacks) == 1 and mail.outbox == []


def test_flag_overdue_cases_command(world: World) -> None:
    Grievance.objects.filter(pk=world.case.pk).update(
        due_at=world.case.created_at - timedelta(days=1)
    )
    result = manage("flag_overdue_cases")
    assert "1 overdue case(s); 2 notification(s) sent." in result
    recipients = set(
        Notification.objects.filter(kind="overdue").values_list("recipient__username", flat=True)
    )
    assert recipients == {"sec", "member_a"}
    again = manage("flag_overdue_cases")
    assert "0 notification(s) sent" in again


# The JSON API -----------------------------------------------------------------------------


def _api(world: World, role: str, method: str, path: str, payload: Any = None) -> Any:
    client = world.client(role)
    if method == "get":
        return client.get(path)
    return client.post(path, json.dumps(payload or {}), content_type="application/json")


API_CALLS = {
    "get": ("get", "", None),
    "transitions": ("get", "/transitions", None),
    "messages": ("get", "/messages", None),
    "post_message": ("post", "/messages", {"body": "Hello."}),
    "route": ("post", "/route", {"members": []}),
    "move": ("post", "/move", {"state": "acknowledged"}),
    "identity": ("post", "/identity", None),
    "escalate": (
        "post",
        "/escalations",
        {"body_type": "ncp", "body_name": "NCP", "consent": "Yes."},
    ),
    "outcome": ("post", "/outcome", {"remedy_types": ["apology"]}),
}
SECRETARIAT_CALLS = {"route", "escalate", "identity", "move", "outcome"}
"""Calls a member's staff are refused here (``move`` acknowledges the case)."""


@pytest.mark.parametrize("role", ROLES)
def test_api_list_for_every_role(world: World, role: str) -> None:
    response = _api(world, role, "get", "/api/remedy/cases?limit=10")
    if role == "anonymous":
        assert response.status_code == 401
        assert response.json()["code"] == "unauthenticated"
        return
    assert response.status_code == 200
    codes = [item["case_code"] for item in response.json()["items"]]
    assert (world.case.case_code in codes) == (role in SEES)
    if role in SEES:
        item = response.json()["items"][0]
        assert item["members"] == ["Nimbus Analytics"] and item["state_label"] == "Received"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("call", list(API_CALLS))
def test_api_case_endpoints_for_every_role(world: World, role: str, call: str) -> None:
    method, suffix, payload = API_CALLS[call]
    if call == "route":
        payload = {"members": [world.member_a.pk]}
    response = _api(world, role, method, f"/api/remedy/cases/{world.case.pk}{suffix}", payload)
    if role == "anonymous":
        assert response.status_code == 401
    elif role not in SEES:
        assert response.status_code == 404
        missing = _api(world, role, method, f"/api/remedy/cases/{missing_id()}{suffix}", payload)
        assert response.json() == missing.json()  # the same body as a case that does not exist
        assert response.json()["code"] == "not_found"
    elif call in SECRETARIAT_CALLS and role not in SECRETARIAT:
        assert response.status_code == 403
        assert response.json()["code"] == "forbidden"
        if call == "move":
            assert response.json()["detail"] == SECRETARIAT_ONLY
        world.case.refresh_from_db()
        assert world.case.state == "received"
        assert Transition.objects.filter(grievance=world.case).count() == 1
        assert not Outcome.objects.filter(grievance=world.case).exists()
    else:
        assert response.status_code in (200, 201), response.content
        text = json.dumps(response.json(), ensure_ascii=False)
        assert (NAME in text) == (call == "identity")
        assert (EMAIL in text) == (call == "identity")


def test_api_stores_and_validates(world: World) -> None:
    base = f"/api/remedy/cases/{world.case.pk}"
    refused = _api(world, "member_a", "post", f"{base}/move", {"state": "acknowledged"})
    assert refused.status_code == 403 and refused.json()["detail"] == SECRETARIAT_ONLY
    moved = _api(world, "sec", "post", f"{base}/move", {"state": "acknowledged"})
    assert moved.json()["state"] == "acknowledged"
    assert moved.json()["next_states"] == ["accepted", "not_admissible"]
    invalid = _api(world, "sec", "post", f"{base}/move", {"state": "not_admissible"})
    assert invalid.status_code == 422
    assert invalid.json()["code"] == "invalid" and "reason" in invalid.json()["errors"]
    steps = _api(world, "member_a", "get", f"{base}/transitions").json()
    assert [s["to_state"] for s in steps] == ["received", "acknowledged"]
    assert steps[1]["actor"] == "Sam"
    note = _api(world, "member_a", "post", f"{base}/messages", {"body": "Note.", "internal": True})
    assert note.status_code == 201 and note.json()["internal"] is True
    escalation = _api(
        world,
        "sec",
        "post",
        f"{base}/escalations",
        {"body_type": "ncp", "body_name": "NCP", "consent": "Yes.", "share_identity": True},
    ).json()
    file = world.client("sec").get(escalation["case_file_json"])
    assert file.status_code == 200 and json.loads(file.content)["identity"]["name"] == NAME
    pdf = world.client("sec").get(escalation["case_file_pdf"])
    assert pdf.content.startswith(b"%PDF")
    outcome = _api(world, "sec", "post", f"{base}/outcome", {"remedy_types": ["nonsense"]})
    assert outcome.status_code == 422 and "remedy_types" in outcome.json()["errors"]
    recorded = _api(world, "sec", "post", f"{base}/outcome", {"remedy_types": ["explanation"]})
    assert recorded.status_code == 200 and recorded.json()["remedy_types"] == ["explanation"]
    refused = _api(world, "member_a", "post", f"{base}/outcome", {"remedy_types": ["apology"]})
    assert refused.status_code == 403 and refused.json()["code"] == "forbidden"
    assert Outcome.objects.get(grievance=world.case).remedy_types == ["explanation"]
    bad_route = _api(world, "sec", "post", f"{base}/route", {"members": [999999]})
    assert bad_route.status_code == 422


@pytest.mark.parametrize(
    "path",
    [
        f"/api/remedy/cases?offset={2**70}",
        f"/api/remedy/cases?member={2**70}",
        f"/api/remedy/cases/{2**70}",
    ],
)
def test_numbers_too_large_for_the_database_are_refused_not_crashed(
    world: World, path: str
) -> None:
    response = _api(world, "sec", "get", path)
    if response.status_code == 200:  # PostgreSQL compares the id as a number: none has it
        assert response.json()["items"] == []
        return
    assert response.status_code in (404, 422), response.content
    assert response.json()["code"] in ("invalid", "not_found")


def test_the_revealed_identity_and_contact_way_are_in_the_readers_language(world: World) -> None:
    client = world.client("sec")
    french = client.post(page(world.case.pk, "identity/").replace("/en/", "/fr/", 1)).content
    body = french.decode()
    assert "<dt>Nom</dt>" in body and ("<dt>Courriel</dt>" in body or "<dt>E-mail</dt>" in body)
    assert "<dt>name</dt>" not in body and "<dt>email</dt>" not in body


# Who decides: the secretariat, not the company the complaint is about ----------------------


def test_the_steps_are_split_between_the_secretariat_and_the_member() -> None:
    """Every staff step is listed below as the member's or the secretariat's (a new step must
    be given to one of them, and tested)."""
    staff_steps = {
        (current, target)
        for current, targets in states.TRANSITIONS.items()
        for target in targets
        if (current, target) not in states.COMPLAINANT_TRANSITIONS
    }
    assert states.MEMBER_TRANSITIONS == MEMBER_STEPS
    assert staff_steps == MEMBER_STEPS | set(SECRETARIAT_STEPS)
    assert not MEMBER_STEPS & set(SECRETARIAT_STEPS)


def _member_moves(world: World, via: str, target: str, reason: str) -> int:
    """``member_a`` takes ``case`` to ``target`` through the page or the API: the status."""
    if via == "page":
        return int(
            world.client("member_a")
            .post(page(world.case.pk, "move/"), {"target": target, "reason": reason})
            .status_code
        )
    path = f"/api/remedy/cases/{world.case.pk}/move"
    return int(
        _api(world, "member_a", "post", path, {"state": target, "reason": reason}).status_code
    )


@pytest.mark.parametrize("via", ["page", "api"])
def test_member_proposes_a_remedy_and_reports_it_implemented(world: World, via: str) -> None:
    bring_to(world, "dialogue")
    proposal = "We will explain the suspension and restore the account."
    assert _member_moves(world, via, "remedy_proposed", proposal) == (302 if via == "page" else 200)
    world.case.refresh_from_db()
    assert world.case.state == "remedy_proposed"
    actions.complainant_decide(world.case.case_code, world.receipt.passphrase, accept=True)
    done = "The account is restored; the reasons were sent by letter."
    assert _member_moves(world, via, "remedy_implemented", done) == (302 if via == "page" else 200)
    world.case.refresh_from_db()
    assert world.case.state == "remedy_implemented"
    steps = Transition.objects.filter(grievance=world.case)
    assert [(s.to_state, s.actor, s.by_complainant, s.reason) for s in steps][-3:] == [
        ("remedy_proposed", world.users["member_a"], False, proposal),
        ("remedy_accepted", None, True, ""),
        ("remedy_implemented", world.users["member_a"], False, done),
    ]
    moved = AuditEntry.objects.filter(action="remedy.case_moved", object_id=str(world.case.pk))
    assert moved.filter(actor=world.users["member_a"]).count() == 2
    # Closing is the secretariat's: the company is offered nothing more, the secretariat is.
    base = f"/api/remedy/cases/{world.case.pk}"
    assert _api(world, "member_a", "get", base).json()["next_states"] == []
    assert _api(world, "sec", "get", base).json()["next_states"] == ["closed"]


@pytest.mark.parametrize(
    ("current", "target"), SECRETARIAT_STEPS, ids=[f"{a}-{b}" for a, b in SECRETARIAT_STEPS]
)
def test_member_cannot_take_the_secretariats_steps(world: World, current: str, target: str) -> None:
    """Acknowledging, declaring (not) admissible, accepting, reopening the dialogue and closing
    are refused to the company, with a reason given (so the reason is not what is missing)."""
    bring_to(world, current)
    steps = Transition.objects.filter(grievance=world.case)
    moved = AuditEntry.objects.filter(action="remedy.case_moved", object_id=str(world.case.pk))
    notified = Notification.objects.filter(grievance=world.case)
    before = (steps.count(), moved.count(), notified.count())
    member = world.client("member_a")
    assert f"Move to “{LABELS[target]}”" not in member.get(page(world.case.pk)).content.decode()
    assert _member_moves(world, "page", target, "We consider this settled.") == 400
    response = _api(
        world,
        "member_a",
        "post",
        f"/api/remedy/cases/{world.case.pk}/move",
        {"state": target, "reason": "We consider this settled."},
    )
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert response.json()["detail"] == SECRETARIAT_ONLY
    world.case.refresh_from_db()
    assert world.case.state == current
    assert (steps.count(), moved.count(), notified.count()) == before
    # The same step, by the secretariat.
    taken = _api(
        world,
        "sec",
        "post",
        f"/api/remedy/cases/{world.case.pk}/move",
        {"state": target, "reason": "The secretariat decided."},
    )
    assert taken.status_code == 200 and taken.json()["state"] == target
    assert steps.last().actor == world.users["sec"]


def test_the_page_says_why_a_member_is_refused_a_step(world: World) -> None:
    response = world.client("member_a").post(
        page(world.case.pk, "move/"), {"target": "acknowledged"}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert SECRETARIAT_ONLY.replace("'", "&#x27;") in body
    assert 'role="alert"' in body[body.index('id="state-heading"') :]
    world.case.refresh_from_db()
    assert world.case.state == "received"


def test_member_writes_only_internal_notes_when_the_complainant_fears_reprisal(
    world: World,
) -> None:
    afraid, _receipt = submit(world.mechanism, fear_of_reprisal=True)
    actions.route(world.users["sec"], afraid.pk, [world.member_a.pk])
    stored = Message.objects.filter(grievance=afraid).order_by("pk")
    posted = AuditEntry.objects.filter(action="remedy.message_posted", object_id=str(afraid.pk))
    member = world.client("member_a")
    assert NOTES_ONLY in member.get(page(afraid.pk)).content.decode().replace("&#x27;", "'")

    note = member.post(
        page(afraid.pk, "messages/"), {"body": "Our logs show the ban on 3 May.", "internal": "on"}
    )
    assert note.status_code == 302
    refused = member.post(page(afraid.pk, "messages/"), {"body": "Please call our support line."})
    assert refused.status_code == 400
    assert f'<p class="field-error" id="id_internal_error">{REPRISAL}</p>' in (
        refused.content.decode()
    )
    api = _api(
        world, "member_a", "post", f"/api/remedy/cases/{afraid.pk}/messages", {"body": "Call us."}
    )
    assert api.status_code == 403
    assert api.json()["code"] == "forbidden" and api.json()["detail"] == REPRISAL
    api_note = _api(
        world,
        "member_a",
        "post",
        f"/api/remedy/cases/{afraid.pk}/messages",
        {"body": "The ban was automatic.", "internal": True},
    )
    assert api_note.status_code == 201 and api_note.json()["internal"] is True
    assert list(stored.values_list("body", "internal", "author__username")) == [
        ("Our logs show the ban on 3 May.", True, "member_a"),
        ("The ban was automatic.", True, "member_a"),
    ]
    assert posted.count() == 2

    # The secretariat writes to the complainant, by the page and by the API.
    sec = world.client("sec")
    assert NOTES_ONLY not in sec.get(page(afraid.pk)).content.decode().replace("&#x27;", "'")
    sent = sec.post(
        page(afraid.pk, "messages/"), {"body": "The company will restore your account."}
    )
    assert sent.status_code == 302
    by_api = _api(
        world, "sec", "post", f"/api/remedy/cases/{afraid.pk}/messages", {"body": "Any news?"}
    )
    assert by_api.status_code == 201 and by_api.json()["internal"] is False
    assert list(stored.filter(internal=False).values_list("body", "author__username")) == [
        ("The company will restore your account.", "sec"),
        ("Any news?", "sec"),
    ]
    assert posted.count() == 4


@pytest.mark.parametrize(
    ("state", "secretariat", "member"),
    [
        ("received", ["acknowledged"], []),
        ("acknowledged", ["accepted", "not_admissible"], []),
        ("accepted", ["dialogue"], []),
        ("dialogue", ["remedy_proposed", "closed"], ["remedy_proposed"]),
        ("remedy_proposed", [], []),
        ("remedy_refused", ["dialogue", "closed"], []),
        ("remedy_accepted", ["remedy_implemented"], ["remedy_implemented"]),
        ("remedy_implemented", ["closed"], []),
    ],
)
def test_the_steps_offered_depend_on_who_looks(
    world: World, state: str, secretariat: list[str], member: list[str]
) -> None:
    bring_to(world, state)
    for role, steps in (
        ("sec", secretariat),
        ("platform_admin", secretariat),
        ("member_a", member),
    ):
        case = _api(world, role, "get", f"/api/remedy/cases/{world.case.pk}").json()
        assert case["next_states"] == steps, role
        body = world.client(role).get(page(world.case.pk)).content.decode()
        assert offered_steps(body) == [LABELS[s] for s in steps], role


def test_the_record_of_consent_is_the_secretariats_unless_members_may_see_who_complained(
    world: World,
) -> None:
    consent = "Maria Onbehalf agreed by phone on 2 May."
    hidden, _receipt = submit(world.mechanism, on_behalf=True, consent_record=consent)
    shown, _receipt = submit(
        world.mechanism,
        on_behalf=True,
        consent_record=consent,
        identity={"name": "Ji-woo Park"},
        reveal_identity_to_members=True,
    )
    for case in (hidden, shown):
        actions.route(world.users["sec"], case.pk, [world.member_a.pk])
    for role, case, sees in (
        ("sec", hidden, True),
        ("member_a", hidden, False),
        ("member_a", shown, True),
    ):
        body = world.client(role).get(page(case.pk)).content.decode()
        api = _api(world, role, "get", f"/api/remedy/cases/{case.pk}").json()
        assert (consent in body) == sees, (role, case.pk)
        assert (api["consent_record"] == consent) == sees and api["consent_record_hidden"] != sees
        if not sees:
            assert "only the secretariat reads it" in body


def test_a_refused_form_is_named_at_the_top_of_the_case_page(world: World) -> None:
    client = world.client("sec")
    client.post(page(world.case.pk, "move/"), {"target": "acknowledged"})
    refused = client.post(page(world.case.pk, "move/"), {"target": "not_admissible"})
    assert refused.status_code == 400
    body = refused.content.decode()
    top = body[: body.index('id="grievance-heading"')]
    assert '<div class="error-summary" role="alert"' in top and 'href="#state"' in top
    assert "<title>Error:" in body
    empty = client.post(page(world.case.pk, "outcome/"), {"remedy_types": []})
    body = empty.content.decode()
    assert empty.status_code == 400
    assert 'href="#outcome"' in body[: body.index('id="grievance-heading"')]


def test_an_anonymous_complaint_never_shows_members_the_consent_record(world: World) -> None:
    consent = "Maria Onbehalf agreed by phone on 2 May."
    case, _receipt = submit(
        world.mechanism, on_behalf=True, consent_record=consent, reveal_identity_to_members=True
    )
    assert case.anonymous and not case.reveal_identity_to_members  # nothing to reveal
    actions.route(world.users["sec"], case.pk, [world.member_a.pk])
    assert consent not in world.client("member_a").get(page(case.pk)).content.decode()
    api = _api(world, "member_a", "get", f"/api/remedy/cases/{case.pk}").json()
    assert api["consent_record"] == "" and api["consent_record_hidden"]


def test_the_complainant_reads_the_remedy_proposed_before_deciding(world: World) -> None:
    from ungpkit.apps.remedy.public_views import case_view

    afraid, _receipt = submit(world.mechanism, fear_of_reprisal=True)
    sec, member = world.users["sec"], world.users["member_a"]
    actions.route(sec, world.case.pk, [world.member_a.pk])
    actions.route(sec, afraid.pk, [world.member_a.pk])
    for case in (world.case, afraid):
        for step in ("acknowledged", "accepted", "dialogue"):
            actions.move(sec, case.pk, step, f"Secretariat: {step}.")
        actions.move(member, case.pk, "remedy_proposed", "We will delete your face template.")

    view = case_view(Grievance.objects.get(pk=world.case.pk))
    assert view["can_decide"] and view["proposal"] == "We will delete your face template."
    # Only the reasons staff write for the complainant are shown (not those of routine steps).
    assert "Secretariat: acknowledged." not in [s["reason"] for s in view["steps"]]
    # A member's words do not reach a complainant who fears reprisal: the secretariat relays.
    hidden = case_view(Grievance.objects.get(pk=afraid.pk))
    assert hidden["proposal"] == ""
    assert "We will delete" not in " ".join(s["reason"] for s in hidden["steps"])
    member.delete()  # a proposal whose author is gone stays hidden
    assert case_view(Grievance.objects.get(pk=afraid.pk))["proposal"] == ""
    page = (
        Client()
        .post(
            "/en/grievances/status/",
            {"case_code": world.receipt.case_code, "passphrase": world.receipt.passphrase},
        )
        .content.decode()
    )
    assert "The remedy proposed" in page and "We will delete your face template." in page


def test_a_case_closed_as_not_admissible_says_so_to_the_complainant(world: World) -> None:
    from ungpkit.apps.remedy.public_views import case_view

    sec = world.users["sec"]
    first = world.client("sec").get(page(world.case.pk)).content.decode()
    assert "where else they can go" not in first  # no such step offered yet
    actions.move(sec, world.case.pk, "acknowledged")
    offered = world.client("sec").get(page(world.case.pk)).content.decode()
    assert "where else they can go: a regulator" in offered  # asked of staff
    actions.move(sec, world.case.pk, "not_admissible", "Outside our scope; see the regulator.")
    actions.move(sec, world.case.pk, "closed", "Not admissible.")
    view = case_view(Grievance.objects.get(pk=world.case.pk))
    assert "it was not admissible" in view["state_help"]
    assert "check later on the remedy" not in view["state_help"]


def test_the_secretariat_hears_of_a_complainants_message(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        actions.complainant_message(world.receipt.case_code, world.receipt.passphrase, "Hello?")
    heard = Notification.objects.filter(grievance=world.case, kind="message")
    assert "sec" in {n.recipient.username for n in heard}
    assert len(mail.outbox) == 0  # nobody is mailed the complainant's own message
