"""The GP31 self-assessment: the secretariat's page and API for every role, what is stored
(who answered, when, the audit entry), the indicators beside each criterion, and the summary
on the public page when the secretariat chooses to publish it."""

from __future__ import annotations

import json
from typing import Any

import pytest

from ungpkit.apps.accounts.models import AuditEntry
from ungpkit.apps.transparency.models import SelfAssessment, SelfAssessmentAnswer
from ungpkit.grievances.selfassessment import default_questionnaire

from .conftest import MEMBERS, ROLES, SECRETARIAT, World

PAGE = "/en/transparency/joint/self-assessment/"
API = "/api/transparency/joint/self-assessment"
BARRIERS = "gp31.b_accessible.barriers"
STATISTICS = "gp31.e_transparent.statistics"


def _put(world: World, role: str, payload: dict[str, Any], slug: str = "joint") -> Any:
    return world.client(role).put(
        f"/api/transparency/{slug}/self-assessment",
        json.dumps(payload),
        content_type="application/json",
    )


@pytest.mark.parametrize("role", ROLES)
def test_page_for_every_role(world: World, role: str) -> None:
    response = world.client(role).get(PAGE)
    if role == "anonymous":
        assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"]
    elif role in SECRETARIAT:
        assert response.status_code == 200
    elif role in MEMBERS:
        assert response.status_code == 403
    else:
        assert response.status_code == 404
        assert (
            world.client(role).get("/en/transparency/nowhere/self-assessment/").status_code == 404
        )


def test_page_shows_criteria_questions_and_indicators(busy: World) -> None:
    body = busy.client("sec").get(PAGE).content.decode()
    assert "(a) Legitimate" in body and "(h) Based on engagement and dialogue" in body
    for question in default_questionnaire().questions():
        assert question.text.en.replace("'", "&#x27;") in body
    assert "Languages complaints were made in" in body
    assert "English (28), French (9), Spanish (6), Korean (3)" in body
    assert "Complaints acknowledged within the deadline" in body
    assert "100% (of 32)" in body
    assert "Median time cases spent at each step" in body
    assert "Not answered yet" in body
    assert "<script" not in body and "style=" not in body


@pytest.mark.parametrize("role", ROLES)
def test_saving_for_every_role(world: World, role: str) -> None:
    data = {f"answer__{BARRIERS}": "partly", f"comment__{BARRIERS}": "No phone line yet."}
    response = world.client(role).post(PAGE, data)
    if role == "anonymous":
        assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"]
    elif role in SECRETARIAT:
        assert response.status_code == 302 and response["Location"] == PAGE
    elif role in MEMBERS:
        assert response.status_code == 403
    else:
        assert response.status_code == 404
    stored = SelfAssessmentAnswer.objects.filter(question=BARRIERS).first()
    assert (stored is not None) == (role in SECRETARIAT)


def test_saving_stores_who_when_and_an_audit_entry(world: World) -> None:
    client = world.client("sec")
    data = {
        f"answer__{BARRIERS}": "partly",
        f"comment__{BARRIERS}": "No phone line yet.",
        f"answer__{STATISTICS}": "yes",
        "publish_summary": "on",
    }
    client.post(PAGE, data)
    answer = SelfAssessmentAnswer.objects.get(question=BARRIERS)
    assert answer.answer == "partly" and answer.comment == "No phone line yet."
    assert answer.answered_by == world.users["sec"] and answer.answered_at is not None
    assessment = SelfAssessment.objects.get(mechanism=world.mechanism)
    assert assessment.publish_summary and assessment.updated_by == world.users["sec"]
    entry = AuditEntry.objects.get(action="transparency.self_assessment_saved")
    assert entry.actor_id == world.users["sec"].pk
    assert entry.details["answers"] == {BARRIERS: "partly", STATISTICS: "yes"}
    assert "No phone line" not in json.dumps(entry.details)  # comments stay out of the log
    body = client.get(PAGE).content.decode()
    assert "The self-assessment was saved." in body
    assert "Answered by Sam on" in body and "No phone line yet." in body

    # Saved again unchanged by someone else: who answered stays as it was.
    admin = world.client("platform_admin")
    admin.post(PAGE, {**data, f"answer__{STATISTICS}": "no"})
    assert SelfAssessmentAnswer.objects.get(question=BARRIERS).answered_by == world.users["sec"]
    changed = SelfAssessmentAnswer.objects.get(question=STATISTICS)
    assert changed.answer == "no" and changed.answered_by == world.users["platform_admin"]


def test_an_invalid_answer_is_refused(world: World) -> None:
    response = world.client("sec").post(PAGE, {f"answer__{BARRIERS}": "maybe"})
    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()
    assert not SelfAssessmentAnswer.objects.exists()


def test_the_summary_is_public_only_when_chosen(busy: World) -> None:
    client = busy.client("sec")
    answers = {f"answer__{q}": "yes" for q in default_questionnaire().question_ids()}
    answers[f"comment__{BARRIERS}"] = "Secret internal remark."
    client.post(PAGE, answers)
    public = busy.client("anonymous").get("/en/transparency/joint/").content.decode()
    assert "How the mechanism assesses itself" not in public
    client.post(PAGE, {**answers, "publish_summary": "on"})
    public = busy.client("anonymous").get("/en/transparency/joint/").content.decode()
    assert "How the mechanism assesses itself" in public
    assert "(b) Accessible" in public and "Met" in public
    assert "Secret internal remark." not in public
    data = busy.client("anonymous").get("/api/transparency/joint/statistics").json()
    criteria = data["self_assessment"]["criteria"]
    assert len(criteria) == 8 and {c["level"] for c in criteria} == {"met"}


