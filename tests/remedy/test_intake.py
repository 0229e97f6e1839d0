"""The complainant's side of the grievance mechanism, through its pages and its public API:
intake (anonymous and identified, with attachments), anti-spam, the receipt, the status page
with its replies and decisions, idempotent partner submissions, and no personal data in logs."""

from __future__ import annotations

import json
import logging
import os
import re
import time
from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.cache import cache, caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ungpkit import config
from ungpkit.apps.accounts import actions as accounts
from ungpkit.apps.accounts.models import AuditEntry, Membership, Organisation, Role
from ungpkit.apps.remedy import actions, crypto, states
from ungpkit.apps.remedy.models import Attachment, Channel, Grievance, Mechanism, Member, Message
from ungpkit.apps.remedy.public_forms import FILL_TIME_SALT
from ungpkit.web import settings_parts

NAME = "Amara Okonkwo-Testperson"
EMAIL = "amara.secret@example.org"
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def mechanism(db: None) -> Mechanism:
    secretariat = Organisation.objects.create(name="Secretariat", slug="sec", kind="mechanism")
    company = Organisation.objects.create(name="Nimbus", slug="nimbus", kind="company")
    mechanism = Mechanism.objects.create(organisation=secretariat, name="Joint", slug="joint")
    Member.objects.create(mechanism=mechanism, organisation=company, products="Nimbus credit")
    return mechanism


@pytest.fixture
def staff(mechanism: Mechanism) -> Any:
    user = get_user_model().objects.create_user(username="secretary", password=None)
    Membership.objects.create(
        user=user, organisation=mechanism.organisation, role=Role.MECHANISM_STAFF
    )
    return user


def started(seconds_ago: float = 60) -> str:
    return signing.dumps(time.time() - seconds_ago, salt=FILL_TIME_SALT)


def form_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "started": started(),
        "website": "",
        "description": "The app shared my location with strangers and I was followed home.",
        "happened_on": "last spring",
        "country": "FR",
        "company": "Nimbus: Nimbus credit",
        "affected_who": "me and my sister",
        "affected_count": "2",
        "ongoing": "on",
        "wants": ["apology", "stop_harm"],
        "contact_preference": "receipt",
        "identity": "anonymous",
        "behalf": "self",
    }
    data.update(overrides)
    return data


def submit(client: Client, **overrides: Any) -> Any:
    return client.post("/en/grievances/joint/", form_data(**overrides))


def receipt_of(response: Any) -> tuple[str, str]:
    html = response.content.decode()
    code = re.search(r'id="case-code">([^<]+)<', html)
    passphrase = re.search(r'id="passphrase">([^<]+)<', html)
    assert code and passphrase, html
    return code.group(1), passphrase.group(1)


