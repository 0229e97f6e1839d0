"""An anonymous complainant in a real browser, with JavaScript off: makes a complaint, keeps
the receipt, reads the mechanism's reply on the status page and answers it; and an axe-core
check of the form, the receipt and the status page in English and Korean."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from ungpkit.apps.remedy import actions
from ungpkit.apps.remedy.models import Grievance, Message
from ungpkit.demo.dataset import MECHANISM

from .conftest import AXE

SLUG = MECHANISM["slug"]

LABELS = {
    "en": {
        "what": "What happened?",
        "send": "Send my complaint",
        "code": "Case code",
        "passphrase": "Passphrase",
        "open": "Open my case",
        "reply": "Send my message",
    },
    "ko": {
        "what": "무슨 일이 있었나요?",
        "send": "고충 보내기",
        "code": "사건 코드",
        "passphrase": "비밀 문구",
        "open": "내 사건 열기",
        "reply": "메시지 보내기",
    },
}


@pytest.fixture(autouse=True)
def _quick_forms(settings: Any) -> None:
    """The browser fills the form faster than a person; let it through the fill-time check."""
    settings.UNGPKIT_INTAKE_MIN_SECONDS = 0


def make_complaint(page: Any, base: str, lang: str, description: str) -> tuple[str, str]:
    words = LABELS[lang]
    page.goto(f"{base}/{lang}/grievances/{SLUG}/")
    page.get_by_label(words["what"]).fill(description)
    page.locator("#id_country").select_option("KR")
    page.locator("#id_wants_1").check()
    page.get_by_role("button", name=words["send"]).click()
    page.wait_for_selector("#passphrase")
    return page.locator("#case-code").inner_text(), page.locator("#passphrase").inner_text()


def open_case(page: Any, base: str, lang: str, code: str, passphrase: str) -> None:
    words = LABELS[lang]
    page.goto(f"{base}/{lang}/grievances/status/")
    page.get_by_label(words["code"]).fill(code)
    page.get_by_label(words["passphrase"]).fill(passphrase)
    page.get_by_role("button", name=words["open"]).click()
    page.wait_for_selector("h1:has-text('G-')")


def serious(page: Any) -> list[str]:
    """axe-core's serious and critical violations on the page as it is now."""
    page.add_script_tag(path=str(AXE))
    results = page.evaluate("async () => await axe.run(document)")
    return [
        f"{page.url}: {v['id']} ({v['impact']}): {v['help']} {[n['target'] for n in v['nodes'][:3]]}"
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_an_anonymous_complainant_follows_the_case_without_javascript(
    demo_site: Any, new_page: Callable[..., Any]
) -> None:
    page = new_page(javascript=False)
    page.goto(f"{demo_site.url}/en/")
    page.get_by_role("link", name="Make a complaint").click()
    page.get_by_role("link", name=MECHANISM["name"]).click()
    assert "not write anyone's name" in page.content()

    code, passphrase = make_complaint(
        page, demo_site.url, "en", "A face recognition gate at my station keeps refusing me."
    )
    assert page.get_by_role("heading", name="Your complaint was received").is_visible()
    assert passphrase not in page.url
    grievance = Grievance.objects.get(case_code=code)
    assert grievance.anonymous and grievance.wants == ["stop_harm"]

    staff = get_user_model().objects.get(username="staff")
    actions.post_message(staff, grievance.pk, "Thank you. Which station, and since when?")

    open_case(page, demo_site.url, "en", code, passphrase)
    assert page.get_by_text("Thank you. Which station, and since when?").is_visible()
    assert page.get_by_text("Received", exact=True).first.is_visible()
    page.get_by_label("Your message").fill("Central station, since March.")
    page.get_by_role("button", name="Send my message").click()
    assert page.get_by_text("Your message was sent.").is_visible()
    assert page.get_by_text("Central station, since March.").is_visible()
    assert Message.objects.filter(grievance=grievance, from_complainant=True).count() == 1
    assert passphrase not in page.url


def test_a_wrong_passphrase_gets_one_generic_answer(
    demo_site: Any, new_page: Callable[..., Any]
) -> None:
    page = new_page(javascript=False)
    code, _passphrase = make_complaint(
        page, demo_site.url, "en", "My data was sold without asking me."
    )
    page.goto(f"{demo_site.url}/en/grievances/status/")
    page.get_by_label("Case code").fill(code)
    page.get_by_label("Passphrase").fill("AAAA-BBBB-CCCC-DDDD")
    page.get_by_role("button", name="Open my case").click()
    assert page.get_by_text("No case matches this case code and passphrase.").is_visible()


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_complainant_pages_pass_axe(
    demo_site: Any, new_page: Callable[..., Any], lang: str
) -> None:
    # bypass_csp lets the test inject axe-core.
    page = new_page(locale="ko-KR" if lang == "ko" else "en-GB", bypass_csp=True)
    violations: list[str] = []
    page.goto(f"{demo_site.url}/{lang}/grievances/")
    violations += serious(page)
    page.goto(f"{demo_site.url}/{lang}/grievances/{SLUG}/")
    violations += serious(page)
    page.get_by_role("button", name=LABELS[lang]["send"]).click()  # empty: the error summary
    page.wait_for_selector(".error-summary")
    violations += serious(page)

    code, passphrase = make_complaint(
        page, demo_site.url, lang, "내 계정이 이유 없이 정지되었습니다."
    )
    violations += serious(page)
    grievance = Grievance.objects.get(case_code=code)
    staff = get_user_model().objects.get(username="staff")
    actions.post_message(staff, grievance.pk, "We are looking into it.")
    page.goto(f"{demo_site.url}/{lang}/grievances/status/")
    violations += serious(page)
    open_case(page, demo_site.url, lang, code, passphrase)
    violations += serious(page)
    page.locator("#id_reply-body").fill("감사합니다.")
    page.get_by_role("button", name=LABELS[lang]["reply"]).click()
    page.wait_for_selector(".message--success")
    violations += serious(page)
    assert violations == []
