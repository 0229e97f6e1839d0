"""Triage records, clusters of mass complaints and collective cases.

The machine's suggestions (``suggested``, the JSON of ``ungpkit.grievances.model.Triage``) are
kept unchanged; the current labels (``rights``, ``harms``, ``urgency`` and the three severity
levels) start as the suggestion and become the staff's once confirmed or corrected, so the
pairs (suggested, confirmed) are the labelled data ``ungpkit eval`` measures triage against.

The queue reads only this table: ``mechanism``, ``open`` and ``created_at`` are copied from
the grievance so that "open cases of this mechanism, highest priority first, oldest first"
is one index scan even with millions of grievances.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ungpkit.apps.remedy.models import Grievance, Mechanism


class AwaitingTriage(models.Model):
    """A grievance received and not triaged yet, when the workers triage in the background
    (``UNGPKIT_TASK_BACKEND=database``): their to-do list. Stored with the grievance in the
    same statement; a worker removes it in the transaction that stores the triage record.

    No database constraint on the grievance: adding this row at intake checks nothing else,
    and a worker drops rows whose grievance was erased in between."""

    grievance = models.OneToOneField(
        Grievance,
        on_delete=models.CASCADE,
        primary_key=True,
        db_constraint=False,
        related_name="+",
    )

    class Meta:
        verbose_name = _("grievance awaiting triage")
        verbose_name_plural = _("grievances awaiting triage")

    def __str__(self) -> str:
        return f"awaiting triage {self.grievance_id}"


class TriageRecord(models.Model):
    """The triage of one grievance: suggested, then confirmed or corrected by staff."""

    grievance = models.OneToOneField(
        Grievance, on_delete=models.CASCADE, primary_key=True, related_name="triage"
    )
    # Indexed as the first column of ``triage_queue``: no index of its own to keep up.
    mechanism = models.ForeignKey(
        Mechanism, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    open = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)
    suggested = models.JSONField(help_text=_("The machine's suggestions with their reasons."))
    language = models.CharField(max_length=8, default="und")
    rights = models.JSONField(default=list, blank=True)
    harms = models.JSONField(default=list, blank=True)
    urgency = models.JSONField(default=list, blank=True)
    scale = models.PositiveSmallIntegerField(default=0)
    scope = models.PositiveSmallIntegerField(default=0)
    irremediability = models.PositiveSmallIntegerField(default=0)
    priority = models.IntegerField(default=0)
    priority_reasons = models.JSONField(default=list, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,  # indexed where set (``triage_confirmed_by``): new records have none
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    analyser_version = models.CharField(max_length=32, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["mechanism", "open", "-priority", "created_at", "grievance"],
                name="triage_queue",
            ),
            # The same order across mechanisms, for a platform admin's or a member's queue.
            models.Index(
                fields=["open", "-priority", "created_at", "grievance"],
                name="triage_queue_all",
            ),
            models.Index(
                fields=["confirmed_by"],
                condition=models.Q(confirmed_by__isnull=False),
                name="triage_confirmed_by",
            ),
        ]
        verbose_name = _("triage")
        verbose_name_plural = _("triage records")

    def __str__(self) -> str:
        return f"triage {self.grievance_id}"


class Cluster(models.Model):
    """Grievances that are near-duplicates or about the same incident (a campaign, one
    breach, one outage, one automated decision affecting many)."""

    class Kind(models.TextChoices):
        DUPLICATE = "duplicate", _("Near-duplicate texts")
        INCIDENT = "incident", _("Same incident")

    mechanism = models.ForeignKey(Mechanism, on_delete=models.CASCADE, related_name="clusters")
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.DUPLICATE)
    label = models.CharField(
        _("label"), max_length=200, blank=True, help_text=_("The words the texts share.")
    )
    size = models.PositiveIntegerField(default=0)
    first_at = models.DateTimeField(
        null=True, blank=True, help_text=_("When the oldest grievance of the cluster came in.")
    )
    last_at = models.DateTimeField(
        null=True, blank=True, help_text=_("When the newest grievance of the cluster came in.")
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-size", "-id"]
        indexes = [models.Index(fields=["mechanism", "-size"], name="triage_cluster_size")]
        verbose_name = _("cluster")
        verbose_name_plural = _("clusters")

    def __str__(self) -> str:
        return self.label or f"cluster {self.pk}"


class ClusterMember(models.Model):
    """A grievance in a cluster (a grievance is in at most one)."""

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="members")
    grievance = models.OneToOneField(
        Grievance, on_delete=models.CASCADE, related_name="cluster_membership"
    )
    similarity = models.FloatField(default=1.0)

    def __str__(self) -> str:
        return f"{self.grievance_id} in {self.cluster_id}"


class CollectiveCase(models.Model):
    """Many grievances handled as one case; every complainant keeps an individual status
    (their own grievance moves with the collective case) and receives the outcome."""

    mechanism = models.ForeignKey(
        Mechanism, on_delete=models.CASCADE, related_name="collective_cases"
    )
    title = models.CharField(_("title"), max_length=200)
    cluster = models.OneToOneField(
        Cluster, null=True, blank=True, on_delete=models.SET_NULL, related_name="collective_case"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("collective case")
        verbose_name_plural = _("collective cases")

    def __str__(self) -> str:
        return self.title


class CollectiveMember(models.Model):
    """A grievance taken into a collective case (in at most one)."""

    collective = models.ForeignKey(CollectiveCase, on_delete=models.CASCADE, related_name="members")
    grievance = models.OneToOneField(
        Grievance, on_delete=models.CASCADE, related_name="collective_membership"
    )
    joined_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.grievance_id} in {self.collective_id}"
