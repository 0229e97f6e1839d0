"""The transparency API, mounted at /api/transparency/: a mechanism's public statistics
(anyone), its recurring issues as rows for a risk register (its staff), and its GP31
self-assessment (its secretariat: read and write).

Handlers are thin: reads go through ``access``, ``public`` and ``review``; writes through
``actions``. Labels are in English unless the request's language says otherwise.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from ungpkit.apps.transparency import access, actions, exports, public, review
from ungpkit.apps.transparency.models import StatisticsSnapshot
from ungpkit.web.api import ERRORS, OPTIONAL_AUTH, actor

router = Router(tags=["transparency"])


# Schemas ----------------------------------------------------------------------------------


class CellOut(Schema):
    """One row of a table: its count, or why it is hidden."""

    key: str = Field(description="What the row counts: a right id, a state, a month...")
    label: str
    count: int | None = Field(description="The number, or null when it is hidden.")
    hidden: str = Field(
        description='"" when shown; "small" for fewer than the threshold; "secondary" when '
        "hidden so that a small number cannot be worked out from the others."
    )
    shown_as: str = Field(description='The number, or "fewer than 5" and the like, in words.')


class TableOut(Schema):
    """A table of counts, small counts suppressed."""

    name: str = Field(
        description="rights, harms, members, states, channels, languages, months, "
        "remedy_types or satisfaction."
    )
    title: str
    note: str
    withheld: bool = Field(description="No row is shown: it could not be shown safely.")
    total: int | None = Field(description="The table's total, where it is given.")
    total_hidden: bool = Field(description="The table's total is under the threshold.")
    cells: list[CellOut]


class DurationOut(Schema):
    """How long a step took, in days, over at least the threshold of cases."""

    name: str = Field(description="acknowledge (receipt to acknowledgement) or close.")
    title: str
    enough: bool = Field(description="False when fewer cases than the threshold count.")
    median: float | None
    p75: float | None
    p90: float | None


class CriterionSummaryOut(Schema):
    """How the secretariat answered the questions on one GP31 criterion."""

    criterion: str
    label: str
    level: str = Field(description="met, partly, not_met or unanswered.")
    level_label: str
    yes: int
    partly: int
    no: int
    unanswered: int


class PublishedSelfAssessmentOut(Schema):
    updated_at: datetime
    criteria: list[CriterionSummaryOut]


class StatisticsOut(Schema):
    """A mechanism's public statistics, as computed at ``computed_at``."""

    mechanism: str
    name: str
    computed_at: datetime
    threshold: int = Field(description="No number smaller than this is published.")
    largest_hidden: int = Field(description="A hidden small number is at most this.")
    suppression: str = Field(description="The suppression rule in plain words.")
    total: int | None = Field(description="Complaints received; null when under the threshold.")
    tables: list[TableOut]
    durations: list[DurationOut]
    satisfaction_mean: float | None = Field(
        description="Mean rating 1 to 5; null when too few or when it would reveal a hidden cell."
    )
    self_assessment: PublishedSelfAssessmentOut | None = Field(
        description="The GP31 self-assessment summary, when the secretariat publishes it."
    )


class IssueOut(Schema):
    """A recurring issue as a row of a due-diligence risk register (no personal data)."""

    id: str = Field(description="Stays the same from one computation to the next.")
    title: str
    rights: str = Field(description="The right concerned (framework id, e.g. right.privacy).")
    harm_type: str = Field(description="The kind of harm (framework id, e.g. harm.data_breach).")
    member: str = Field(description="The member company; empty when not routed yet.")
    product: str = Field(description="The member's product the complainants named, if any.")
    count: int
    count_last_12_months: int
    first_seen: date | None
    last_seen: date | None
    severity_max: str = Field(description="Highest severity triage gave: none, low, medium, high.")
    likelihood: str = Field(
        description="From the last 12 months: rare, unlikely, possible, likely, almost_certain."
    )
    status: str = Field(description="open, or resolved when every case is closed or remedied.")
    share_resolved: float
    source: str = Field(description='"grievance mechanism <slug>".')


