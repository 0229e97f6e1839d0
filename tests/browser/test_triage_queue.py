"""The mechanism's staff work the priority queue in a real browser, without JavaScript: the
most severe case comes first with the reason for its place, they open its triage and correct
it; then they make a collective case of the biggest cluster of the demo (one data breach)
and move all its cases at once. And an axe-core check of the queue, cluster and collective
pages."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from ungpkit.apps.remedy.models import Grievance, Transition
from ungpkit.apps.triage.models import Cluster, CollectiveCase, TriageRecord


def test_staff_work_the_queue_and_move_a_mass_complaint_together(
    demo_site: Any, new_page: Callable[..., Any], sign_in: Callable[..., None]
) -> None:
    page = new_page(javascript=False)
    sign_in(page, "staff")
    page.goto(f"{demo_site.url}/en/remedy/")
    page.get_by_role("link", name="Priority queue").click()
    page.wait_for_url(f"{demo_site.url}/en/triage/")

    first = TriageRecord.objects.filter(open=True).order_by("-priority", "created_at").first()
    assert first is not None
    top_row = page.locator("tbody tr").first
    assert first.grievance.case_code in top_row.inner_text()
    assert first.priority_reasons[0]["detail"] in top_row.inner_text()

    top_row.get_by_role("link", name=re.compile(r"^Triage")).click()
    page.wait_for_url(re.compile(rf"/en/triage/cases/{first.grievance_id}/$"))
    assert page.get_by_role(
        "heading", name=f"Triage of case {first.grievance.case_code}"
    ).is_visible()
    page.get_by_label("Fear of reprisal").check()
    page.get_by_label("Scale (how grave)").select_option("3")
    page.get_by_role("button", name="Save the triage").click()
    assert page.get_by_text("The triage is confirmed and the priority updated.").is_visible()
    record = TriageRecord.objects.get(pk=first.pk)
    assert record.confirmed_by is not None and record.confirmed_by.username == "staff"
    assert "urgent.reprisal" in record.urgency and record.scale == 3

    page.get_by_role("link", name="Mass complaints").click()
    biggest = Cluster.objects.order_by("-size").first()
    assert biggest is not None and biggest.size >= 12
    page.get_by_role("link", name=biggest.label).click()
    page.wait_for_url(re.compile(rf"/en/triage/clusters/{biggest.pk}/$"))
    page.get_by_label("Title of the collective case").fill("LumenPay data breach")
    page.get_by_role("button", name="Make a collective case").click()
    assert page.get_by_text("The cluster is now a collective case.").is_visible()
    collective = CollectiveCase.objects.get(title="LumenPay data breach")
    assert page.get_by_role("heading", name="Collective case: LumenPay data breach").is_visible()

    page.get_by_label("Next step").select_option("acknowledged")
    page.get_by_role("button", name="Move the cases").click()
    assert page.get_by_text(f"{biggest.size} cases moved to the step “Acknowledged”.").is_visible()
    members = Grievance.objects.filter(collective_membership__collective=collective)
    assert members.count() == biggest.size
    for grievance in members:
        assert grievance.state == "acknowledged"
        assert Transition.objects.filter(grievance=grievance, to_state="acknowledged").count() == 1


def test_triage_pages_have_no_serious_accessibility_violations(
    demo_site: Any,
    new_page: Callable[..., Any],
    sign_in: Callable[..., None],
    serious_violations: Callable[[Any, str], list[str]],
) -> None:
    from ungpkit.apps.triage import actions
    from ungpkit.demo.dataset import USERS

    staff = next(u for u in USERS if u.username == "staff")
    biggest = Cluster.objects.order_by("-size").first()
    assert biggest is not None
    from django.contrib.auth import get_user_model

    collective = actions.merge_cluster(
        get_user_model().objects.get(username=staff.username), biggest.pk
    )
    case = TriageRecord.objects.order_by("-priority").first()
    assert case is not None
    page = new_page(bypass_csp=True)  # lets the test inject axe-core
    sign_in(page, "staff")
    violations = []
    for url in (
        f"{demo_site.url}/en/triage/",
        f"{demo_site.url}/en/triage/?urgency=urgent.ongoing",
        f"{demo_site.url}/en/triage/cases/{case.grievance_id}/",
        f"{demo_site.url}/en/triage/clusters/",
        f"{demo_site.url}/en/triage/clusters/{biggest.pk}/",
        f"{demo_site.url}/en/triage/collective/",
        f"{demo_site.url}/en/triage/collective/{collective.pk}/",
        f"{demo_site.url}/ko/triage/",
        f"{demo_site.url}/fr/triage/collective/{collective.pk}/",
    ):
        violations += serious_violations(page, url)
    assert violations == []
