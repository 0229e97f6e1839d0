"""The normative content of ungpkit as validated data: principles, rights, grids, vocabularies."""

from ungpkit.framework.errors import FrameworkError, Problem
from ungpkit.framework.framework import Framework
from ungpkit.framework.loader import DATA_DIR, default_framework, load_framework
from ungpkit.framework.models import LANGUAGES, Cues, Element, Grid, Principle, Right, Text

__all__ = [
    "DATA_DIR",
    "LANGUAGES",
    "Cues",
    "Element",
    "Framework",
    "FrameworkError",
    "Grid",
    "Principle",
    "Problem",
    "Right",
    "Text",
    "default_framework",
    "load_framework",
]
