"""``assess(document, grid)``: the deterministic, explainable UNGP check.

For each element of the grid the engine finds the passages whose words match the element's
cues, sets aside those that state an exemption, reads the strength of the obligation in each
remaining sentence, checks which facets of the element the text covers, and decides a status:

- ``met``: an operative, binding passage, every facet (or two thirds of them) covered, and
  more than a single stray mention (two cues, two passages, or the article's own heading);
- ``partial``: the element is there, but only as best efforts, voluntary, in recitals, with
  facets missing, or as a single mention;
- ``absent``: no passage supports it (with the grid's recommendation).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ungpkit import __version__
from ungpkit.analysis.cues import CueMatch, CueSet, compile_cues
from ungpkit.analysis.model import (
    Assessment,
    DocumentInfo,
    Evidence,
    Exclusion,
    Finding,
    Status,
    finding_id,
)
from ungpkit.analysis.passages import PreparedDocument
from ungpkit.analysis.rationale import rationale
from ungpkit.analysis.strength import Reading, Strength
from ungpkit.documents.language import language_name
from ungpkit.documents.model import Document
from ungpkit.framework.models import LANGUAGES, Element, Grid

ANALYSER = "ungpkit.cues"
ANALYSER_VERSION = f"{__version__}+cues.1"
MAX_EVIDENCE = 5
KIND_WEIGHT = {"recital": 0.5, "preamble": 0.5, "heading": 0.6, "footnote": 0.3, "closing": 0.3}
FACET_SHARE = 2 / 3


class UnsupportedLanguage(ValueError):
    """The document's language has no cues; the message says what to do."""


@dataclass
class _Hit:
    """Work in progress for one passage that matches an element."""

    index: int
    cues: set[str]
    spans: list[tuple[int, int]]
    strength: Strength
    marker: str | None
    heading_match: bool
    score: float = 0.0


Progress = Callable[[int, int], None]


def assess(
    document: Document,
    grid: Grid,
    *,
    lang: str | None = None,
    progress: Progress | None = None,
) -> Assessment:
    """Assess ``document`` against every element of ``grid``.

    ``lang`` overrides the document's detected language. ``progress(done, total)`` is called
    after each element. Raises :class:`UnsupportedLanguage` when there are no cues for the
    language.
    """
    language = lang or document.language
    if language not in LANGUAGES:
        raise UnsupportedLanguage(
            f"The document appears to be in {language_name(language)} ('{language}'), and "
            f"ungpkit has assessment cues only "
            f"for English, French, Spanish and Korean. If the language was misdetected, give it "
            f"explicitly (for example --lang en); otherwise use a translation of the text."
        )
    prepared = PreparedDocument(document, language)
    info = DocumentInfo.of(document)  # once: the fingerprint hashes the whole text
    findings = []
    for done, element in enumerate(grid.elements, start=1):
        findings.append(_assess_element(prepared, element, language, info.fingerprint))
        if progress:
            progress(done, len(grid.elements))
    return Assessment(
        document=info,
        grid=grid.id,
        grid_version=grid.version,
        lang=language,
        findings=findings,
        warnings=list(document.warnings),
        analyser=ANALYSER,
        analyser_version=ANALYSER_VERSION,
    )


def _assess_element(
    prepared: PreparedDocument, element: Element, lang: str, fingerprint: str
) -> Finding:
    cues = compile_cues(tuple(element.cues.get(lang)), lang)
    excluders = (
        compile_cues(tuple(element.exclude_cues.get(lang)), lang) if element.exclude_cues else None
    )
    hits, excluded = _hits(prepared, cues, excluders)
    facets_found = _facets(prepared, element, lang, hits)
    evidence, heading = _evidence(prepared, hits, facets_found)
    status, reason = _status(element, hits, facets_found)
    strength = _strength(hits)
    found_ids = tuple(f for f in (facet.id for facet in element.facets) if f in facets_found)
    missing = tuple(facet.id for facet in element.facets if facet.id not in facets_found)
    return Finding(
        id=finding_id(fingerprint, element.id, ANALYSER_VERSION),
        element=element.id,
        stage=element.stage,
        status=status,
        strength=strength if status is not Status.ABSENT else None,
        evidence=evidence,
        rationale=rationale(
            element, status, reason, evidence, excluded, found_ids, missing, lang, heading
        ),
        recommendation=element.recommendation.get(lang) if status is not Status.MET else None,
        facets_found=found_ids,
        facets_missing=missing,
        excluded=tuple(excluded),  # all of them: the rationale counts them
        analyser=ANALYSER,
        analyser_version=ANALYSER_VERSION,
        reason=reason,
        heading=heading,
    )


