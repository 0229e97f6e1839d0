"""Security and data commands of the grievance mechanism: key rotation, the audit chain's
check, retention and purge, a complainant's export and erasure by receipt, and no personal
data in the logs.

Reach first for ``mechanism`` (a secretariat with ``sec`` and one member company) and
``identified``: a grievance with a name, an email address, a stored receipt and an
attachment, made under ``OLD_KEY``.
"""

from __future__ import annotations

import json
import logging
from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client
from django.utils import timezone

from ungpkit.apps.accounts.errors import NotFound
from ungpkit.apps.accounts.models import AuditEntry, Membership, Organisation, Role
from ungpkit.apps.remedy import actions, crypto, privacy, states
from ungpkit.apps.remedy.models import Attachment, Grievance, Mechanism, Member, Message

NAME = "Oluwaseun Brightwater-Testperson"
EMAIL = "seun.brightwater@example.org"
OLD_KEY = Fernet.generate_key().decode()
NEW_KEY = Fernet.generate_key().decode()


def manage(*args: str) -> str:
    """Run ``ungpkit manage ARGS`` in-process and return its output. (``run_cli`` would go
    through ``run_from_argv``, which closes the test's database connection; a
    ``CommandError`` there is exit status 1.)"""
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def keys(settings: Any) -> Any:
    settings.UNGPKIT_ENCRYPTION_KEYS = [OLD_KEY]
    return settings


@pytest.fixture
def mechanism(db: None, keys: Any) -> Mechanism:
    secretariat = Organisation.objects.create(name="Secretariat", slug="sec", kind="mechanism")
    company = Organisation.objects.create(name="Nimbus", slug="nimbus", kind="company")
    mechanism = Mechanism.objects.create(
        organisation=secretariat, name="Joint", slug="joint", retention_days=30
    )
    Member.objects.create(mechanism=mechanism, organisation=company)
    staff = get_user_model().objects.create_user(username="sec", password=None)
    Membership.objects.create(user=staff, organisation=secretariat, role=Role.MECHANISM_STAFF)
    return mechanism


def staff() -> Any:
    return get_user_model().objects.get(username="sec")


def submit(mechanism: Mechanism, **data: Any) -> tuple[Grievance, actions.Receipt]:
    identity = data.pop("identity", None)
    key = data.pop("idempotency_key", "")
    fields = {
        "description": "My data was shared with an advertiser without my consent.",
        "anonymous": identity is None,
        **data,
    }
    grievance, receipt, _ = actions.submit_grievance(
        mechanism,
        fields,
        identity=identity,
        source=mechanism.organisation if key else None,
        idempotency_key=key,
    )
    return grievance, receipt


@pytest.fixture
def identified(mechanism: Mechanism) -> tuple[Grievance, actions.Receipt]:
    grievance, receipt = submit(
        mechanism,
        identity={"name": NAME, "email": EMAIL},
        contact_preference="email",
        idempotency_key="partner-1",
    )
    Attachment.objects.create(
        grievance=grievance,
        filename_encrypted=crypto.encrypt_bytes(b"screenshot.png").decode(),
        content_type="image/png",
        size=4,
        content_encrypted=crypto.encrypt_bytes(b"\x89PNG"),
    )
    actions.complainant_message(receipt.case_code, receipt.passphrase, f"I am {NAME}.")
    actions.post_message(staff(), grievance.pk, "Thank you, we are looking into it.")
    return grievance, receipt


# Key rotation ------------------------------------------------------------------------------


def _decrypts_everything() -> bool:
    try:
        for grievance in Grievance.objects.all():
            crypto.decrypt_json(grievance.identity_encrypted)
            crypto.decrypt_json(grievance.receipt_encrypted)
        for attachment in Attachment.objects.all():
            crypto.decrypt_bytes(bytes(attachment.content_encrypted))
            crypto.decrypt_bytes(attachment.filename_encrypted.encode())
    except crypto.DecryptionError:
        return False
    return True


