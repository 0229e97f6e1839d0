"""Uploaded laws, assessments (the engine's answer, kept whole) and reviews (people's answers).

A review never overwrites the machine's finding: the engine's result is stored as it was
produced (``Assessment.result``), and every reviewer decision is a new ``Review`` row.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ungpkit.apps.accounts.models import Organisation


class LawDocument(models.Model):
    """A law or draft uploaded (or pasted) by a member of an organisation."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="law_documents"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    title = models.CharField(_("title"), max_length=500)
    filename = models.CharField(_("file name"), max_length=255)
    content = models.BinaryField(_("original file"))
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(max_length=64, db_index=True)
    format = models.CharField(_("format"), max_length=16, blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    pages = models.PositiveIntegerField(null=True, blank=True)
    passages = models.JSONField(
        _("passages"),
        default=list,
        blank=True,
        help_text=_("The passages as read: id, locator, kind, page, heading, text."),
    )
    warnings = models.JSONField(default=list, blank=True)
    parsed = models.JSONField(
        null=True,
        blank=True,
        editable=False,
        help_text=_("The document as read at upload, so checks need not read the file again."),
    )
    created_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("law or draft")
        verbose_name_plural = _("laws and drafts")

    def __str__(self) -> str:
        return self.title


class AssessmentState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class Assessment(models.Model):
    """One run of the engine on one document with one grid."""

    document = models.ForeignKey(LawDocument, on_delete=models.CASCADE, related_name="assessments")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="assessments"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    grid = models.CharField(_("grid"), max_length=64, default="regulation")
    lang = models.CharField(_("language"), max_length=8, blank=True)
    state = models.CharField(
        _("state"), max_length=16, choices=AssessmentState.choices, default=AssessmentState.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    result = models.JSONField(_("machine result"), null=True, blank=True)
    is_public = models.BooleanField(_("public"), default=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")

    def __str__(self) -> str:
        return f"{self.document.title} · {self.grid}"

    @property
    def findings(self) -> list[dict[str, Any]]:
        """The engine's findings, as produced (empty until done)."""
        return list((self.result or {}).get("findings", []))


class ReviewDecision(models.TextChoices):
    ACCEPT = "accept", _("Accept")
    REJECT = "reject", _("Reject")
    CORRECT = "correct", _("Correct")


class Review(models.Model):
    """A reviewer's decision on one finding, stored beside the machine's answer."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="reviews")
    element = models.CharField(_("element"), max_length=128)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decision = models.CharField(_("decision"), max_length=16, choices=ReviewDecision.choices)
    status = models.CharField(_("corrected status"), max_length=16, blank=True)
    strength = models.CharField(_("corrected strength"), max_length=16, blank=True)
    passage_ids = models.JSONField(_("corrected evidence passages"), default=list, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    machine_status = models.CharField(max_length=16, blank=True)
    machine_strength = models.CharField(max_length=16, blank=True)
    created_at = models.DateTimeField(_("reviewed"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")

    def __str__(self) -> str:
        return f"{self.element}: {self.decision}"
