"""The check pages through the test client: what they show and what they store."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from ungpkit.apps.accounts import actions as accounts
from ungpkit.apps.accounts.models import Organisation, Role
from ungpkit.apps.check import actions
from ungpkit.apps.check.models import Assessment, LawDocument, Review
from ungpkit.documents import DocumentError, read_bytes

DEMO_DATA = Path(__file__).resolve().parents[2] / "src" / "ungpkit" / "demo" / "data"
REPORT_FIXTURES = Path(__file__).resolve().parents[1] / "reporting" / "fixtures"
CORRECTED = "reg.mix.stakeholder_engagement_companies"
MINISTRY = "Veridia Ministry of Digital Affairs"


def ministry_id() -> int:
    return Organisation.objects.get(name=MINISTRY).pk


# Upload and progress -------------------------------------------------------------------


def test_pasting_a_law_stores_it_and_queues_its_check(
    signed_in: Callable[[str], Client], django_capture_on_commit_callbacks: Any
) -> None:
    client = signed_in("drafter")
    text = (DEMO_DATA / "en-platform-accountability-act.md").read_text()
    documents, assessments = LawDocument.objects.count(), Assessment.objects.count()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/en/check/upload/",
            {"title": "Pasted act", "text": text, "grid": "regulation", "lang": ""},
        )

    assert LawDocument.objects.count() == documents + 1
    assert Assessment.objects.count() == assessments + 1
    assessment = Assessment.objects.latest("id")
    assert assessment.document.title == "Pasted act"
    assert assessment.organisation.name == MINISTRY
    assert response.status_code == 302
    assert response["Location"] == f"/en/check/assessments/{assessment.pk}/progress/"
    assert assessment.state == "done"
    finished = client.get(response["Location"])
    assert finished["Location"] == f"/en/check/assessments/{assessment.pk}/"


def test_a_company_report_is_read_sentence_by_sentence_on_the_page(
    signed_in: Callable[[str], Client], django_capture_on_commit_callbacks: Any
) -> None:
    client = signed_in("drafter")
    text = (REPORT_FIXTURES / "statement.txt").read_text(encoding="utf-8")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/en/check/upload/",
            {"title": "Acme statement", "text": text, "grid": "company-report", "lang": ""},
        )
    assessment = Assessment.objects.latest("id")
    assert assessment.state == "done", assessment.error
    evidence = [e for f in assessment.result["findings"] for e in f["evidence"]]
    assert {e["mode"] for e in evidence} >= {"done", "promised"}
    html = client.get(f"/en/check/assessments/{assessment.pk}/").content.decode()
    assert response.status_code == 302
    assert "Only a plan or promise" in html and "Describes something done" in html
    assert "We will roll out modern slavery <mark>training</mark>" in html


def test_uploading_a_file_with_a_chosen_language(signed_in: Callable[[str], Client]) -> None:
    data = (DEMO_DATA / "en-platform-accountability-act-v2.md").read_bytes()

    response = signed_in("company").post(
        "/en/check/upload/",
        {
            "file": SimpleUploadedFile("act.md", data, "text/markdown"),
            "grid": "regulation",
            "lang": "en",
            "organisation": Organisation.objects.get(name="Nimbus Analytics Ltd").pk,
        },
    )

    assert response.status_code == 302
    assessment = Assessment.objects.latest("id")
    assert assessment.lang == "en"
    assert assessment.state == "queued"  # the test's transaction never commits
    assert bytes(assessment.document.content) == data
    assert assessment.organisation.name == "Nimbus Analytics Ltd"


def test_a_refused_file_says_why_on_the_form_in_the_readers_language(
    signed_in: Callable[[str], Client],
) -> None:
    data = b"\x00\x01\x02 not a document"
    with pytest.raises(DocumentError):
        read_bytes(data, filename="law.exe")
    documents = LawDocument.objects.count()
    client = signed_in("drafter")

    response = client.post(
        "/en/check/upload/",
        {"file": SimpleUploadedFile("law.exe", data), "grid": "regulation"},
    )
    french = client.post(
        "/fr/check/upload/",
        {"file": SimpleUploadedFile("law.exe", data), "grid": "regulation"},
    )

    assert response.status_code == french.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert "is not in a format the check reads" in html and "--max-bytes" not in html
    assert "n&#x27;est pas dans un format" in french.content.decode()
    assert LawDocument.objects.count() == documents


def test_upload_needs_a_file_or_text_but_not_both(signed_in: Callable[[str], Client]) -> None:
    client = signed_in("drafter")

    empty = client.post("/en/check/upload/", {"grid": "regulation"})
    both = client.post(
        "/en/check/upload/",
        {"grid": "regulation", "text": "Article 1", "file": SimpleUploadedFile("a.txt", b"x")},
    )

    assert empty.status_code == both.status_code == 400
    assert "Choose a file or paste the text of the law." in empty.content.decode()
    assert "Choose a file or paste the text, not both." in both.content.decode()


@pytest.fixture
def queued(demo: Any, db: None) -> Assessment:
    """A check of the demo's first draft that no worker has picked up."""
    drafter = get_user_model().objects.get(username="drafter")
    return actions.request_assessment(drafter, demo.private_document_id, grid="regulation")


