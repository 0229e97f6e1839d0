"""Screenshots of the main pages for the README (docs/screenshots/*.png).

Run on purpose, not in every test run: ``UNGPKIT_SCREENSHOTS=1 pytest
tests/browser/test_screenshots.py``. Each picture is the top of the page at 1280×900, the
size the README shows, so the files stay small.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from ungpkit.apps.check.models import Assessment

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"

pytestmark = pytest.mark.skipif(
    os.environ.get("UNGPKIT_SCREENSHOTS") != "1",
    reason="writes docs/screenshots/; run with UNGPKIT_SCREENSHOTS=1",
)


def test_write_screenshots_of_the_main_pages(
    demo_site: Any, new_page: Callable[..., Any], sign_in: Callable[..., None]
) -> None:
    private = Assessment.objects.get(is_public=False)
    public = Assessment.objects.get(is_public=True)
    finding = "reg.mix.stakeholder_engagement_companies"
    passage = (
        private.findings[0]["evidence"][0]["passage_id"]
        if private.findings[0]["evidence"]
        else private.document.passages[5]["id"]
    )
    page = new_page(viewport={"width": 1280, "height": 900})
    sign_in(page, "drafter")
    base = f"{demo_site.url}/en/check"
    shots = {
        "dashboard": f"{base}/",
        "assessment": f"{base}/assessments/{private.pk}/",
        "finding": f"{base}/assessments/{private.pk}/#finding-{finding}",
        "document": f"{base}/documents/{private.document_id}/#passage-{passage}",
        "compare": f"{base}/compare/?old={private.pk}&new={public.pk}#comparison-heading",
    }
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for name, url in shots.items():
        page.goto(url)
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path))
        assert path.stat().st_size > 10_000
