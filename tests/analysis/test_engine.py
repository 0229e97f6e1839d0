"""The engine on small texts: statuses, strength, exemptions, determinism."""

from __future__ import annotations

from pathlib import Path

import pytest

from ungpkit.analysis import Status, Strength, UnsupportedLanguage, assess
from ungpkit.documents import read_document, read_text
from ungpkit.framework import Framework

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "laws"


def _assess(framework: Framework, text: str, lang: str = "en"):  # type: ignore[no-untyped-def]
    return assess(
        read_text(text, format="markdown", language=lang), framework.grid("regulation"), lang=lang
    )


ACT = """# Test Act

## Article 1 — Complaints
1. Every person shall have the right to lodge a complaint with the Authority.
2. The Authority shall handle complaints within three months.

## Article 2 — Grievance mechanisms
Companies may establish an operational-level grievance mechanism.

## Article 3 — Exclusions
This Act does not apply to claims for compensation for damage brought before the courts.
"""


def test_binding_voluntary_and_exemption(framework: Framework) -> None:
    assessment = _assess(framework, ACT)
    complaint = assessment.finding("reg.remedy.complaint_to_authority")
    assert complaint.status is not Status.ABSENT
    assert complaint.strength is Strength.BINDING
    assert complaint.evidence[0].locator.startswith("Article 1")
    grievance = assessment.finding("reg.remedy.grievance_mechanism")
    assert grievance.status is Status.PARTIAL and grievance.strength is Strength.VOLUNTARY
    assert all(e.strength is not Strength.BINDING for e in grievance.evidence)
    liability = assessment.finding("reg.remedy.civil_liability")
    assert all("does not apply" not in e.text for e in liability.evidence)


def test_absent_element_has_recommendation_and_no_evidence(framework: Framework) -> None:
    finding = _assess(framework, ACT).finding("reg.mix.public_database")
    assert finding.status is Status.ABSENT
    assert finding.evidence == () and finding.recommendation
    assert finding.strength is None


def test_best_efforts_is_not_binding(framework: Framework) -> None:
    text = (
        "## Article 4\nThe State shall endeavour to publish guidance and provide training "
        "to small and medium-sized enterprises on human rights due diligence."
    )
    finding = _assess(framework, text).finding("reg.mix.guidance")
    assert finding.status is Status.PARTIAL
    assert finding.strength is Strength.BEST_EFFORTS


def test_points_take_the_strength_of_their_chapeau(framework: Framework) -> None:
    text = (
        "## Article 5 — Due diligence\n1. Every company shall:\n"
        "(a) identify and assess adverse human rights impacts;\n"
        "(b) prevent and mitigate those impacts;\n"
        "(c) track the effectiveness of its measures;\n"
        "(d) publicly communicate how it addresses its impacts."
    )
    finding = _assess(framework, text).finding("reg.mix.hrdd_obligation")
    assert finding.status is Status.MET and finding.strength is Strength.BINDING


def test_deterministic_ids_and_results(framework: Framework) -> None:
    first, second = _assess(framework, ACT), _assess(framework, ACT)
    assert first.to_dict() == second.to_dict()
    assert len({f.id for f in first.findings}) == len(first.findings)


def test_every_evidence_quotes_its_passage(framework: Framework) -> None:
    document = read_text(ACT, format="markdown", language="en")
    assessment = assess(document, framework.grid("regulation"))
    for finding in assessment.findings:
        for evidence in finding.evidence:
            passage = document.passage(evidence.passage_id)
            assert passage.text == evidence.text and passage.locator == evidence.locator
            for start, end in evidence.highlights:
                assert 0 <= start < end <= len(evidence.text)


def test_korean_statute(framework: Framework) -> None:
    document = read_document(FIXTURES / "ko-privacy-act-excerpt.txt")
    assert document.language == "ko"
    assessment = assess(document, framework.grid("regulation"))
    status = {f.element: f for f in assessment.findings}
    assert status["reg.remedy.civil_liability"].status is Status.MET
    assert status["reg.remedy.civil_liability"].evidence[0].locator == "제39조 제1항"
    assert status["reg.remedy.burden_of_proof"].status is not Status.ABSENT
    assert status["reg.remedy.explanation"].status is Status.MET
    assert status["reg.oversight.authority"].status is Status.MET
    sanctions = status["reg.oversight.enforcement_sanctions"]
    assert sanctions.status is Status.MET, "a power to impose fines ('할 수 있다') is enough"
    assert sanctions.strength is Strength.VOLUNTARY, "but it is never reported as a duty"
    assert status["reg.mix.public_database"].status is Status.ABSENT


def test_unsupported_language_is_refused_with_advice(framework: Framework) -> None:
    document = read_text(
        "Der Anbieter muss die Risiken bewerten und der Behörde berichten. "
        "Die Behörde kann Geldbußen verhängen.",
        format="text",
    )
    with pytest.raises(UnsupportedLanguage, match="--lang"):
        assess(document, framework.grid("regulation"))