class IndicatorOut(Schema):
    """A figure computed from the mechanism's own data."""

    id: str
    label: str
    value: float | None
    unit: str = Field(description="share (0 to 1), days, count, number or breakdown.")
    basis: int = Field(description="How many cases the figure is computed over.")
    breakdown: list[tuple[str, float]]
    text: str = Field(description="The value in words.")


class QuestionOut(Schema):
    id: str
    text: str
    answer: str = Field(description='yes, partly, no, or "" when not answered yet.')
    comment: str
    answered_by: str
    answered_at: datetime | None


class CriterionOut(Schema):
    criterion: str
    label: str
    description: str
    level: str
    level_label: str
    questions: list[QuestionOut]
    indicators: list[IndicatorOut]


class SelfAssessmentOut(Schema):
    """The GP31 self-assessment with the indicators beside each criterion."""

    mechanism: str
    name: str
    questionnaire_version: str
    publish_summary: bool
    updated_at: datetime | None
    updated_by: str
    indicators_computed_at: datetime | None
    criteria: list[CriterionOut]


class AnswerIn(Schema):
    question: str = Field(description="A question id, e.g. gp31.b_accessible.barriers.")
    answer: str = Field(
        description="yes, partly or no; an empty string withdraws the answer and its comment."
    )
    comment: str = Field("", max_length=5_000)


class SelfAssessmentIn(Schema):
    answers: list[AnswerIn] = Field(
        default_factory=list,
        description="Answers to record; questions not listed stay as they were.",
    )
    publish_summary: bool | None = Field(
        None, description="Show a summary on the public statistics page (unchanged when null)."
    )


# Endpoints --------------------------------------------------------------------------------


@router.get("/{slug}/statistics", response={200: StatisticsOut, **ERRORS}, auth=list(OPTIONAL_AUTH))
def get_statistics(request: HttpRequest, slug: str) -> Any:
    """A mechanism's latest public statistics, small counts suppressed (anyone may read)."""
    mechanism = access.public_mechanism(slug)
    snapshot = public.latest_snapshot(mechanism)
    if snapshot is None:
        raise HttpError(404, _("No statistics have been published for this mechanism yet."))
    return public.public_statistics(mechanism, snapshot)


@router.get("/{slug}/issues", response={200: list[IssueOut], **ERRORS})
def list_issues(request: HttpRequest, slug: str, member: int | None = None) -> Any:
    """Recurring issues as rows for a risk register: every member's for the secretariat,
    your own company's for a member's staff."""
    scope = access.learning_scope(actor(request), slug)
    issues = (
        StatisticsSnapshot.objects.filter(mechanism=scope.mechanism)
        .order_by("-computed_at", "-id")
        .values_list("issues", flat=True)
        .first()
    ) or []
    return [
        {**row, "first_seen": row["first_seen"] or None, "last_seen": row["last_seen"] or None}
        for row in (
            exports.issue_row(issue, scope.mechanism.slug)
            for issue in issues
            if scope.allows(issue["member_id"]) and (member is None or issue["member_id"] == member)
        )
    ]


@router.get("/{slug}/self-assessment", response={200: SelfAssessmentOut, **ERRORS})
def get_self_assessment(request: HttpRequest, slug: str) -> Any:
    """The GP31 self-assessment with the indicators beside each criterion (the secretariat)."""
    return review.self_assessment_view(access.secretariat_mechanism(actor(request), slug))


@router.put("/{slug}/self-assessment", response={200: SelfAssessmentOut, **ERRORS})
def put_self_assessment(request: HttpRequest, slug: str, payload: SelfAssessmentIn) -> Any:
    """Record answers (yes, partly or no, with a comment) and whether the summary is public."""
    user = actor(request)
    actions.save_self_assessment(
        user,
        slug,
        [actions.AnswerInput(a.question, a.answer, a.comment) for a in payload.answers],
        publish_summary=payload.publish_summary,
    )
    return review.self_assessment_view(access.secretariat_mechanism(user, slug))
