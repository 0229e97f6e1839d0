"""Reading the strength of an obligation and recognising exemptions."""

from __future__ import annotations

import pytest

from ungpkit.analysis.strength import Strength, exemption, read_strength


@pytest.mark.parametrize(
    ("sentence", "lang", "expected"),
    [
        ("The provider shall assess the risks.", "en", Strength.BINDING),
        ("Providers must publish a report.", "en", Strength.BINDING),
        ("Member States shall endeavour to promote codes of conduct.", "en", Strength.BEST_EFFORTS),
        ("Providers are encouraged to publish a report.", "en", Strength.VOLUNTARY),
        ("The Commission may adopt guidelines.", "en", Strength.VOLUNTARY),
        ("Every data subject shall have the right to lodge a complaint.", "en", Strength.BINDING),
        ("A person may lodge a complaint with the authority.", "en", Strength.BINDING),
        ("L'entreprise doit établir un plan de vigilance.", "fr", Strength.BINDING),
        ("Les entreprises peuvent publier un rapport.", "fr", Strength.VOLUNTARY),
        ("El proveedor deberá evaluar los riesgos.", "es", Strength.BINDING),
        ("El proveedor podrá publicar un informe.", "es", Strength.VOLUNTARY),
        ("사업자는 영향평가를 실시하여야 한다.", "ko", Strength.BINDING),
        ("국가는 인권 보호를 위하여 노력하여야 한다.", "ko", Strength.BEST_EFFORTS),
        ("사업자는 보고서를 공개할 수 있다.", "ko", Strength.VOLUNTARY),
        ("피해자는 손해배상을 청구할 수 있다.", "ko", Strength.BINDING),
    ],
)
def test_strength(sentence: str, lang: str, expected: Strength) -> None:
    assert read_strength(sentence, lang).strength is expected


def test_best_efforts_is_never_binding() -> None:
    reading = read_strength("The operator shall endeavour to remedy the harm.", "en")
    assert reading.strength is Strength.BEST_EFFORTS and reading.marker == "shall endeavour"


def test_sentence_exemption() -> None:
    sentence = "Article 12 does not apply to complaints about micro-enterprises."
    assert exemption(sentence, sentence.index("complaints"), "en") == "does not apply"


def test_clause_exemption_covers_only_its_clause() -> None:
    sentence = (
        "Without prejudice to any other judicial remedy, every data subject shall have "
        "the right to lodge a complaint with a supervisory authority."
    )
    assert exemption(sentence, sentence.index("judicial remedy"), "en") == "without prejudice to"
    assert exemption(sentence, sentence.index("lodge a complaint"), "en") is None


def test_korean_exemption() -> None:
    sentence = "제5조는 소상공인에게 적용하지 아니한다."
    assert exemption(sentence, 0, "ko") == "적용하지 아니한다"
