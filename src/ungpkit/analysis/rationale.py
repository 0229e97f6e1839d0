"""One or two sentences, in the reader's language, saying why a finding has its status."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from ungpkit.analysis.model import Assessment, Evidence, Exclusion, Finding, Status
from ungpkit.framework.models import Element, Grid

STRENGTH_WORDS = {
    "en": {
        "binding": "binding",
        "best_efforts": "best-efforts",
        "voluntary": "voluntary or enabling",
        "aspirational": "aspirational",
    },
    "fr": {
        "binding": "contraignante",
        "best_efforts": "de moyens",
        "voluntary": "facultative ou habilitante",
        "aspirational": "programmatique",
    },
    "es": {
        "binding": "vinculante",
        "best_efforts": "de medios",
        "voluntary": "voluntaria o habilitante",
        "aspirational": "programática",
    },
    "ko": {
        "binding": "구속력 있는",
        "best_efforts": "노력 의무의",
        "voluntary": "임의적·수권적인",
        "aspirational": "선언적인",
    },
}

TEMPLATES = {
    "en": {
        "none": "No passage of the document addresses this element.",
        "excluded": " {n} passage(s) mentioning it were set aside as exemptions ({marker}, {loc}).",
        "lead": "{loc} uses {strength} wording{marker} and mentions {cues}.",
        "lead_heading": "{loc} uses {strength} wording{marker}, under the heading “{heading}”.",
        "mostly_weak": " Only one passage states it as a binding duty; elsewhere it is "
        "allowed, encouraged or left to best efforts.",
        "related": " Its binding sentences are related duties under the article's heading; the "
        "element itself is not stated as a duty.",
        "met": "",
        "aspirational": " It appears only in recitals or statements of principle.",
        "weak": " No passage states it as a binding duty.",
        "facets": " Aspects missing: {missing}.",
        "single": " It is a single mention; the element is not developed.",
        "facets_ok": " Aspects covered: {found}.",
    },
    "fr": {
        "none": "Aucun passage du document ne traite de cet élément.",
        "excluded": " {n} passage(s) qui le mentionnent ont été écartés comme exemptions "
        "({marker}, {loc}).",
        "lead": "{loc} emploie une formulation {strength}{marker} et mentionne {cues}.",
        "lead_heading": "{loc} emploie une formulation {strength}{marker}, sous l'intitulé "
        "« {heading} ».",
        "mostly_weak": " Un seul passage en fait une obligation contraignante ; ailleurs, il est "
        "permis, encouragé ou relève d'une obligation de moyens.",
        "related": " Ses phrases contraignantes sont des obligations connexes sous l'intitulé "
        "de l'article ; l'élément lui-même n'est pas énoncé comme une obligation.",
        "met": "",
        "aspirational": " Il n'apparaît que dans des considérants ou des déclarations de principe.",
        "weak": " Aucun passage n'en fait une obligation contraignante.",
        "facets": " Aspects manquants : {missing}.",
        "single": " Il s'agit d'une mention isolée ; l'élément n'est pas développé.",
        "facets_ok": " Aspects couverts : {found}.",
    },
    "es": {
        "none": "Ningún pasaje del documento aborda este elemento.",
        "excluded": " Se descartaron {n} pasaje(s) que lo mencionan por ser excepciones "
        "({marker}, {loc}).",
        "lead": "{loc} usa una formulación {strength}{marker} y menciona {cues}.",
        "lead_heading": "{loc} usa una formulación {strength}{marker}, bajo el título «{heading}».",
        "mostly_weak": " Solo un pasaje lo establece como obligación vinculante; en los demás "
        "se permite, se fomenta o queda como obligación de medios.",
        "related": " Sus frases vinculantes son obligaciones conexas bajo el título del "
        "artículo; el elemento en sí no se establece como obligación.",
        "met": "",
        "aspirational": " Solo aparece en considerandos o declaraciones de principio.",
        "weak": " Ningún pasaje lo establece como obligación vinculante.",
        "facets": " Aspectos ausentes: {missing}.",
        "single": " Es una mención aislada; el elemento no se desarrolla.",
        "facets_ok": " Aspectos cubiertos: {found}.",
    },
    "ko": {
        "none": "이 요소를 다루는 조항이 문서에 없습니다.",
        "excluded": " 이를 언급하는 {n}개 조항은 적용 제외 규정으로 판단되어 제외되었습니다"
        "({marker}, {loc}).",
        "lead": "{loc}{topic} {strength} 표현{marker}을 사용하며 {cues}{object} 언급합니다.",
        "lead_heading": "{loc}{topic} “{heading}” 제목 아래에서 {strength} 표현{marker}을 "
        "사용합니다.",
        "mostly_weak": " 구속력 있는 의무로 규정한 조항은 하나뿐이며, 나머지는 허용·권장 또는 "
        "노력 의무에 그칩니다.",
        "related": " 구속력 있는 문장은 조문 제목 아래의 관련 의무일 뿐이며, 요소 자체는 의무로 "
        "규정되어 있지 않습니다.",
        "met": "",
        "aspirational": " 전문이나 원칙 선언에만 나타납니다.",
        "weak": " 구속력 있는 의무로 규정한 조항이 없습니다.",
        "facets": " 누락된 측면: {missing}.",
        "single": " 한 번 언급될 뿐 구체화되어 있지 않습니다.",
        "facets_ok": " 다루는 측면: {found}.",
    },
}


QUOTES = {"fr": ("« ", " »"), "es": ("«", "»")}
"""How each language quotes words (default: “ ”)."""


def _quoted(text: str, lang: str) -> str:
    opening, closing = QUOTES.get(lang, ("“", "”"))
    return f"{opening}{text}{closing}"


_DIGIT_HAS_FINAL = set("013678")
"""Korean readings of the digits: 영 일 삼 육 칠 팔 end in a consonant, 이 사 오 구 do not."""


def _has_final_consonant(text: str) -> bool | None:
    """Whether ``text`` ends, as read in Korean, on a consonant (None: cannot tell)."""
    for char in reversed(text):
        if "가" <= char <= "힣":
            return (ord(char) - ord("가")) % 28 != 0
        if char.isdigit():
            return char in _DIGIT_HAS_FINAL
        if char.isalpha():
            return None  # a Latin letter: no rule to read it by
    return None


def _particles(loc: str, cue: str) -> dict[str, str]:
    """The Korean topic and object particles that fit the words before them."""
    topic = {True: "은", False: "는", None: "은(는)"}[_has_final_consonant(loc)]
    obj = {True: "을", False: "를", None: "을(를)"}[_has_final_consonant(cue)]
    return {"topic": topic, "object": obj}


def rationale(
    element: Element,
    status: Status,
    reason: str,
    evidence: Sequence[Evidence],
    excluded: Sequence[Exclusion],
    facets_found: Sequence[str],
    facets_missing: Sequence[str],
    lang: str,
    heading: str = "",
) -> str:
    """Compose the rationale for one finding from its evidence, in ``lang``.

    ``heading``: the heading of the first evidence passage when it matched only through it.
    """
    words = TEMPLATES.get(lang, TEMPLATES["en"])
    labels = {facet.id: facet.label.get(lang) for facet in element.facets}
    if status is Status.ABSENT or not evidence:
        text = words["none"]
        if excluded:
            first = excluded[0]
            text += words["excluded"].format(
                n=len(excluded), marker=_quoted(first.marker, lang), loc=first.locator
            )
        return text
    top = evidence[0]
    strength = STRENGTH_WORDS.get(lang, STRENGTH_WORDS["en"])[top.strength.value]
    marker = f" ({_quoted(top.marker, lang)})" if top.marker else ""
    if top.cues or not heading:
        shown = top.cues[:3] or (element.title.get(lang),)
        cues = ", ".join(_quoted(cue, lang) for cue in shown)
        text = words["lead"].format(
            loc=top.locator,
            strength=strength,
            marker=marker,
            cues=cues,
            **_particles(top.locator, shown[-1].rstrip("*~ ")),
        )
    else:
        text = words["lead_heading"].format(
            loc=top.locator,
            strength=strength,
            marker=marker,
            heading=heading,
            **_particles(top.locator, ""),
        )
    if reason == "facets":
        text += words["facets"].format(missing=", ".join(labels[f] for f in facets_missing))
    elif reason in ("aspirational", "weak", "single", "mostly_weak", "related"):
        text += words[reason]
        if reason == "related" and facets_missing:
            text += words["facets"].format(missing=", ".join(labels[f] for f in facets_missing))
    elif facets_found:
        text += words["facets_ok"].format(found=", ".join(labels[f] for f in facets_found))
    return text


def rationale_in(finding: Finding, element: Element, lang: str) -> str:
    """``finding``'s rationale written in ``lang`` (the reader's), from the reason the engine
    recorded; a finding stored before reasons were recorded keeps its own words."""
    if not finding.reason:
        return finding.rationale
    try:
        return _rationale_of(finding, element, lang)
    except KeyError:  # a facet the grid no longer has: the stored words stand
        return finding.rationale


def _rationale_of(finding: Finding, element: Element, lang: str) -> str:
    return rationale(
        element,
        finding.status,
        finding.reason,
        finding.evidence,
        finding.excluded,
        finding.facets_found,
        finding.facets_missing,
        lang,
        finding.heading,
    )


def in_language(assessment: Assessment, grid: Grid, lang: str) -> Assessment:
    """``assessment`` with each rationale and recommendation written in ``lang`` (a
    reader's language, whatever the document's)."""
    findings = []
    for finding in assessment.findings:
        try:
            element = grid.element(finding.element)
        except KeyError:
            findings.append(finding)
            continue
        recommendation = finding.recommendation and element.recommendation.get(lang)
        findings.append(
            replace(
                finding,
                rationale=rationale_in(finding, element, lang),
                recommendation=recommendation or finding.recommendation,
            )
        )
    return replace(assessment, findings=findings)
