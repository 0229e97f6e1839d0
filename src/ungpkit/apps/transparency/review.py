"""The GP31 self-assessment as staff read it: each criterion with its questions and answers,
and beside it the indicators computed from the mechanism's own data (from the latest
snapshot)."""

from __future__ import annotations

from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from ungpkit.apps.remedy.models import Mechanism
from ungpkit.apps.transparency import labels
from ungpkit.apps.transparency.models import SelfAssessment, StatisticsSnapshot
from ungpkit.framework import default_framework
from ungpkit.grievances import selfassessment

INDICATOR_LABELS = {
    "rated_share": gettext_lazy("Outcomes the complainant rated"),
    "satisfaction_mean": gettext_lazy("Mean satisfaction with the outcome (1 to 5)"),
    "languages": gettext_lazy("Languages complaints were made in"),
    "channels": gettext_lazy("Ways complaints came in"),
    "anonymous_share": gettext_lazy("Complaints made anonymously"),
    "acknowledged_on_time_share": gettext_lazy("Complaints acknowledged within the deadline"),
    "acknowledge_median_days": gettext_lazy("Median time to acknowledge a complaint"),
    "state_median_days": gettext_lazy("Median time cases spent at each step"),
    "represented_share": gettext_lazy(
        "Complaints made on someone's behalf or through a partner organisation"
    ),
    "outcome_told_share": gettext_lazy("Outcomes followed by a message to the complainant"),
    "remedy_accepted_share": gettext_lazy("Proposed remedies the complainant accepted"),
    "escalations": gettext_lazy("Cases taken to a State-based body"),
    "recurring_issues": gettext_lazy("Recurring issues identified"),
    "labelled_share": gettext_lazy("Complaints classified by right and kind of harm"),
    "messages_per_case": gettext_lazy("Messages to complainants per case"),
    "complainant_wrote_share": gettext_lazy("Cases in which the complainant wrote back"),
}

LEVEL_LABELS = {
    "met": pgettext_lazy("a GP31 criterion, by the self-assessment", "Met"),
    "partly": gettext_lazy("Partly met"),
    "not_met": gettext_lazy("Not met"),
    "unanswered": gettext_lazy("Not answered yet"),
}


def _breakdown_label(indicator_id: str, key: str) -> str:
    if indicator_id == "languages":
        return labels.cell_label("languages", key)
    if indicator_id == "channels":
        return labels.cell_label("channels", key)
    if indicator_id == "state_median_days":
        return labels.cell_label("states", key)
    return key


def _number(value: float) -> str:
    """A figure as the reader's language writes it ("89,2" in French)."""
    shown = int(value) if float(value).is_integer() else round(float(value), 1)
    return str(formats.number_format(shown, use_l10n=True))


def indicator_text(indicator: dict[str, Any]) -> str:
    """An indicator's value in words: "45% (of 120)", "2.5 days", "English (12), ..."."""
    value, unit, basis = indicator["value"], indicator["unit"], indicator["basis"]
    if unit == "breakdown":
        in_days = indicator["id"] == "state_median_days"
        parts = [
            f"{_breakdown_label(indicator['id'], key)} ({_days(n) if in_days else n})"
            for key, n in indicator["breakdown"]
        ]
        return ", ".join(parts) or _("No data yet")
    if value is None:
        return _("No data yet")
    if unit == "share":
        return _("%(percent)s%% (of %(basis)s)") % {
            "percent": _number(round(value * 100, 1)),
            "basis": basis,
        }
    if unit == "days":
        return _days(value)
    return _number(value)


def _days(value: float) -> str:
    return _("%(days)s days") % {"days": _number(value)}


def _answers(assessment: SelfAssessment | None) -> dict[str, Any]:
    if assessment is None:
        return {}
    return {a.question: a for a in assessment.answers.select_related("answered_by")}


def _person(user: Any) -> str:
    if user is None:
        return ""
    return str(user.get_full_name() or user.get_username())


def criterion_summaries(assessment: SelfAssessment) -> list[dict[str, Any]]:
    """Per criterion, its label, how it was answered and the level that makes."""
    questionnaire = selfassessment.default_questionnaire()
    answers = {q: a.answer for q, a in _answers(assessment).items()}
    rows = []
    for summary in selfassessment.summarise(questionnaire, answers):
        rows.append(
            {
                "criterion": summary.criterion,
                "label": labels.framework_label(summary.criterion),
                "level": summary.level,
                "level_label": str(LEVEL_LABELS[summary.level]),
                "yes": summary.yes,
                "partly": summary.partly,
                "no": summary.no,
                "unanswered": summary.unanswered,
            }
        )
    return rows


def latest_indicators(mechanism: Mechanism) -> tuple[dict[str, Any], Any]:
    """The indicators of the latest snapshot, and when they were computed."""
    row = (
        StatisticsSnapshot.objects.filter(mechanism=mechanism)
        .order_by("-computed_at", "-id")
        .values_list("indicators", "computed_at")
        .first()
    )
    return (row[0], row[1]) if row else ({}, None)


def self_assessment_view(mechanism: Mechanism) -> dict[str, Any]:
    """Everything the self-assessment page and API show."""
    questionnaire = selfassessment.default_questionnaire()
    assessment = SelfAssessment.objects.filter(mechanism=mechanism).first()
    answers = _answers(assessment)
    indicators, computed_at = latest_indicators(mechanism)
    language = labels.language()
    vocabulary = default_framework().vocabulary(selfassessment.CRITERIA_VOCABULARY)
    descriptions = {term.id: term.description for term in vocabulary.terms}
    summaries = {
        s.criterion: s
        for s in selfassessment.summarise(questionnaire, {q: a.answer for q, a in answers.items()})
    }
    criteria = []
    for criterion in questionnaire.criteria:
        description = descriptions.get(criterion.criterion)
        level = summaries[criterion.criterion].level
        criteria.append(
            {
                "criterion": criterion.criterion,
                "label": labels.framework_label(criterion.criterion),
                "description": description.get(language) if description else "",
                "level": level,
                "level_label": str(LEVEL_LABELS[level]),
                "questions": [
                    _question(question, answers.get(question.id), language)
                    for question in criterion.questions
                ],
                "indicators": [
                    {
                        **indicator,
                        "breakdown": [list(item) for item in indicator["breakdown"]],
                        "label": str(INDICATOR_LABELS.get(indicator["id"], indicator["id"])),
                        "text": indicator_text(indicator),
                    }
                    for indicator in indicators.get(criterion.criterion, [])
                ],
            }
        )
    return {
        "mechanism": mechanism.slug,
        "name": mechanism.name,
        "questionnaire_version": questionnaire.version,
        "publish_summary": bool(assessment and assessment.publish_summary),
        "updated_at": assessment.updated_at if assessment else None,
        "updated_by": _person(assessment.updated_by) if assessment else "",
        "indicators_computed_at": computed_at,
        "criteria": criteria,
    }


def _question(question: Any, answer: Any, language: str) -> dict[str, Any]:
    return {
        "id": question.id,
        "text": question.text.get(language),
        "answer": answer.answer if answer else "",
        "comment": answer.comment if answer else "",
        "answered_by": _person(answer.answered_by) if answer else "",
        "answered_at": answer.answered_at if answer else None,
    }
