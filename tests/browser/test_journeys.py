"""The journeys of the issue in a real browser: upload a real law and watch it being checked,
open a finding's evidence in the document, review a finding and download the PDF; and an
axe-core check of the main pages in English and Korean."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from ungpkit.apps.check import actions
from ungpkit.apps.check.models import Assessment, Review
from ungpkit.apps.check.tasks import run_assessment

CORPUS = Path(__file__).parents[2] / ".." / "shared" / "corpus" / "laws"
REAL_LAW = CORPUS / "eu-accessibility-act-2019-882.md"
FALLBACK_LAW = (
    Path(__file__).parents[2]
    / "src"
    / "ungpkit"
    / "demo"
    / "data"
    / "en-platform-accountability-act.md"
)


def law_to_upload() -> Path:
    """A real law from the shared corpus when it is there, else the demo's draft."""
    return REAL_LAW if REAL_LAW.exists() else FALLBACK_LAW


def test_upload_a_law_watch_the_check_and_open_its_evidence(
    demo_site: Any,
    new_page: Callable[..., Any],
    sign_in: Callable[..., None],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Hold the check in the queue, as a busy worker would, so the progress page shows.
    monkeypatch.setattr(actions, "_enqueue", lambda assessment_id: None)
    page = new_page()
    sign_in(page, "drafter")

    page.get_by_role("link", name="Check a law", exact=True).click()
    page.get_by_label("File", exact=True).set_input_files(str(law_to_upload()))
    page.get_by_role("button", name="Upload and check").click()
    page.wait_for_url(re.compile(r"/en/check/assessments/\d+/progress/$"))
    assert page.locator("progress#check-progress").is_visible()
    assert page.get_by_text("The check is waiting for a free worker.").is_visible()

    assessment_id = int(re.findall(r"/assessments/(\d+)/", page.url)[0])
    assert run_assessment.func(assessment_id) == "done"  # the worker picks it up
    page.wait_for_url(f"{demo_site.url}/en/check/assessments/{assessment_id}/", timeout=10_000)
    assert page.get_by_role("heading", name="Summary by stage").is_visible()

    evidence = page.locator(".evidence__source a").first
    passage = evidence.get_attribute("href").split("#")[1]
    evidence.click()
    page.wait_for_url(re.compile(rf"/en/check/documents/\d+/#{passage}$"))
    target = page.locator(f"[id='{passage}']")
    assert target.is_visible()
    assert target.evaluate("element => element.matches(':target')")
    background = target.evaluate("element => getComputedStyle(element).backgroundColor")
    assert background == "rgb(255, 246, 194)"  # the :target highlight
    assert target.evaluate(
        "e => { const r = e.getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight; }"
    )


def test_reviewer_corrects_a_finding_and_downloads_the_pdf(
    demo_site: Any, new_page: Callable[..., Any], sign_in: Callable[..., None]
) -> None:
    assessment = Assessment.objects.get(is_public=False)
    finding = assessment.findings[0]
    machine = dict(assessment.result or {})
    page = new_page(javascript=False)  # the whole journey works without JavaScript
    sign_in(page, "drafter")

    page.goto(f"{demo_site.url}/en/check/assessments/{assessment.pk}/")
    page.locator(f"[id='finding-{finding['element']}'] a.button-link").click()
    page.get_by_label("Correct", exact=True).check()
    page.get_by_label("Correct status").select_option("absent")
    page.get_by_label("Correct strength").select_option("voluntary")
    page.locator("input[name=passage_ids]").nth(2).check()
    page.get_by_label("Comment").fill("The article only encourages; nothing is required.")
    page.get_by_role("button", name="Save the review").click()

    page.wait_for_url(re.compile(rf"/assessments/{assessment.pk}/#finding-"))
    assert page.get_by_text("Your review is saved.").is_visible()
    card = page.locator(f"[id='finding-{finding['element']}']")
    assert "The article only encourages; nothing is required." in card.inner_text()
    assert "Dara" in card.inner_text()
    review = Review.objects.latest("id")
    assert (review.decision, review.status, review.strength) == ("correct", "absent", "voluntary")
    assert review.reviewer.username == "drafter"
    assessment.refresh_from_db()
    assert assessment.result == machine  # the machine's answer is kept as it was

    with page.expect_download() as download:
        page.get_by_role("link", name="PDF", exact=True).click()
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_main_pages_have_no_serious_accessibility_violations(
    demo_site: Any,
    new_page: Callable[..., Any],
    sign_in: Callable[..., None],
    serious_violations: Callable[[Any, str], list[str]],
    lang: str,
) -> None:
    private = Assessment.objects.get(is_public=False)
    public = Assessment.objects.get(is_public=True)
    page = new_page(bypass_csp=True)  # lets the test inject axe-core
    sign_in(page, "drafter", lang)
    base = f"{demo_site.url}/{lang}/check"
    urls = [
        f"{base}/",
        f"{base}/upload/",
        f"{base}/assessments/{private.pk}/",
        f"{base}/documents/{private.document_id}/",
        f"{base}/compare/?old={private.pk}&new={public.pk}",
    ]

    violations = [v for url in urls for v in serious_violations(page, url)]

    assert violations == []