def test_progress_page_polls_with_htmx_and_refreshes_without_javascript(
    signed_in: Callable[[str], Client], queued: Assessment
) -> None:
    client = signed_in("drafter")
    url = f"/en/check/assessments/{queued.pk}/progress/"

    html = client.get(url).content.decode()
    stopped = client.get(url + "?refresh=off").content.decode()
    partial = client.get(url, headers={"HX-Request": "true"}).content.decode()

    assert '<progress id="check-progress" max="100" value="0">' in html
    assert 'hx-trigger="every 1s"' in html
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in html
    assert "/static/vendor/htmx/htmx.min.js" in html
    assert "Stop reloading automatically" in html
    assert 'http-equiv="refresh"' not in stopped
    assert "<html" not in partial and 'id="progress-status"' in partial
    assert client.get(f"/en/check/assessments/{queued.pk}/")["Location"] == url


def test_progress_page_tells_htmx_to_open_the_finished_assessment(
    signed_in: Callable[[str], Client], demo: Any
) -> None:
    response = signed_in("drafter").get(
        f"/en/check/assessments/{demo.private_id}/progress/", headers={"HX-Request": "true"}
    )

    assert response.status_code == 204
    assert response["HX-Redirect"] == f"/en/check/assessments/{demo.private_id}/"


def test_a_failed_check_shows_its_reason(
    signed_in: Callable[[str], Client], queued: Assessment
) -> None:
    Assessment.objects.filter(pk=queued.pk).update(
        state="failed", error="The file has no text layer."
    )

    html = signed_in("drafter").get(f"/en/check/assessments/{queued.pk}/progress/").content

    assert "The check failed" in html.decode()
    assert "The file has no text layer." in html.decode()
    assert b"http-equiv" not in html


# The assessment page -------------------------------------------------------------------


def test_assessment_page_shows_the_summary_findings_evidence_and_reviews(
    signed_in: Callable[[str], Client], demo: Any
) -> None:
    html = signed_in("drafter").get(f"/en/check/assessments/{demo.private_id}/").content.decode()

    assert "Summary by stage" in html and '<svg class="bar" aria-hidden="true"' in html
    assert "<figcaption" in html and '<th scope="row">Scope the problem and objective</th>' in html
    assert "Gaps and recommendations" in html
    assert f'id="finding-{CORRECTED}"' in html
    assert "<mark>" in html
    assert re.search(rf'href="/en/check/documents/{demo.private_document_id}/#passage-[^"]+"', html)
    assert "Article 9 only encourages companies" in html
    assert "Dara" in html  # the reviewer, beside the machine's answer
    assert f"/en/check/assessments/{demo.private_id}/findings/{CORRECTED}/review/" in html
    assert f"/en/check/assessments/{demo.private_id}/export/pdf/" in html
    assert f"/en/check/assessments/{demo.private_id}/export/checklist/" in html
    assert f'action="/en/check/assessments/{demo.private_id}/publish/"' in html
    assert "<script" not in html