def raw_row(grievance: Grievance) -> str:
    """The grievance's row exactly as the database holds it."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM remedy_grievance WHERE id = %s", [grievance.pk])
        return repr(cursor.fetchone())


# Pages: intake -------------------------------------------------------------------------------


def test_the_list_and_the_form_are_shown_in_every_language(mechanism: Mechanism) -> None:
    client = Client()
    assert "Joint" in client.get("/en/grievances/").content.decode()
    for lang, words in (("en", "What happened?"), ("fr", "Que s’est-il passé"), ("ko", "무슨 일")):
        page = client.get(f"/{lang}/grievances/joint/")
        assert page.status_code == 200
        html = page.content.decode()
        assert words in html, lang
        assert "Nimbus: Nimbus credit" in html
        assert "<script" not in html
    assert client.get("/en/grievances/nothing-here/").status_code == 404


def test_an_anonymous_complaint_gives_a_receipt_after_it_is_stored(mechanism: Mechanism) -> None:
    response = submit(Client())

    assert response.status_code == 200
    assert response["Cache-Control"].count("no-store") == 1
    code, passphrase = receipt_of(response)
    grievance = Grievance.objects.get(case_code=code)
    assert grievance.anonymous and grievance.identity_encrypted == ""
    assert grievance.channel == Channel.WEB
    assert grievance.company_text == "Nimbus: Nimbus credit"
    assert grievance.wants == ["apology", "stop_harm"]
    assert grievance.affected_count == 2 and grievance.ongoing and grievance.country == "FR"
    assert actions.find_by_receipt(code, passphrase) == grievance
    assert passphrase not in raw_row(grievance)


def test_an_identified_complaint_stores_the_identity_encrypted(mechanism: Mechanism) -> None:
    response = submit(
        Client(),
        identity="identified",
        name=NAME,
        email=EMAIL,
        contact_preference="email",
        reveal_identity_to_members="on",
    )

    code, _passphrase = receipt_of(response)
    grievance = Grievance.objects.get(case_code=code)
    row = raw_row(grievance)
    assert NAME not in row and EMAIL not in row
    assert crypto.decrypt_json(grievance.identity_encrypted) == {"name": NAME, "email": EMAIL}
    assert not grievance.anonymous and grievance.reveal_identity_to_members


def test_letters_by_post_need_a_postal_address_which_is_stored_encrypted(
    mechanism: Mechanism,
) -> None:
    address = "12 Harbour Road\nFlat 3\nPort Veri 4410"
    refused = submit(Client(), identity="identified", name=NAME, contact_preference="post")
    assert refused.status_code == 400
    assert "Give the details we should use to contact you." in refused.content.decode()
    anonymous = submit(Client(), contact_preference="post")
    assert anonymous.status_code == 400
    assert "by email, phone or post, choose to give your contact" in anonymous.content.decode()
    assert Grievance.objects.count() == 0

    response = submit(
        Client(), identity="identified", name=NAME, address=address, contact_preference="post"
    )

    grievance = Grievance.objects.get(case_code=receipt_of(response)[0])
    assert grievance.contact_preference == "post" and "Harbour" not in raw_row(grievance)
    assert crypto.decrypt_json(grievance.identity_encrypted) == {"name": NAME, "address": address}


def test_the_api_takes_a_postal_address_for_letters(mechanism: Mechanism) -> None:
    post = {**GRIEVANCE, "anonymous": False, "contact_preference": "post"}
    without = api_post(Client(), "/api/grievances", {**post, "identity": {"name": NAME}})
    assert without.status_code == 422 and "address" in json.dumps(without.json())

    response = api_post(
        Client(), "/api/grievances", {**post, "identity": {"address": "12 Harbour Road"}}
    )

    assert response.status_code == 201, response.content
    grievance = Grievance.objects.get()
    assert crypto.decrypt_json(grievance.identity_encrypted) == {"address": "12 Harbour Road"}


def test_identified_without_details_and_on_behalf_without_consent_are_refused(
    mechanism: Mechanism,
) -> None:
    response = submit(Client(), identity="identified", behalf="group")

    assert response.status_code == 400
    html = response.content.decode()
    assert "Give a name or a way to reach you" in html
    assert "Say how the person or group you represent agreed" in html
    assert Grievance.objects.count() == 0

    response = submit(Client(), behalf="group", consent_record="The village assembly voted.")
    grievance = Grievance.objects.get(case_code=receipt_of(response)[0])
    assert grievance.on_behalf and grievance.consent_record == "The village assembly voted."


def test_attachments_are_sniffed_and_encrypted(mechanism: Mechanism) -> None:
    files = [
        SimpleUploadedFile("letter.pdf", PDF, content_type="application/pdf"),
        SimpleUploadedFile("screen.txt", PNG, content_type="text/plain"),
    ]
    response = submit(Client(), files=files)

    grievance = Grievance.objects.get(case_code=receipt_of(response)[0])
    stored = list(Attachment.objects.filter(grievance=grievance).order_by("pk"))
    assert [a.content_type for a in stored] == ["application/pdf", "image/png"]
    assert PDF not in bytes(stored[0].content_encrypted)
    assert crypto.decrypt_bytes(stored[0].content_encrypted) == PDF
    assert b"letter.pdf" not in stored[0].filename_encrypted.encode()
    assert crypto.decrypt_bytes(stored[0].filename_encrypted.encode()) == b"letter.pdf"


@pytest.mark.parametrize(
    "files",
    [
        [SimpleUploadedFile("run.pdf", b"MZ\x90\x00\x03\x00\x00\x00", "application/pdf")],
        [SimpleUploadedFile("big.txt", b"a" * (5 * 1024 * 1024 + 1), "text/plain")],
        [SimpleUploadedFile(f"{i}.txt", b"hello", "text/plain") for i in range(4)],
    ],
    ids=["executable-named-pdf", "too-big", "too-many"],
)
def test_bad_attachments_are_refused_and_nothing_is_stored(
    mechanism: Mechanism, files: list[Any]
) -> None:
    response = submit(Client(), files=files)

    assert response.status_code == 400
    assert Grievance.objects.count() == 0 and Attachment.objects.count() == 0


def test_the_honeypot_and_a_too_fast_form_store_nothing(mechanism: Mechanism) -> None:
    for response in (
        submit(Client(), website="http://spam.example"),
        submit(Client(), started=started(seconds_ago=0)),
        submit(Client(), started="forged"),
    ):
        assert response.status_code == 400
        assert "We could not accept the form." in response.content.decode()
    assert Grievance.objects.count() == 0


def test_intake_is_rate_limited_per_address(mechanism: Mechanism, settings: Any) -> None:
    settings.UNGPKIT_RATE_LIMITS = {"intake": (2, 3600)}
    client = Client(REMOTE_ADDR="203.0.113.7")
    assert submit(client).status_code == 200
    assert submit(client).status_code == 200
    limited = submit(client)
    assert limited.status_code == 429
    assert "Too many complaints were sent from here." in limited.content.decode()
    assert Grievance.objects.count() == 2
    assert submit(Client(REMOTE_ADDR="203.0.113.8")).status_code == 200
    assert not any("203.0.113" in str(key) for key in getattr(cache, "_cache", {}))


def test_behind_the_proxy_each_client_has_its_own_limit(
    mechanism: Mechanism, settings: Any
) -> None:
    settings.UNGPKIT_RATE_LIMITS = {"intake": (1, 3600)}
    settings.UNGPKIT_BEHIND_PROXY = True
    proxy = "127.0.0.1"  # every request reaches the web process from nginx

    def through_proxy(forwarded_for: str) -> Any:
        return submit(Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR=forwarded_for))

    assert through_proxy("198.51.100.1").status_code == 200
    assert through_proxy("198.51.100.2").status_code == 200  # another person: not limited
    assert through_proxy("198.51.100.1").status_code == 429
    # A client cannot pick its counter: nginx appends the address it saw, which is used.
    assert through_proxy("10.9.9.9, 198.51.100.1").status_code == 429
    assert Grievance.objects.count() == 2


def test_without_the_proxy_setting_forwarded_for_is_not_trusted(
    mechanism: Mechanism, settings: Any
) -> None:
    settings.UNGPKIT_RATE_LIMITS = {"intake": (1, 3600)}
    settings.UNGPKIT_BEHIND_PROXY = False
    first = Client(REMOTE_ADDR="203.0.113.20", HTTP_X_FORWARDED_FOR="198.51.100.3")
    second = Client(REMOTE_ADDR="203.0.113.20", HTTP_X_FORWARDED_FOR="198.51.100.4")
    assert submit(first).status_code == 200
    assert submit(second).status_code == 429


def test_sending_the_same_form_again_stores_one_complaint(mechanism: Mechanism) -> None:
    client = Client()
    data = form_data()
    first = client.post("/en/grievances/joint/", data)
    code, passphrase = receipt_of(first)

    again = client.post("/en/grievances/joint/", data)  # the browser's reload resends it

    assert again.status_code == 200
    body = again.content.decode()
    assert "We already have this complaint" in body and code in body
    assert passphrase not in body  # shown once only; stored as a hash
    assert Grievance.objects.count() == 1
    stored = Grievance.objects.get()
    assert stored.receipt_encrypted == "" and stored.source is None

    # Going back and changing the complaint in the same form is another complaint.
    changed = client.post(
        "/en/grievances/joint/", {**data, "description": data["description"] + " Twice."}
    )
    assert receipt_of(changed)[0] != code
    assert Grievance.objects.count() == 2


def test_corrections_do_not_use_up_the_limit(mechanism: Mechanism, settings: Any) -> None:
    settings.UNGPKIT_RATE_LIMITS = {"intake": (1, 3600)}
    client = Client(REMOTE_ADDR="203.0.113.30")
    token = started()
    for _attempt in range(5):  # five rounds of errors, the same form each time
        wrong = client.post("/en/grievances/joint/", form_data(started=token, description="x"))
        assert wrong.status_code == 400
        # The form shown again keeps its token: it is still the same filling.
        assert f'value="{token}"' in wrong.content.decode()
    sent = client.post("/en/grievances/joint/", form_data(started=token))
    assert sent.status_code == 200 and Grievance.objects.count() == 1
    refused = client.post("/en/grievances/joint/", form_data(description="Another one, later."))
    assert refused.status_code == 429
    assert 'name="description"' in refused.content.decode()  # the text is kept in the form
    assert Grievance.objects.count() == 1


REDIS_URL = os.environ.get("UNGPKIT_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def shared_cache(settings: Any) -> Iterator[Any]:
    """Django's cache on Redis, as several web processes share it (skipped without Redis)."""
    redis = pytest.importorskip("redis")
    server = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5)
    try:
        server.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"no Redis server at {REDIS_URL}")
    prefix = f"ungpkit-test-{os.getpid()}-{time.monotonic_ns()}"
    settings.CACHES = settings_parts.cache_settings(config.load({"UNGPKIT_CACHE_URL": REDIS_URL}))
    settings.CACHES["default"]["KEY_PREFIX"] = prefix
    yield server
    for key in server.scan_iter(f"{prefix}:*"):
        server.delete(key)


