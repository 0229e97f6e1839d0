"""Errors raised when a document cannot be read, each with a plain-language ``message``."""

from __future__ import annotations

SUPPORTED_FORMATS_TEXT = (
    "PDF with a text layer (.pdf), Word (.docx), web pages (.html, .htm, including EUR-Lex), "
    "Markdown (.md) and plain text (.txt)"
)


class DocumentError(Exception):
    """A document could not be read; ``message`` says what is wrong and what to do."""

    def __init__(self, message: str, *, source: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.source = source


class EncryptedDocument(DocumentError):
    """The document is protected by a password."""


class ScannedDocument(DocumentError):
    """The PDF has pages but no text layer (a scan or images of text)."""


class CorruptDocument(DocumentError):
    """The file is damaged or truncated."""


class EmptyDocument(DocumentError):
    """The file holds no text to analyse."""


class MismatchedType(DocumentError):
    """The content does not match the file extension."""


class UnsupportedFormat(DocumentError):
    """The file is in a format ungpkit cannot read."""


class TooLarge(DocumentError):
    """The file is bigger than the configured limit."""


class UnreadableFile(DocumentError):
    """The operating system could not read the file (permissions, a device, a broken drive)."""


class ZipBomb(DocumentError):
    """A compressed container (DOCX) would expand to an unsafe size."""
