"""The public statistics of the demo mechanism in a real browser, without JavaScript: figures,
small counts shown as "fewer than 5", the downloads; the secretariat's GP31 self-assessment
and recurring issues; and an axe-core check of the three pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ungpkit.apps.transparency.models import SelfAssessmentAnswer
from ungpkit.demo.dataset import MECHANISM

SLUG = MECHANISM["slug"]


def test_public_statistics_show_figures_and_suppress_small_counts(
    demo_site: Any, new_page: Callable[..., Any]
) -> None:
    page = new_page(javascript=False)
    page.goto(f"{demo_site.url}/en/")
    page.get_by_role("link", name="Grievance statistics").first.click()
    page.get_by_role("link", name=MECHANISM["name"]).click()
    page.wait_for_url(f"{demo_site.url}/en/transparency/{SLUG}/")
    assert page.get_by_role("heading", name=f"Statistics of {MECHANISM['name']}").is_visible()
    assert page.get_by_text("fewer than 5").first.is_visible()
    assert page.get_by_text("no number smaller than 5 is published").is_visible()
    rights = page.get_by_role("table").filter(has_text="Human rights concerned")
    assert rights.get_by_role("row", name="Right to privacy").is_visible()
    assert page.get_by_role("heading", name="How the mechanism assesses itself").is_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV (spreadsheet)").click()
    assert download.value.suggested_filename == f"{SLUG}-statistics.csv"
    page.goto(f"{demo_site.url}/ko/transparency/{SLUG}/")
    assert page.get_by_text("5 미만").first.is_visible()


def test_the_secretariat_fills_in_the_self_assessment(
    demo_site: Any, new_page: Callable[..., Any], sign_in: Callable[..., None]
) -> None:
    page = new_page(javascript=False)
    sign_in(page, "staff")
    page.goto(f"{demo_site.url}/en/transparency/")
    page.get_by_role("link", name="GP31 self-assessment").click()
    page.wait_for_url(f"{demo_site.url}/en/transparency/{SLUG}/self-assessment/")
    assert page.get_by_role("heading", name="(b) Accessible").is_visible()
    assert page.get_by_text("Languages complaints were made in").is_visible()
    question = page.get_by_role("group", name="Is the mechanism itself reviewed")
    question.get_by_label("Yes").check()
    page.get_by_role("button", name="Save the self-assessment").click()
    assert page.get_by_text("The self-assessment was saved.").is_visible()
    answer = SelfAssessmentAnswer.objects.get(question="gp31.g_continuous_learning.review")
    assert answer.answer == "yes" and answer.answered_by.username == "staff"
    page.goto(f"{demo_site.url}/en/transparency/{SLUG}/issues/")
    assert page.get_by_role("heading", name="Recurring issues").is_visible()
    assert page.get_by_text("recurring").first.is_visible()


def test_statistics_pages_have_no_serious_accessibility_violations(
    demo_site: Any,
    new_page: Callable[..., Any],
    sign_in: Callable[..., None],
    serious_violations: Callable[[Any, str], list[str]],
) -> None:
    page = new_page(bypass_csp=True)  # lets the test inject axe-core
    violations = serious_violations(page, f"{demo_site.url}/en/transparency/")
    violations += serious_violations(page, f"{demo_site.url}/en/transparency/{SLUG}/")
    violations += serious_violations(page, f"{demo_site.url}/fr/transparency/{SLUG}/")
    sign_in(page, "staff")
    violations += serious_violations(page, f"{demo_site.url}/en/transparency/{SLUG}/issues/")
    violations += serious_violations(
        page, f"{demo_site.url}/en/transparency/{SLUG}/self-assessment/"
    )
    assert violations == []
