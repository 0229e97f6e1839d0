"""What a mechanism publishes and learns: statistics snapshots and its GP31 self-assessment.

Public pages read only the latest ``StatisticsSnapshot`` (one indexed row), never the
grievances, so they stay fast with millions of them. A snapshot holds three things computed
together by ``actions.publish_statistics``: the public tables with small counts suppressed,
and, for staff only, the recurring issues (learning loop) and the GP31 indicators.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ungpkit.apps.remedy.models import Mechanism


class StatisticsSnapshot(models.Model):
    """The statistics of one mechanism as computed at one moment."""

    mechanism = models.ForeignKey(
        Mechanism, on_delete=models.CASCADE, related_name="statistics_snapshots"
    )
    computed_at = models.DateTimeField(default=timezone.now)
    threshold = models.PositiveSmallIntegerField(
        help_text=_("Counts under this were not published.")
    )
    statistics = models.JSONField(
        help_text=_("The public tables, with small counts already suppressed.")
    )
    issues = models.JSONField(
        default=list, blank=True, help_text=_("Recurring issues, for staff only.")
    )
    indicators = models.JSONField(
        default=dict, blank=True, help_text=_("GP31 indicators, for staff only.")
    )
    seconds = models.FloatField(default=0, help_text=_("How long the computation took."))

    class Meta:
        ordering = ["-computed_at", "-id"]
        indexes = [
            models.Index(fields=["mechanism", "-computed_at", "-id"], name="transparency_latest")
        ]
        verbose_name = _("statistics snapshot")
        verbose_name_plural = _("statistics snapshots")

    def __str__(self) -> str:
        return f"{self.mechanism_id} at {self.computed_at:%Y-%m-%d %H:%M}"


class SelfAssessment(models.Model):
    """A mechanism's review of itself against the GP31 effectiveness criteria."""

    mechanism = models.OneToOneField(
        Mechanism, on_delete=models.CASCADE, related_name="self_assessment"
    )
    questionnaire_version = models.CharField(max_length=16)
    publish_summary = models.BooleanField(
        _("show a summary on the public statistics page"), default=False
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("GP31 self-assessment")
        verbose_name_plural = _("GP31 self-assessments")

    def __str__(self) -> str:
        return f"self-assessment {self.mechanism_id}"


class SelfAssessmentAnswer(models.Model):
    """The answer to one question of the questionnaire, who gave it and when."""

    class Choice(models.TextChoices):
        YES = "yes", _("Yes")
        PARTLY = "partly", _("Partly")
        NO = "no", _("No")

    assessment = models.ForeignKey(SelfAssessment, on_delete=models.CASCADE, related_name="answers")
    question = models.CharField(max_length=100)
    answer = models.CharField(max_length=8, choices=Choice.choices)
    comment = models.TextField(blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "question"], name="transparency_one_answer_per_question"
            )
        ]
        verbose_name = _("self-assessment answer")
        verbose_name_plural = _("self-assessment answers")

    def __str__(self) -> str:
        return f"{self.question}: {self.answer}"
