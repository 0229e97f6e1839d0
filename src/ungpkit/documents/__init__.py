"""Read draft laws (PDF, DOCX, HTML incl. EUR-Lex, Markdown, text) into citable passages.

``read_document``, ``read_bytes`` and ``read_text`` return a :class:`Document` whose passages
carry exact locators ("Article 77(1)", "제43조 제1항") and character offsets into its text.
"""

from __future__ import annotations

from .errors import (
    CorruptDocument,
    DocumentError,
    EmptyDocument,
    EncryptedDocument,
    MismatchedType,
    ScannedDocument,
    TooLarge,
    UnreadableFile,
    UnsupportedFormat,
    ZipBomb,
)
from .language import LanguageGuess, detect_language
from .limits import ReadLimits
from .model import Document, Passage, PassageKind, Unit
from .reader import read_bytes, read_document, read_text

__all__ = [
    "CorruptDocument",
    "Document",
    "DocumentError",
    "EmptyDocument",
    "EncryptedDocument",
    "LanguageGuess",
    "MismatchedType",
    "Passage",
    "PassageKind",
    "ReadLimits",
    "ScannedDocument",
    "TooLarge",
    "Unit",
    "UnreadableFile",
    "UnsupportedFormat",
    "ZipBomb",
    "detect_language",
    "read_bytes",
    "read_document",
    "read_text",
]