def test_key_rotation_moves_everything_to_the_new_key(
    identified: tuple[Grievance, actions.Receipt], keys: Any
) -> None:
    grievance, receipt = identified
    keys.UNGPKIT_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]
    first = manage("rotate_grievance_keys")
    assert "identities: 1 re-encrypted, 0 already current" in first
    assert "receipts: 1 re-encrypted" in first
    assert "attachments: 1 re-encrypted" in first
    again = manage("rotate_grievance_keys")  # idempotent
    assert "identities: 0 re-encrypted, 1 already current" in again
    assert "attachments: 0 re-encrypted, 1 already current" in again

    keys.UNGPKIT_ENCRYPTION_KEYS = [NEW_KEY]  # the old key is removed
    assert _decrypts_everything()
    stored = Grievance.objects.get(pk=grievance.pk)
    assert crypto.decrypt_json(stored.identity_encrypted) == {"name": NAME, "email": EMAIL}
    assert crypto.decrypt_json(stored.receipt_encrypted)["passphrase"] == receipt.passphrase
    assert crypto.decrypt_bytes(bytes(Attachment.objects.get().content_encrypted)) == b"\x89PNG"

    keys.UNGPKIT_ENCRYPTION_KEYS = [OLD_KEY]  # the old key alone opens nothing any more
    assert not _decrypts_everything()
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt_json(stored.identity_encrypted)
    assert AuditEntry.objects.filter(action="remedy.keys_rotated").count() == 2


def test_rotation_refuses_data_no_key_opens(
    identified: tuple[Grievance, actions.Receipt], keys: Any
) -> None:
    keys.UNGPKIT_ENCRYPTION_KEYS = [NEW_KEY]
    with pytest.raises(CommandError, match="cannot be decrypted"):
        call_command("rotate_grievance_keys")
    keys.UNGPKIT_ENCRYPTION_KEYS = [OLD_KEY]
    assert _decrypts_everything()  # nothing was changed


# The audit log -----------------------------------------------------------------------------


def test_verify_audit_log_detects_tampering(identified: tuple[Grievance, actions.Receipt]) -> None:
    intact = manage("verify_audit_log")
    assert "The audit log is intact" in intact
    entry = AuditEntry.objects.filter(action="remedy.message_posted").get()
    table = AuditEntry._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET action = %s WHERE id = %s", ["remedy.nothing", entry.pk]
        )
    with pytest.raises(CommandError, match=f"broken at entry {entry.pk}"):
        call_command("verify_audit_log")


def test_every_change_and_identity_read_is_audited(
    identified: tuple[Grievance, actions.Receipt],
) -> None:
    grievance, _receipt = identified
    actions.reveal_identity(staff(), grievance.pk)
    actions.move(staff(), grievance.pk, states.ACKNOWLEDGED)
    recorded = list(
        AuditEntry.objects.filter(object_id=str(grievance.pk)).values_list("action", flat=True)
    )
    assert recorded == [
        "remedy.grievance_received",
        "remedy.complainant_message",
        "remedy.message_posted",
        "remedy.identity_read",
        "remedy.case_moved",
    ]
    read = AuditEntry.objects.get(action="remedy.identity_read")
    assert read.actor_id == staff().pk


# Retention ---------------------------------------------------------------------------------


def _close(grievance: Grievance, days_ago: int) -> None:
    Grievance.objects.filter(pk=grievance.pk).update(
        state=states.CLOSED, closed_at=timezone.now() - timedelta(days=days_ago)
    )


def test_purge_deletes_closed_cases_past_retention(
    identified: tuple[Grievance, actions.Receipt], mechanism: Mechanism
) -> None:
    old, _ = identified
    recent, _ = submit(mechanism)
    open_case, _ = submit(mechanism)
    _close(old, 31)
    _close(recent, 29)
    Grievance.objects.filter(pk=open_case.pk).update(
        created_at=timezone.now() - timedelta(days=400)
    )

    dry = manage("purge_grievances", "--dry-run")
    assert "1 case(s) would be deleted." in dry
    assert Grievance.objects.count() == 3

    done = manage("purge_grievances")
    assert "1 case(s) deleted." in done
    assert set(Grievance.objects.values_list("pk", flat=True)) == {recent.pk, open_case.pk}
    assert not Attachment.objects.exists()
    assert not Message.objects.filter(grievance_id=old.pk).exists()
    purge = AuditEntry.objects.get(action="remedy.grievances_purged")
    assert purge.details == {"count": 1, "retention_days": 30}
    assert "intact" in manage("verify_audit_log")


