"""A member company's staff handles a case in a real browser: from the queue to a closed case
with its remedy recorded (the complainant's acceptance is taken through their own action),
and an axe-core check of the queue and the case page."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from ungpkit.apps.remedy import actions, receipts
from ungpkit.apps.remedy.models import Grievance, Outcome

PASSPHRASE = "TEST-PASS-PHRA-SE22"


def test_member_staff_takes_a_case_from_the_queue_to_closed(
    demo_site: Any, new_page: Callable[..., Any], sign_in: Callable[..., None]
) -> None:
    case = Grievance.objects.get(parties__member__organisation__name="Nimbus Analytics Ltd")
    assert case.state == "dialogue"
    # The demo does not keep receipts; give the complainant one we know.
    Grievance.objects.filter(pk=case.pk).update(
        passphrase_hash=receipts.hash_passphrase(PASSPHRASE)
    )
    page = new_page(javascript=False)  # the whole journey works without JavaScript
    sign_in(page, "company")

    page.get_by_role("link", name="Grievance cases", exact=True).click()
    page.wait_for_url(f"{demo_site.url}/en/remedy/")
    assert page.get_by_role("link", name=case.case_code).is_visible()
    hidden = Grievance.objects.exclude(pk=case.pk).values_list("case_code", flat=True)
    for code in hidden:  # cases routed to other members, or not routed, stay out of sight
        assert page.get_by_text(code).count() == 0
    page.get_by_role("link", name=case.case_code).click()
    page.wait_for_url(re.compile(rf"/en/remedy/cases/{case.pk}/$"))
    assert page.get_by_role("heading", name=f"Case {case.case_code}").is_visible()
    assert page.get_by_role("button", name="Reveal identity").count() == 0

    page.get_by_role("button", name="Move to “Remedy proposed”").click()
    assert page.get_by_text("The case is now at the step “Remedy proposed”.").is_visible()
    assert page.get_by_text("The complainant decides whether to accept").is_visible()

    actions.complainant_decide(case.case_code, PASSPHRASE, accept=True)
    page.reload()
    page.get_by_role("button", name="Move to “Remedy implemented”").click()
    page.get_by_label("Explanation of an automated decision").check()
    page.get_by_label("What was done").fill("We explained the score and reviewed the decision.")
    page.get_by_role("button", name="Record the outcome").click()
    assert page.get_by_text("The outcome is recorded.").is_visible()

    page.get_by_role("button", name="Move to “Closed”").click()  # no reason: refused
    assert page.get_by_text("Say why; the complainant will read it.").first.is_visible()
    page.get_by_label("Why the case goes to “Closed” (required)").fill(
        "The remedy was implemented and the complainant is informed."
    )
    page.get_by_role("button", name="Move to “Closed”").click()
    assert page.get_by_text("The case is now at the step “Closed”.").is_visible()
    assert page.get_by_text("There is no further step.").is_visible()

    case.refresh_from_db()
    assert case.state == "closed" and case.closed_at is not None
    assert [t.to_state for t in case.transitions.all()][-4:] == [
        "remedy_proposed",
        "remedy_accepted",
        "remedy_implemented",
        "closed",
    ]
    assert Outcome.objects.get(grievance=case).remedy_types == ["explanation"]


def test_queue_and_case_pages_have_no_serious_accessibility_violations(
    demo_site: Any,
    new_page: Callable[..., Any],
    sign_in: Callable[..., None],
    serious_violations: Callable[[Any, str], list[str]],
) -> None:
    case = Grievance.objects.get(parties__member__organisation__name="Nimbus Analytics Ltd")
    violations = []
    for username in ("company", "staff"):
        page = new_page(bypass_csp=True)  # lets the test inject axe-core
        sign_in(page, username)
        for url in (
            f"{demo_site.url}/en/remedy/",
            f"{demo_site.url}/en/remedy/?overdue=on",
            f"{demo_site.url}/en/remedy/cases/{case.pk}/",
            f"{demo_site.url}/en/remedy/notifications/",
            f"{demo_site.url}/ko/remedy/cases/{case.pk}/",
        ):
            violations += serious_violations(page, url)
    assert violations == []
