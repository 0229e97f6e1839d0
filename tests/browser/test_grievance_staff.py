"""The secretariat and a member company's staff handle a case in a real browser, each taking
only their own steps: the secretariat routes, acknowledges, accepts and opens the dialogue;
the company proposes a remedy (and is offered none of the secretariat's steps); the
complainant accepts it on their status page; the company reports it implemented; the
secretariat records the outcome and closes the case. And an axe-core check of the queue and
the case page."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from ungpkit.apps.remedy import actions
from ungpkit.apps.remedy.models import Grievance, Mechanism, Outcome
from ungpkit.demo.dataset import MECHANISM

DESCRIPTION = "The HR analytics tool scored me as a flight risk and my contract was not renewed."
COMPANY = "Nimbus Analytics Ltd"


def _move(page: Any, label: str) -> None:
    """Take the case on ``page`` to the step ``label`` and see it confirmed."""
    page.get_by_role("button", name=f"Move to “{label}”").click()
    assert page.get_by_text(f"The case is now at the step “{label}”.").is_visible()


def _steps_offered(page: Any) -> list[str]:
    return [
        re.sub(r"^Move to “(.*)”$", r"\1", text.strip())
        for text in page.get_by_role("button", name=re.compile("^Move to")).all_inner_texts()
    ]


def test_the_secretariat_and_the_member_staff_take_a_case_from_receipt_to_closed(
    demo_site: Any, new_page: Callable[..., Any], sign_in: Callable[..., None]
) -> None:
    mechanism = Mechanism.objects.get(slug=MECHANISM["slug"])
    case, receipt, _new = actions.submit_grievance(
        mechanism,
        {
            "description": DESCRIPTION,
            "country": "GB",
            "company_text": "Nimbus HR analytics",
            "anonymous": True,
            "wants": ["explanation"],
        },
    )
    case_url = re.compile(rf"/en/remedy/cases/{case.pk}/(#.*)?$")
    # Every page works without JavaScript.
    secretariat = new_page(javascript=False)
    sign_in(secretariat, "staff")
    company = new_page(javascript=False)
    sign_in(company, "company")

    # The company does not see the case before the secretariat routes it.
    company.get_by_role("link", name="Grievance cases", exact=True).click()
    company.wait_for_url(f"{demo_site.url}/en/remedy/")
    assert company.get_by_text(case.case_code).count() == 0

    # The secretariat routes the case to the company, acknowledges it, accepts it and opens
    # the dialogue.
    secretariat.get_by_role("link", name="Grievance cases", exact=True).click()
    secretariat.wait_for_url(f"{demo_site.url}/en/remedy/")
    secretariat.get_by_role("link", name=case.case_code).click()
    secretariat.wait_for_url(case_url)
    assert _steps_offered(secretariat) == ["Acknowledged"]
    secretariat.get_by_label(COMPANY).check()
    secretariat.get_by_role("button", name="Route the case").click()
    assert secretariat.get_by_text("The case is routed.").is_visible()
    _move(secretariat, "Acknowledged")
    assert _steps_offered(secretariat) == ["Accepted for handling", "Not admissible"]
    _move(secretariat, "Accepted for handling")
    _move(secretariat, "Dialogue and investigation")
    assert _steps_offered(secretariat) == ["Remedy proposed", "Closed"]

    # The company opens the case from its queue (the cases of other members stay out of
    # sight) and may only propose a remedy: no closing, routing or recording the outcome.
    company.reload()
    assert company.get_by_role("link", name=case.case_code).is_visible()
    routed_elsewhere = Grievance.objects.exclude(parties__member__organisation__name=COMPANY)
    for code in routed_elsewhere.values_list("case_code", flat=True):
        assert company.get_by_text(code).count() == 0
    company.get_by_role("link", name=case.case_code).click()
    company.wait_for_url(case_url)
    assert company.get_by_role("heading", name=f"Case {case.case_code}").is_visible()
    assert _steps_offered(company) == ["Remedy proposed"]
    for absent in ("Route the case", "Record the outcome", "Record the escalation"):
        assert company.get_by_role("button", name=absent).count() == 0
    company.get_by_label("Why the case goes to “Remedy proposed” (optional)").fill(
        "We will explain how the score was made and review the decision with you."
    )
    _move(company, "Remedy proposed")
    assert company.get_by_text("The complainant decides whether to accept").is_visible()
    assert _steps_offered(company) == []

    # The complainant accepts the remedy on their status page.
    complainant = new_page(javascript=False)
    complainant.goto(f"{demo_site.url}/en/grievances/status/")
    complainant.get_by_label("Case code").fill(receipt.case_code)
    complainant.get_by_label("Passphrase").fill(receipt.passphrase)
    complainant.get_by_role("button", name="Open my case").click()
    complainant.get_by_label("I accept the proposed remedy").check()
    complainant.get_by_role("button", name="Send my decision").click()
    assert complainant.get_by_text("Your decision was recorded.").is_visible()

    # The company reports the remedy implemented; closing it is not theirs.
    company.reload()
    assert _steps_offered(company) == ["Remedy implemented"]
    _move(company, "Remedy implemented")
    assert _steps_offered(company) == []

    # The secretariat records the outcome and closes the case, saying why.
    secretariat.reload()
    assert _steps_offered(secretariat) == ["Closed"]
    secretariat.get_by_label("Explanation of an automated decision").check()
    secretariat.get_by_label("What was done").fill(
        "The company explained the score and reviewed the decision."
    )
    secretariat.get_by_role("button", name="Record the outcome").click()
    assert secretariat.get_by_text("The outcome is recorded.").is_visible()
    secretariat.get_by_role("button", name="Move to “Closed”").click()  # no reason: refused
    assert secretariat.get_by_text("Say why; the complainant will read it.").first.is_visible()
    secretariat.get_by_label("Why the case goes to “Closed” (required)").fill(
        "The remedy was implemented and the complainant is informed."
    )
    _move(secretariat, "Closed")
    assert secretariat.get_by_text("There is no further step.").is_visible()

    company.reload()  # the company reads how the case ended
    assert company.get_by_text("Explanation of an automated decision", exact=True).is_visible()
    assert _steps_offered(company) == []
    case.refresh_from_db()
    assert case.state == "closed" and case.closed_at is not None
    assert [
        (t.to_state, t.actor.username if t.actor else "complainant")
        for t in case.transitions.order_by("created_at", "pk")
    ] == [
        ("received", "complainant"),
        ("acknowledged", "staff"),
        ("accepted", "staff"),
        ("dialogue", "staff"),
        ("remedy_proposed", "company"),
        ("remedy_accepted", "complainant"),
        ("remedy_implemented", "company"),
        ("closed", "staff"),
    ]
    outcome = Outcome.objects.get(grievance=case)
    assert outcome.remedy_types == ["explanation"]
    assert outcome.description == "The company explained the score and reviewed the decision."


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
