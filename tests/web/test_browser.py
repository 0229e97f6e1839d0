"""The home page in a real browser: skip link, language switch without JavaScript, axe-core.

Needs Chromium at /usr/bin/chromium (``apt-get install chromium``); skipped otherwise.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="Chromium is not installed at /usr/bin/chromium"
)


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    # No JavaScript: every page must work without it. bypass_csp lets the test inject axe.
    context = browser.new_context(java_script_enabled=False, locale="en-GB")
    yield context.new_page()
    context.close()


def serious_violations(browser: Any, url: str) -> list[str]:
    """Run axe-core on ``url`` and list the serious and critical violations."""
    context = browser.new_context(bypass_csp=True)
    try:
        checked = context.new_page()
        checked.goto(url)
        checked.add_script_tag(path=str(AXE))
        results = checked.evaluate("async () => await axe.run(document)")
    finally:
        context.close()
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']}"
        for violation in results["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


def test_home_page_skip_link_and_language_switch(live_server: Any, page: Any) -> None:
    page.goto(f"{live_server.url}/en/")
    assert page.locator("html").get_attribute("lang") == "en"

    page.keyboard.press("Tab")
    skip_link = page.locator("a.skip-link")
    assert skip_link.evaluate("element => element === document.activeElement")
    assert skip_link.is_visible()
    assert skip_link.get_attribute("href") == "#main"
    assert page.locator("main#main").count() == 1

    page.select_option("#language-select", "fr")
    page.get_by_role("button", name="Change language").click()
    page.wait_for_url(f"{live_server.url}/fr/")

    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.get_by_role("heading", level=2, name="Cinq outils").is_visible()
    assert page.get_by_role("link", name="Aller au contenu principal").count() == 1


@pytest.mark.parametrize("language", ["en", "ko"])
def test_home_page_has_no_serious_accessibility_violations(
    live_server: Any, browser: Any, language: str
) -> None:
    assert serious_violations(browser, f"{live_server.url}/{language}/") == []
