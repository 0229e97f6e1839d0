"""Browser fixtures: headless Chromium (Debian's, at /usr/bin/chromium) driven by Playwright
against pytest-django's ``live_server``.

Reach first for ``demo_site``: the live server with the demo dataset loaded, and
``sign_in(page, username)`` to sign a page in through the real form. Every test here is
skipped, with the reason, when Chromium or Playwright is missing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(__file__).resolve().parents[1] / "web" / "vendor" / "axe.min.js"
FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pytest_collection_modifyitems(items: list[Any]) -> None:
    if not CHROMIUM.exists():
        skip = pytest.mark.skip(reason="Chromium is not installed at /usr/bin/chromium")
        for item in items:
            if "tests/browser/" in str(item.fspath):
                item.add_marker(skip)


@pytest.fixture
def demo_site(live_server: Any, settings: Any) -> Any:
    """The live server, with the demo dataset (its passwords hashed quickly)."""
    from ungpkit.demo.load import load_demo

    settings.PASSWORD_HASHERS = FAST_HASHER
    load_demo()
    return live_server


@pytest.fixture
def new_page(browser: Any) -> Iterator[Callable[..., Any]]:
    """Open a page in a fresh browser context (``javascript=False`` for the no-JS path)."""
    contexts: list[Any] = []

    def open_page(*, javascript: bool = True, locale: str = "en-GB", **options: Any) -> Any:
        context = browser.new_context(
            java_script_enabled=javascript, locale=locale, accept_downloads=True, **options
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def sign_in(demo_site: Any) -> Callable[..., None]:
    """Sign a page in through the sign-in form with a demo login."""
    from ungpkit.demo.dataset import DEMO_PASSWORD

    def sign_in_as(page: Any, username: str, lang: str = "en") -> None:
        page.goto(f"{demo_site.url}/{lang}/accounts/sign-in/")
        page.locator("#id_username").fill(username)
        page.locator("#id_password").fill(DEMO_PASSWORD)
        page.locator("main button[type=submit]").click()
        page.wait_for_url(f"{demo_site.url}/{lang}/check/")

    return sign_in_as


@pytest.fixture
def serious_violations() -> Callable[[Any, str], list[str]]:
    """Open a URL in a page and list axe-core's serious and critical violations."""

    def check(page: Any, url: str) -> list[str]:
        page.goto(url)
        page.add_script_tag(path=str(AXE))
        results = page.evaluate("async () => await axe.run(document)")
        return [
            f"{url}: {violation['id']} ({violation['impact']}): {violation['help']} "
            f"{[node['target'] for node in violation['nodes'][:3]]}"
            for violation in results["violations"]
            if violation["impact"] in ("serious", "critical")
        ]

    return check