def _hits(
    prepared: PreparedDocument, cues: CueSet, excluders: CueSet | None
) -> tuple[list[_Hit], list[Exclusion]]:
    hits: list[_Hit] = []
    excluded: list[Exclusion] = []
    matches = prepared.matches(cues)
    headings = prepared.heading_matches(cues)
    excluded_headings: dict[str, bool] = {}
    for index in sorted(set(matches) | headings):
        passage = prepared.passages[index]
        if passage.kind == "heading":
            continue  # headings count through the passages they head (heading_match)
        if excluders and excluders.search(passage.text):
            continue
        hit, marker = _match_passage(prepared, index, matches.get(index, []))
        heading_match = index in headings and not _heading_excluded(
            passage.heading or "", excluders, excluded_headings
        )
        if hit is None:
            if marker:
                excluded.append(Exclusion(passage.id, passage.locator, marker, passage.text))
            elif heading_match and passage.operative:
                hit, marker = _under_heading(prepared, index)
                if hit is None and marker:
                    excluded.append(Exclusion(passage.id, passage.locator, marker, passage.text))
                elif hit is not None:
                    hits.append(hit)
            continue
        hit.heading_match = heading_match
        hits.append(hit)
    for hit in hits:
        hit.score = _score(prepared, hit)
    return hits, excluded


def _heading_excluded(heading: str, excluders: CueSet | None, seen: dict[str, bool]) -> bool:
    """Whether the element's exclusions rule out ``heading`` (a heading on "cybersecurity
    risk-management" does not make its paragraphs human rights due diligence)."""
    if excluders is None or not heading:
        return False
    if heading not in seen:
        seen[heading] = excluders.search(heading)
    return seen[heading]


def _under_heading(prepared: PreparedDocument, index: int) -> tuple[_Hit | None, str | None]:
    """A passage that matches only through its heading: read the sentences not taken out by
    an exemption, and keep the strongest; (None, marker) when every sentence is exempt."""
    best: Reading | None = None
    marker = None
    for number in range(len(prepared.sentences(index))):
        exempt = prepared.sentence_exempt(index, number)
        if exempt is not None:
            marker = marker or exempt
            continue
        reading = prepared.sentence_reading(index, number)
        if best is None or reading.strength.rank > best.strength.rank:
            best = reading
    if best is None:
        return None, marker
    return _Hit(index, set(), [], best.strength, best.marker, True), None


def _match_passage(
    prepared: PreparedDocument, index: int, matches: list[CueMatch]
) -> tuple[_Hit | None, str | None]:
    """The cue matches that count in passage ``index`` (outside any exemption), and the
    exemption marker that set the others aside."""
    counted: list[CueMatch] = []
    best: tuple[Strength, str | None] | None = None
    marker = None
    for match in matches:
        exempt = prepared.exemption_at(index, match.start)
        if exempt is not None:
            marker = marker or exempt
            continue
        reading = prepared.sentence_reading(index, prepared.sentence_of(index, match.start))
        if best is None or reading.strength.rank > best[0].rank:
            best = (reading.strength, reading.marker)
        counted.append(match)
    if not counted or best is None:
        return None, marker
    hit = _Hit(
        index,
        {m.cue for m in counted},
        [(m.start, m.end) for m in counted],
        best[0],
        best[1],
        False,
    )
    return hit, None


def _score(prepared: PreparedDocument, hit: _Hit) -> float:
    passage = prepared.passages[hit.index]
    base = 1 - 0.5 ** max(len(hit.cues), 1)
    if hit.heading_match:
        base = min(1.0, base + 0.25)
    return round(base * KIND_WEIGHT.get(passage.kind, 1.0), 3)