# A complainant's export and erasure -------------------------------------------------------


def test_export_of_own_case_by_receipt(identified: tuple[Grievance, actions.Receipt]) -> None:
    grievance, receipt = identified
    actions.post_message(staff(), grievance.pk, "Internal: check the logs.", internal=True)
    data = privacy.export_own_case(receipt.case_code, receipt.passphrase)
    assert data["case_code"] == grievance.case_code
    assert data["identity"] == {"name": NAME, "email": EMAIL}
    assert data["attachments"][0]["filename"] == "screenshot.png"
    bodies = [m["body"] for m in data["messages"]]
    assert "Thank you, we are looking into it." in bodies
    assert "Internal: check the logs." not in bodies
    json.dumps(data)  # serialisable as it is
    assert AuditEntry.objects.filter(action="remedy.complainant_export").count() == 1
    with pytest.raises(NotFound):
        privacy.export_own_case(receipt.case_code, "WRONG-PASS-PHRA-SE00")


def test_erasure_removes_personal_data_and_marks_the_case(
    identified: tuple[Grievance, actions.Receipt],
) -> None:
    grievance, receipt = identified
    erasure = privacy.erase_own_data(receipt.case_code, receipt.passphrase)
    assert erasure == privacy.Erasure(identity=True, attachments=1, messages=1)
    stored = Grievance.objects.get(pk=grievance.pk)
    assert stored.identity_encrypted == "" and stored.receipt_encrypted == ""
    assert stored.anonymous and stored.erased_at is not None
    assert not Attachment.objects.filter(grievance=stored).exists()
    assert list(
        Message.objects.filter(grievance=stored).values_list("from_complainant", flat=True)
    ) == [False]
    entry = AuditEntry.objects.get(action="remedy.personal_data_erased")
    assert entry.details == {
        "identity": True,
        "consent_record": False,
        "attachments": 1,
        "messages": 1,
    }
    client = Client()
    client.force_login(staff())
    body = client.get(f"/en/remedy/cases/{stored.pk}/").content.decode()
    assert "asked for their personal data to be erased" in body
    assert "Reveal identity" not in body


# No personal data in logs ------------------------------------------------------------------