def test_with_redis_every_process_counts_against_the_same_limit(
    mechanism: Mechanism, settings: Any, shared_cache: Any
) -> None:
    settings.UNGPKIT_RATE_LIMITS = {"intake": (2, 3600)}
    assert submit(Client(REMOTE_ADDR="203.0.113.9")).status_code == 200
    # Another web process: a fresh connection to the same cache, nothing kept in memory.
    caches["default"].close()
    del caches["default"]
    assert submit(Client(REMOTE_ADDR="203.0.113.9")).status_code == 200
    del caches["default"]
    assert submit(Client(REMOTE_ADDR="203.0.113.9")).status_code == 429
    assert Grievance.objects.count() == 2
    keys = [
        key.decode()
        for key in shared_cache.scan_iter(f"{settings.CACHES['default']['KEY_PREFIX']}:*")
    ]
    assert any(":ratelimit:intake:" in key for key in keys)
    assert not any("203.0.113" in key for key in keys)  # the address only as a keyed hash


# Pages: status --------------------------------------------------------------------------------


def open_case(client: Client, code: str, passphrase: str, **extra: Any) -> Any:
    return client.post(
        "/en/grievances/status/", {"case_code": code, "passphrase": passphrase, **extra}
    )


def test_the_status_page_opens_only_with_the_right_passphrase(mechanism: Mechanism) -> None:
    client = Client()
    code, passphrase = receipt_of(submit(client))
    other_code, _ = receipt_of(submit(client))

    assert client.get("/en/grievances/status/").status_code == 200
    page = open_case(client, code.lower(), passphrase)
    assert page.status_code == 200
    assert page["Cache-Control"].count("no-store") == 1
    html = page.content.decode()
    assert f"Case {code}" in html and "Received" in html and "Acknowledged" in html
    assert "expected by" in html

    wrong_pass = open_case(client, code, "AAAA-BBBB-CCCC-DDDD")
    wrong_code = open_case(client, "G-XXXX-XXXX-XXXX", passphrase)
    crossed = open_case(client, other_code, passphrase)
    for response in (wrong_pass, wrong_code, crossed):
        assert response.status_code == 404
        assert "No case matches this case code and passphrase." in response.content.decode()


