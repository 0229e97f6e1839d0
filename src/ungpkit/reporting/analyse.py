"""Whole-report analysis: split a report into sentences, classify them, decide each criterion.

For a grid the sentence model covers (``modern-slavery-au``), every sentence of the report gets
a probability per criterion (with its neighbours as context). Sentences above a criterion's
threshold are its evidence, each read as *done*, *promised* or *denied*. A criterion is

- ``met`` when at least :data:`MET_DONE` evidence sentences (one for the formal elements and
  criteria 1 and 6) describe something done;
- ``partial`` when there is evidence but too little of it describes something done (for
  example only promises for next year, or statements that the step was not taken);
- ``absent`` when no sentence addresses it.

Other grids have no trained model: they go to the cue engine (:func:`ungpkit.analysis.assess`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from ungpkit import __version__
from ungpkit.analysis.model import (
    Assessment,
    DocumentInfo,
    Evidence,
    Finding,
    Status,
    finding_id,
)
from ungpkit.analysis.strength import Strength
from ungpkit.documents.model import Document
from ungpkit.framework.models import Element, Grid
from ungpkit.reporting.labels import ELEMENT_IDS
from ungpkit.reporting.modality import Mode, read_mode
from ungpkit.reporting.model import SentenceModel, load_default

ANALYSER = "ungpkit.reporting"
ANALYSER_VERSION = f"{__version__}+msa-sentences.1"
MAX_EVIDENCE = 5
MET_DONE = 2
MIN_WORDS = 3
"""Shorter sentences (headings) are context, never evidence."""
SINGLE = frozenset(
    {"msa.approval", "msa.signature", "msa.c1_reporting_entity", "msa.c6_consultation"}
)
"""Criteria one clear sentence can meet."""
MODE_STRENGTH = {
    Mode.DONE: Strength.BINDING,
    Mode.PROMISED: Strength.ASPIRATIONAL,
    Mode.DENIED: Strength.ASPIRATIONAL,
}
_SPLIT = re.compile(r"(?<=[.!?;])\s+(?=[\"'“‘(\[]?[A-Z0-9•\-–])|\s*\n+\s*|\s+[•▪●]\s+")


@dataclass(frozen=True)
class ReportSentence:
    """One sentence of a report and where it is."""

    index: int
    text: str
    passage_id: str
    locator: str
    page: int | None
    start: int
    end: int


@dataclass(frozen=True)
class EvidenceSentence:
    """A sentence that addresses a criterion, with its probability and mode."""

    element: str
    sentence: ReportSentence
    probability: float
    mode: Mode
    marker: str | None


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of a passage's text that has a letter or digit."""
    spans: list[tuple[int, int]] = []
    position = 0
    for piece in _SPLIT.split(text):
        stripped = piece.strip()
        if not stripped:
            continue
        offset = max(text.find(stripped, position), 0)
        position = offset + len(stripped)
        if any(c.isalnum() for c in stripped):
            spans.append((offset, offset + len(stripped)))
    return spans


def split_sentences(document: Document) -> list[ReportSentence]:
    """The document's sentences in reading order (headings included: they are context)."""
    out: list[ReportSentence] = []
    for passage in document.passages:
        for start, end in sentence_spans(passage.text):
            out.append(
                ReportSentence(
                    index=len(out),
                    text=passage.text[start:end],
                    passage_id=passage.id,
                    locator=passage.locator,
                    page=passage.page,
                    start=passage.start + start,
                    end=passage.start + end,
                )
            )
    return out


def supported(grid: Grid) -> bool:
    """Whether the sentence model covers every element of ``grid``."""
    return tuple(e.id for e in grid.elements) == ELEMENT_IDS


def classify_report(
    document: Document, model: SentenceModel | None = None
) -> tuple[list[ReportSentence], np.ndarray, np.ndarray]:
    """The sentences of ``document`` with their 0/1 decisions and probabilities."""
    model = model or load_default()
    sentences = split_sentences(document)
    decisions, probs = model.predict([s.text for s in sentences])
    return sentences, decisions, probs


