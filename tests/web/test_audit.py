"""The audit log only grows, and its hash chain shows any tampering."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import pytest
from django.db import models

from ungpkit.apps.accounts import actions, audit
from ungpkit.apps.accounts.errors import AuditLogImmutable
from ungpkit.apps.accounts.models import GENESIS_HASH, AuditEntry, Organisation, Role


@pytest.fixture
def history(organisation: Organisation, org_admin: Any, make_user: Callable[..., Any]) -> None:
    """A few audited actions on top of the organisation fixture's two."""
    person = make_user("person")
    actions.add_member(org_admin, organisation.pk, person.pk, Role.COMPANY_MEMBER)
    actions.change_role(org_admin, organisation.pk, person.pk, Role.EXPERT_REVIEWER)
    actions.issue_api_token(person, "script")


@pytest.mark.django_db
def test_an_empty_log_verifies() -> None:
    assert audit.verify_audit_chain() == audit.ChainReport(ok=True, checked=0)


def test_entries_form_a_chain_that_verifies(history: None) -> None:
    entries = list(AuditEntry.objects.order_by("id"))

    assert entries[0].previous_hash == GENESIS_HASH
    for before, after in itertools.pairwise(entries):
        assert after.previous_hash == before.entry_hash
    report = audit.verify_audit_chain()
    assert report.ok
    assert report.checked == len(entries) == 5


def test_a_changed_entry_is_detected(history: None) -> None:
    target = AuditEntry.objects.order_by("id")[2]
    # Bypass the model's guards the way a direct database edit would.
    models.QuerySet.update(AuditEntry.objects.filter(pk=target.pk), details={"role": "x"})

    report = audit.verify_audit_chain()

    assert not report.ok
    assert report.broken_at == target.pk
    assert report.checked == 2
    assert "hash" in report.reason


def test_a_removed_entry_is_detected(history: None) -> None:
    entries = list(AuditEntry.objects.order_by("id"))
    models.QuerySet.delete(AuditEntry.objects.filter(pk=entries[1].pk))

    report = audit.verify_audit_chain()

    assert not report.ok
    assert report.broken_at == entries[2].pk
    assert "link" in report.reason


def test_entries_cannot_be_changed_or_deleted_through_django(history: None) -> None:
    entry = AuditEntry.objects.first()
    assert entry is not None
    entry.action = "nothing.happened"

    with pytest.raises(AuditLogImmutable):
        entry.save()
    with pytest.raises(AuditLogImmutable):
        entry.delete()
    with pytest.raises(AuditLogImmutable):
        AuditEntry.objects.update(action="nothing.happened")
    with pytest.raises(AuditLogImmutable):
        AuditEntry.objects.all().delete()
    assert audit.verify_audit_chain().ok


def test_deleting_a_user_keeps_the_log_intact(history: None, make_user: Callable[..., Any]) -> None:
    leaver = make_user("leaver")
    actions.issue_api_token(leaver, "one-off")
    leaver_id = leaver.pk

    leaver.delete()

    assert AuditEntry.objects.filter(actor_id=leaver_id).exists()
    assert audit.verify_audit_chain().ok


@pytest.mark.django_db
def test_details_refuse_personal_data() -> None:
    with pytest.raises(ValueError, match="personal data"):
        audit.record(None, "test.recorded", details={"Email": "someone@example.org"})

    assert not AuditEntry.objects.exists()
