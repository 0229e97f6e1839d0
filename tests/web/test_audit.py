"""The audit log only grows: entries are stored with their content hash, the sealer links them
into a hash chain afterwards, and verification shows any tampering, sealed or not."""

from __future__ import annotations

import itertools
import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, models, transaction

from ungpkit.apps.accounts import actions, audit
from ungpkit.apps.accounts.errors import AuditLogImmutable
from ungpkit.apps.accounts.models import GENESIS_HASH, AuditEntry, ChainLink, Organisation, Role

POSTGRES = os.environ.get("DATABASE_URL", "").startswith(("postgres", "pgsql"))


@pytest.fixture
def history(organisation: Organisation, org_admin: Any, make_user: Callable[..., Any]) -> None:
    """A few audited actions on top of the organisation fixture's two."""
    person = make_user("person")
    actions.add_member(org_admin, organisation.pk, person.pk, Role.COMPANY_MEMBER)
    actions.change_role(org_admin, organisation.pk, person.pk, Role.EXPERT_REVIEWER)
    actions.issue_api_token(person, "script")


@pytest.fixture
def sealed(history: None) -> list[AuditEntry]:
    """The history, sealed: five entries in the chain."""
    assert audit.seal_audit_log() == audit.SealReport(sealed=5)
    return list(AuditEntry.objects.order_by("id"))


def tamper(entry: AuditEntry, **columns: Any) -> None:
    """Change stored columns, bypassing the model's guards the way a direct database edit would."""
    models.QuerySet.update(AuditEntry.objects.filter(pk=entry.pk), **columns)


