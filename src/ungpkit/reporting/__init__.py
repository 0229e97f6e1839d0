"""Report analysis: find the criteria of a reporting grid in a company statement, sentence by
sentence, with a small learned classifier shipped in the package (CPU only, nothing fetched).

The model was trained on the AIMS.au dataset (Mila and Queensland University of Technology,
CC BY 4.0; "AIMS.au: A Dataset for the Analysis of Modern Slavery Countermeasures in Corporate
Statements", ICLR 2025).
"""

from __future__ import annotations

from ungpkit.reporting.analyse import (
    EvidenceSentence,
    ReportSentence,
    analyse_report,
    by_sentence,
    check_document,
    classify_report,
    split_sentences,
    supported,
)
from ungpkit.reporting.labels import ATTRIBUTION, ELEMENT_IDS, GRID_ID
from ungpkit.reporting.metrics import Scores, score
from ungpkit.reporting.modality import Mode, read_mode
from ungpkit.reporting.model import DEFAULT_MODEL, ModelMissing, SentenceModel, load_default

__all__ = [
    "ATTRIBUTION",
    "DEFAULT_MODEL",
    "ELEMENT_IDS",
    "GRID_ID",
    "EvidenceSentence",
    "Mode",
    "ModelMissing",
    "ReportSentence",
    "Scores",
    "SentenceModel",
    "analyse_report",
    "by_sentence",
    "check_document",
    "classify_report",
    "load_default",
    "read_mode",
    "score",
    "split_sentences",
    "supported",
]