def _facets(
    prepared: PreparedDocument, element: Element, lang: str, hits: list[_Hit]
) -> dict[str, list[int]]:
    """Facets covered by the evidence passages or by other passages of the same articles."""
    if not element.facets or not hits:
        return {}
    articles = {
        _article(prepared, hit.index) for hit in hits if prepared.passages[hit.index].operative
    }
    found: dict[str, list[int]] = {}
    for facet in element.facets:
        facet_cues = compile_cues(tuple(facet.cues.get(lang)), lang)
        matches = prepared.matches(facet_cues)
        headings = prepared.heading_matches(facet_cues)
        for index in sorted(set(matches) | headings):
            passage = prepared.passages[index]
            if not passage.operative or _article(prepared, index) not in articles:
                continue
            if index in headings or any(
                prepared.exemption_at(index, m.start) is None for m in matches[index]
            ):
                found.setdefault(facet.id, []).append(index)
    return found


def _article(prepared: PreparedDocument, index: int) -> str:
    passage = prepared.passages[index]
    for unit in reversed(passage.unit_path):
        if (
            not unit.lower().startswith(
                (
                    "chapter",
                    "section",
                    "part",
                    "title",
                    "chapitre",
                    "capítulo",
                    "título",
                    "titre",
                    "sección",
                    "제",
                )
            )
            or "조" in unit
        ):
            return unit
    return passage.locator


def _evidence(
    prepared: PreparedDocument, hits: list[_Hit], facets: dict[str, list[int]]
) -> tuple[tuple[Evidence, ...], str]:
    """The evidence passages, best first, and the heading of the first when it matched only
    through its heading (the rationale names that heading)."""
    ranked = _diverse(prepared, sorted(hits, key=lambda h: (-h.score, h.index)))
    if hits:
        # The finding's strength is its strongest passage's: that passage is always shown.
        strongest = max(hits, key=lambda h: (h.strength.rank, h.score, -h.index))
        if strongest not in ranked:
            ranked = [*ranked[: MAX_EVIDENCE - 1], strongest]
    evidence = []
    for hit in ranked:
        passage = prepared.passages[hit.index]
        facet_ids = tuple(f for f, indexes in facets.items() if hit.index in indexes)
        evidence.append(
            Evidence(
                passage_id=passage.id,
                locator=passage.locator,
                page=passage.page,
                text=passage.text,
                score=hit.score,
                strength=hit.strength,
                operative=passage.operative,
                cues=tuple(sorted(hit.cues)),
                facets=facet_ids,
                highlights=tuple(hit.spans),
                marker=hit.marker,
            )
        )
    top = ranked[0] if ranked else None
    heading = prepared.passages[top.index].heading or "" if top and not top.cues else ""
    return tuple(evidence), heading


def _diverse(prepared: PreparedDocument, ranked: list[_Hit]) -> list[_Hit]:
    """The best passage of each article first, then the rest: a reader sees every article
    that carries the element before a second paragraph of the same one."""
    firsts: list[_Hit] = []
    rest: list[_Hit] = []
    seen: set[str] = set()
    for hit in ranked:
        article = _article(prepared, hit.index)
        (rest if article in seen else firsts).append(hit)
        seen.add(article)
    return (firsts + rest)[:MAX_EVIDENCE]


def _status(element: Element, hits: list[_Hit], facets: dict[str, list[int]]) -> tuple[Status, str]:
    """The status and a short reason code the rationale turns into words."""
    if not hits:
        return Status.ABSENT, "none"
    operative = [h for h in hits if h.strength is not Strength.ASPIRATIONAL]
    if not operative:
        return Status.PARTIAL, "aspirational"
    counted = (
        {Strength.BINDING, Strength.VOLUNTARY} if element.enabling_counts else {Strength.BINDING}
    )
    binding = [h for h in operative if h.strength in counted]
    if not any(h.cues for h in binding):
        # A binding sentence that matches only through its article's heading is a related
        # duty ("inform the complainant" under "Grievance mechanism"), not the element's.
        return Status.PARTIAL, "related" if binding else "weak"
    if element.facets:
        needed = math.ceil(FACET_SHARE * len(element.facets))
        if len(facets) < needed:
            return Status.PARTIAL, "facets"
    cues = set().union(*(h.cues for h in binding))
    if len(cues) < 2 and len(binding) < 2 and not any(h.heading_match for h in binding):
        # One binding mention: the element is not developed as a duty, even where other
        # passages allow or encourage it.
        return Status.PARTIAL, "single" if len(operative) == 1 else "mostly_weak"
    return Status.MET, "met"


def _strength(hits: Iterable[_Hit]) -> Strength | None:
    strengths = [h.strength for h in hits]
    return max(strengths, key=lambda s: s.rank) if strengths else None
