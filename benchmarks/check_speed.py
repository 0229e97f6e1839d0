"""The UNGP check on a long law (150+ pages) against plain text extraction of the same PDF.

Target (issue 3): the whole check (read, structure, assess) at most 1.5x the time of plain
text extraction with pypdfium2, and under 5 s on a 2-core machine for a 150-page law.
The law is built from the EU acts in ../shared/corpus/laws when they are there, otherwise
from a synthetic law; it is rendered to PDF with fpdf2 in a temporary folder.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pypdfium2 as pdfium

from ungpkit.analysis import assess
from ungpkit.documents import read_document
from ungpkit.framework import default_framework

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "laws"
RUNS = 5
ASCII = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "…": "..."})


def _law_text() -> str:
    files = [
        "eu-gdpr-2016-679.md",
        "eu-nis2-2022-2555.md",
        "eu-dma-2022-1925.md",
        "eu-accessibility-act-2019-882.md",
        "eu-ecommerce-2000-31.md",
    ]
    if all((CORPUS / f).exists() for f in files):
        return "\n\n".join((CORPUS / f).read_text(encoding="utf-8") for f in files)
    articles = []
    for n in range(1, 400):
        articles.append(
            f"## Article {n}\n\nObligations of providers {n}\n\n1. Providers shall "
            "identify and assess the risks to human rights arising from the use of "
            "their systems and shall take appropriate measures to prevent them.\n\n"
            "2. The competent authority may impose fines and correction orders."
        )
    return "\n\n".join(articles)


def make_pdf(folder: Path) -> Path:
    """Render the long law to a PDF and return its path."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(True, margin=15)
    pdf.set_margins(20, 15, 20)
    pdf.add_page()
    for line in _law_text().translate(ASCII).splitlines():
        line = line.encode("latin-1", "replace").decode("latin-1")
        if line.startswith("#"):
            pdf.set_font("Helvetica", "B", 12)
            pdf.multi_cell(0, 6, line.lstrip("# "), new_x="LMARGIN", new_y="NEXT")
        elif line.strip():
            pdf.set_font("Helvetica", "", 11)
            pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
        else:
            pdf.ln(3)
    path = folder / "long-law.pdf"
    pdf.output(str(path))
    return path


def extract_plain(path: Path) -> str:
    """The baseline: plain text of every page with pypdfium2."""
    pdf = pdfium.PdfDocument(str(path))
    try:
        return "\n".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    finally:
        pdf.close()


def _forget() -> None:
    """Clear the per-sentence caches so each run reads the text afresh (compiled cues stay)."""
    from ungpkit.analysis import cues, strength

    for cached in (strength.read_strength, strength.has_marker, strength._exemptions, cues._words):
        cached.cache_clear()


def _median(function: Callable[[], object]) -> float:
    times = []
    for _ in range(RUNS):
        _forget()
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    """Print extraction and check medians and their ratio."""
    grid = default_framework().grid("regulation")
    with tempfile.TemporaryDirectory() as folder:
        path = make_pdf(Path(folder))
        pages = len(pdfium.PdfDocument(str(path)))
        start = time.perf_counter()
        document = read_document(path)
        first = assess(document, grid)
        cold = time.perf_counter() - start
        extraction = _median(lambda: extract_plain(path))
        reading = _median(lambda: read_document(path))
        analysis = _median(lambda: assess(document, grid))
        whole = _median(lambda: assess(read_document(path), grid))
    print(
        f"check benchmark: {pages} pages, {len(document.passages)} passages, "
        f"{len(grid.elements)} elements, median of {RUNS} runs"
    )
    print(f"  plain extraction (pypdfium2, baseline) {extraction:8.3f} s")
    print(f"  read_document (structure)              {reading:8.3f} s")
    print(f"  assess (analysis only)                 {analysis:8.3f} s")
    print(f"  whole check (read + assess)            {whole:8.3f} s")
    print(
        f"  first check in a new process (cold)    {cold:8.3f} s  ({len(first.findings)} findings)"
    )
    print(f"  ratio whole check / extraction         {whole / extraction:8.2f}x  (target <= 1.5x)")
    print(f"  whole check under 5 s                  {'yes' if whole < 5 else 'NO'}")


if __name__ == "__main__":
    main()
