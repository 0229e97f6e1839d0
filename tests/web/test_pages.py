"""The home page, in every language, usable without JavaScript."""

from __future__ import annotations

import gettext
import io
import re
from pathlib import Path

import pytest
from django.test import Client

from ungpkit.web import i18n_compile

PACKAGE_DIR = Path(i18n_compile.__file__).resolve().parent.parent

EXPECTED = {
    "en": ("Five tools", "Skip to main content", "Grievance mechanism"),
    "fr": ("Cinq outils", "Aller au contenu principal", "Mécanisme de réclamation"),
    "es": ("Cinco herramientas", "Saltar al contenido principal", "Mecanismo de reclamación"),
    "ko": ("다섯 가지 도구", "본문으로 건너뛰기", "고충처리 메커니즘"),
}


@pytest.mark.parametrize("language", sorted(EXPECTED))
def test_home_page_speaks_each_language(client: Client, language: str) -> None:
    response = client.get(f"/{language}/")

    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}" dir="ltr">' in html
    for text in EXPECTED[language]:
        assert text in html


def test_home_page_presents_the_five_tools(client: Client) -> None:
    html = client.get("/en/").content.decode()

    for slug in ("check", "diligence", "registry", "remedy", "consult"):
        assert f'id="tool-{slug}"' in html
    assert "UN Guiding Principles on Business and Human Rights" in html


def test_home_page_has_landmarks_and_a_skip_link(client: Client) -> None:
    html = client.get("/en/").content.decode()

    assert re.search(r'<a class="skip-link" href="#main">', html)
    assert '<main id="main"' in html
    for landmark in ("<header", "<nav", "<footer"):
        assert landmark in html
    assert html.index("skip-link") < html.index("<header")


def test_pages_need_no_javascript_and_nothing_from_other_sites(client: Client) -> None:
    html = client.get("/en/").content.decode()

    assert "<script" not in html
    assert not re.search(r'(src|href)="(https?:)?//', html)


@pytest.mark.parametrize(
    ("accept_language", "location"), [("", "/en/"), ("fr-CA,fr;q=0.9", "/fr/"), ("ko", "/ko/")]
)
def test_the_root_redirects_to_the_browsers_language(
    client: Client, accept_language: str, location: str
) -> None:
    response = client.get("/", headers={"accept-language": accept_language})

    assert response.status_code == 302
    assert response["Location"] == location


def test_language_switcher_is_a_plain_form_post(db: None) -> None:
    client = Client(enforce_csrf_checks=True)
    html = client.get("/en/").content.decode()
    form = re.search(r'<form class="language-switcher" action="([^"]+)" method="post">', html)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert form and token
    assert '<button type="submit">' in html

    response = client.post(
        form.group(1),
        {"csrfmiddlewaretoken": token.group(1), "language": "fr", "next": "/en/"},
    )

    assert response.status_code == 302
    assert response["Location"] == "/fr/"
    assert client.cookies["django_language"].value == "fr"
    page = client.get(response["Location"]).content.decode()
    assert '<html lang="fr"' in page
    assert '<option value="fr" lang="fr" selected>' in page


def test_not_found_page_is_translated(client: Client) -> None:
    response = client.get("/ko/no-such-page/")

    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="ko"' in html
    assert "페이지를 찾을 수 없습니다" in html


@pytest.mark.parametrize(
    "po_path", list(i18n_compile.po_files(PACKAGE_DIR)), ids=lambda path: str(path.parent.parent)
)
def test_compiled_catalogues_match_their_sources(po_path: Path) -> None:
    entries = i18n_compile.read_po(po_path)
    untranslated = [entry.msgid for entry in entries[1:] if not entry.msgstr.get(0)]
    assert untranslated == [], f"{po_path} has untranslated messages"

    with po_path.with_suffix(".mo").open("rb") as handle:
        committed = gettext.GNUTranslations(handle)
    fresh_bytes = i18n_compile.mo_bytes(i18n_compile.catalogue(entries))
    fresh = gettext.GNUTranslations(io.BytesIO(fresh_bytes))
    assert committed._catalog == fresh._catalog, (
        f"{po_path.with_suffix('.mo')} is stale: run python -m ungpkit.web.i18n_compile"
    )


def test_every_language_has_a_catalogue_for_the_web_and_accounts() -> None:
    found = {(path.parents[3].name, path.parents[1].name) for path in i18n_compile.po_files()}

    for language in ("fr", "es", "ko"):
        assert ("web", language) in found
        assert ("accounts", language) in found
