"""Text clean-up shared by all formats: soft hyphens, odd spaces, whitespace, ids."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from .numbering import HANGUL_ROMAN, HANGUL_SEQUENCE, circled_value

# Soft hyphen, pdfium's hyphen-at-line-end markers, zero-width characters and the BOM.
_DROP = dict.fromkeys(map(ord, "\u00ad\x02\ufffe\u200b\u2060\ufeff"), None)
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_SPACE_RE = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\x0c\r\n\x0b]+")


# Everything clean() removes or rewrites besides NFC: the dropped characters, "\r" and controls.
_DIRTY_RE = re.compile(r"[\x00-\x08\x0b\x0d-\x1f\x7f\u00ad\ufffe\u200b\u2060\ufeff]")
# Whitespace that str.split() breaks on but _SPACE_RE keeps (after clean()).
_SPLIT_ONLY_SPACES = ("\x85", "\u2028", "\u2029")


def clean(text: str) -> str:
    """Drop soft hyphens and control characters and apply Unicode NFC; keeps line breaks."""
    if _DIRTY_RE.search(text) is None:  # the common case: only NFC can change the text
        return unicodedata.normalize("NFC", text)
    text = text.translate(_DROP).replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL_RE.sub("", text)
    return unicodedata.normalize("NFC", text)


def is_plain_ascii(text: str) -> bool:
    """Whether ``text`` is ASCII without control characters (so clean() leaves it as it is)."""
    return text.isascii() and _CONTROL_RE.search(text) is None


def squash(text: str) -> str:
    """Collapse every run of whitespace (line breaks too) into one space and trim the ends."""
    # str.split() is much faster than the regex and splits on the same characters once the
    # text is clean, except for three rare line separators (checked below).
    if not text.isascii() or _CONTROL_RE.search(text) is not None:
        text = clean(text)
        if any(space in text for space in _SPLIT_ONLY_SPACES):
            return _SPACE_RE.sub(" ", text).strip()
    return " ".join(text.split())


def normalise_line(text: str) -> str:
    """One line of text, cleaned and with whitespace collapsed."""
    return squash(text)


_HANGUL_SLUG = dict(zip(HANGUL_SEQUENCE, HANGUL_ROMAN, strict=True))


_SLUG_RE = re.compile(r"[^a-z0-9]+")


@lru_cache(maxsize=4096)
def slug(text: str) -> str:
    """An ASCII, lowercase, dash-separated id part: "L. 225-102-4" becomes "l-225-102-4".

    Cached: the same labels ("a", "1", "iv") come back in every article.
    """
    out: list[str] = []
    for char in text:
        value = circled_value(char)
        if value is not None:
            out.append(f"-{value}-")
        elif char in _HANGUL_SLUG:
            out.append(f"-{_HANGUL_SLUG[char]}-")
        elif char == "의":
            out.append("-")
        else:
            out.append(char)
    decomposed = unicodedata.normalize("NFKD", "".join(out))
    ascii_text = decomposed.encode("ascii", "ignore").decode("ascii").lower()
    return _SLUG_RE.sub("-", ascii_text).strip("-")
