"""Compile gettext catalogues (.po) to the binary form Django loads (.mo) without GNU gettext.

The compiled .mo files are committed, so running the site needs no build step. After editing a
.po file, run ``python -m ungpkit.web.i18n_compile`` (or ``ungpkit manage compilemessages``
where msgfmt is installed). Follows the logic of CPython's ``Tools/i18n/msgfmt.py``:
fuzzy entries are skipped, plural forms and contexts are kept.
"""

from __future__ import annotations

import ast
import struct
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent.parent


@dataclass
class Entry:
    """One message of a .po file."""

    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    fuzzy: bool = False


def read_po(path: Path) -> list[Entry]:
    """Parse a .po file into its entries (the header is the entry with an empty msgid)."""
    entries: list[Entry] = []
    entry = Entry()
    section: str | None = None
    index = 0
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if line.startswith("#") or (line and not line.startswith('"')):
            keyword = line.partition(" ")[0]
            if section == "msgstr" and (line.startswith("#") or keyword in ("msgctxt", "msgid")):
                entries.append(entry)
                entry, section = Entry(), None
        if not line:
            continue
        if line.startswith("#"):
            entry.fuzzy = entry.fuzzy or (line.startswith("#,") and "fuzzy" in line)
            continue
        text = line
        if not line.startswith('"'):
            keyword, _, text = line.partition(" ")
            section, index = _section(keyword, path, number)
        if section is None:
            raise ValueError(f"{path}:{number}: text outside msgid or msgstr")
        _append(entry, section, index, _unquote(text.strip(), path, number))
    if section is not None:
        entries.append(entry)
    return entries


def _section(keyword: str, path: Path, number: int) -> tuple[str, int]:
    if keyword.startswith("msgstr[") and keyword.endswith("]"):
        return "msgstr", int(keyword[7:-1])
    if keyword in ("msgctxt", "msgid", "msgid_plural", "msgstr"):
        return keyword, 0
    raise ValueError(f"{path}:{number}: unexpected {keyword!r}")


def _unquote(text: str, path: Path, number: int) -> str:
    try:
        value = ast.literal_eval(text)
    except (SyntaxError, ValueError) as error:
        raise ValueError(f"{path}:{number}: cannot read string {text!r}") from error
    if not isinstance(value, str):
        raise ValueError(f"{path}:{number}: expected a quoted string")
    return value


def _append(entry: Entry, section: str, index: int, text: str) -> None:
    if section == "msgstr":
        entry.msgstr[index] = entry.msgstr.get(index, "") + text
    elif section == "msgid_plural":
        entry.msgid_plural = (entry.msgid_plural or "") + text
    elif section == "msgctxt":
        entry.msgctxt = (entry.msgctxt or "") + text
    else:
        entry.msgid += text


def catalogue(entries: Iterable[Entry]) -> dict[str, str]:
    """The key/value pairs a .mo file holds: contexts, plurals, untranslated and fuzzy
    entries are handled as GNU msgfmt does."""
    messages: dict[str, str] = {}
    for entry in entries:
        if entry.fuzzy:
            continue
        key = entry.msgid
        if entry.msgid_plural is not None:
            key += "\0" + entry.msgid_plural
            value = "\0".join(entry.msgstr[i] for i in sorted(entry.msgstr))
        else:
            value = entry.msgstr.get(0, "")
        if entry.msgctxt is not None:
            key = entry.msgctxt + "\x04" + key
        if value.replace("\0", ""):
            messages[key] = value
    return messages


def mo_bytes(messages: dict[str, str]) -> bytes:
    """Encode a catalogue as a little-endian GNU .mo file."""
    keys = sorted(messages)
    ids = b""
    strs = b""
    offsets: list[tuple[int, int, int, int]] = []
    for key in keys:
        key_bytes = key.encode("utf-8")
        value_bytes = messages[key].encode("utf-8")
        offsets.append((len(ids), len(key_bytes), len(strs), len(value_bytes)))
        ids += key_bytes + b"\0"
        strs += value_bytes + b"\0"
    count = len(keys)
    keys_start = 7 * 4 + 16 * count
    values_start = keys_start + len(ids)
    key_table: list[int] = []
    value_table: list[int] = []
    for id_offset, id_length, str_offset, str_length in offsets:
        key_table += [id_length, id_offset + keys_start]
        value_table += [str_length, str_offset + values_start]
    header = struct.pack("Iiiiiii", 0x950412DE, 0, count, 7 * 4, 7 * 4 + count * 8, 0, 0)
    tables = struct.pack(f"{len(key_table)}i", *key_table)
    tables += struct.pack(f"{len(value_table)}i", *value_table)
    return header + tables + ids + strs


def compile_po(po_path: Path) -> Path:
    """Write the .mo file next to ``po_path`` and return its path."""
    mo_path = po_path.with_suffix(".mo")
    mo_path.write_bytes(mo_bytes(catalogue(read_po(po_path))))
    return mo_path


def po_files(root: Path = PACKAGE_DIR) -> Iterator[Path]:
    """Every Django catalogue under ``root``."""
    yield from sorted(root.rglob("locale/*/LC_MESSAGES/django.po"))


def main(argv: list[str] | None = None) -> int:
    """Compile every catalogue of the package (or under the folders given)."""
    roots = [Path(arg) for arg in (argv or [])] or [PACKAGE_DIR]
    for root in roots:
        for po_path in po_files(root):
            print(compile_po(po_path))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