def test_the_complainant_reads_replies_and_answers(mechanism: Mechanism, staff: Any) -> None:
    client = Client()
    code, passphrase = receipt_of(submit(client))
    grievance = Grievance.objects.get(case_code=code)
    actions.post_message(staff, grievance.pk, "We received your complaint. Who followed you?")
    actions.post_message(staff, grievance.pk, "Internal: check the logs.", internal=True)

    html = open_case(client, code, passphrase).content.decode()
    assert "Who followed you?" in html
    assert "Internal: check the logs." not in html

    page = open_case(client, code, passphrase, action="reply", **{"reply-body": "A stranger."})
    assert page.status_code == 200
    assert "Your message was sent." in page.content.decode()
    assert Message.objects.get(grievance=grievance, from_complainant=True).body == "A stranger."
    assert open_case(client, code, passphrase, action="reply").status_code == 400


def test_the_complainant_decides_on_the_remedy_and_rates_the_outcome(
    mechanism: Mechanism, staff: Any
) -> None:
    client = Client()
    code, passphrase = receipt_of(submit(client))
    grievance = Grievance.objects.get(case_code=code)
    for step in (states.ACKNOWLEDGED, states.ACCEPTED, states.DIALOGUE, states.REMEDY_PROPOSED):
        actions.move(staff, grievance.pk, step)
    assert (
        "Do you accept the proposed remedy?" in open_case(client, code, passphrase).content.decode()
    )

    refused = open_case(client, code, passphrase, action="decide", **{"decide-decision": "refuse"})
    assert refused.status_code == 400
    page = open_case(client, code, passphrase, action="decide", **{"decide-decision": "accept"})
    assert "Your decision was recorded." in page.content.decode()
    grievance.refresh_from_db()
    assert grievance.state == states.REMEDY_ACCEPTED
    assert grievance.transitions.last().by_complainant

    actions.record_outcome(staff, grievance.pk, ["apology"], "A written apology.")
    page = open_case(client, code, passphrase, action="rate", **{"rate-satisfaction": "4"})
    assert "A written apology." in page.content.decode()
    assert grievance.outcome.__class__.objects.get(grievance=grievance).satisfaction == 4


def test_status_attempts_are_rate_limited(mechanism: Mechanism, settings: Any) -> None:
    settings.UNGPKIT_RATE_LIMITS = {"status": (3, 600)}
    client = Client()
    for _attempt in range(3):
        assert open_case(client, "G-AAAA-AAAA-AAAA", "wrong").status_code == 404
    assert open_case(client, "G-AAAA-AAAA-AAAA", "wrong").status_code == 429


# API ----------------------------------------------------------------------------------------


def api_post(client: Client, path: str, body: dict[str, Any], **headers: str) -> Any:
    return client.post(path, json.dumps(body), content_type="application/json", headers=headers)


GRIEVANCE = {
    "mechanism": "joint",
    "description": "My account was closed by an algorithm and nobody explains why.",
    "country": "KR",
    "wants": ["explanation"],
}


@pytest.fixture
def partner(mechanism: Mechanism) -> tuple[Organisation, str]:
    admin = get_user_model().objects.create_user(username="root", is_superuser=True)
    ngo = accounts.create_organisation(admin, name="Digital Rights Watch", kind="company")
    user = get_user_model().objects.create_user(username="collector", password=None)
    accounts.add_member(admin, ngo.pk, user.pk, Role.ADMINISTRATOR)
    return ngo, accounts.issue_api_token(user, "intake").plaintext


