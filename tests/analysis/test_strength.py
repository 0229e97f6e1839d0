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


@pytest.mark.parametrize(
    ("sentence", "lang", "expected", "marker"),
    [
        # A duty to encourage is not a duty on the encouraged.
        ("Member States shall encourage providers to assess risks.", "en", "voluntary", None),
        ("Member States shall encourage audits and shall ensure remedies.", "en", "binding", None),
        # The month is not the verb.
        ("The Directive is repealed with effect from 25 May 2018.", "en", "binding", None),
        ("Providers publish the report by May 2027.", "en", "binding", None),
        ("Providers may publish the report.", "en", "voluntary", "may"),
        # Prohibitions bind.
        ("Le fournisseur ne peut refuser l'accès au service.", "fr", "binding", "ne peut"),
        ("Los proveedores no podrán trasladar los costes.", "es", "binding", "no podrá*"),
        ("사업자는 이용자의 신고를 거부할 수 없다.", "ko", "binding", "할 수 없다"),
    ],
)
def test_encouraging_months_and_prohibitions(
    sentence: str, lang: str, expected: str, marker: str | None
) -> None:
    reading = read_strength(sentence, lang)
    assert reading.strength.value == expected
    if marker:
        assert reading.marker == marker


@pytest.mark.parametrize(
    ("sentence", "lang", "marker"),
    [
        ("Providers need not publish a transparency report.", "en", "need not"),
        (
            "There is no obligation for providers to carry out an assessment.",
            "en",
            "there is no obligation",
        ),
        ("No provider shall be required to offer a complaint procedure.", "en", None),
        ("Member States may exempt micro-enterprises from Article 5.", "en", "may exempt*"),
        ("Le fournisseur n'est pas obligé de publier un rapport.", "fr", None),
        ("El proveedor no tendrá la obligación de publicar un informe.", "es", None),
        ("소규모 사업자에 대해서는 이를 면제할 수 있다.", "ko", "면제할 수 있다"),
    ],
)
def test_a_duty_taken_away_is_an_exemption(sentence: str, lang: str, marker: str | None) -> None:
    found = exemption(sentence, 0, lang)
    assert found is not None
    if marker:
        assert found == marker


def test_a_korean_reversed_burden_of_proof_is_not_an_exemption() -> None:
    sentence = "다만, 그 사업자가 고의 또는 과실이 없음을 입증한 경우에는 그러하지 아니하다."
    assert exemption(sentence, 0, "ko") is None
    assert exemption("다만, 대통령령으로 정하는 경우에는 그러하지 아니하다.", 0, "ko") is not None


@pytest.mark.parametrize(
    ("sentence", "lang"),
    [
        ("The complainant need not give their name.", "en"),
        ("No fee shall be required from complainants.", "en"),
        ("The complainant shall be under no obligation to give their name.", "en"),
        ("Le plaignant n'a pas à justifier de son identité.", "fr"),
        ("La persona denunciante no tendrá la obligación de identificarse.", "es"),
        ("신청인은 신원을 밝힐 필요가 없다.", "ko"),
    ],
)
def test_a_protection_of_the_complainant_is_not_an_exemption(sentence: str, lang: str) -> None:
    assert exemption(sentence, 0, lang) is None


def test_points_inherit_only_an_exemption_that_runs_to_the_end_of_the_chapeau() -> None:
    from ungpkit.analysis.strength import trailing_exemption

    assert trailing_exemption("This Act does not apply to:", "en") == "does not apply"
    conditional = "Where the exemption in Article 2 does not apply, providers shall:"
    assert trailing_exemption(conditional, "en") is None
    assert trailing_exemption("Without prejudice to Article 5, providers shall:", "en") is None
