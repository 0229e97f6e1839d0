"""The shipped framework data: complete, in four languages, every reference resolving."""

from __future__ import annotations

import pytest
from pydantic import BaseModel

from ungpkit.framework import LANGUAGES, Framework
from ungpkit.framework.models import Cues, Text

REGULATION_ELEMENTS = """
reg.scope.rights_framing reg.scope.vulnerable_groups reg.scope.stakeholder_engagement_drafting
reg.gaps.existing_law reg.gaps.coherence reg.mix.hrdd_obligation reg.mix.value_chain_end_use
reg.mix.proportionality reg.mix.phased_application reg.mix.severity_prioritisation
reg.mix.stakeholder_engagement_companies reg.mix.transparency_reporting reg.mix.public_database
reg.mix.incentives reg.mix.state_business_nexus reg.mix.guidance reg.oversight.authority
reg.oversight.enforcement_sanctions reg.oversight.review_clause reg.remedy.complaint_to_authority
reg.remedy.civil_liability reg.remedy.burden_of_proof reg.remedy.grievance_mechanism
reg.remedy.explanation reg.remedy.collective_redress reg.remedy.reprisals reg.cross_border
""".split()

MSA_ELEMENTS = [
    "msa.approval",
    "msa.signature",
    "msa.c1_reporting_entity",
    "msa.c2_structure",
    "msa.c2_operations",
    "msa.c2_supply_chains",
    "msa.c3_risks",
    "msa.c4_mitigation",
    "msa.c4_remediation",
    "msa.c5_effectiveness",
    "msa.c6_consultation",
]

RIGHTS = """
right.privacy right.expression right.non_discrimination right.assembly_association
right.thought_opinion right.participation right.liberty_fair_trial right.work right.health
right.education right.social_security right.child right.life_integrity
""".split()

VOCABULARIES = [
    "business_model_risks",
    "end_use_contexts",
    "gp31_criteria",
    "remedy_types",
    "severity_dimensions",
    "involvement",
    "stakeholder_types",
]


def test_thirty_one_principles_in_three_pillars(framework: Framework) -> None:
    assert [p.id for p in framework.principles] == [f"gp{n}" for n in range(1, 32)]
    pillars = {p.id: p.pillar for p in framework.principles}
    assert pillars["gp1"] == pillars["gp10"] == "protect"
    assert pillars["gp11"] == pillars["gp24"] == "respect"
    assert pillars["gp25"] == pillars["gp31"] == "remedy"


def test_regulation_grid_has_every_required_element(framework: Framework) -> None:
    grid = framework.grid("regulation")
    ids = [e.id for e in grid.elements]
    assert set(REGULATION_ELEMENTS) <= set(ids)
    assert [s.id for s in grid.stages] == [
        "reg.stage.scope",
        "reg.stage.gaps",
        "reg.stage.mix",
        "reg.stage.oversight",
    ]


def test_modern_slavery_grid_has_exactly_the_eleven_criteria(framework: Framework) -> None:
    assert [e.id for e in framework.grid("modern-slavery-au").elements] == MSA_ELEMENTS


def test_company_report_grid_covers_the_three_parts(framework: Framework) -> None:
    grid = framework.grid("company-report")
    assert len(grid.stages) == 3
    assert {e.stage for e in grid.elements} == {s.id for s in grid.stages}


@pytest.mark.parametrize("right_id", RIGHTS)
def test_required_rights_have_instruments(framework: Framework, right_id: str) -> None:
    right = framework.right(right_id)
    assert right.instruments


def test_required_vocabularies(framework: Framework) -> None:
    ids = {v.id for v in framework.vocabularies}
    assert set(VOCABULARIES) <= ids
    assert len(framework.vocabulary("business_model_risks").terms) == 6
    assert len(framework.vocabulary("gp31_criteria").terms) == 8
    assert {t.id for t in framework.vocabulary("severity_dimensions").terms} == {
        "severity.scale",
        "severity.scope",
        "severity.irremediability",
    }
    assert {t.id for t in framework.vocabulary("involvement").terms} == {
        "involvement.cause",
        "involvement.contribute",
        "involvement.directly_linked",
    }


def _texts(value: object, path: str = "") -> list[tuple[str, object]]:
    """Every Text and Cues object reachable from ``value``, with where it is."""
    found: list[tuple[str, object]] = []
    if isinstance(value, Text | Cues):
        found.append((path, value))
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            found += _texts(item, f"{path}[{index}]")
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            found += _texts(getattr(value, name), f"{path}.{name}")
    return found


def test_every_label_and_cue_list_exists_in_all_four_languages(framework: Framework) -> None:
    missing = [
        f"{entry.id}{path}: {lang}"
        for entry in framework.entries()
        for path, text in _texts(entry)
        for lang in LANGUAGES
        if not getattr(text, lang)
    ]
    assert not missing


def test_translations_are_not_copies_of_english(framework: Framework) -> None:
    """A label copied from English into Korean is a missing translation in disguise."""
    copied = [
        entry.id + path
        for entry in framework.entries()
        for path, text in _texts(entry)
        if isinstance(text, Text) and len(text.en) > 12 and text.ko == text.en
    ]
    assert not copied


def test_every_reference_resolves(framework: Framework) -> None:
    principles = {p.id for p in framework.principles}
    rights = {r.id for r in framework.rights}
    for grid in framework.grids:
        for element in grid.elements:
            assert set(element.ungp) <= principles, element.id
            assert set(element.rights) <= rights, element.id
            grid.stage(element.stage)
    for vocabulary in framework.vocabularies:
        for term in vocabulary.terms:
            assert set(term.ungp) <= principles, term.id
            assert set(term.rights) <= rights, term.id


def test_ids_are_unique_and_dotted(framework: Framework) -> None:
    ids = [entry.id for entry in framework.entries()]
    assert len(ids) == len(set(ids))
    grids = {g.id for g in framework.grids}
    assert all("." in i or i.startswith("gp") or i in grids or i.isidentifier() for i in ids)


def test_every_regulation_element_says_what_to_do_when_absent(framework: Framework) -> None:
    for element in framework.grid("regulation").elements:
        assert len(element.recommendation.en.split()) >= 8, element.id
        assert element.cues.get("en") and element.cues.get("ko")