def test_api_anonymous_submission_and_status(mechanism: Mechanism, staff: Any) -> None:
    client = Client()
    identity = {"name": NAME, "email": EMAIL}
    body = {**GRIEVANCE, "anonymous": False, "identity": identity}
    response = api_post(client, "/api/grievances", body)

    assert response.status_code == 201, response.content
    receipt = response.json()
    assert receipt["state"] == "received"
    grievance = Grievance.objects.get(case_code=receipt["case_code"])
    assert grievance.channel == Channel.WEB and grievance.source is None
    assert NAME not in raw_row(grievance)
    actions.post_message(staff, grievance.pk, "Thank you, we are looking into it.")

    credentials = {"case_code": receipt["case_code"], "passphrase": receipt["passphrase"]}
    status = api_post(client, "/api/grievances/status", credentials)
    assert status.status_code == 200
    case = status.json()
    assert case["state"] == "received"
    assert [s["status"] for s in case["steps"][:2]] == ["current", "upcoming"]
    assert case["steps"][1]["expected_by"]
    assert case["messages"][0]["body"] == "Thank you, we are looking into it."

    reply = api_post(client, "/api/grievances/status/messages", {**credentials, "body": "Thanks."})
    assert reply.status_code == 201 and reply.json()["from_complainant"] is True

    wrong = api_post(client, "/api/grievances/status", {**credentials, "passphrase": "X"})
    unknown = api_post(client, "/api/grievances/status", {**credentials, "case_code": "G-1"})
    assert wrong.status_code == unknown.status_code == 404
    assert wrong.json() == unknown.json()
    assert set(wrong.json()) == {"detail", "code", "errors"}


def test_api_refuses_invalid_submissions_with_the_uniform_body(mechanism: Mechanism) -> None:
    client = Client()
    invalid = api_post(client, "/api/grievances", {**GRIEVANCE, "description": "short"})
    assert invalid.status_code == 422
    assert invalid.json()["code"] == "invalid" and "description" in invalid.json()["errors"]
    unknown = api_post(client, "/api/grievances", {**GRIEVANCE, "mechanism": "none"})
    assert unknown.status_code == 404 and unknown.json()["code"] == "not_found"
    assert Grievance.objects.count() == 0


def test_api_partner_retries_with_an_idempotency_key_get_the_same_receipt(
    partner: tuple[Organisation, str],
) -> None:
    ngo, token = partner
    client = Client()
    headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": "batch-7/row-1"}
    first = api_post(client, "/api/grievances", GRIEVANCE, **headers)
    second = api_post(client, "/api/grievances", GRIEVANCE, **headers)

    assert first.status_code == 201 and second.status_code == 200
    assert first.json() == second.json()
    grievance = Grievance.objects.get()
    assert grievance.channel == Channel.API and grievance.source == ngo

    other = api_post(client, "/api/grievances", GRIEVANCE, **{**headers, "Idempotency-Key": "2"})
    assert other.status_code == 201 and Grievance.objects.count() == 2


def test_api_ignores_idempotency_keys_from_anonymous_clients(mechanism: Mechanism) -> None:
    client = Client()
    first = api_post(client, "/api/grievances", GRIEVANCE, **{"Idempotency-Key": "k"})
    second = api_post(client, "/api/grievances", GRIEVANCE, **{"Idempotency-Key": "k"})

    assert first.status_code == second.status_code == 201
    assert first.json()["passphrase"] != second.json()["passphrase"]


def test_api_submissions_are_rate_limited_for_anonymous_clients(
    mechanism: Mechanism, settings: Any
) -> None:
    settings.UNGPKIT_RATE_LIMITS = {"intake": (1, 3600)}
    client = Client()
    assert api_post(client, "/api/grievances", GRIEVANCE).status_code == 201
    limited = api_post(client, "/api/grievances", GRIEVANCE)
    assert limited.status_code == 429 and limited.json()["code"] == "throttled"


# The audit trail of intake -------------------------------------------------------------------


def test_api_submissions_are_audited_then_sealed_into_an_intact_chain(
    mechanism: Mechanism, with_workers: None
) -> None:
    client = Client()
    codes = [api_post(client, "/api/grievances", GRIEVANCE).json()["case_code"] for _ in range(3)]

    ids = {str(g.pk) for g in Grievance.objects.filter(case_code__in=codes)}
    entries = AuditEntry.objects.filter(action="remedy.grievance_received")
    assert {e.object_id for e in entries} == ids
    assert all(e.content_hash == e.compute_content_hash() and not e.sealed for e in entries)
    assert all(e.organisation_id == mechanism.organisation_id for e in entries)

    assert "The audit log is intact" in _manage("verify_audit_log")
    assert not AuditEntry.objects.unsealed().exists()


