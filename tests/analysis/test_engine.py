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


# What a careful reader of a draft expects (found by review) ---------------------------------

GRIEVANCE = "reg.remedy.grievance_mechanism"


def _finding(framework: Framework, text: str, element: str = GRIEVANCE, lang: str = "en"):  # type: ignore[no-untyped-def]
    return _assess(framework, text, lang).finding(element)


def test_a_paragraph_matched_through_its_heading_is_read_sentence_by_sentence(
    framework: Framework,
) -> None:
    text = (
        "## Article 4 — Grievance mechanism\n"
        "1. Providers may set up a procedure through which users can raise issues.\n\n"
        "2. Paragraph 1 does not apply to providers with fewer than 50 employees.\n"
    )
    finding = _finding(framework, text)
    assert finding.status is Status.PARTIAL and finding.strength is Strength.VOLUNTARY
    assert [e.locator for e in finding.evidence] == ["Article 4(1)"]
    assert [x.locator for x in finding.excluded] == ["Article 4(2)"]
    # The rationale names the heading it matched through, not the element's title.
    assert "under the heading “Grievance mechanism”" in finding.rationale
    assert "Operational-level" not in finding.rationale


def test_a_heading_the_element_excludes_brings_no_evidence(framework: Framework) -> None:
    text = (
        "## Article 21 — Cybersecurity risk-management measures\n"
        "1. Entities shall take appropriate measures.\n\n"
        "2. The measures shall include policies on risk analysis and information security.\n"
    )
    assert _finding(framework, text, "reg.mix.hrdd_obligation").status is Status.ABSENT


def test_points_under_an_exemption_are_not_evidence(framework: Framework) -> None:
    text = (
        "## Article 2 — Scope\n"
        "1. This Act applies to online platforms.\n\n"
        "2. This Act does not apply to:\n\n"
        "(a) micro-enterprises;\n\n"
        "(b) providers that offer a complaint-handling mechanism to their users.\n\n"
        "## Article 4 — User issues\n"
        "Providers should establish a grievance mechanism.\n"
    )
    finding = _finding(framework, text)
    assert finding.strength is Strength.VOLUNTARY
    assert all(e.locator.startswith("Article 4") for e in finding.evidence)
    assert "Article 2(2)(b)" in [x.locator for x in finding.excluded]


def test_one_binding_mention_among_voluntary_ones_is_partial_and_shown(
    framework: Framework,
) -> None:
    may = (
        "Providers may establish a grievance mechanism that is free of charge, easily "
        "accessible and confidential, and inform the complainant of the outcome with reasons."
    )
    text = (
        "## Article 4 — User issues\n"
        + "".join(f"{n}. {may}\n\n" for n in range(1, 7))
        + "## Article 9 — Records\nProviders shall keep records of grievances.\n"
    )
    finding = _finding(framework, text)
    assert finding.status is Status.PARTIAL and finding.strength is Strength.BINDING
    # The passage the strength comes from is among the evidence shown.
    assert "Article 9" in [e.locator for e in finding.evidence]
    assert "Only one passage states it as a binding duty" in finding.rationale


def test_a_binding_duty_only_under_the_heading_does_not_meet_the_element(
    framework: Framework,
) -> None:
    text = (
        "## Article 4 — Grievance mechanism\n"
        "1. Providers may establish a grievance mechanism that is free of charge, easily "
        "accessible and confidential.\n\n"
        "2. Providers shall inform the complainant of the outcome and give a reasoned decision.\n"
    )
    finding = _finding(framework, text)
    assert finding.status is Status.PARTIAL and finding.strength is Strength.BINDING
    assert "related duties under the article's heading" in finding.rationale
    assert "No passage states it as a binding duty" not in finding.rationale  # it would clash


def test_negations_take_duties_away(framework: Framework) -> None:
    text = (
        "## Article 2 — Exemptions\n"
        "1. Providers need not publish a transparency report.\n\n"
        "2. There is no obligation for providers to carry out a human rights impact "
        "assessment.\n\n"
        "3. No provider shall be required to give users a right to lodge a complaint.\n"
    )
    assessment = _assess(framework, text)
    for element in (
        "reg.mix.transparency_reporting",
        "reg.mix.hrdd_obligation",
        "reg.remedy.complaint_to_authority",
    ):
        finding = assessment.finding(element)
        assert finding.status is Status.ABSENT and finding.excluded, element


def test_french_and_spanish_points_inherit_an_exemption(framework: Framework) -> None:
    fr = (
        "Article 4\n\nLes dispositions de l'article 1er ne s'appliquent pas aux sociétés de "
        "moins de cinquante salariés : a) qui publient un rapport annuel ; b) qui disposent "
        "d'un mécanisme de réclamation.\n"
    )
    finding = assess(read_text(fr, language="fr"), framework.grid("regulation"))
    assert finding.finding("reg.mix.transparency_reporting").status is Status.ABSENT


def test_a_one_line_article_is_read_as_a_rule(framework: Framework) -> None:
    text = (
        "Article 2. Any person who considers that his or her rights have been infringed may "
        "lodge a complaint with the supervisory authority.\n"
    )
    finding = assess(read_text(text, language="en"), framework.grid("regulation")).finding(
        "reg.remedy.complaint_to_authority"
    )
    assert finding.status is not Status.ABSENT
    assert finding.evidence[0].locator == "Article 2"


def test_korean_rationales_choose_their_particles(framework: Framework) -> None:
    from ungpkit.analysis.rationale import _particles

    assert _particles("제1조", "인권") == {"topic": "는", "object": "을"}
    assert _particles("제3조 제2항", "위험평가") == {"topic": "은", "object": "를"}
    text = "제1조(목적) 이 법은 인권을 보호함을 목적으로 한다.\n"
    finding = assess(read_text(text, language="ko"), framework.grid("regulation")).finding(
        "reg.scope.rights_framing"
    )
    assert "은(는)" not in finding.rationale and "을(를)" not in finding.rationale


def test_a_rationale_written_again_counts_every_passage_set_aside(framework: Framework) -> None:
    from ungpkit.analysis.rationale import rationale_in

    exempt = "".join(
        f"## Article {n} — Exclusions\nThis Act does not apply to claims for compensation "
        f"for damage brought before the courts of region {n}.\n\n"
        for n in range(1, 8)
    )
    finding = _assess(framework, exempt).finding("reg.remedy.civil_liability")
    assert len(finding.excluded) == 7  # all kept, not the first five
    element = framework.grid("regulation").element(finding.element)
    assert rationale_in(finding, element, "en") == finding.rationale
    assert "7 passage(s)" in finding.rationale
