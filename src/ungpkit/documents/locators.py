"""How each language writes the locator of a paragraph, point, recital or unnumbered text."""

from __future__ import annotations

from .numbering import ItemMarker

_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "recital": "Recital",
        "preamble": "Preamble",
        "footnote": "Footnote",
        "title": "Title",
        "paragraph": "Paragraph",
        "annex_point": "point",
        "sub": "subparagraph",
        "alinea": "paragraph",
        "indent": "indent",
    },
    "fr": {
        "recital": "Considérant",
        "preamble": "Préambule",
        "footnote": "Note",
        "title": "Intitulé",
        "paragraph": "Paragraphe",
        "annex_point": "point",
        "sub": "alinéa",
        "alinea": "alinéa",
        "indent": "tiret",
    },
    "es": {
        "recital": "Considerando",
        "preamble": "Preámbulo",
        "footnote": "Nota",
        "title": "Título de la norma",
        "paragraph": "Párrafo",
        "annex_point": "punto",
        "sub": "párrafo",
        "alinea": "párrafo",
        "indent": "guion",
    },
    "ko": {
        "recital": "전문",
        "preamble": "전문",
        "footnote": "각주",
        "title": "제명",
        "paragraph": "문단",
        "annex_point": "",
        "sub": "",
        "alinea": "",
        "indent": "",
    },
}

PARAGRAPH_STYLES: dict[str, frozenset[str]] = {
    "ko": frozenset({"circled"}),
    "default": frozenset({"dot-num", "roman-dot", "circled", "paren-num"}),
}


def words(language: str) -> dict[str, str]:
    """The locator vocabulary for a language (English for unsupported languages)."""
    return _WORDS.get(language, _WORDS["en"])


def is_paragraph_style(style: str, language: str) -> bool:
    """Whether a first-level marker of this style numbers paragraphs (else points)."""
    return style in PARAGRAPH_STYLES.get(language, PARAGRAPH_STYLES["default"])


def item_locator(
    parent: str,
    marker: ItemMarker,
    *,
    language: str,
    paragraph: bool,
    in_annex: bool,
    top_level: bool,
    ordinal: int,
) -> str:
    """The locator of a numbered paragraph or point inside ``parent``.

    ``paragraph`` is True for first-level paragraph numbering ("1.", "①", "I."); ``top_level``
    is True when there is no enclosing article or annex (a numbered list in a plain text).
    ``ordinal`` counts bullets, which have no number of their own.
    """
    label = marker.label
    style = marker.style
    vocab = words(language)
    if top_level and paragraph:
        if language == "ko":
            return f"제{label}항" if style == "circled" else f"{label}."
        return f"{vocab['paragraph']} {label}"
    if style == "bullet":
        if language == "ko":
            return f"{parent} {ordinal}번째 항목"
        return f"{parent}, {vocab['indent']} {ordinal}"
    if language == "ko":
        if style == "circled":
            return f"{parent} 제{marker.value}항"
        if style == "dot-num":
            return f"{parent} 제{label}호"
        if style == "hangul-dot":
            return f"{parent} {label}목"
        if style in ("paren-num", "paren-alpha", "paren-roman", "paren-upper"):
            return f"{parent} ({label})"
        return f"{parent} {label})"
    number = str(marker.value) if style == "circled" else label
    if in_annex and paragraph:
        return f"{parent}, {vocab['annex_point']} {number}"
    if language == "fr":
        if paragraph:
            if style == "roman-dot":
                return f"{parent}, {number}"
            return f"{parent}, paragraphe {number}"
        if style == "degree":
            return f"{parent}, {number}°"
        if style in ("paren-roman", "roman-paren"):
            return f"{parent}, {number})"
        if style == "dot-num":
            return f"{parent}, {number}."
        return f"{parent}, point {number})"
    if language == "es":
        if paragraph:
            return f"{parent}.{number}"
        if style == "degree":
            return f"{parent}.{number}.º"
        if style == "dot-num":
            return f"{parent}.{number}"
        return f"{parent}.{number})"
    if style == "degree":
        return f"{parent}, {number}°"
    return f"{parent}({number})"


def unnumbered_locator(parent: str, ordinal: int, *, language: str, after_number: bool) -> str:
    """The locator of the ``ordinal``-th unnumbered paragraph of a unit.

    ``after_number`` is True when the unit itself is numbered (the paragraph continues a
    numbered paragraph: a subparagraph), False for an article made of plain paragraphs.
    """
    vocab = words(language)
    if language == "ko":
        return f"{parent} ({ordinal}번째 문단)"
    noun = vocab["sub"] if after_number else vocab["alinea"]
    return f"{parent}, {noun} {ordinal}"


def recital_locator(number: str, language: str) -> str:
    """The locator of a recital, e.g. "Recital 12" or "Considérant 12"."""
    return f"{words(language)['recital']} {number}"


def footnote_locator(label: str, language: str) -> str:
    """The locator of a footnote, e.g. "Footnote 3"."""
    return f"{words(language)['footnote']} {label}"


def paragraph_sign(ordinal: int) -> str:
    """The locator of the ``ordinal``-th paragraph of an unstructured text: "¶ 3"."""
    return f"¶ {ordinal}"