def test_assessment_filters_by_stage_status_and_strength(
    signed_in: Callable[[str], Client], demo: Any
) -> None:
    client = signed_in("drafter")
    url = f"/en/check/assessments/{demo.private_id}/"
    everything = client.get(url).content.decode()
    absent = client.get(url, {"status": "absent"}).content.decode()
    stage = client.get(url, {"stage": "reg.stage.scope"}).content.decode()
    binding = client.get(url, {"strength": "binding"}).content.decode()

    def shown(html: str) -> int:
        return html.count('<article class="finding')

    assert shown(everything) == 30
    assert 0 < shown(absent) < 30 and "finding--met" not in absent
    assert 0 < shown(stage) < 30
    assert 0 < shown(binding) < 30
    assert "Show all findings" in absent


def test_readers_outside_the_ministry_cannot_review_or_publish(
    signed_in: Callable[[str], Client], demo: Any
) -> None:
    html = signed_in("expert").get(f"/en/check/assessments/{demo.public_id}/").content.decode()

    assert "/review/" not in html
    assert "/publish/" not in html


def test_assessment_page_speaks_korean(signed_in: Callable[[str], Client], demo: Any) -> None:
    html = signed_in("").get(f"/ko/check/assessments/{demo.public_id}/").content.decode()

    assert '<html lang="ko"' in html
    for text in ("단계별 요약", "평가 결과", "공백과 권고", "근거"):
        assert text in html


# Reviews, publishing and downloads -----------------------------------------------------


def test_review_post_stores_a_review_and_leaves_the_machine_result(
    signed_in: Callable[[str], Client], demo: Any
) -> None:
    assessment = Assessment.objects.get(pk=demo.private_id)
    before = assessment.result
    passage = assessment.document.passages[5]["id"]
    url = f"/en/check/assessments/{demo.private_id}/findings/{CORRECTED}/review/"
    client = signed_in("drafter")

    form = client.get(url).content.decode()
    response = client.post(
        url,
        {
            "decision": "correct",
            "status": "met",
            "strength": "binding",
            "passage_ids": [passage],
            "comment": "Draft 1 makes it a duty after all.",
        },
    )

    assert 'type="radio" name="decision"' in form and 'name="passage_ids"' in form
    assert response.status_code == 302
    assert response["Location"] == f"/en/check/assessments/{demo.private_id}/#finding-{CORRECTED}"
    review = Review.objects.latest("id")
    assert (review.decision, review.status, review.strength) == ("correct", "met", "binding")
    assert review.passage_ids == [passage]
    assert review.reviewer.username == "drafter"
    assessment.refresh_from_db()
    assert assessment.result == before
    page = client.get(response["Location"]).content.decode()
    assert "Your review is saved." in page
    assert "Draft 1 makes it a duty after all." in page


def test_rejecting_without_a_comment_is_refused_on_the_form(
    signed_in: Callable[[str], Client], demo: Any
) -> None:
    reviews = Review.objects.count()
    url = f"/en/check/assessments/{demo.private_id}/findings/{CORRECTED}/review/"

    response = signed_in("drafter").post(url, {"decision": "reject"})

    assert response.status_code == 400
    assert "Say why the finding is wrong" in response.content.decode()
    assert Review.objects.count() == reviews


def test_members_without_a_reviewer_role_get_403(
    signed_in: Callable[[str], Client], demo: Any
) -> None:
    admin = get_user_model().objects.get(username="admin")
    clerk = get_user_model().objects.create_user("clerk")
    accounts.add_member(admin, ministry_id(), clerk.pk, Role.COMPANY_MEMBER)
    client = Client()
    client.force_login(clerk)
    url = f"/en/check/assessments/{demo.private_id}/findings/{CORRECTED}/review/"

    assert client.get(url).status_code == 403
    assert client.post(url, {"decision": "accept"}).status_code == 403
    assert (
        signed_in("regulator")
        .get(f"/en/check/assessments/{demo.public_id}/findings/{CORRECTED}/review/")
        .status_code
        == 403
    )


def test_publish_toggle(signed_in: Callable[[str], Client], demo: Any) -> None:
    url = f"/en/check/assessments/{demo.private_id}/publish/"

    response = signed_in("drafter").post(url, {"public": "1"})
    assert response.status_code == 302
    assert Assessment.objects.get(pk=demo.private_id).is_public
    assert signed_in("regulator").post(url, {"public": "0"}).status_code == 403
    signed_in("admin").post(url, {"public": "0"})
    assert not Assessment.objects.get(pk=demo.private_id).is_public
    assert signed_in("regulator").post(url, {"public": "1"}).status_code == 404