def test_an_api_submission_waits_on_no_lock_and_reuses_the_mechanism(
    mechanism: Mechanism, with_workers: None
) -> None:
    client = Client()
    api_post(client, "/api/grievances", GRIEVANCE)  # looks the mechanism up

    with CaptureQueriesContext(connection) as queries:
        response = api_post(client, "/api/grievances", GRIEVANCE)

    assert response.status_code == 201
    statements = [q["sql"] for q in queries.captured_queries]
    assert not [s for s in statements if "advisory" in s.lower()]
    audit = [s for s in statements if "accounts_auditentry" in s]
    assert len(audit) == 1 and 'INSERT INTO "accounts_auditentry"' in audit[0], audit
    if connection.vendor == "postgresql":  # everything in one statement, its own transaction
        writes = [s for s in statements if "INSERT" in s or s in ("BEGIN", "COMMIT")]
        assert len(writes) == 1, writes
        for table in ("remedy_grievance", "remedy_transition", "triage_triagerecord"):
            assert f'INSERT INTO "{table}"' in writes[0]
    tables = ("remedy_mechanism", "accounts_organisation")
    assert not [s for s in statements if s.startswith("SELECT") and any(t in s for t in tables)]
    stored = Grievance.objects.get(case_code=response.json()["case_code"])
    assert stored.mechanism_id == mechanism.pk


def test_a_changed_mechanism_is_used_by_the_next_submission(mechanism: Mechanism) -> None:
    client = Client()
    first = api_post(client, "/api/grievances", GRIEVANCE).json()["case_code"]
    mechanism.deadline_days = {"received": 1}
    mechanism.save()

    second = api_post(client, "/api/grievances", GRIEVANCE).json()["case_code"]

    due = {g.case_code: g.due_at - g.created_at for g in Grievance.objects.all()}
    assert due[second].days == 1 and due[first].days > 1


def _manage(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


# Logs ---------------------------------------------------------------------------------------


def test_no_personal_data_reaches_the_logs(
    mechanism: Mechanism, staff: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    client = Client()
    response = submit(client, identity="identified", name=NAME, email=EMAIL)
    code, passphrase = receipt_of(response)
    submit(client, identity="identified", name=NAME, description="short")  # a 400
    open_case(client, code, passphrase, action="reply", **{"reply-body": "More."})
    open_case(client, code, "WRONG-PASS")
    api_post(
        client, "/api/grievances", {**GRIEVANCE, "anonymous": False, "identity": {"name": NAME}}
    )
    api_post(client, "/api/grievances/status", {"case_code": code, "passphrase": passphrase})
    grievance = Grievance.objects.get(case_code=code)
    actions.reveal_identity(staff, grievance.pk)

    logged = "\n".join(
        f"{record.getMessage()} {record.args!r} {record.__dict__!r}" for record in caplog.records
    )
    for secret in (NAME, EMAIL, passphrase):
        assert secret not in logged


# Input the API refuses, as the form does -----------------------------------------------------


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"description": "The app refused \u0000 my loan without any reason."}, "description"),
        ({"company_text": "Nim\u0000bus"}, "company_text"),
        ({"affected_count": 3_000_000_000}, "affected_count"),
        ({"identity": {"name": "Ji-woo Park"}}, "identity"),  # anonymous is the default
        ({"contact_preference": "email"}, "contact_preference"),
        ({"anonymous": False, "identity": {"email": "not an email"}}, "email"),
        ({"country": "ZZ"}, "country"),
        ({"language": "de"}, "language"),
    ],
)
def test_api_refuses_what_it_cannot_store_or_honour(
    mechanism: Mechanism, change: dict[str, Any], field: str
) -> None:
    response = api_post(Client(), "/api/grievances", {**GRIEVANCE, **change})
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["code"] == "invalid"
    assert field in json.dumps(body)
    assert Grievance.objects.count() == 0


def test_api_refuses_an_unpaired_surrogate(mechanism: Mechanism) -> None:
    raw = json.dumps(GRIEVANCE)[:-1] + ', "happened_on": "\\ud800 last week"}'
    response = Client().post("/api/grievances", raw, content_type="application/json")
    assert response.status_code == 422 and "surrogate" in response.json()["detail"]
    assert Grievance.objects.count() == 0


def test_api_idempotency_keys_are_never_cut_or_reused_for_another_complaint(
    partner: tuple[Organisation, str],
) -> None:
    _ngo, token = partner
    client = Client()
    auth = {"Authorization": f"Bearer {token}"}
    long_key = {**auth, "Idempotency-Key": "z" * 129}
    assert api_post(client, "/api/grievances", GRIEVANCE, **long_key).status_code == 422
    key = {**auth, "Idempotency-Key": "row-9"}
    assert api_post(client, "/api/grievances", GRIEVANCE, **key).status_code == 201
    other = {
        **GRIEVANCE,
        "description": "Another person: my photos were published without consent.",
    }
    conflict = api_post(client, "/api/grievances", other, **key)
    assert conflict.status_code == 409 and conflict.json()["code"] == "conflict"
    assert Grievance.objects.count() == 1


