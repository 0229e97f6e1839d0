"""The admin writes through the actions, so it leaves the same audit trail."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.test import Client

from ungpkit.apps.accounts.models import AuditEntry, Membership, Organisation, Role


def test_admin_creates_organisations_through_the_action(
    client: Client, platform_admin: Any
) -> None:
    client.force_login(platform_admin)

    response = client.post(
        "/admin/accounts/organisation/add/",
        {"name": "Regulatory Authority", "kind": "regulator", "country": "es", "slug": ""},
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    organisation = Organisation.objects.get(name="Regulatory Authority")
    assert (organisation.country, organisation.slug) == ("ES", "regulatory-authority")
    assert AuditEntry.objects.filter(action="organisation.created").count() == 1


def test_admin_changes_roles_through_the_action(
    client: Client,
    platform_admin: Any,
    organisation: Organisation,
    make_user: Callable[..., Any],
) -> None:
    client.force_login(platform_admin)
    person = make_user("person")

    added = client.post(
        "/admin/accounts/membership/add/",
        {"user": person.pk, "organisation": organisation.pk, "role": Role.COMPANY_MEMBER},
    )
    assert added.status_code == 302, added.content.decode()
    membership = Membership.objects.get(user=person)
    changed = client.post(
        f"/admin/accounts/membership/{membership.pk}/change/", {"role": Role.REGULATOR}
    )

    assert (added.status_code, changed.status_code) == (302, 302)
    assert Membership.objects.get(pk=membership.pk).role == Role.REGULATOR
    actions = list(AuditEntry.objects.order_by("id").values_list("action", flat=True))
    assert actions[-2:] == ["membership.added", "membership.role_changed"]


def test_audit_log_is_read_only_in_the_admin(
    client: Client, platform_admin: Any, organisation: Organisation
) -> None:
    client.force_login(platform_admin)
    entry = AuditEntry.objects.first()
    assert entry is not None

    assert client.get("/admin/accounts/auditentry/").status_code == 200
    assert client.get("/admin/accounts/auditentry/add/").status_code == 403
    assert client.post(f"/admin/accounts/auditentry/{entry.pk}/delete/").status_code == 403


def test_changing_who_runs_a_mechanism_in_the_admin_is_audited(
    client: Client, platform_admin: Any, organisation: Organisation
) -> None:
    from ungpkit.apps.remedy.models import Mechanism

    other = Organisation.objects.create(name="Other Secretariat", slug="other", kind="mechanism")
    mechanism = Mechanism.objects.create(
        organisation=organisation, name="Joint mechanism", slug="joint", retention_days=3650
    )
    client.force_login(platform_admin)
    form = {
        "name": "Joint mechanism",
        "slug": "joint",
        "organisation": other.pk,
        "retention_days": 1,
        "deadline_days": "{}",
        "created_at_0": "2026-01-01",
        "created_at_1": "10:00:00",
        "members-TOTAL_FORMS": "1",
        "members-INITIAL_FORMS": "0",
        "members-MIN_NUM_FORMS": "0",
        "members-MAX_NUM_FORMS": "1000",
        "members-0-organisation": organisation.pk,
        "members-0-mechanism": mechanism.pk,
        "members-0-joined_at_0": "2026-01-01",
        "members-0-joined_at_1": "10:00:00",
    }

    response = client.post(f"/admin/remedy/mechanism/{mechanism.pk}/change/", form)

    assert response.status_code == 302, response.content.decode()[:3000]
    changed = AuditEntry.objects.get(action="remedy.mechanism_changed")
    assert changed.actor_id == platform_admin.pk
    assert {"organisation", "retention_days"} <= set(changed.details["fields"])
    assert changed.details["retention_days"] == 1
    members = AuditEntry.objects.get(action="remedy.members_changed")
    assert len(members.details["added"]) == 1
    deleted = client.post(f"/admin/remedy/mechanism/{mechanism.pk}/delete/", {"post": "yes"})
    assert deleted.status_code == 403 and Mechanism.objects.filter(pk=mechanism.pk).exists()


def test_removing_members_in_the_admin_is_audited_with_their_ids(
    client: Client, platform_admin: Any, organisation: Organisation
) -> None:
    from ungpkit.apps.remedy.models import Mechanism, Member

    mechanism = Mechanism.objects.create(organisation=organisation, name="Joint", slug="joint")
    companies = [
        Organisation.objects.create(name=f"Company {n}", slug=f"company-{n}", kind="company")
        for n in range(2)
    ]
    members = [Member.objects.create(mechanism=mechanism, organisation=c) for c in companies]
    client.force_login(platform_admin)
    form = {
        "name": "Joint",
        "slug": "joint",
        "organisation": organisation.pk,
        "retention_days": mechanism.retention_days,
        "deadline_days": "{}",
        "created_at_0": "2026-01-01",
        "created_at_1": "10:00:00",
        "members-TOTAL_FORMS": "2",
        "members-INITIAL_FORMS": "2",
        "members-MIN_NUM_FORMS": "0",
        "members-MAX_NUM_FORMS": "1000",
    }
    for n, member in enumerate(members):
        form |= {
            f"members-{n}-id": member.pk,
            f"members-{n}-mechanism": mechanism.pk,
            f"members-{n}-organisation": member.organisation_id,
            f"members-{n}-joined_at_0": "2026-01-01",
            f"members-{n}-joined_at_1": "10:00:00",
            f"members-{n}-DELETE": "on",
        }

    response = client.post(f"/admin/remedy/mechanism/{mechanism.pk}/change/", form)

    assert response.status_code == 302, response.content.decode()[:2000]
    assert not Member.objects.filter(mechanism=mechanism).exists()
    entry = AuditEntry.objects.get(action="remedy.members_changed")
    assert entry.details["removed"] == sorted(m.pk for m in members)