@pytest.mark.parametrize(
    ("fmt", "content_type", "start"),
    [
        ("pdf", "application/pdf", b"%PDF"),
        ("json", "application/json", b"{"),
        ("csv", "text/csv; charset=utf-8", b""),
        ("md", "text/markdown; charset=utf-8", b"#"),
        ("html", "text/html; charset=utf-8", b"<!"),
        ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", b"PK"),
        ("checklist", "application/yaml; charset=utf-8", b"document:"),
    ],
)
def test_exports_download(
    signed_in: Callable[[str], Client], demo: Any, fmt: str, content_type: str, start: bytes
) -> None:
    response = signed_in("drafter").get(f"/en/check/assessments/{demo.private_id}/export/{fmt}/")

    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith('attachment; filename="')
    assert response.content.lstrip().startswith(start)


def test_unknown_export_format_is_404(signed_in: Callable[[str], Client], demo: Any) -> None:
    response = signed_in("drafter").get(f"/en/check/assessments/{demo.private_id}/export/exe/")

    assert response.status_code == 404


# Document, compare and overlap ---------------------------------------------------------


def test_document_view_anchors_every_passage(signed_in: Callable[[str], Client], demo: Any) -> None:
    html = signed_in("drafter").get(f"/en/check/documents/{demo.private_document_id}/").content
    document = LawDocument.objects.get(pk=demo.private_document_id)

    for passage in document.passages:
        assert f'id="passage-{passage["id"]}"'.encode() in html
    assert b"Article 9" in html


def test_compare_page_shows_each_element_with_a_change_badge(
    signed_in: Callable[[str], Client], demo: Any
) -> None:
    html = (
        signed_in("drafter")
        .get("/en/check/compare/", {"old": demo.private_id, "new": demo.public_id})
        .content.decode()
    )

    assert html.count('<span class="change change--') >= 30
    assert "Older draft" in html and "Newer draft" in html


def test_compare_does_not_offer_what_the_reader_cannot_see(
    signed_in: Callable[[str], Client], demo: Any
) -> None:
    response = signed_in("regulator").get(
        "/en/check/compare/", {"old": demo.private_id, "new": demo.public_id}
    )

    html = response.content.decode()
    assert f'value="{demo.private_id}"' not in html
    assert '<span class="change change--' not in html


def test_overlap_page_puts_laws_side_by_side(signed_in: Callable[[str], Client], demo: Any) -> None:
    html = (
        signed_in("admin")
        .get("/en/check/overlap/", {"ids": [demo.private_id, demo.public_id]})
        .content.decode()
    )

    assert html.count('<span class="overlap overlap--') == 30
    assert "(Draft 1)" in html and "(Draft 2)" in html


def test_an_empty_file_gets_one_error_not_two(signed_in: Callable[[str], Client]) -> None:
    response = signed_in("drafter").post(
        "/en/check/upload/",
        {"file": SimpleUploadedFile("empty.pdf", b""), "grid": "regulation"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "The submitted file is empty." in body
    assert "Choose a file or paste the text of the law." not in body


def test_the_why_of_a_finding_is_in_the_readers_language(
    signed_in: Callable[[str], Client], django_capture_on_commit_callbacks: Any
) -> None:
    client = signed_in("drafter")
    text = (
        "# Act\n\n## Article 1 — Complaints\n1. Every person shall have the right to lodge a "
        "complaint with the Authority.\n\n2. The Authority shall handle complaints.\n"
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/fr/check/upload/",
            {"title": "An act", "text": text, "grid": "regulation", "lang": ""},
        )
    assessment = Assessment.objects.latest("id")
    assert assessment.state == "done" and assessment.result["lang"] == "en"
    french = client.get(f"/fr/check/assessments/{assessment.pk}/").content.decode()
    english = client.get(f"/en/check/assessments/{assessment.pk}/").content.decode()
    assert "emploie une formulation contraignante" in french
    assert "uses binding wording" not in french and "uses binding wording" in english
    assert "Aucun passage du document ne traite de cet élément." in french
    from ungpkit.apps.check import exports

    markdown = exports.export_assessment(assessment.created_by, assessment.pk, "md", lang="fr")
    assert "emploie une formulation contraignante" in markdown.content.decode("utf-8")