@pytest.mark.parametrize("role", ROLES)
def test_api_for_every_role(world: World, role: str) -> None:
    read = world.client(role).get(API)
    write = _put(world, role, {"answers": [{"question": BARRIERS, "answer": "yes"}]})
    if role == "anonymous":
        assert read.status_code == write.status_code == 401
    elif role in SECRETARIAT:
        assert read.status_code == 200 and write.status_code == 200
        assert write.json()["criteria"][1]["questions"][1]["answer"] == "yes"
    elif role in MEMBERS:
        assert read.status_code == write.status_code == 403
        assert read.json()["code"] == "forbidden"
    else:
        assert read.status_code == write.status_code == 404
        missing = world.client(role).get("/api/transparency/nowhere/self-assessment")
        assert read.json() == missing.json()
    assert SelfAssessmentAnswer.objects.exists() == (role in SECRETARIAT)


def test_api_reads_indicators_and_validates(busy: World) -> None:
    data = busy.client("sec").get(API).json()
    assert next(c["criterion"] for c in data["criteria"]) == "gp31.a_legitimate"
    accessible = data["criteria"][1]
    languages = next(i for i in accessible["indicators"] if i["id"] == "languages")
    assert languages["value"] == 4 and languages["breakdown"][0] == ["en", 28]
    assert data["publish_summary"] is False and data["updated_at"] is None
    wrong = _put(busy, "sec", {"answers": [{"question": "gp31.z.nothing", "answer": "yes"}]})
    assert wrong.status_code == 422 and wrong.json()["code"] == "invalid"
    wrong = _put(busy, "sec", {"answers": [{"question": BARRIERS, "answer": "maybe"}]})
    assert wrong.status_code == 422 and BARRIERS in wrong.json()["errors"]
    stored = _put(busy, "sec", {"publish_summary": True})
    assert stored.json()["publish_summary"] is True and stored.json()["updated_by"] == "Sam"


def test_a_comment_without_an_answer_is_refused_on_the_form_not_lost(world: World) -> None:
    client = world.client("sec")
    response = client.post(PAGE, {f"comment__{BARRIERS}": "Only a comment"})
    assert response.status_code == 400
    assert "Choose an answer to save the comment with it." in response.content.decode()
    assert not SelfAssessmentAnswer.objects.filter(question=BARRIERS).exists()


def test_an_answer_given_by_mistake_can_be_withdrawn_on_the_page_and_by_the_api(
    world: World,
) -> None:
    client = world.client("sec")
    client.post(
        PAGE,
        {
            f"answer__{BARRIERS}": "yes",
            f"comment__{BARRIERS}": "Wrong question.",
            f"answer__{STATISTICS}": "no",
        },
    )
    page = client.get(PAGE).content.decode()
    assert f'name="answer__{BARRIERS}" value="yes"' in page and "Not answered yet" in page

    # The page sends every question: "Not answered yet" withdraws the answer and its comment.
    response = client.post(PAGE, {f"answer__{BARRIERS}": "", f"answer__{STATISTICS}": "no"})

    assert response.status_code == 302
    assert list(SelfAssessmentAnswer.objects.values_list("question", "answer")) == [
        (STATISTICS, "no")
    ]
    entry = AuditEntry.objects.filter(action="transparency.self_assessment_saved").last()
    assert entry is not None and entry.details["answers"] == {BARRIERS: ""}

    withdrawn = _put(world, "sec", {"answers": [{"question": STATISTICS, "answer": ""}]})
    assert withdrawn.status_code == 200
    assert not SelfAssessmentAnswer.objects.exists()
    refused = _put(
        world, "sec", {"answers": [{"question": BARRIERS, "answer": "", "comment": "x"}]}
    )
    assert refused.status_code == 422 and BARRIERS in refused.json()["errors"]


def test_a_page_opened_earlier_keeps_a_colleagues_answer_saved_since(world: World) -> None:
    import re

    client = world.client("sec")
    page = client.get(PAGE).content.decode()
    shown = dict(re.findall(r'name="(shown__[^"]+)" value="([^"]*)"', page))
    assert f"shown__{BARRIERS}" in shown  # what the page showed of each question
    # A colleague answers meanwhile (through the API).
    _put(world, "platform_admin", {"answers": [{"question": BARRIERS, "answer": "yes"}]})

    # The first page is sent with one change only: the question it showed unanswered stays
    # as the colleague left it.
    response = client.post(
        PAGE, {**shown, f"answer__{BARRIERS}": "", f"answer__{STATISTICS}": "no"}
    )

    assert response.status_code == 302
    stored = dict(SelfAssessmentAnswer.objects.values_list("question", "answer"))
    assert stored == {BARRIERS: "yes", STATISTICS: "no"}


def test_figures_and_months_are_written_as_the_readers_language_writes_them() -> None:
    from datetime import date

    from django.utils import formats, translation

    from ungpkit.apps.transparency.review import _number

    with translation.override("fr"):
        assert _number(89.2) == "89,2" and _number(100.0) == "100"
    with translation.override("en"):
        assert _number(89.2) == "89.2"
    with translation.override("ko"):
        month = str(formats.date_format(date(2026, 9, 1), "YEAR_MONTH_FORMAT"))
        assert month.startswith("2026")
