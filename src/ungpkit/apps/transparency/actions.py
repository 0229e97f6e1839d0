"""Every write of the transparency app: publishing a statistics snapshot and saving the
GP31 self-assessment. Each checks permission, validates, writes in one transaction and
appends to the audit log (ids and counts only, never personal data)."""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ungpkit.apps.accounts import audit
from ungpkit.apps.remedy import states
from ungpkit.apps.remedy.models import Mechanism
from ungpkit.apps.transparency import access, aggregates, learning
from ungpkit.apps.transparency.models import (
    SelfAssessment,
    SelfAssessmentAnswer,
    StatisticsSnapshot,
)
from ungpkit.grievances import selfassessment, statistics

KEEP_SNAPSHOTS = 10
"""Snapshots kept per mechanism; older ones are deleted when a new one is published."""


def publish_statistics(
    actor: Any, mechanism: Mechanism, *, threshold: int | None = None
) -> StatisticsSnapshot:
    """Compute the mechanism's statistics, recurring issues and GP31 indicators, and store
    them as its latest snapshot. ``actor`` is None for the command and the scheduled task;
    a person must work for the secretariat."""
    if actor is not None and not access.is_secretariat(actor, mechanism):
        raise PermissionDenied(_("Only the mechanism's secretariat may do this."))
    threshold = int(settings.UNGPKIT_STATISTICS_MIN_COUNT if threshold is None else threshold)
    if threshold < 1:
        raise ValidationError({"threshold": _("The smallest count shown must be at least 1.")})
    started, now = time.perf_counter(), timezone.now()
    with aggregates.consistent_reads():
        raw = aggregates.raw_statistics(mechanism)
        members = aggregates.member_keys(mechanism)
        issues = learning.group_issues(learning.mechanism_cases(mechanism), now)
        recurring = sum(1 for issue in issues if issue.count >= learning.RECURRING)
        facts = aggregates.mechanism_facts(
            mechanism, raw, issues=len(issues), recurring_issues=recurring
        )
    published = statistics.publish(raw, threshold, state_order=states.STATES).to_dict()
    published["member_names"] = dict(members.values())
    indicators = {
        criterion: [indicator.to_dict() for indicator in found]
        for criterion, found in selfassessment.indicators(facts).items()
    }
    with transaction.atomic():
        snapshot = StatisticsSnapshot.objects.create(
            mechanism=mechanism,
            computed_at=now,
            threshold=threshold,
            statistics=published,
            issues=[learning.issue_to_dict(i, mechanism.slug, members) for i in issues],
            indicators=indicators,
            seconds=round(time.perf_counter() - started, 3),
        )
        _prune(mechanism)
        audit.record(
            actor,
            "transparency.statistics_published",
            target=snapshot,
            organisation=mechanism.organisation,
            details={"mechanism": mechanism.slug, "threshold": threshold},
        )
    return snapshot


def _prune(mechanism: Mechanism) -> None:
    keep = StatisticsSnapshot.objects.filter(mechanism=mechanism).values_list("pk", flat=True)
    kept = list(keep[:KEEP_SNAPSHOTS])
    StatisticsSnapshot.objects.filter(mechanism=mechanism).exclude(pk__in=kept).delete()


def request_statistics(actor: Any, mechanism: Mechanism) -> None:
    """Queue a new snapshot (the secretariat only); with the inline task backend it is
    computed at once."""
    if not access.is_secretariat(actor, mechanism):
        raise PermissionDenied(_("Only the mechanism's secretariat may do this."))
    from ungpkit.apps.transparency.tasks import publish_statistics_task

    transaction.on_commit(lambda: publish_statistics_task.enqueue(mechanism.pk))


@dataclass(frozen=True)
class AnswerInput:
    """One answer as staff give it."""

    question: str
    answer: str
    comment: str = ""


def save_self_assessment(
    actor: Any,
    slug: str,
    answers: Iterable[AnswerInput],
    *,
    publish_summary: bool | None = None,
) -> SelfAssessment:
    """Record the secretariat's answers (those given; others stay as they were) and whether
    a summary is shown on the public page. An empty answer withdraws the question's answer
    and its comment (the question is then unanswered again)."""
    mechanism = access.secretariat_mechanism(actor, slug)
    questionnaire = selfassessment.default_questionnaire()
    known = set(questionnaire.question_ids())
    answers = list(answers)
    errors: dict[str, str] = {}
    for item in answers:
        if item.question not in known:
            errors[item.question or "question"] = _("There is no such question.")
        elif item.answer and item.answer not in selfassessment.ANSWERS:
            errors[item.question] = _("Answer yes, partly or no.")
        elif not item.answer and item.comment.strip():
            errors[item.question] = _("Choose an answer to save the comment with it.")
        elif len(item.comment) > 5_000:
            errors[item.question] = _("The comment is too long (at most 5,000 characters).")
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    with transaction.atomic():
        assessment, _created = SelfAssessment.objects.select_for_update().get_or_create(
            mechanism=mechanism, defaults={"questionnaire_version": questionnaire.version}
        )
        changed = _store_answers(assessment, answers, actor, now)
        assessment.questionnaire_version = questionnaire.version
        if publish_summary is not None:
            assessment.publish_summary = publish_summary
        assessment.updated_at, assessment.updated_by = now, actor
        assessment.save()
        audit.record(
            actor,
            "transparency.self_assessment_saved",
            target=assessment,
            organisation=mechanism.organisation,
            details={
                "mechanism": mechanism.slug,
                "answers": {question: answer for question, answer in changed},
                "publish_summary": assessment.publish_summary,
            },
        )
    return assessment


def _store_answers(
    assessment: SelfAssessment, answers: list[AnswerInput], actor: Any, now: Any
) -> list[tuple[str, str]]:
    """Write the answers that differ from those stored; return (question, answer) of each
    (answer "" for one withdrawn)."""
    stored = {a.question: a for a in assessment.answers.all()}
    changed = []
    for item in answers:
        comment = item.comment.strip()
        current = stored.get(item.question)
        if not item.answer:
            if current is not None:
                current.delete()
                changed.append((item.question, ""))
            continue
        if current is not None and (current.answer, current.comment) == (item.answer, comment):
            continue
        SelfAssessmentAnswer.objects.update_or_create(
            assessment=assessment,
            question=item.question,
            defaults={
                "answer": item.answer,
                "comment": comment,
                "answered_by": actor,
                "answered_at": now,
            },
        )
        changed.append((item.question, item.answer))
    return changed