def test_a_public_membership_does_not_lift_the_rate_limit(
    mechanism: Mechanism, settings: Any
) -> None:
    settings.UNGPKIT_RATE_LIMITS = {"intake": (1, 3600)}
    admin = get_user_model().objects.create_user(username="root2", is_superuser=True)
    club = accounts.create_organisation(admin, name="Readers' club", kind="company")
    user = get_user_model().objects.create_user(username="reader", password=None)
    accounts.add_member(admin, club.pk, user.pk, Role.PUBLIC)
    token = accounts.issue_api_token(user, "intake").plaintext
    client = Client()
    auth = {"Authorization": f"Bearer {token}"}
    assert api_post(client, "/api/grievances", GRIEVANCE, **auth).status_code == 201
    assert api_post(client, "/api/grievances", GRIEVANCE, **auth).status_code == 429
    assert Grievance.objects.get().source is None  # submitted as the public does


def test_api_answers_in_the_language_asked_for(mechanism: Mechanism) -> None:
    response = Client().post(
        "/api/grievances/status",
        json.dumps({"case_code": "AAAA-BBBB", "passphrase": "wrong words here"}),
        content_type="application/json",
        headers={"Accept-Language": "fr"},
    )
    assert response.status_code == 404
    assert response.json()["detail"].startswith("Aucun")


def test_api_field_errors_speak_the_readers_language(mechanism: Mechanism) -> None:
    body = {k: v for k, v in GRIEVANCE.items() if k != "description"}
    response = Client().post(
        "/api/grievances",
        json.dumps({**body, "affected_count": "many"}),
        content_type="application/json",
        headers={"Accept-Language": "es"},
    )
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert errors["description"] == "Este campo es obligatorio."
    assert errors["affected_count"] == "Indique un número."


def test_api_accepts_a_regional_language_code(mechanism: Mechanism) -> None:
    response = api_post(Client(), "/api/grievances", {**GRIEVANCE, "language": "fr-FR"})
    assert response.status_code == 201, response.content
    assert Grievance.objects.get().language == "fr"


def test_api_answers_are_never_cached(mechanism: Mechanism) -> None:
    response = api_post(Client(), "/api/grievances", GRIEVANCE)  # carries the passphrase
    assert response.status_code == 201 and response["Cache-Control"] == "no-store"
    refused = api_post(Client(), "/api/grievances/status", {"case_code": "G", "passphrase": "x"})
    assert refused["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    "typed",
    [
        lambda code, phrase: (code.replace("-", ""), phrase.replace("-", " ")),
        lambda code, phrase: (code.replace("-", " ").lower(), phrase.lower()),
        lambda code, phrase: (code.replace("-", "–"), phrase.replace("-", "")),
    ],
)
def test_a_receipt_typed_by_hand_opens_the_case(mechanism: Mechanism, typed: Any) -> None:
    code, passphrase = receipt_of(submit(Client()))
    case_code, phrase = typed(code, passphrase)
    assert actions.find_by_receipt(case_code, phrase).case_code == code


