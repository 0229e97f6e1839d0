"""Recognise the numbering of legal texts: headings (chapter, article, annex) and list markers.

Shared by every format: extractors produce text blocks, and this module says whether a block
opens a unit ("CHAPTER I", "Article 77 — Title", "제43조(손해배상)", "ANNEX III") or starts with
a list marker ("1.", "(a)", "a)", "1°", "①", "가."), and finds points written inline after a
colon ("...: (a) ...; (b) ...").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# ---------------------------------------------------------------------------------------------
# Values of list markers

HANGUL_SEQUENCE = "가나다라마바사아자차카타파하"
HANGUL_ROMAN = ("ga", "na", "da", "ra", "ma", "ba", "sa", "a", "ja", "cha", "ka", "ta", "pa", "ha")

_ROMAN_VALUES = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}
_ROMAN_RE = re.compile(r"^(?=[ivxlcdm]+$)m{0,3}(cm|cd|d?c{0,3})(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$")


def roman_to_int(text: str) -> int | None:
    """The value of a (well-formed) Roman numeral, or None."""
    lowered = text.lower()
    if not lowered or not _ROMAN_RE.match(lowered):
        return None
    total = 0
    previous = 0
    for char in reversed(lowered):
        value = _ROMAN_VALUES[char]
        if value < previous:
            total -= value
        else:
            total += value
            previous = value
    return total


def circled_value(char: str) -> int | None:
    """The number of a circled digit (① is 1), or None."""
    cp = ord(char)
    if 0x2460 <= cp <= 0x2473:
        return cp - 0x2460 + 1
    if 0x3251 <= cp <= 0x325F:
        return cp - 0x3251 + 21
    if 0x32B1 <= cp <= 0x32BF:
        return cp - 0x32B1 + 36
    return None


CIRCLED = (
    "".join(chr(c) for c in range(0x2460, 0x2474))
    + "".join(chr(c) for c in range(0x3251, 0x3260))
    + "".join(chr(c) for c in range(0x32B1, 0x32C0))
)


def alpha_value(text: str) -> int | None:
    """Position of a letter label: a=1 ... z=26, aa=27, bb=28 (the EU style after z)."""
    lowered = text.lower()
    if len(lowered) == 1 and "a" <= lowered <= "z":
        return ord(lowered) - ord("a") + 1
    if len(lowered) == 2 and lowered[0] == lowered[1] and "a" <= lowered[0] <= "z":
        return 26 + ord(lowered[0]) - ord("a") + 1
    return None


# ---------------------------------------------------------------------------------------------
# List markers at the start of a block


@dataclass(frozen=True)
class ItemMarker:
    """A list marker at the start of a text: its style, label as written, value and length."""

    style: str
    label: str
    value: int
    end: int
    alt_value: int | None = None  # the Roman reading of an ambiguous letter such as (i)


_ITEM_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("circled", re.compile(rf"^([{CIRCLED}])\s*")),
    ("paren-num", re.compile(r"^\((\d{1,3})\)(?:\s+|$)")),
    ("paren-alpha", re.compile(r"^\(([a-z]{1,2}|[ivxl]{3,6})\)(?:\s+|$)")),
    ("paren-upper", re.compile(r"^\(([A-Z])\)(?:\s+|$)")),
    ("degree", re.compile(r"^(\d{1,3})(?:\s?[°º]|\.[ºª])(?:\s+|$)")),
    ("dot-num", re.compile(r"^(\d{1,3}(?:의\d{1,2})?)\.(?!\d)(?:\s*[-–—](?=\s))?(?:\s+|$)")),
    ("roman-dot", re.compile(r"^([IVX]{1,6})\.(?:\s*[-–—])?(?:\s+|$)")),
    ("alpha-paren", re.compile(r"^([a-z]{1,2}|[ivxl]{3,6})\)(?:\s+|$)")),
    ("num-paren", re.compile(r"^(\d{1,3})\)(?:\s+|$)")),
    ("hangul-dot", re.compile(rf"^([{HANGUL_SEQUENCE}])\.(?:\s+|$)")),
    ("hangul-paren", re.compile(rf"^([{HANGUL_SEQUENCE}])\)(?:\s+|$)")),
    ("alpha-dot", re.compile(r"^([a-z])\.\s+")),
    ("bullet", re.compile(r"^([-–—•·▪●○◦])\s+")),
)

# A table cell or span holding nothing but a list marker (EUR-Lex lays points out this way).
MARKER_ONLY_RE = re.compile(
    r"^(?:\(?[0-9]{1,3}[).]?|\(?[a-zA-Z]{1,4}\)|[a-z]{1,2}\.|[—–\-•·▪]|"
    rf"[{CIRCLED}]|\d{{1,3}}\s?[°º]|\d{{1,3}}\.[ºª]|[가-하][.)]|[IVX]{{1,6}}\.)$"
)
_DATE_START = re.compile(r"^\d{4}\.\s*\d{1,2}\.")

# Styles whose letters may also be Roman numerals: (i) is "i" after (h) and "1" otherwise.
AMBIGUOUS_ROMAN = {"paren-alpha": "paren-roman", "alpha-paren": "roman-paren"}

FIRST_VALUE = 1


# The characters each item pattern can start with: only those patterns are tried for a text.
_ITEM_FIRST: dict[str, re.Pattern[str]] = {
    "circled": re.compile(rf"[{CIRCLED}]"),
    "paren-num": re.compile(r"\("),
    "paren-alpha": re.compile(r"\("),
    "paren-upper": re.compile(r"\("),
    "degree": re.compile(r"\d"),
    "dot-num": re.compile(r"\d"),
    "roman-dot": re.compile(r"[IVX]"),
    "alpha-paren": re.compile(r"[a-z]"),
    "num-paren": re.compile(r"\d"),
    "hangul-dot": re.compile(rf"[{HANGUL_SEQUENCE}]"),
    "hangul-paren": re.compile(rf"[{HANGUL_SEQUENCE}]"),
    "alpha-dot": re.compile(r"[a-z]"),
    "bullet": re.compile(r"[-–—•·▪●○◦]"),
}
_ITEM_CANDIDATES: dict[str, tuple[tuple[str, re.Pattern[str]], ...]] = {}


def _item_candidates(first: str) -> tuple[tuple[str, re.Pattern[str]], ...]:
    found = _ITEM_CANDIDATES.get(first)
    if found is None:
        found = tuple(
            (style, pattern)
            for style, pattern in _ITEM_PATTERNS
            if _ITEM_FIRST[style].fullmatch(first)
        )
        if len(_ITEM_CANDIDATES) < 4096:
            _ITEM_CANDIDATES[first] = found
    return found


def match_item(text: str) -> ItemMarker | None:
    """The list marker that opens ``text``, if any."""
    if not text:
        return None
    first = text[0]
    if not (first in "(-–—•·▪●○◦" or first.isalnum() or circled_value(first)):
        return None
    for style, pattern in _item_candidates(first):
        match = pattern.match(text)
        if match is None:
            continue
        label = match.group(1)
        end = match.end()
        if style == "circled":
            return ItemMarker(style, label, circled_value(label) or 1, end)
        if style in ("paren-num", "num-paren", "degree"):
            return ItemMarker(style, label, int(label), end)
        if style == "dot-num":
            if _DATE_START.match(text):
                return None
            return ItemMarker(style, label, int(label.split("의")[0]), end)
        if style == "roman-dot":
            value = roman_to_int(label)
            if value is None:
                return None
            return ItemMarker(style, label, value, end)
        if style in ("paren-alpha", "alpha-paren", "alpha-dot"):
            value = alpha_value(label)
            if value is None:
                roman = roman_to_int(label)
                if roman is None or style == "alpha-dot":
                    return None
                return ItemMarker(AMBIGUOUS_ROMAN[style], label, roman, end)
            return ItemMarker(style, label, value, end, roman_to_int(label))
        if style == "paren-upper":
            return ItemMarker(style, label, ord(label) - ord("A") + 1, end)
        if style in ("hangul-dot", "hangul-paren"):
            return ItemMarker(style, label, HANGUL_SEQUENCE.index(label) + 1, end)
        if style == "bullet":
            return ItemMarker(style, label, 0, end)
    return None


# ---------------------------------------------------------------------------------------------
# Heading markers: part, title, chapter, section, article, annex, ...


@dataclass(frozen=True)
class HeadingMarker:
    """A heading that opens a unit, e.g. ``Article 77 — Right to lodge a complaint``.

    ``label`` is the locator as the source writes it (keyword in title case); ``head_end`` is
    where the marker and its inline title end in the text; any body text after it starts at
    ``body_start``.
    """

    kind: str  # part | title | chapter | section | subsection | article | annex | supplementary
    label: str
    number: str | None
    title: str | None
    head_end: int
    body_start: int
    family: str = ""  # "section" for Section/Sec./§ (article-level when a text has no Articles)


_ROMAN_NUM = r"[IVXLCDM]+"
_ORDINAL_WORDS = (
    r"ONE|TWO|THREE|FOUR|FIVE|SIX|SEVEN|EIGHT|NINE|TEN|FIRST|SECOND|THIRD|FOURTH|FIFTH|"
    r"PRELIMINARY|PRELIMINAR|PR[ÉE]LIMINAIRE|PREMIER|PREMI[ÈE]RE|UNIQUE|[ÚU]NIC[OA]|"
    r"PRIMER[OA]?|SEGUND[OA]|TERCER[OA]?|CUART[OA]|QUINT[OA]|SEXT[OA]"
)
_GROUP_NUMBER = (
    rf"(?P<num>{_ROMAN_NUM}(?:er|ER|re|RE)?\b|\d+(?:er|re)?(?:\.\d+)*(?:\s?(?:bis|ter|quater))?"
    rf"|[A-Z]\b|(?i:{_ORDINAL_WORDS})\b)"
    r"(?P<ord>\.?\s?[ªº])?"
)

_GROUP_KEYWORDS: tuple[tuple[str, str, str], ...] = (
    ("part", r"part|partie|parte|livre|libro|book", ""),
    ("title", r"title|titre|t[íi]tulo", ""),
    ("chapter", r"chapter|chapitre|cap[íi]tulo", ""),
    ("subsection", r"sous-section|subsecci[óo]n|sub-section|subsection", ""),
    ("section", r"section|secci[óo]n", "section"),
)

_GROUP_RES: tuple[tuple[str, str, re.Pattern[str]], ...] = tuple(
    (kind, family, re.compile(rf"^(?P<kw>(?i:{kw}))\s+{_GROUP_NUMBER}(?P<rest>.*)$", re.S))
    for kind, kw, family in _GROUP_KEYWORDS
)

_ARTICLE_NUMBER = (
    r"(?P<num>(?:(?:L\.?\s?O|[LRDA])\.?\s?)?\d+(?:[-–.]\d+)*"
    r"(?:\s?(?i:bis|ter|quater|quinquies|sexies|septies|octies|nonies|decies)\b)?"
    r"(?:[a-z](?![a-z]))?(?:\s?(?:er|ER)\b)?"
    r"|(?i:premier|unique|[úu]nic[oa]|primero)\b)"
)
_ARTICLE_RE = re.compile(
    rf"^(?P<kw>(?i:article|art\.|art[íi]culo|art\b))\s*{_ARTICLE_NUMBER}(?P<rest>.*)$", re.S
)
_SECTION_SIGN_RE = re.compile(rf"^(?P<kw>§|(?i:sec\.))\s*{_ARTICLE_NUMBER}(?P<rest>.*)$", re.S)
_DISPOSITION_RE = re.compile(
    r"^(?P<kw>(?i:disposici[óo]n))\s+(?P<num>(?i:adicional|transitoria|final|derogatoria)"
    r"(?:\s+(?!y\b|de\b|del\b|la\b)[a-záéíóúñ]+)?)(?P<rest>.*)$",
    re.S,
)
_ANNEX_RE = re.compile(
    r"^(?P<kw>(?i:annexe|annex|anexo|schedule|appendix|appendice|ap[ée]ndice))"
    rf"(?:\s+(?P<num>{_ROMAN_NUM}\b|\d+\b|[A-Z]\b))?(?P<rest>.*)$",
    re.S,
)

# Korean: 제1편/장/절/관, 제43조(제목), 부칙, [별표 1]
_KO_GROUP_RE = re.compile(
    r"^제\s?(?P<num>\d+)\s?(?P<kw>편|장|절|관)(?:의\s?(?P<sub>\d+))?(?P<rest>(?:\s.*)?)$", re.S
)
_KO_ARTICLE_RE = re.compile(r"^제\s?(?P<num>\d+)\s?조(?:의\s?(?P<sub>\d+))?(?P<rest>.*)$", re.S)
_KO_SUPPLEMENTARY_RE = re.compile(r"^부\s?칙(?P<rest>\s*(?:[<(〈\[<].*)?)$", re.S)
_KO_SCHEDULE_RE = re.compile(
    r"^\[?\s*별\s?표\s*(?P<num>\d+(?:의\s?\d+)?)?\s*\]?(?P<rest>.*)$", re.S
)
_KO_KINDS = {"편": "part", "장": "chapter", "절": "section", "관": "subsection"}

# What every article, section, disposition, grouping and annex pattern above starts with:
# one quick test rules out most text before the nine patterns are tried.
_KEYWORD_START_RE = re.compile(
    r"§|(?i:art|sec|disp|part|livre|libro|book|t[íi]t|chap|cap|sous|sub|annex|anexo|schedule|ap)"
)

_SEPARATOR_RE = re.compile(r"^\s*(?:[.:]\s*)?[-–—]+\s*|^\s*[.:]\s+|^\s*[.:]\s*$|^\s*\n\s*")
_SENTENCE_INSIDE_RE = re.compile(r"[.;:!?]\s+\S")

RECITALS_INTRO_RE = re.compile(
    r"^(?:whereas|considérant ce qui suit|considerando lo siguiente|considerando)\s*:?\s*$",
    re.I,
)
RECITAL_LABEL_RE = re.compile(r"^(?:Considérant|Considerando|Recital)\s*\(?(\d{1,4})\)?\s*", re.I)
ENACTING_RE = re.compile(
    r"(?:HAVE|HAS)\s+ADOPTED\s+THIS|ONT\s+ADOPTÉ\s+L[AE]\s+PRÉSENTE?|A\s+ADOPTÉ\s+L[AE]\s+PRÉSENTE?|"
    r"HAN\s+ADOPTADO\s+(?:EL|LA)\s+PRESENTE|HA\s+ADOPTADO\s+(?:EL|LA)\s+PRESENTE",
    re.I,
)
FINAL_FORMULA_RE = re.compile(
    r"^(?:Done at|Fait à|Hecho en|Hecho a)\s+\w+|^This (?:Regulation|Directive) shall be binding"
    r"|^Le présent règlement est obligatoire|^El presente Reglamento será obligatorio"
    r"|^La présente loi sera exécutée comme loi de l'État"
    r"|^Por tanto,\s*$|^Por tanto,\s+mando a todos los españoles",
    re.I,
)


def _title_case_keyword(keyword: str) -> str:
    if keyword in ("§",):
        return keyword
    if keyword.isupper() or keyword.islower():
        return keyword[:1].upper() + keyword[1:].lower()
    return keyword


_RULE_VERB_RE = re.compile(
    r"(?<!\w)(?:shall|must|may|will|is required|are required|is entitled|are entitled|"
    r"doit|doivent|peut|peuvent|est tenu|sont tenus|deberá|deberán|debe|deben|podrá|podrán)"
    r"(?!\w)",
    re.IGNORECASE,
)
"""A verb of obligation or permission: a title names its subject, a rule uses these."""


def reads_as_rule(text: str) -> bool:
    """Whether ``text`` after an article number is the article's own rule, not a title: a
    verb of obligation or permission in a phrase of more than a few words ("Article 2. Any
    person may lodge a complaint ...")."""
    return len(text.split()) > 5 and _RULE_VERB_RE.search(text) is not None


def looks_like_title(text: str) -> bool:
    """Whether ``text`` reads like a heading title rather than the start of operative text."""
    stripped = text.strip()
    if not stripped or len(stripped) > 160:
        return False
    if reads_as_rule(stripped):
        return False
    if stripped.endswith(".") and len(stripped.split()) > 10:
        return False  # a sentence, not a title ("Victims of harm have the right to ...")
    if stripped[-1] in ",;:":
        return False
    if _SENTENCE_INSIDE_RE.search(stripped.rstrip(".")):
        return False
    if match_item(stripped) is not None:
        return False
    first = stripped[0]
    return first.isupper() or first.isdigit() or first in "(\"'«“‘" or not first.isascii()


def _split_rest(
    text: str, rest_start: int, *, heading_role: bool, spanish_title: bool
) -> tuple[str | None, int, int] | None:
    """Split what follows a marker into (title, head_end, body_start); None if not a heading."""
    rest = text[rest_start:]
    if not rest.strip():
        return None, len(text.rstrip()), len(text)
    separator = _SEPARATOR_RE.match(rest)
    if separator is None:
        tail_start = rest_start + len(rest) - len(rest.lstrip())
        tail = text[tail_start:]
        if heading_role or (rest[:1].isspace() and rest.strip().isupper() and len(rest) < 160):
            return tail.strip() or None, len(text.rstrip()), len(text)
        if rest[:1].isspace() and tail[:1].isupper():
            # "Article 5 Due diligence" (a title after a space), or "Article 5 The provider
            # shall ..." (the rule itself); a cross-reference goes on in lower case
            # ("Article 5 applies").
            if reads_as_rule(tail):
                return None, rest_start, tail_start
            short = len(tail.split()) <= 8 and not tail.rstrip().endswith((".", ";"))
            if short and looks_like_title(tail):
                return tail.strip() or None, len(text.rstrip()), len(text)
        return None
    tail_start = rest_start + separator.end()
    tail = text[tail_start:]
    if not tail.strip():
        return None, rest_start, len(text)
    if match_item(tail) is not None:
        return None, rest_start, tail_start
    if (heading_role and not reads_as_rule(tail)) or looks_like_title(tail):
        return tail.strip().rstrip(".").strip() or None, len(text.rstrip()), len(text)
    if spanish_title:
        # "Artículo 1. Objeto. La presente ley ..." — a short first sentence is the title.
        stop = tail.find(". ")
        if 0 < stop <= 80 and looks_like_title(tail[: stop + 1]):
            return tail[:stop].strip(), tail_start + stop + 1, tail_start + stop + 2
    return None, rest_start, tail_start


def match_heading(text: str, *, heading_role: bool = False) -> HeadingMarker | None:
    """The unit heading that opens ``text`` (e.g. "CHAPTER VIII", "Article 77 — ..."), if any."""
    if not text:
        return None
    first = text[0]
    if first == "제":
        return _match_korean(text, heading_role)
    if first in "부[별":
        return _match_korean(text, heading_role)
    if not (first.isupper() or first == "§"):
        return None
    if _KEYWORD_START_RE.match(text) is None:
        return None
    for pattern, kind, family in (
        (_ARTICLE_RE, "article", ""),
        (_SECTION_SIGN_RE, "article", "section"),
        (_DISPOSITION_RE, "article", ""),
    ):
        match = pattern.match(text)
        if match is None:
            continue
        keyword = match.group("kw")
        if keyword.lower() == "art" and not text[match.end("kw") :].startswith((" ", "\u00a0")):
            continue
        spanish = keyword.lower() in ("artículo", "articulo", "disposición", "disposicion")
        split = _split_rest(
            text, match.start("rest"), heading_role=heading_role, spanish_title=spanish
        )
        if split is None:
            continue
        title, head_end, body_start = split
        number = re.sub(r"\s+", " ", match.group("num")).strip()
        label = f"{_title_case_keyword(keyword)} {number}"
        if keyword.lower().startswith("disp"):
            number = number.lower()
            label = f"{_title_case_keyword(keyword)} {number}"
        return HeadingMarker(
            kind, label, _article_number(number), title, head_end, body_start, family
        )
    for kind, family, pattern in _GROUP_RES:
        match = pattern.match(text)
        if match is None:
            continue
        split = _split_rest(
            text, match.start("rest"), heading_role=heading_role, spanish_title=False
        )
        if split is None:
            continue
        title, head_end, body_start = split
        if body_start < len(text) and not heading_role:
            # A grouping heading is never followed by running text on the same line.
            continue
        written = match.group("num")
        label = f"{_title_case_keyword(match.group('kw'))} {written}{match.group('ord') or ''}"
        number = re.sub(r"(?i)(?<=[IVXLCDM\d])(?:er|re)$", "", written)
        return HeadingMarker(kind, label, number, title, head_end, body_start, family)
    match = _ANNEX_RE.match(text)
    if match is not None:
        split = _split_rest(
            text, match.start("rest"), heading_role=heading_role, spanish_title=False
        )
        if split is not None and (split[2] >= len(text) or heading_role):
            title, head_end, body_start = split
            number = match.group("num")
            keyword = _title_case_keyword(match.group("kw"))
            label = f"{keyword} {number}" if number else keyword
            return HeadingMarker("annex", label, number, title, head_end, body_start)
    return None


def _article_number(number: str) -> str:
    lowered = number.lower()
    if lowered in ("premier", "1er", "1 er"):
        return "1"
    return re.sub(r"\s?er$", "", number) if re.fullmatch(r"\d+\s?er", lowered) else number


def _match_korean(text: str, heading_role: bool) -> HeadingMarker | None:
    match = _KO_ARTICLE_RE.match(text)
    if match is not None:
        branch = f"의{match.group('sub')}" if match.group("sub") else ""
        number = match.group("num") + branch
        label = f"제{match.group('num')}조{branch}"
        rest_start = match.start("rest")
        rest = text[rest_start:]
        title: str | None = None
        if rest.startswith(("(", "（")):
            close = _closing_paren(rest)
            if close < 0:
                return None
            title = rest[1:close].strip() or None
            head_end = rest_start + close + 1
        elif not rest.strip():
            head_end = len(text.rstrip())
        elif rest[:1].isspace() and (
            circled_value(rest.strip()[0]) is not None or rest.strip().startswith("삭제")
        ):
            head_end = rest_start
        else:
            return None
        body_start = head_end
        while body_start < len(text) and text[body_start].isspace():
            body_start += 1
        return HeadingMarker("article", label, number, title, head_end, body_start)
    match = _KO_GROUP_RE.match(text)
    if match is not None:
        rest = match.group("rest").strip()
        if len(rest) > 80 or rest.endswith("다."):
            return None
        kw = match.group("kw")
        branch = f"의{match.group('sub')}" if match.group("sub") else ""
        number = match.group("num") + branch
        return HeadingMarker(
            _KO_KINDS[kw],
            f"제{match.group('num')}{kw}{branch}",
            number,
            rest or None,
            len(text.rstrip()),
            len(text),
        )
    match = _KO_SUPPLEMENTARY_RE.match(text)
    if match is not None and len(text) <= 120:
        label = re.sub(r"\s+", " ", text.strip())
        return HeadingMarker("supplementary", label, None, None, len(text.rstrip()), len(text))
    match = _KO_SCHEDULE_RE.match(text)
    if (
        match is not None
        and len(text) <= 160
        and text.lstrip("[ ").startswith("별")
        and not re.match(r"^[가-힣]", match.group("rest"))
    ):
        number = match.group("num")
        number = re.sub(r"\s+", "", number) if number else None
        label = f"별표 {number}" if number else "별표"
        rest = match.group("rest").strip()
        return HeadingMarker("annex", label, number, rest or None, len(text.rstrip()), len(text))
    return None


def _closing_paren(text: str) -> int:
    depth = 0
    for index, char in enumerate(text):
        if char in "(（":
            depth += 1
        elif char in ")）":
            depth -= 1
            if depth == 0:
                return index
    return -1


_REFERENCE_END_RE = re.compile(
    r"\S\s+(?:articles?|art\.|paragraphs?|points?|sections?|subsections?|annex(?:es)?|"
    r"chapters?|regulation|directive|decision|nos?\.?|n°|"
    r"paragraphes?|alinéas?|annexes?|chapitres?|règlement|"
    r"artículos?|apartados?|párrafos?|anexos?|capítulos?|reglamento|directiva|números?)$",
    re.IGNORECASE,
)


_LINKING_END_RE = re.compile(
    r"(?:^|(?<![;,:.])\s)(?:in|to|of|under|with|and|or|by|from|see|the|"
    r"et|ou|dans|à|au|aux|de|du|des|en|par|le|la|les|"
    r"y|o|del|al|con|según|por|el|los|las)$",
    re.IGNORECASE,
)


def continues_reference(previous: str, line: str) -> bool:
    """Whether ``line`` only carries on a sentence that the previous line broke, rather than
    opening a numbered paragraph or a unit: "... referred to in Article" / "64. ...", "... based
    on point" / "(a) of Article 6(1)", or
    "... the consistency mechanism referred to in" / "Article 63." (a line wrapped by the page
    or by a fixed-width text file). A list's "...; or" / "(ii) ..." is not a broken sentence."""
    end = previous.rstrip()
    if (line[:1].isdigit() or line[:1] == "(") and _REFERENCE_END_RE.search(end) is not None:
        return True
    # A list item after "by" / "(a) natural persons and" opens the next point; only a unit
    # heading ("Article 63.") can be a reference broken after a linking word.
    return match_heading(line) is not None and _LINKING_END_RE.search(end) is not None


def is_bare_heading(line: str) -> bool:
    """A line that is a unit heading and nothing else ("Article 5", "CHAPTER II")."""
    heading = match_heading(line.strip())
    return heading is not None and heading.title is None and heading.body_start >= len(line.strip())


def starts_unit(line: str) -> bool:
    """Whether a line opens a new block: a unit heading or a list marker."""
    stripped = line.lstrip()
    if not stripped:
        return False
    if match_item(stripped) is not None:
        return True
    if match_heading(stripped) is not None:
        return True
    if stripped[0] not in "CcRrWw":  # neither recital pattern can match
        return False
    return bool(RECITAL_LABEL_RE.match(stripped) or RECITALS_INTRO_RE.match(stripped))


# ---------------------------------------------------------------------------------------------
# Points written inline: "... the following: (a) first; (b) second; and (c) third."

_INLINE_RE = re.compile(
    r"(?<=\s)(?:\((?P<paren>[a-z]{1,2}|[ivxlc]{1,6}|\d{1,3})\)"
    r"|(?P<close>[a-z]{1,2}|[ivxl]{3,6})\)"
    rf"|(?P<circled>[{CIRCLED}]))(?=\s)"
)
_CONJUNCTION_RE = re.compile(r"(?:[;,.:]\s*)(?:and/or|and|or|et|ou|y|o|u|e|et/ou)\s*$", re.I)


_CIRCLED_RE = re.compile(rf"[{CIRCLED}]")


# The longest conjunction has 6 characters, so a _CONJUNCTION_RE match that starts before the
# last _TAIL characters of a text needs whitespace from there up to the conjunction.
_TAIL = 64


def _ends_with_conjunction(text: str, end: int) -> bool:
    """Whether _CONJUNCTION_RE matches ``text[:end]`` (which ends with a non-space)."""
    start = max(0, end - _TAIL)
    if _CONJUNCTION_RE.search(text, start, end) is not None:
        return True
    if start == 0 or not text[start : end - 6].isspace():
        return False
    return _CONJUNCTION_RE.search(text, 0, end) is not None


@dataclass
class _Level:
    style: str
    value: int


def _candidate_styles(match: re.Match[str]) -> list[tuple[str, int]]:
    """(style, value) readings of an inline marker, most likely first."""
    if match.group("circled"):
        return [("circled", circled_value(match.group("circled")) or 0)]
    label = match.group("paren") or match.group("close") or ""
    paren = match.group("paren") is not None
    if label.isdigit():
        return [("paren-num" if paren else "num-paren", int(label))]
    readings: list[tuple[str, int]] = []
    alpha = alpha_value(label)
    if alpha is not None:
        readings.append(("paren-alpha" if paren else "alpha-paren", alpha))
    roman = roman_to_int(label)
    if roman is not None:
        readings.append(("paren-roman" if paren else "roman-paren", roman))
    return readings


def inline_splits(text: str, lead: ItemMarker | None = None) -> list[int]:
    """Offsets in ``text`` where inline points start (each offset is a marker such as "(b)").

    A sequence opens with a first value ("(a)", "(1)", "(i)", "a)") right after a colon, and
    goes on with each next value after a semicolon, comma or full stop (optionally followed by
    "and", "or", "et", "y" ...). Cross-references such as "points (a) and (b)" are not split.
    """
    if "(" not in text and ")" not in text and _CIRCLED_RE.search(text) is None:
        return []
    levels: list[_Level] = []
    if lead is not None and lead.style != "bullet":
        levels.append(_Level(lead.style, lead.value))
    splits: list[int] = []
    for match in _INLINE_RE.finditer(text):
        # What comes before the marker, without the spaces: text[:end].rstrip().
        end = match.start()
        while end > 0 and text[end - 1].isspace():
            end -= 1
        if end == 0:
            continue
        last = text[end - 1]
        readings = _candidate_styles(match)
        accepted = False
        # Continue an open sequence (innermost level first).
        for depth in range(len(levels) - 1, -1, -1):
            level = levels[depth]
            for style, value in readings:
                if style == level.style and value == level.value + 1:
                    circled = style == "circled"
                    if circled or last in ";,.:" or _ends_with_conjunction(text, end):
                        del levels[depth + 1 :]
                        level.value = value
                        splits.append(match.start())
                        accepted = True
                    break
            if accepted:
                break
        if accepted:
            continue
        # Open a new sequence after a colon, or right after the block's own marker ("1. (a)").
        opens = last == ":" or (lead is not None and match.start() <= lead.end)
        if opens and len(levels) < 4:
            for style, value in readings:
                if value == FIRST_VALUE and style != "circled":
                    levels.append(_Level(style, value))
                    splits.append(match.start())
                    break
    return splits
