"""Deterministic, explainable, offline analysis: the UNGP check and its comparisons."""

from ungpkit.analysis.compare import Change, Comparison, compare
from ungpkit.analysis.engine import ANALYSER, ANALYSER_VERSION, UnsupportedLanguage, assess
from ungpkit.analysis.model import Assessment, Evidence, Finding, Status
from ungpkit.analysis.overlap import OverlapTable, overlap
from ungpkit.analysis.strength import Strength

__all__ = [
    "ANALYSER",
    "ANALYSER_VERSION",
    "Assessment",
    "Change",
    "Comparison",
    "Evidence",
    "Finding",
    "OverlapTable",
    "Status",
    "Strength",
    "UnsupportedLanguage",
    "assess",
    "compare",
    "overlap",
]
