"""The public statistics: the list of mechanisms, a mechanism's page in every language, its
CSV and JSON downloads and the public API, with small counts shown as "fewer than 5"."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ungpkit.apps.remedy.models import Grievance
from ungpkit.apps.transparency.models import StatisticsSnapshot

from .conftest import CASE_WORDS, ROLES, World

PAGE = "/en/transparency/joint/"


def test_the_list_names_every_mechanism(world: World) -> None:
    body = Client().get("/en/transparency/").content.decode()
    assert "Joint mechanism" in body and "Other mechanism" in body
    assert "Statistics computed on" in body
    assert "/en/transparency/joint/" in body
    assert "Recurring issues" not in body  # the staff links are for staff


def test_the_list_links_staff_to_what_they_may_see(world: World) -> None:
    sec = world.client("sec").get("/en/transparency/").content.decode()
    assert (
        "/en/transparency/joint/issues/" in sec and "/en/transparency/joint/self-assessment/" in sec
    )
    member = world.client("member_a").get("/en/transparency/").content.decode()
    assert "/en/transparency/joint/issues/" in member
    assert "/en/transparency/joint/self-assessment/" not in member


def test_the_page_shows_figures_and_suppression(busy: World) -> None:
    response = Client().get(PAGE)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Statistics of Joint mechanism" in body
    assert "Computed on" in body
    assert "fewer than 5" in body
    assert "no number smaller than 5 is published" in body
    assert "hidden, so that a smaller number cannot be worked out" in body
    assert re.search(r"Complaints received</dt><dd>46</dd>", body)
    assert "Korean" in body and "Right to privacy" in body
    assert "Nimbus Analytics" in body and "Veridia Telecom" in body
    assert "median 2.0; 3 in 4 cases within 2.5; 9 in 10 within 3.0" in body
    assert "4.46" in body  # the mean satisfaction: no satisfaction cell is hidden
    assert "statistics.csv" in body and "statistics.json" in body
    assert CASE_WORDS not in body
    for code in Grievance.objects.values_list("case_code", flat=True):
        assert code not in body


def test_the_page_has_charts_with_tables_and_no_script_or_inline_style(busy: World) -> None:
    response = Client().get(PAGE)
    body = response.content.decode()
    assert "<script" not in body
    assert "style=" not in body and "<style" not in body
    assert body.count('<table class="data-table chart-table"') >= 8
    assert 'aria-hidden="true"' in body  # bars are decoration; the numbers are in the table
    assert "script-src 'self'" in response["Content-Security-Policy"]
    css = Client().get("/static/transparency/transparency.css")
    assert css.status_code in (200, 404)  # served by the static files app when present


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("fr", ("moins de 5", "Statistiques de Joint mechanism")),
        ("es", ("menos de 5", "Estadísticas de Joint mechanism")),
        ("ko", ("5 미만", "Joint mechanism 통계")),
    ],
)
def test_the_page_speaks_each_language(busy: World, language: str, words: tuple[str, ...]) -> None:
    body = Client().get(f"/{language}/transparency/joint/").content.decode()
    assert f'<html lang="{language}"' in body
    for word in words:
        assert word in body


def test_few_grievances_publish_nothing(world: World) -> None:
    body = Client().get("/en/transparency/other/").content.decode()
    assert "No statistics have been published" in body
    world.publish()  # joint has 6 grievances: one table row at most, nothing recoverable
    from ungpkit.apps.transparency import actions

    actions.publish_statistics(None, world.other)
    body = Client().get("/en/transparency/other/").content.decode()
    assert "fewer than 5" in body and "Not shown: fewer than 5 cases in all." in body


def test_a_missing_mechanism_is_not_found(world: World) -> None:
    assert Client().get("/en/transparency/nowhere/").status_code == 404
    assert Client().get("/en/transparency/nowhere/statistics.csv").status_code == 404
    assert Client().get("/en/transparency/joint/statistics.xml").status_code == 404


def test_csv_download(busy: World) -> None:
    response = Client().get("/en/transparency/joint/statistics.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="joint-statistics.csv"' in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    by_key = {(row["section"], row["key"]): row for row in rows}
    assert by_key[("total", "grievances")]["value"] == "46"
    assert by_key[("languages", "ko")]["value"] == ""
    assert by_key[("languages", "ko")]["note"] == "fewer than 5"
    assert by_key[("languages", "en")]["value"] == "28"
    assert by_key[("days_close", "median")]["value"] == "14.0"
    assert by_key[("satisfaction", "mean")]["value"] == "4.46"
    for row in rows:
        is_count = (row["section"], row["key"]) != ("satisfaction", "mean")
        if row["value"] and is_count and not row["section"].startswith("days"):
            assert int(row["value"]) >= 5, row


def test_json_download_and_api_agree(busy: World) -> None:
    download = Client().get("/en/transparency/joint/statistics.json")
    assert download["Content-Type"] == "application/json"
    api = Client().get("/api/transparency/joint/statistics")
    assert api.status_code == 200
    data = api.json()
    assert data == download.json()
    assert data["total"] == 46 and data["threshold"] == 5
    languages = next(t for t in data["tables"] if t["name"] == "languages")
    korean = next(c for c in languages["cells"] if c["key"] == "ko")
    assert korean == {
        "key": "ko",
        "label": "Korean",
        "count": None,
        "hidden": "small",
        "shown_as": "fewer than 5",
    }
    assert data["self_assessment"] is None


def test_api_labels_follow_the_language(busy: World) -> None:
    data = Client().get("/api/transparency/joint/statistics", HTTP_ACCEPT_LANGUAGE="fr").json()
    assert data["suppression"].startswith("Pour protéger")


@pytest.mark.parametrize("role", ROLES)
def test_everyone_may_read_the_statistics(world: World, role: str) -> None:
    client = world.client(role)
    assert client.get(PAGE).status_code == 200
    assert client.get("/en/transparency/joint/statistics.csv").status_code == 200
    assert client.get("/api/transparency/joint/statistics").status_code == 200


def test_api_without_snapshot_or_mechanism_is_not_found(world: World) -> None:
    missing = Client().get("/api/transparency/other/statistics")
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"
    assert Client().get("/api/transparency/nowhere/statistics").status_code == 404


def test_the_page_reads_one_snapshot_only(busy: World) -> None:
    client = Client()
    client.get(PAGE)
    with CaptureQueriesContext(connection) as queries:
        client.get(PAGE)
    # Fast whatever the number of grievances: it never reads them (timings in the docs).
    tables = " ".join(q["sql"] for q in queries.captured_queries)
    assert "remedy_grievance" not in tables and "triage_triagerecord" not in tables
    assert len(queries.captured_queries) <= 6
    assert StatisticsSnapshot.objects.count() >= 1
