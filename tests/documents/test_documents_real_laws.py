"""The shared corpus of real EU laws (Markdown): structure, locators and speed."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from ungpkit.documents import read_document

Check = Callable[[object], None]

ARTICLES = {
    "eu-gdpr-2016-679.md": 99,
    "eu-dma-2022-1925.md": 54,
    "eu-nis2-2022-2555.md": 47,  # the source lists "Article 3" twice under different numbers
    "eu-accessibility-act-2019-882.md": 35,
    "eu-ecommerce-2000-31.md": 24,
}


def test_gdpr(laws_dir: Path, consistent: Check) -> None:
    path = laws_dir / "eu-gdpr-2016-679.md"
    if not path.exists():
        pytest.skip("GDPR file missing from the corpus")
    started = time.perf_counter()
    document = read_document(path)
    elapsed = time.perf_counter() - started
    consistent(document)
    assert elapsed < 2.0
    assert document.language == "en"
    assert document.warnings == ()
    assert document.title.startswith("Regulation (EU) 2016/679")
    complaint = document.find("Article 77(1)")
    assert complaint is not None and complaint.id == "art-77-1"
    assert complaint.heading is not None and "complaint" in complaint.heading
    assert complaint.unit_path == ("Chapter VIII", "Article 77")
    assert complaint.kind == "paragraph" and complaint.operative
    fines = document.find("Article 83(5)")
    assert fines is not None and "20 000 000 EUR" in fines.text
    assert document.find("Article 83(5)(a)") is not None
    lawfulness = document.find("Article 5(1)(a)")
    assert lawfulness is not None and "lawfully, fairly" in lawfulness.text
    assert document.find("Article 35(7)(d)") is not None
    articles = [u for u in document.all_units() if u.kind == "article"]
    assert len(articles) == 99
    assert articles[21].title is not None and "Automated individual decision-making" in (
        articles[21].title
    )
    chapters = [u for u in document.units if u.kind == "chapter"]
    assert [c.locator for c in chapters][:3] == ["Chapter I", "Chapter II", "Chapter III"]


@pytest.mark.parametrize(("name", "articles"), sorted(ARTICLES.items()))
def test_corpus_laws(laws_dir: Path, consistent: Check, name: str, articles: int) -> None:
    path = laws_dir / name
    if not path.exists():
        pytest.skip(f"{name} missing from the corpus")
    document = read_document(path)
    consistent(document)
    assert document.language == "en"
    assert document.warnings == ()
    found = [u for u in document.all_units() if u.kind == "article"]
    assert len(found) >= articles
    body = [p for p in document.passages if p.kind in ("paragraph", "point")]
    # Every paragraph carries its article's title, except under the corpus's few merged
    # headings ("### Article 3 — 2. Regardless of their size, this Directive also applies
    # ..."), where the "title" is a paragraph and is read as one: that article has no title.
    untitled = {p.unit_path[1] for p in body if not p.heading}
    assert body and len(untitled) <= 1, untitled
    assert all(p.locator.startswith("Article ") for p in body)