def analyse_report(
    document: Document,
    grid: Grid,
    *,
    model: SentenceModel | None = None,
    lang: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Assessment:
    """Assess a company statement against ``grid`` sentence by sentence.

    Each Evidence is one sentence; its ``mode`` is ``"done"``, ``"promised"`` or ``"denied"``
    (``marker`` holds the words that decided it) and its ``strength`` is binding for done,
    aspirational otherwise.
    Grids the model does not cover are assessed by the cue engine, then read sentence by
    sentence the same way (:func:`by_sentence`).
    """
    if not supported(grid):
        from ungpkit.analysis import assess

        return by_sentence(assess(document, grid, lang=lang, progress=progress), grid)
    lang = lang or "en"  # the model's findings are written in English unless asked
    model = model or load_default()
    sentences, decisions, probs = classify_report(document, model)
    fingerprint = DocumentInfo.of(document).fingerprint
    findings = []
    for j, element in enumerate(grid.elements):
        chosen = [
            EvidenceSentence(
                element.id, sentences[i], float(probs[i, j]), *_mode(sentences[i].text)
            )
            for i in np.flatnonzero(decisions[:, j])
            if len(sentences[i].text.split()) > MIN_WORDS
        ]
        findings.append(_finding(element, chosen, fingerprint, lang))
    info = DocumentInfo.of(document)
    warnings = list(document.warnings)
    if document.language != "en":
        warnings.append(
            f"The sentence model was trained on English statements; this document looks like "
            f"'{document.language}', so the findings may miss evidence."
        )
    return Assessment(
        document=info,
        grid=grid.id,
        grid_version=grid.version,
        lang=lang,
        findings=findings,
        warnings=warnings,
        analyser=ANALYSER,
        analyser_version=ANALYSER_VERSION,
    )


def _mode(text: str) -> tuple[Mode, str | None]:
    reading = read_mode(text)
    return reading.mode, reading.marker


def decide(element_id: str, evidence: Sequence[EvidenceSentence]) -> tuple[Status, str]:
    """Status and a short reason from the evidence sentences of one criterion."""
    if not evidence:
        return Status.ABSENT, "none"
    done = [e for e in evidence if e.mode is Mode.DONE]
    needed = 1 if element_id in SINGLE else MET_DONE
    if len(done) >= needed:
        return Status.MET, "met"
    if not done:
        kinds = {e.mode for e in evidence}
        if kinds == {Mode.DENIED}:  # pragma: no branch
            return Status.PARTIAL, "denied"
        return Status.PARTIAL, "promised"
    return Status.PARTIAL, "single"


_REASONS = {
    "none": "No sentence of the statement addresses this criterion.",
    "met": "{done} sentence(s) describe what was done{extra}.",
    "promised": "Only plans or promises address this criterion ({n} sentence(s)); "
    "a promise is not evidence of action.",
    "denied": "The statement says this step has not been taken ({n} sentence(s)).",
    "single": "Only one sentence describes what was done{extra}; more detail is expected.",
}


def _finding(
    element: Element, evidence: list[EvidenceSentence], fingerprint: str, lang: str
) -> Finding:
    status, reason = decide(element.id, evidence)
    done = sum(e.mode is Mode.DONE for e in evidence)
    other = len(evidence) - done
    extra = f"; {other} more only promise or deny it" if other else ""
    rationale = _REASONS[reason].format(done=done, n=len(evidence), extra=extra)
    ranked = sorted(evidence, key=lambda e: (e.mode is not Mode.DONE, -e.probability))
    items = tuple(
        Evidence(
            passage_id=e.sentence.passage_id,
            locator=e.sentence.locator,
            page=e.sentence.page,
            text=e.sentence.text,
            score=round(e.probability, 3),
            strength=MODE_STRENGTH[e.mode],
            operative=True,
            cues=(),
            marker=e.marker,
            mode=e.mode.value,
        )
        for e in ranked[:MAX_EVIDENCE]
    )
    return Finding(
        id=finding_id(fingerprint, element.id, ANALYSER_VERSION),
        element=element.id,
        stage=element.stage,
        status=status,
        strength=(items[0].strength if items else None),
        evidence=items,
        rationale=rationale,
        recommendation=element.recommendation.get(lang) if status is not Status.MET else None,
        analyser=ANALYSER,
        analyser_version=ANALYSER_VERSION,
    )


def check_document(
    document: Document,
    grid: Grid,
    *,
    lang: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Assessment:
    """The check a grid calls for: a company report (a ``report`` grid) is read sentence by
    sentence (:func:`analyse_report`); a law or policy by the cue engine."""
    if grid.kind == "report":
        return analyse_report(document, grid, lang=lang, progress=progress)
    from ungpkit.analysis import assess

    return assess(document, grid, lang=lang, progress=progress)


_CUE_REASONS = {
    "promised": "The passages found only plan or promise this ({n} sentence(s)); a promise is "
    "not evidence of action.",
    "denied": "The report says this step has not been taken ({n} sentence(s)).",
}


def by_sentence(assessment: Assessment, grid: Grid) -> Assessment:
    """Narrow the cue engine's evidence to the sentences that carry its matches, each read as
    done, promised or denied, and hold a finding whose sentences only promise or deny to
    ``partial`` (a promise is not evidence of action)."""
    findings = [
        _finding_by_sentence(f, grid.element(f.element), assessment.lang)
        for f in assessment.findings
    ]
    return replace(assessment, findings=findings)


def _sentences_of(evidence: Evidence) -> list[Evidence]:
    spans = sentence_spans(evidence.text) or [(0, len(evidence.text))]
    marked = [
        (start, end)
        for start, end in spans
        if any(s < end and e > start for s, e in evidence.highlights)
    ] or spans[:1]
    out = []
    for start, end in marked:
        text = evidence.text[start:end]
        reading = read_mode(text)
        out.append(
            replace(
                evidence,
                text=text,
                highlights=tuple(
                    (max(s, start) - start, min(e, end) - start)
                    for s, e in evidence.highlights
                    if s < end and e > start
                ),
                strength=MODE_STRENGTH[reading.mode],
                marker=reading.marker,
                mode=reading.mode.value,
            )
        )
    return out


def _finding_by_sentence(finding: Finding, element: Element, lang: str) -> Finding:
    if not finding.evidence:
        return finding
    sentences = [s for e in finding.evidence for s in _sentences_of(e)]
    done = [s for s in sentences if s.mode == Mode.DONE.value]
    ranked = (done + [s for s in sentences if s.mode != Mode.DONE.value])[:MAX_EVIDENCE]
    status, rationale, recommendation = finding.status, finding.rationale, finding.recommendation
    if not done and status is Status.MET:
        status = Status.PARTIAL
        recommendation = element.recommendation.get(lang) or element.recommendation.get("en")
    if not done:
        denied = all(s.mode == Mode.DENIED.value for s in sentences)
        rationale = _CUE_REASONS["denied" if denied else "promised"].format(n=len(sentences))
    return replace(
        finding,
        status=status,
        strength=ranked[0].strength,
        evidence=tuple(ranked),
        rationale=rationale,
        recommendation=recommendation,
        # The words above are this analysis's own (done, promised, denied): the cue engine's
        # reason would write another rationale, so none is kept and these words stay.
        reason="",
        heading="",
    )