def test_no_personal_data_in_logs(
    mechanism: Mechanism,
    caplog: pytest.LogCaptureFixture,
    django_capture_on_commit_callbacks: Any,
    settings: Any,
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    caplog.set_level(logging.DEBUG)
    with django_capture_on_commit_callbacks(execute=True):
        grievance, receipt = submit(
            mechanism, identity={"name": NAME, "email": EMAIL}, contact_preference="email"
        )
        actions.route(staff(), grievance.pk, [mechanism.members.get().pk])
        actions.reveal_identity(staff(), grievance.pk)
        actions.move(staff(), grievance.pk, states.ACKNOWLEDGED)
        actions.post_message(staff(), grievance.pk, "We will call you.")
    client = Client()
    client.force_login(staff())
    client.post(f"/en/remedy/cases/{grievance.pk}/identity/")
    client.post(
        f"/en/remedy/cases/{grievance.pk}/escalations/",
        {"body_type": "nhri", "body_name": "NHRI", "consent": "Yes.", "share_identity": "on"},
    )
    escalation = grievance.escalations.get()
    client.get(f"/en/remedy/cases/{grievance.pk}/escalations/{escalation.pk}/case-file.json")
    client.get(f"/api/remedy/cases/{grievance.pk}/escalations/{escalation.pk}/case-file?format=pdf")
    privacy.export_own_case(receipt.case_code, receipt.passphrase)
    privacy.erase_own_data(receipt.case_code, receipt.passphrase)
    call_command("rotate_grievance_keys")
    client.get("/en/remedy/cases/999999/")  # logged as "Not Found"
    client.post(f"/en/remedy/cases/{grievance.pk}/move/", {"target": "closed"})  # "Bad Request"
    assert caplog.records, "expected the flow to log something"
    for text in (NAME, EMAIL, NAME.split()[0], EMAIL.split("@")[0]):
        assert text not in caplog.text
        for entry in AuditEntry.objects.all():
            assert text not in json.dumps(entry.details, ensure_ascii=False)


def test_a_failing_mail_server_logs_no_address(
    identified: tuple[Grievance, actions.Receipt],
    caplog: pytest.LogCaptureFixture,
    settings: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from ungpkit.apps.remedy import notifications

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise OSError(f"cannot deliver to {EMAIL}")

    monkeypatch.setattr(notifications, "send_mail", refuse)
    caplog.set_level(logging.DEBUG)
    grievance, _receipt = identified
    assert notifications.email_complainant(grievance.pk) is False
    assert "Could not email" in caplog.text
    assert EMAIL not in caplog.text


def test_erasure_also_removes_the_record_of_consent(mechanism: Mechanism) -> None:
    grievance, receipt = submit(
        mechanism, on_behalf=True, consent_record="Maria Onbehalf agreed by phone on 2 May."
    )
    privacy.erase_own_data(receipt.case_code, receipt.passphrase)
    stored = Grievance.objects.get(pk=grievance.pk)
    assert stored.consent_record == "" and stored.on_behalf
    entry = AuditEntry.objects.get(action="remedy.personal_data_erased")
    assert entry.details["consent_record"] is True


def test_an_identity_no_key_opens_is_a_clear_503_and_no_read_is_recorded(
    identified: tuple[Grievance, actions.Receipt], settings: Any
) -> None:
    grievance, _receipt = identified
    settings.UNGPKIT_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]  # the old key is gone
    crypto._cipher.cache_clear()
    client = Client()
    client.force_login(staff())
    reads = AuditEntry.objects.filter(action="remedy.identity_read")

    api = client.post(f"/api/remedy/cases/{grievance.pk}/identity")
    page = client.post(f"/en/remedy/cases/{grievance.pk}/identity/")

    assert api.status_code == 503 and api.json()["code"] == "unavailable"
    assert "UNGPKIT_ENCRYPTION_KEYS" in api.json()["detail"]
    assert page.status_code == 503 and "no longer has" in page.content.decode()
    assert EMAIL not in page.content.decode()
    assert not reads.exists()  # nothing was read


def test_the_complainants_files_open_for_the_secretariat_audited_and_never_inline(
    identified: tuple[Grievance, actions.Receipt], mechanism: Mechanism
) -> None:
    grievance, _receipt = identified
    attachment = grievance.attachments.get()
    client = Client()
    client.force_login(staff())

    page = client.get(f"/en/remedy/cases/{grievance.pk}/").content.decode()
    response = client.get(f"/en/remedy/cases/{grievance.pk}/files/{attachment.pk}/")

    assert "screenshot.png" in page
    assert response.status_code == 200 and response.content == b"\x89PNG"
    assert response["Content-Disposition"] == 'attachment; filename="screenshot.png"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    entry = AuditEntry.objects.get(action="remedy.attachment_read")
    assert entry.details == {"attachment": attachment.pk} and entry.actor_id == staff().pk

    # A member company's staff, without the complainant's consent to be seen: no file.
    company = Member.objects.get(mechanism=mechanism).organisation
    worker = get_user_model().objects.create_user(username="company-staff", password=None)
    Membership.objects.create(user=worker, organisation=company, role=Role.COMPANY_MEMBER)
    actions.route(staff(), grievance.pk, [Member.objects.get(mechanism=mechanism).pk])
    member = Client()
    member.force_login(worker)
    assert "screenshot.png" not in member.get(f"/en/remedy/cases/{grievance.pk}/").content.decode()
    refused = member.get(f"/en/remedy/cases/{grievance.pk}/files/{attachment.pk}/")
    assert refused.status_code == 403
    assert AuditEntry.objects.filter(action="remedy.attachment_read").count() == 1