def test_the_same_form_sent_twice_at_once_is_stored_once(
    mechanism: Mechanism, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = {"description": "The app shared my location with strangers.", "anonymous": True}
    key = "form:" + "a" * 40
    actions.submit_grievance(mechanism, data, idempotency_key=key)
    looked = actions._existing
    calls = []

    def missed_the_first(source: Any, found_key: str) -> Any:
        calls.append(found_key)
        return None if len(calls) == 1 else looked(source, found_key)  # both looked before

    monkeypatch.setattr(actions, "_existing", missed_the_first)
    with pytest.raises(actions.IdempotencyConflict):
        actions.submit_grievance(mechanism, data, idempotency_key=key)
    assert Grievance.objects.filter(idempotency_key=key).count() == 1


def test_details_written_under_anonymous_are_not_thrown_away_silently(
    mechanism: Mechanism,
) -> None:
    response = submit(Client(), identity="anonymous", name=NAME, email=EMAIL)
    assert response.status_code == 400
    assert "You chose to stay anonymous but wrote a name or contact details" in (
        response.content.decode().replace("&#x27;", "'")
    )
    assert Grievance.objects.count() == 0


@pytest.mark.parametrize(
    "typed",
    [
        lambda code, phrase: (code.translate(str.maketrans("G-", "Ｇ－")), phrase),
        lambda code, phrase: (f'"{code}"', phrase.replace("-", "/")),
        lambda code, phrase: (code.removeprefix("G-"), phrase.replace("-", "\u00a0")),
    ],
)
def test_a_receipt_typed_on_other_keyboards_opens_the_case(
    mechanism: Mechanism, typed: Any
) -> None:
    code, passphrase = receipt_of(submit(Client()))
    case_code, phrase = typed(code, passphrase)
    assert actions.find_by_receipt(case_code, phrase).case_code == code


def test_a_reply_sent_again_by_a_reload_is_stored_once(mechanism: Mechanism) -> None:
    code, passphrase = receipt_of(submit(Client()))
    reply = {
        "case_code": code,
        "passphrase": passphrase,
        "action": "reply",
        "reply-body": "The app still shares my location.",
    }
    client = Client()
    first = client.post("/en/grievances/status/", reply)
    again = client.post("/en/grievances/status/", reply)  # the browser resends on reload
    assert first.status_code == again.status_code == 200
    grievance = Grievance.objects.get(case_code=code)
    bodies = list(grievance.messages.values_list("body", flat=True))
    assert bodies == ["The app still shares my location."]
    client.post("/en/grievances/status/", {**reply, "reply-body": "And it is worse now."})
    assert grievance.messages.count() == 2  # another message is stored


def test_a_refused_reply_is_named_at_the_top_of_the_case(mechanism: Mechanism) -> None:
    code, passphrase = receipt_of(submit(Client()))
    empty = {"case_code": code, "passphrase": passphrase, "action": "reply", "reply-body": ""}
    response = Client().post("/en/grievances/status/", empty)
    assert response.status_code == 400
    body = response.content.decode()
    assert "<title>Error:" in body
    top = body[: body.index("Where your case is now")]
    assert 'role="alert"' in top and 'href="#reply"' in top and 'id="reply"' in body


def test_the_receipt_page_opens_the_case_and_saves_the_codes_without_typing(
    mechanism: Mechanism,
) -> None:
    from urllib.parse import unquote

    page = submit(Client())
    code, passphrase = receipt_of(page)
    html = page.content.decode()
    saved = re.search(r'download="[^"]+" href="data:text/plain;charset=utf-8,([^"]+)"', html)
    assert saved and code in unquote(saved.group(1)) and passphrase in unquote(saved.group(1))
    form = html[html.index('action="/en/grievances/status/"') :]
    assert f'name="case_code" value="{code}"' in form
    opened = Client().post("/en/grievances/status/", {"case_code": code, "passphrase": passphrase})
    assert opened.status_code == 200 and "Where your case is now" in opened.content.decode()


def test_only_wrong_receipts_count_against_the_status_limit(
    mechanism: Mechanism, settings: Any
) -> None:
    code, passphrase = receipt_of(submit(Client()))
    settings.UNGPKIT_RATE_LIMITS = {"status": (3, 600)}
    client = Client(REMOTE_ADDR="203.0.113.40")
    right = {"case_code": code, "passphrase": passphrase}
    for _use in range(6):  # a person reading and answering in their own case
        assert client.post("/en/grievances/status/", right).status_code == 200
    for _guess in range(3):
        wrong = client.post("/en/grievances/status/", {**right, "passphrase": "AAAA-BBBB"})
        assert wrong.status_code == 404
    assert client.post("/en/grievances/status/", right).status_code == 429  # now locked
    api = api_post(Client(REMOTE_ADDR="203.0.113.41"), "/api/grievances/status", right)
    assert api.status_code == 200


def test_a_form_shown_again_asks_for_the_files_again(mechanism: Mechanism) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = form_data(description="x")
    data["files"] = [SimpleUploadedFile("photo.png", b"\x89PNG\r\n\x1a\n" + b"0" * 32)]
    response = Client().post("/en/grievances/joint/", data)
    assert response.status_code == 400
    assert "Choose your files again" in response.content.decode()
    without = Client().post("/en/grievances/joint/", form_data(description="x"))
    assert "Choose your files again" not in without.content.decode()


def test_a_text_file_saved_by_notepad_in_unicode_is_accepted(mechanism: Mechanism) -> None:
    from ungpkit.apps.remedy.attachments import sniff

    notepad = "\ufeff계정이 정지됐어요. Mon compte est suspendu.".encode("utf-16-le")
    assert sniff(notepad) == "text/plain; charset=utf-16"
    assert sniff(b"\xff\xfe" + "a\x00b".encode("utf-16-le")) is None  # NUL: not text
    files = [SimpleUploadedFile("note.txt", notepad, content_type="text/plain")]
    response = submit(Client(), files=files)
    grievance = Grievance.objects.get(case_code=receipt_of(response)[0])
    assert grievance.attachments.get().content_type == "text/plain; charset=utf-16"


def test_a_burst_of_replies_is_limited_and_the_text_kept(
    mechanism: Mechanism, settings: Any
) -> None:
    code, passphrase = receipt_of(submit(Client()))
    settings.UNGPKIT_RATE_LIMITS = {"reply": (2, 600)}
    client = Client(REMOTE_ADDR="203.0.113.50")
    base = {"case_code": code, "passphrase": passphrase, "action": "reply"}
    for n in range(2):
        sent = client.post("/en/grievances/status/", {**base, "reply-body": f"Message {n}."})
        assert sent.status_code == 200
    limited = client.post("/en/grievances/status/", {**base, "reply-body": "A third message."})
    assert limited.status_code == 400
    body = limited.content.decode()
    assert "Too many messages from here" in body and "A third message." in body
    api = api_post(client, "/api/grievances/status/messages", {**base, "body": "Fourth."})
    assert api.status_code == 429
    assert Grievance.objects.get(case_code=code).messages.count() == 2
