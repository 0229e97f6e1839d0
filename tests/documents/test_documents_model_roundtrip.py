"""A read document survives a trip through JSON unchanged (the web app stores it so)."""

from __future__ import annotations

import json
from pathlib import Path

from ungpkit.documents import read_document
from ungpkit.documents.model import document_from_dict, document_to_dict

DEMO = Path(__file__).resolve().parents[2] / "src" / "ungpkit" / "demo" / "data"


def test_document_round_trips_through_json() -> None:
    document = read_document(DEMO / "en-platform-accountability-act.md")
    again = document_from_dict(json.loads(json.dumps(document_to_dict(document))))
    assert again == document
    assert again.passage("art-5-1").text == document.passage("art-5-1").text
