"""Every endpoint of /api/check/ for every role: allowed calls succeed and store what they
say; refusals are 401/403, and another organisation's records answer 404 with exactly the
body of a record that does not exist."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ungpkit.apps.accounts.models import AuditEntry
from ungpkit.apps.check.models import Assessment, LawDocument, Review
from ungpkit.demo.dataset import DRAFTS

from .conftest import (
    CHECKERS,
    DEMO_DATA,
    REVIEWERS,
    ROLES,
    SEERS,
    Api,
    World,
    error_body,
    expect,
)

MISSING = 987654
"""An id no record has."""

CORRECTED = "reg.mix.stakeholder_engagement_companies"


def assert_refused(response: Any, status: int, missing: Any | None = None) -> None:
    """A refusal with the uniform body; a 404 must equal the answer for a missing id."""
    assert response.status_code == status, response.content
    body = error_body(response)
    code = {401: "unauthenticated", 403: "forbidden", 404: "not_found"}[status]
    assert body["code"] == code
    if status == 404 and missing is not None:
        assert missing.status_code == 404
        assert body == missing.json()


# Grids ------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_everyone_lists_the_grids(api: Api, role: str) -> None:
    response = api.get("/api/check/grids", role)

    assert response.status_code == 200
    grids = {grid["id"]: grid for grid in response.json()}
    assert "regulation" in grids
    assert grids["regulation"]["elements"] and grids["regulation"]["stages"]


def test_grids_are_titled_in_the_requested_language(api: Api) -> None:
    english = api.get("/api/check/grids", "anonymous", lang="en").json()
    korean = api.get("/api/check/grids", "anonymous", lang="ko").json()

    assert english[0]["id"] == korean[0]["id"]
    assert english[0]["title"] != korean[0]["title"]


# Uploads ----------------------------------------------------------------------------------


def upload_form(world: World, organisation: int | None = None, **extra: Any) -> dict[str, Any]:
    filename, _title = DRAFTS[0]
    return {
        "organisation": organisation or world.ministry.pk,
        "file": SimpleUploadedFile(filename, (DEMO_DATA / filename).read_bytes()),
        **extra,
    }


@pytest.mark.parametrize("role", ROLES)
def test_upload_a_document(api: Api, world: World, role: str) -> None:
    response = api.upload(
        "/api/check/documents", role, upload_form(world, title="Draft for the API")
    )

    status = expect(role, CHECKERS, hidden={"outsider"})
    if status == 200:
        assert response.status_code == 201, response.content
        stored = LawDocument.objects.get(pk=response.json()["id"])
        assert stored.organisation == world.ministry
        assert stored.uploaded_by == world.user(role)
        assert stored.title == "Draft for the API"
        assert response.json()["passages"] == len(stored.passages) > 0
        assert AuditEntry.objects.filter(
            action="check.document_uploaded", object_id=str(stored.pk)
        ).exists()
    else:
        missing = api.upload("/api/check/documents", role, upload_form(world, MISSING))
        assert_refused(response, status, missing)
        assert not LawDocument.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_paste_text(api: Api, world: World, role: str) -> None:
    body = {
        "organisation": world.ministry.pk,
        "text": "# Act\n\n## Article 1\n\nText.",
        "title": "Pasted",
    }
    response = api.post("/api/check/documents/text", role, body)

    status = expect(role, CHECKERS, hidden={"outsider"})
    if status == 200:
        assert response.status_code == 201, response.content
        stored = LawDocument.objects.get(pk=response.json()["id"])
        assert (stored.organisation, stored.title) == (world.ministry, "Pasted")
        assert bytes(stored.content).startswith(b"# Act")
    else:
        missing = api.post("/api/check/documents/text", role, {**body, "organisation": MISSING})
        assert_refused(response, status, missing)
        assert not LawDocument.objects.exists()


@pytest.mark.parametrize(
    ("filename", "data", "says"),
    [
        ("broken.pdf", b"%PDF-1.7\n this is not really a PDF", "damaged or incomplete"),
        ("empty.txt", b"", "holds no text"),
    ],
)
def test_a_file_the_engine_cannot_read_is_refused_with_its_message(
    api: Api, world: World, filename: str, data: bytes, says: str
) -> None:
    form = {"organisation": world.ministry.pk, "file": SimpleUploadedFile(filename, data)}
    response = api.upload("/api/check/documents", "regulator", form)

    assert response.status_code == 422, response.content
    body = error_body(response)
    assert body["code"] == "invalid"
    assert body["errors"]["file"] and body["errors"]["file"] in body["detail"]
    assert says in body["errors"]["file"]
    assert not LawDocument.objects.exists()


def test_an_upload_over_the_size_limit_is_refused(api: Api, world: World, settings: Any) -> None:
    settings.UNGPKIT_MAX_UPLOAD_BYTES = 1000
    response = api.upload("/api/check/documents", "regulator", upload_form(world))

    assert response.status_code == 422
    assert "file" in error_body(response)["errors"]
    assert not LawDocument.objects.exists()


def test_pasting_nothing_is_refused(api: Api, world: World) -> None:
    body = {"organisation": world.ministry.pk, "text": "   "}
    response = api.post("/api/check/documents/text", "regulator", body)

    assert response.status_code == 422
    assert error_body(response)["errors"] == {"text": "Paste the text of the law or draft."}


def test_an_upload_without_a_file_names_the_missing_field(api: Api, world: World) -> None:
    response = api.upload("/api/check/documents", "regulator", {"organisation": world.ministry.pk})

    assert response.status_code == 422
    body = error_body(response)
    assert body["code"] == "invalid"
    assert "file" in body["errors"]


# Reading documents ------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_list_documents(api: Api, document: LawDocument, other_assessment: Any, role: str) -> None:
    response = api.get("/api/check/documents", role)

    if role == "anonymous":
        assert_refused(response, 401)
        return
    assert response.status_code == 200
    ids = {item["id"] for item in response.json()["items"]}
    assert (document.pk in ids) == (role in SEERS)
    assert (other_assessment.document_id in ids) == (role in {"outsider", "platform_admin"})
    assert response.json()["count"] == len(ids)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("suffix", ["", "/passages"])
def test_get_a_document(api: Api, document: LawDocument, role: str, suffix: str) -> None:
    response = api.get(f"/api/check/documents/{document.pk}{suffix}", role)

    status = expect(role, SEERS, hidden={"outsider"})
    if status != 200:
        assert_refused(response, status, api.get(f"/api/check/documents/{MISSING}{suffix}", role))
        return
    assert response.status_code == 200
    if suffix:
        body = response.json()
        assert body["count"] == len(document.passages)
        assert body["items"][0] == document.passages[0]
    else:
        assert response.json()["sha256"] == document.sha256
        assert response.json()["uploaded_by"]["id"] == document.uploaded_by_id


# Assessments ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_request_an_assessment(
    api: Api, document: LawDocument, role: str, django_capture_on_commit_callbacks: Any
) -> None:
    before = Assessment.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            f"/api/check/documents/{document.pk}/assessments", role, {"grid": "regulation"}
        )

    status = expect(role, CHECKERS, hidden={"outsider"})
    if status != 200:
        missing = api.post(f"/api/check/documents/{MISSING}/assessments", role, {})
        assert_refused(response, status, missing)
        assert Assessment.objects.count() == before
        return
    assert response.status_code == 202, response.content
    stored = Assessment.objects.get(pk=response.json()["id"])
    assert (stored.document, stored.grid) == (document, "regulation")
    assert stored.created_by == api.world.user(role)
    assert stored.state == "done"
    polled = api.get(f"/api/check/assessments/{stored.pk}", role).json()
    assert polled["state"] == "done"
    assert polled["progress"] == 100
    assert polled["summary"] == stored.result["summary"]


def test_an_unknown_grid_or_language_is_refused(api: Api, document: LawDocument) -> None:
    response = api.post(
        f"/api/check/documents/{document.pk}/assessments",
        "regulator",
        {"grid": "nope", "lang": "de"},
    )

    assert response.status_code == 422
    assert set(error_body(response)["errors"]) == {"grid"}


@pytest.mark.parametrize("role", ROLES)
def test_list_assessments(
    api: Api, assessment: Assessment, other_assessment: Assessment, role: str
) -> None:
    response = api.get("/api/check/assessments", role)

    assert response.status_code == 200
    ids = {item["id"] for item in response.json()["items"]}
    assert (assessment.pk in ids) == (role in SEERS)
    assert (other_assessment.pk in ids) == (role in {"outsider", "platform_admin"})


def test_anonymous_visitors_list_public_assessments(
    api: Api, assessment: Assessment, other_assessment: Assessment
) -> None:
    Assessment.objects.filter(pk=other_assessment.pk).update(is_public=True)

    body = api.get("/api/check/assessments", "anonymous").json()

    assert [item["id"] for item in body["items"]] == [other_assessment.pk]
    assert body["count"] == 1


ASSESSMENT_READS = [
    "",
    "/findings",
    f"/findings/{CORRECTED}",
    "/reviews",
    "/checklist",
    "/export/json",
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("suffix", ASSESSMENT_READS)
def test_read_a_private_assessment(
    api: Api, assessment: Assessment, role: str, suffix: str
) -> None:
    response = api.get(f"/api/check/assessments/{assessment.pk}{suffix}", role)

    status = expect(role, SEERS, hidden={"outsider", "anonymous"})
    if status != 200:
        missing = api.get(f"/api/check/assessments/{MISSING}{suffix}", role)
        assert_refused(response, status, missing)
    else:
        assert response.status_code == 200, response.content


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("suffix", ASSESSMENT_READS)
def test_everyone_reads_a_public_assessment(
    api: Api, assessment: Assessment, role: str, suffix: str
) -> None:
    Assessment.objects.filter(pk=assessment.pk).update(is_public=True)

    response = api.get(f"/api/check/assessments/{assessment.pk}{suffix}", role)

    assert response.status_code == 200, response.content


def test_an_assessment_says_its_state_and_summary(api: Api, assessment: Assessment) -> None:
    body = api.get(f"/api/check/assessments/{assessment.pk}", "public").json()

    assert body["state"] == "done"
    assert body["summary"] == assessment.result["summary"]
    assert body["document"] == {"id": assessment.document_id, "title": assessment.document.title}
    assert body["is_public"] is False
    assert body["error"] == ""


def test_findings_show_the_machine_answer_and_the_reviewed_status(
    api: Api, assessment: Assessment, world: World
) -> None:
    from ungpkit.apps.check import actions

    actions.review_finding(
        world.user("expert_reviewer"),
        assessment.pk,
        CORRECTED,
        decision="correct",
        status="absent",
        comment="Only encourages.",
    )

    body = api.get(f"/api/check/assessments/{assessment.pk}/findings", "regulator").json()

    assert body["count"] == len(assessment.findings)
    finding = next(f for f in body["items"] if f["element"] == CORRECTED)
    machine = next(f for f in assessment.findings if f["element"] == CORRECTED)
    assert finding["machine"]["status"] == machine["status"]
    assert finding["machine"]["id"] == machine["id"]
    assert finding["reviewed"]["status"] == "absent"
    assert finding["reviewed"]["decision"] == "correct"
    assert finding["reviewed"]["latest"]["reviewer"]["id"] == world.user("expert_reviewer").pk
    absent = api.get(
        f"/api/check/assessments/{assessment.pk}/findings", "regulator", status="absent"
    ).json()
    assert CORRECTED in {f["element"] for f in absent["items"]}
    assert all(f["reviewed"]["status"] == "absent" for f in absent["items"])


def test_an_unknown_element_is_not_found(api: Api, assessment: Assessment) -> None:
    response = api.get(f"/api/check/assessments/{assessment.pk}/findings/nope", "regulator")

    assert_refused(response, 404)


def test_findings_are_paginated_with_the_total_count(api: Api, assessment: Assessment) -> None:
    path = f"/api/check/assessments/{assessment.pk}/findings"
    first = api.get(path, "regulator", limit=5).json()
    second = api.get(path, "regulator", limit=5, offset=5).json()

    assert (first["count"], first["limit"], first["offset"]) == (len(assessment.findings), 5, 0)
    assert [f["element"] for f in first["items"] + second["items"]] == [
        f["element"] for f in assessment.findings[:10]
    ]


# Reviews ----------------------------------------------------------------------------------


def review_body(assessment: Assessment) -> dict[str, Any]:
    return {
        "element": CORRECTED,
        "decision": "correct",
        "status": "partial",
        "strength": "voluntary",
        "passage_ids": [assessment.document.passages[3]["id"]],
        "comment": "Article 9 only encourages companies to consult.",
    }


@pytest.mark.parametrize("role", ROLES)
def test_review_a_finding(api: Api, assessment: Assessment, role: str) -> None:
    response = api.post(
        f"/api/check/assessments/{assessment.pk}/reviews", role, review_body(assessment)
    )

    status = expect(role, REVIEWERS, hidden={"outsider"})
    if status != 200:
        missing = api.post(
            f"/api/check/assessments/{MISSING}/reviews", role, review_body(assessment)
        )
        assert_refused(response, status, missing)
        assert not Review.objects.exists()
        return
    assert response.status_code == 201, response.content
    review = Review.objects.get(pk=response.json()["id"])
    machine = next(f for f in assessment.findings if f["element"] == CORRECTED)
    assert (review.decision, review.status, review.strength) == ("correct", "partial", "voluntary")
    assert review.passage_ids == [assessment.document.passages[3]["id"]]
    assert review.reviewer == api.world.user(role)
    assert review.machine_status == machine["status"]
    stored = Assessment.objects.get(pk=assessment.pk)
    assert stored.result == assessment.result  # the machine's answer is never overwritten


def test_someone_outside_cannot_review_a_public_assessment(
    api: Api, assessment: Assessment
) -> None:
    Assessment.objects.filter(pk=assessment.pk).update(is_public=True)

    response = api.post(
        f"/api/check/assessments/{assessment.pk}/reviews", "outsider", review_body(assessment)
    )

    assert_refused(response, 403)


def test_a_rejection_without_a_reason_is_refused(api: Api, assessment: Assessment) -> None:
    response = api.post(
        f"/api/check/assessments/{assessment.pk}/reviews",
        "regulator",
        {"element": CORRECTED, "decision": "reject"},
    )

    assert response.status_code == 422
    assert set(error_body(response)["errors"]) == {"comment"}


def test_an_unknown_decision_is_refused_by_the_schema(api: Api, assessment: Assessment) -> None:
    response = api.post(
        f"/api/check/assessments/{assessment.pk}/reviews",
        "regulator",
        {"element": CORRECTED, "decision": "maybe"},
    )

    assert response.status_code == 422
    assert set(error_body(response)["errors"]) == {"decision"}


def test_list_reviews_and_the_checklist(api: Api, assessment: Assessment) -> None:
    api.post(
        f"/api/check/assessments/{assessment.pk}/reviews", "regulator", review_body(assessment)
    )

    reviews = api.get(f"/api/check/assessments/{assessment.pk}/reviews", "public").json()
    checklist = api.get(f"/api/check/assessments/{assessment.pk}/checklist", "public")

    assert reviews["count"] == 1
    assert reviews["items"][0]["element"] == CORRECTED
    assert checklist["Content-Type"].startswith("application/yaml")
    assert f"{CORRECTED}:\n    status: partial" in checklist.content.decode()


# Publishing -------------------------------------------------------------------------------

MANAGERS = {"administrator", "platform_admin", "regulator"}
"""The organisation's administrator, the platform admin and the assessment's author."""


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("public", [True, False])
def test_publish_and_unpublish(api: Api, assessment: Assessment, role: str, public: bool) -> None:
    Assessment.objects.filter(pk=assessment.pk).update(is_public=not public)
    action = "publish" if public else "unpublish"

    response = api.post(f"/api/check/assessments/{assessment.pk}/{action}", role)

    hidden = {"outsider"} if public else set()  # a public assessment is visible to all
    status = expect(role, MANAGERS, hidden=hidden)
    stored = Assessment.objects.get(pk=assessment.pk)
    if status != 200:
        missing = api.post(f"/api/check/assessments/{MISSING}/{action}", role)
        assert_refused(response, status, missing)
        assert stored.is_public is not public
        return
    assert response.status_code == 200, response.content
    assert response.json()["is_public"] is public
    assert stored.is_public is public
    assert AuditEntry.objects.filter(
        action=f"check.assessment_{action}ed", object_id=str(assessment.pk)
    ).exists()


# Across assessments -----------------------------------------------------------------------


@pytest.fixture
def second_draft(world: World, run_check: Any) -> Assessment:
    return run_check(world.user("regulator"), world.ministry, draft=1)


@pytest.mark.parametrize("role", ROLES)
def test_compare_two_drafts(
    api: Api, assessment: Assessment, second_draft: Assessment, role: str
) -> None:
    response = api.get("/api/check/compare", role, old=assessment.pk, new=second_draft.pk)

    status = expect(role, SEERS, hidden={"outsider", "anonymous"})
    if status != 200:
        missing = api.get("/api/check/compare", role, old=MISSING, new=second_draft.pk)
        assert_refused(response, status, missing)
        return
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["schema"] == "ungpkit.comparison/1"
    assert body["grid"] == "regulation"
    assert len(body["changes"]) == len(assessment.findings)
    assert sum(body["summary"].values()) == len(body["changes"])


@pytest.mark.parametrize("role", ROLES)
def test_overlap_of_several_laws(
    api: Api, assessment: Assessment, second_draft: Assessment, role: str
) -> None:
    response = api.get("/api/check/overlap", role, ids=[assessment.pk, second_draft.pk])

    status = expect(role, SEERS, hidden={"outsider", "anonymous"})
    if status != 200:
        missing = api.get("/api/check/overlap", role, ids=[assessment.pk, MISSING])
        assert_refused(response, status, missing if role != "outsider" else None)
        assert response.json()["detail"] == "No such assessment."
        return
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["schema"] == "ungpkit.overlap/1"
    assert [law["title"] for law in body["laws"]] == [
        a.result["document"]["title"] for a in (assessment, second_draft)
    ]
    assert len(body["rows"]) == len(assessment.findings)


def test_overlap_needs_two_assessments(api: Api, assessment: Assessment) -> None:
    response = api.get("/api/check/overlap", "regulator", ids=[assessment.pk])

    assert response.status_code == 422
    assert error_body(response)["code"] == "invalid"


def test_comparing_with_another_organisations_assessment_reveals_nothing(
    api: Api, assessment: Assessment, other_assessment: Assessment
) -> None:
    hidden = api.get("/api/check/compare", "regulator", old=assessment.pk, new=other_assessment.pk)
    missing = api.get("/api/check/compare", "regulator", old=assessment.pk, new=MISSING)

    assert_refused(hidden, 404, missing)


# Exports ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "content_type", "start"),
    [
        ("json", "application/json", b"{"),
        ("csv", "text/csv", b""),
        ("md", "text/markdown", b"#"),
        ("html", "text/html", b"<!"),
        ("pdf", "application/pdf", b"%PDF"),
        ("docx", "application/vnd.openxmlformats", b"PK"),
    ],
)
def test_export_an_assessment(
    api: Api, assessment: Assessment, fmt: str, content_type: str, start: bytes
) -> None:
    response = api.get(f"/api/check/assessments/{assessment.pk}/export/{fmt}", "public")

    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith(content_type)
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert response.content.startswith(start)


def test_an_unknown_export_format_is_refused(api: Api, assessment: Assessment) -> None:
    response = api.get(f"/api/check/assessments/{assessment.pk}/export/xls", "regulator")

    assert response.status_code == 422
    assert "fmt" in error_body(response)["errors"]


def test_comparing_a_check_with_itself_is_refused(api: Any, assessment: Assessment) -> None:
    response = api.get("/api/check/compare", "regulator", old=assessment.pk, new=assessment.pk)
    assert response.status_code == 422
    assert "two different checks" in response.json()["detail"]
