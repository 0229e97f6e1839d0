"""The frozen document model and its helpers."""

from __future__ import annotations

import dataclasses

import pytest

from ungpkit.documents import Document, Passage, read_text

TEXT = """Article 1
Scope

1. This Act applies to providers.

2. It protects users:
(a) against discrimination;
(b) against surveillance.
"""


def test_passage_lookup_and_operative_flags() -> None:
    document = read_text(TEXT, title="Act")
    assert isinstance(document, Document)
    paragraph = document.passage("art-1-1")
    assert isinstance(paragraph, Passage)
    assert paragraph.operative
    assert not document.passage("art-1-h").operative
    with pytest.raises(KeyError):
        document.passage("art-99")
    assert document.find("Article 1(2)(b)") is document.passage("art-1-2-b")
    assert document.find("Article 9") is None
    assert all(p.operative for p in document.operative_passages())


def test_model_is_frozen_and_units_link_passages() -> None:
    document = read_text(TEXT)
    with pytest.raises(dataclasses.FrozenInstanceError):
        document.passages[0].text = "changed"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        document.title = "changed"  # type: ignore[misc]
    article = document.units[0]
    assert (article.kind, article.number, article.title, article.locator) == (
        "article",
        "1",
        "Scope",
        "Article 1",
    )
    assert article.passage_ids == ("art-1-h", "art-1-t")
    paragraph = article.children[1]
    assert paragraph.passage_ids == ("art-1-2",)
    assert [c.locator for c in paragraph.children] == ["Article 1(2)(a)", "Article 1(2)(b)"]
    assert [u.locator for u in document.all_units()] == [
        "Article 1",
        "Article 1(1)",
        "Article 1(2)",
        "Article 1(2)(a)",
        "Article 1(2)(b)",
    ]


def test_documents_compare_by_value() -> None:
    assert read_text(TEXT) == read_text(TEXT)
