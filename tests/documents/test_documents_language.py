"""Offline language detection: scripts and function-word profiles."""

from __future__ import annotations

import pytest

from ungpkit.documents import LanguageGuess, detect_language
from ungpkit.documents.language import foreign_parts


@pytest.mark.parametrize(
    ("text", "code", "supported"),
    [
        ("The provider shall assess the risks to the rights of users of the platform.", "en", True),
        (
            "Le fournisseur doit évaluer les risques pour les droits des utilisateurs de la "
            "plateforme.",
            "fr",
            True,
        ),
        (
            "El proveedor deberá evaluar los riesgos para los derechos de los usuarios de la "
            "plataforma.",
            "es",
            True,
        ),
        ("인공지능사업자는 이용자의 권리를 보호하여야 한다.", "ko", True),
        (
            "Der Anbieter muss die Risiken für die Rechte der Nutzer der Plattform bewerten.",
            "de",
            False,
        ),
        (
            "Il fornitore deve valutare i rischi per i diritti degli utenti della piattaforma.",
            "it",
            False,
        ),
        (
            "O fornecedor deve avaliar os riscos para os direitos dos utilizadores da plataforma.",
            "pt",
            False,
        ),
        (
            "De aanbieder moet de risico's voor de rechten van de gebruikers van het platform "
            "beoordelen.",
            "nl",
            False,
        ),
        ("Поставщик должен оценивать риски для прав пользователей.", "ru", False),
        ("Ο πάροχος πρέπει να αξιολογεί τους κινδύνους.", "el", False),
        ("提供者は利用者の権利を保護しなければならない。", "ja", False),
        ("提供者必须保护用户的权利。", "zh", False),
        ("يجب على المزود حماية حقوق المستخدمين.", "ar", False),
        ("12345 67 — 89", "und", False),
        ("", "und", False),
    ],
)
def test_detect_language(text: str, code: str, supported: bool) -> None:
    guess = detect_language(text)
    assert isinstance(guess, LanguageGuess)
    assert (guess.code, guess.supported) == (code, supported)
    assert 0.0 <= guess.confidence <= 1.0
    assert detect_language(text) == guess  # deterministic


def test_korean_with_hanja_and_latin_is_korean() -> None:
    text = "제1조(目的) 이 법은 AI 시스템의 개발과 이용에 관한 사항을 규정한다. 個人情報"
    assert detect_language(text).code == "ko"


def test_foreign_parts_reports_unsupported_language() -> None:
    english = [
        "The provider shall assess the risks to the rights of users of the platform "
        "and shall report to the authority on the measures that it has taken."
    ] * 6
    german = [
        "Der Anbieter muss die Risiken für die Rechte der Nutzer der Plattform bewerten "
        "und der Behörde über die getroffenen Maßnahmen berichten."
    ] * 4
    warnings = foreign_parts(english + german, "en")
    assert len(warnings) == 1 and "German" in warnings[0] and "cannot analyse" in warnings[0]
    assert foreign_parts(english, "en") == []
    french = [
        "Le fournisseur doit évaluer les risques pour les droits des utilisateurs de la "
        "plateforme et en rendre compte à l'autorité de contrôle compétente."
    ] * 4
    assert "French" in foreign_parts(english + french, "en")[0]
