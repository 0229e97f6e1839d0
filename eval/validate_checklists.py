"""Validate the labelled checklists in eval/checklists/.

Checks, for every checklist:
  * it parses as YAML and names a grid that exists;
  * every element id of the grid is listed, and no unknown id is listed;
  * every status is one of met | partial | absent | not_applicable;
  * `document` exists relative to the checklist file;
  * met/partial elements carry at least one locator, absent ones none;
  * every locator names an article heading that exists in the document.

Usage: .venv/bin/python eval/validate_checklists.py [checklist.yaml ...]
Exit status 1 if any error was found. Prints per-checklist status counts.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

import yaml

EVAL = Path(__file__).resolve().parent
ROOT = EVAL.parent
GRIDS = ROOT / "src" / "ungpkit" / "framework" / "data" / "grids"
ALLOWED = {"met", "partial", "absent", "not_applicable"}


def grid_element_ids(grid_id: str) -> list[str]:
    data = yaml.safe_load((GRIDS / f"{grid_id}.yaml").read_text(encoding="utf-8"))
    return [e["id"] for e in data["elements"]]


def heading_lines(text: str) -> list[str]:
    return [line.lstrip("#").strip() for line in text.splitlines() if line.startswith("#")]


def locator_found(locator: str, headings: list[str]) -> bool:
    """True if an article heading starts with the locator (e.g. 'Article 35', 'Art. 3', '제5조')."""
    loc = locator.strip()
    in_annex = False
    if loc.startswith("부칙 "):  # Korean supplementary provisions: 부칙 제1조
        loc = loc[len("부칙 "):]
        in_annex = True
    seen_annex = False
    pat = re.compile(re.escape(loc) + r"(?![0-9A-Za-z])")
    for h in headings:
        if h.startswith("부칙"):
            seen_annex = True
        if in_annex and not seen_annex:
            continue
        if pat.match(h):
            return True
    return False


def validate(path: Path) -> tuple[list[str], Counter]:
    errors: list[str] = []
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    counts: Counter = Counter()
    for key in ("document", "grid", "lang", "elements"):
        if key not in data:
            errors.append(f"missing key {key!r}")
    if errors:
        return errors, counts
    doc = (path.parent / data["document"]).resolve()
    if not doc.is_file():
        errors.append(f"document not found: {data['document']} -> {doc}")
        headings: list[str] = []
    else:
        headings = heading_lines(doc.read_text(encoding="utf-8"))
    try:
        ids = grid_element_ids(data["grid"])
    except FileNotFoundError:
        return [f"unknown grid {data['grid']!r}"], counts
    elements = data["elements"] or {}
    for eid in ids:
        if eid not in elements:
            errors.append(f"element missing: {eid}")
    for eid, lab in elements.items():
        if eid not in ids:
            errors.append(f"unknown element id: {eid}")
            continue
        status = (lab or {}).get("status")
        if status not in ALLOWED:
            errors.append(f"{eid}: bad status {status!r}")
            continue
        counts[status] += 1
        locs = lab.get("locators") or []
        if not isinstance(locs, list) or not all(isinstance(x, str) for x in locs):
            errors.append(f"{eid}: locators must be a list of strings")
            continue
        if status in ("met", "partial") and not locs:
            errors.append(f"{eid}: {status} but no locators")
        if status == "absent" and locs:
            errors.append(f"{eid}: absent but has locators {locs}")
        for loc in locs:
            if headings and not locator_found(loc, headings):
                errors.append(f"{eid}: locator {loc!r} not found as a heading in the document")
    return errors, counts


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or sorted((EVAL / "checklists").glob("*.yaml"))
    bad = 0
    for p in paths:
        errors, counts = validate(p)
        summary = " ".join(f"{k}={counts.get(k, 0)}" for k in ("met", "partial", "absent", "not_applicable"))
        print(f"{'OK ' if not errors else 'ERR'} {p.name}: {summary}")
        for e in errors:
            print(f"    - {e}")
        bad += bool(errors)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