def manage(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


# Recording and sealing ---------------------------------------------------------------------


@pytest.mark.django_db
def test_an_empty_log_verifies() -> None:
    assert audit.verify_audit_chain() == audit.ChainReport(ok=True, checked=0)
    assert audit.seal_audit_log() == audit.SealReport(sealed=0)


def test_entries_are_stored_with_their_content_hash_and_verify_before_sealing(
    history: None,
) -> None:
    entries = list(AuditEntry.objects.order_by("id"))

    assert all(e.content_hash == e.compute_content_hash() for e in entries)
    assert not any(e.sealed for e in entries)
    assert audit.verify_audit_chain() == audit.ChainReport(True, checked=5, unsealed=5)


def test_sealing_links_the_entries_into_a_chain_in_id_order(sealed: list[AuditEntry]) -> None:
    assert [e.chain_position for e in sealed] == [1, 2, 3, 4, 5]
    assert sealed[0].previous_hash == GENESIS_HASH
    for before, after in itertools.pairwise(sealed):
        assert after.previous_hash == before.entry_hash
    for entry in sealed:
        assert entry.entry_hash == entry.compute_hash(entry.previous_hash or "")
    assert audit.verify_audit_chain() == audit.ChainReport(True, checked=5)
    assert audit.seal_audit_log() == audit.SealReport(sealed=0)


def test_sealing_goes_on_from_the_last_sealed_entry_in_any_batch_size(
    sealed: list[AuditEntry], org_admin: Any
) -> None:
    for number in range(7):
        actions.issue_api_token(org_admin, f"token {number}")

    assert audit.seal_audit_log(batch_size=3) == audit.SealReport(sealed=7)

    entries = list(AuditEntry.objects.order_by("chain_position"))
    assert [e.chain_position for e in entries] == list(range(1, 13))
    assert [e.pk for e in entries] == sorted(e.pk for e in entries)
    assert entries[5].previous_hash == sealed[-1].entry_hash
    assert audit.verify_audit_chain() == audit.ChainReport(True, checked=12)


def test_sealing_can_be_limited(history: None) -> None:
    assert audit.seal_audit_log(batch_size=2, limit=3) == audit.SealReport(sealed=3)
    assert audit.verify_audit_chain() == audit.ChainReport(True, checked=5, unsealed=2)


@pytest.mark.django_db
def test_an_entry_committed_after_later_ones_were_sealed_joins_the_end_of_the_chain() -> None:
    """On PostgreSQL ids are taken at insert and transactions commit in any order: an entry
    can become visible after entries with higher ids were sealed. It is sealed next."""
    first, third = (_entry_with_id(10**9 + n) for n in (1, 3))
    assert audit.seal_audit_log().sealed == 2
    late = _entry_with_id(10**9 + 2)

    assert audit.seal_audit_log().sealed == 1

    chain = list(AuditEntry.objects.order_by("chain_position").values_list("pk", flat=True))
    assert chain == [first.pk, third.pk, late.pk]
    assert audit.verify_audit_chain() == audit.ChainReport(True, checked=3)


def _entry_with_id(pk: int) -> AuditEntry:
    entry = AuditEntry(pk=pk, action="test.recorded", details={"n": pk})
    entry.content_hash = entry.compute_content_hash()
    entry.save(force_insert=True)
    return entry


# Tampering -----------------------------------------------------------------------------------


def test_a_changed_sealed_entry_is_detected(sealed: list[AuditEntry]) -> None:
    tamper(sealed[2], details={"role": "x"})

    report = audit.verify_audit_chain()

    assert (report.ok, report.broken_at, report.checked) == (False, sealed[2].pk, 2)
    assert report.reason == "content does not match its hash"


def test_a_changed_sealed_entry_with_a_recomputed_content_hash_is_detected(
    sealed: list[AuditEntry],
) -> None:
    target = sealed[2]
    target.details = {"role": "x"}
    tamper(target, details=target.details, content_hash=target.compute_content_hash())

    report = audit.verify_audit_chain()

    assert (report.ok, report.broken_at, report.checked) == (False, target.pk, 2)
    assert report.reason == "content does not match its hash in the chain"


def test_a_changed_unsealed_entry_is_detected_and_never_sealed(history: None) -> None:
    target = AuditEntry.objects.order_by("id")[2]
    tamper(target, details={"role": "x"})

    report = audit.verify_audit_chain()
    assert (report.ok, report.broken_at, report.checked) == (False, target.pk, 2)
    assert "hash" in report.reason

    assert audit.seal_audit_log() == audit.SealReport(
        sealed=2, stopped_at=target.pk, reason="content does not match its hash"
    )
    assert AuditEntry.objects.unsealed().count() == 3
    assert audit.verify_audit_chain().broken_at == target.pk


def test_a_removed_sealed_entry_is_detected(sealed: list[AuditEntry]) -> None:
    models.QuerySet.delete(AuditEntry.objects.filter(pk=sealed[1].pk))

    report = audit.verify_audit_chain()

    assert (report.ok, report.broken_at, report.checked) == (False, sealed[2].pk, 1)
    assert report.reason == "the entry before it in the chain is missing"


def test_a_removed_sealed_entry_is_detected_when_the_chain_is_renumbered(
    sealed: list[AuditEntry],
) -> None:
    models.QuerySet.delete(AuditEntry.objects.filter(pk=sealed[1].pk))
    for entry in sealed[2:]:
        tamper(entry, chain_position=(entry.chain_position or 0) - 1)

    report = audit.verify_audit_chain()

    assert (report.ok, report.broken_at) == (False, sealed[2].pk)
    assert report.reason == "does not link to the entry before it"


def test_reordered_entries_are_detected(sealed: list[AuditEntry]) -> None:
    tamper(sealed[1], chain_position=-2)
    tamper(sealed[2], chain_position=2)
    tamper(sealed[1], chain_position=3)

    report = audit.verify_audit_chain()

    assert (report.ok, report.broken_at) == (False, sealed[2].pk)
    assert report.reason == "does not link to the entry before it"


def test_an_entry_taken_out_of_the_chain_is_detected(sealed: list[AuditEntry]) -> None:
    tamper(sealed[1], chain_position=None, previous_hash=None, entry_hash=None)

    report = audit.verify_audit_chain()

    assert (report.ok, report.broken_at) == (False, sealed[2].pk)
    assert report.reason == "the entry before it in the chain is missing"


# The log only grows ----------------------------------------------------------------------------


def test_entries_cannot_be_changed_or_deleted_through_django(sealed: list[AuditEntry]) -> None:
    entry = sealed[0]
    entry.action = "nothing.happened"

    with pytest.raises(AuditLogImmutable):
        entry.save()
    with pytest.raises(AuditLogImmutable):
        entry.delete()
    with pytest.raises(AuditLogImmutable):
        AuditEntry.objects.update(action="nothing.happened")
    with pytest.raises(AuditLogImmutable):
        AuditEntry.objects.all().delete()
    with pytest.raises(AuditLogImmutable):
        AuditEntry.objects.unsealed().update(entry_hash="0" * 64)
    assert audit.verify_audit_chain().ok


def test_the_sealer_write_never_changes_a_sealed_entry(sealed: list[AuditEntry]) -> None:
    target = sealed[1]

    changed = AuditEntry.objects.link_into_chain([ChainLink(target.pk, 9, "a" * 64, "b" * 64)])

    assert changed == 0
    target.refresh_from_db()
    assert (target.chain_position, target.previous_hash) == (2, sealed[0].entry_hash)
    assert audit.verify_audit_chain().ok


def test_deleting_a_user_keeps_the_log_intact(sealed: list[AuditEntry], make_user: Any) -> None:
    leaver = make_user("leaver")
    actions.issue_api_token(leaver, "one-off")
    leaver_id = leaver.pk

    leaver.delete()

    assert AuditEntry.objects.filter(actor_id=leaver_id).exists()
    assert audit.seal_audit_log().sealed == 1
    assert audit.verify_audit_chain().ok


@pytest.mark.django_db
def test_details_refuse_personal_data() -> None:
    with pytest.raises(ValueError, match="personal data"):
        audit.record(None, "test.recorded", details={"Email": "someone@example.org"})

    assert not AuditEntry.objects.exists()


# Commands ------------------------------------------------------------------------------------


def test_the_commands_seal_then_verify(history: None) -> None:
    assert "5 entries checked, 5 of them not sealed yet" in manage("verify_audit_log", "--no-seal")
    assert AuditEntry.objects.unsealed().count() == 5

    assert "Sealed 5 audit entries." in manage("seal_audit_log", "--batch-size", "3")
    assert "Sealed 0 audit entries." in manage("seal_audit_log")

    out = manage("verify_audit_log")
    assert "The audit log is intact: 5 entries checked." in out
    assert "Sealed" not in out


def test_verify_audit_log_seals_new_entries_first(history: None) -> None:
    out = manage("verify_audit_log")

    assert "Sealed 5 new audit entries." in out
    assert "The audit log is intact: 5 entries checked." in out
    assert not AuditEntry.objects.unsealed().exists()


def test_the_commands_name_a_tampered_entry(history: None) -> None:
    target = AuditEntry.objects.order_by("id")[3]
    tamper(target, action="nothing.happened")

    with pytest.raises(CommandError, match=f"stopped at entry {target.pk}"):
        call_command("seal_audit_log")
    with pytest.raises(CommandError, match=f"broken at entry {target.pk}"):
        call_command("verify_audit_log")


# Concurrency (PostgreSQL) ----------------------------------------------------------------------

needs_postgres = pytest.mark.skipif(
    not POSTGRES, reason="concurrent transactions need PostgreSQL (SQLite has one writer)"
)


def _in_thread(work: Callable[[], Any]) -> Callable[[], Any]:
    def run() -> Any:
        try:
            return work()
        finally:
            connection.close()

    return run


def _record(number: int) -> None:
    with transaction.atomic():
        audit.record(None, "test.recorded", details={"n": number})


@pytest.mark.postgres
@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_appends_do_not_wait_for_each_other_and_late_commits_are_sealed() -> None:
    recorded, release = threading.Event(), threading.Event()

    def slow_request() -> int:
        with transaction.atomic():
            entry = audit.record(None, "test.slow")
            recorded.set()
            assert release.wait(timeout=30)
        return int(entry.pk)

    with ThreadPoolExecutor(max_workers=2) as pool:
        slow = pool.submit(_in_thread(slow_request))
        assert recorded.wait(timeout=30)
        # While the slow transaction holds its entry uncommitted, others record and commit.
        pool.submit(_in_thread(lambda: [_record(n) for n in range(3)])).result(timeout=10)
        assert audit.seal_audit_log().sealed == 3
        release.set()
        slow_id = slow.result(timeout=30)

    assert audit.seal_audit_log().sealed == 1
    last = AuditEntry.objects.order_by("-chain_position").first()
    assert last is not None and (last.pk, last.chain_position) == (slow_id, 4)
    assert last.pk < max(AuditEntry.objects.values_list("pk", flat=True))
    assert audit.verify_audit_chain() == audit.ChainReport(True, checked=4)


@pytest.mark.postgres
@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_and_sealers_build_one_intact_chain() -> None:
    writers, per_writer, done = 8, 40, threading.Event()

    def write(offset: int) -> None:
        for number in range(per_writer):
            _record(offset * per_writer + number)

    def seal_until_done() -> int:
        total = 0
        while not done.is_set():
            total += audit.seal_audit_log(batch_size=7).sealed
        return total

    with ThreadPoolExecutor(max_workers=writers + 2) as pool:
        sealers = [pool.submit(_in_thread(seal_until_done)) for _ in range(2)]
        for future in [pool.submit(_in_thread(lambda o=o: write(o))) for o in range(writers)]:
            future.result(timeout=120)
        done.set()
        sealed_meanwhile = sum(s.result(timeout=60) for s in sealers)

    remaining = audit.seal_audit_log().sealed
    total = writers * per_writer
    assert sealed_meanwhile + remaining == total
    positions = sorted(AuditEntry.objects.values_list("chain_position", flat=True))
    assert positions == list(range(1, total + 1))
    details = sorted(AuditEntry.objects.values_list("details__n", flat=True))
    assert details == list(range(total))
    assert audit.verify_audit_chain() == audit.ChainReport(True, checked=total)


def test_without_workers_each_request_seals_what_it_wrote(
    client: Any, django_user_model: Any, settings: Any
) -> None:
    """UNGPKIT_TASK_BACKEND=immediate (one machine, no worker): nothing else would seal, and
    an unsealed entry can be deleted without a trace."""
    from django.test import Client

    from ungpkit.apps.accounts import audit
    from ungpkit.apps.accounts.models import AuditEntry

    assert "ungpkit.web.middleware.AuditSealMiddleware" in settings.MIDDLEWARE
    admin = django_user_model.objects.create_superuser("root", password="pw-123456789")
    browser = Client()
    browser.force_login(admin)
    response = browser.post(
        "/api/accounts/tokens", '{"name": "nightly import"}', content_type="application/json"
    )
    assert response.status_code in (200, 201), response.content
    assert AuditEntry.objects.exists() and not AuditEntry.objects.unsealed().exists()
    report = audit.verify_audit_chain()
    assert report.ok and report.unsealed == 0
