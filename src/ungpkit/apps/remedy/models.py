"""Grievances of a joint mechanism: who may see what is decided in ``access.py``.

Identity and contact details and attachments are stored encrypted (``crypto.py``); the
description of what happened is kept in clear for triage, so the intake form tells people
not to put names in it unless they want to.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ungpkit.apps.accounts.models import Organisation
from ungpkit.apps.remedy import states


class Mechanism(models.Model):
    """A grievance mechanism run by a secretariat (its organisation) for member companies."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="mechanisms"
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), unique=True, max_length=80)
    description = models.TextField(_("description"), blank=True)
    deadline_days = models.JSONField(
        _("deadlines in days per state"),
        default=dict,
        blank=True,
        help_text=_('For example {"received": 5}: acknowledge within 5 days.'),
    )
    retention_days = models.PositiveIntegerField(
        _("retention after closure (days)"), default=3 * 365
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("grievance mechanism")
        verbose_name_plural = _("grievance mechanisms")

    def __str__(self) -> str:
        return self.name

    def deadline_for(self, state: str) -> int | None:
        """Days allowed in ``state`` (the mechanism's own, else the default)."""
        value = self.deadline_days.get(state, states.DEFAULT_DEADLINE_DAYS.get(state))
        return int(value) if value is not None else None


class Member(models.Model):
    """A company (or other organisation) that takes part in a mechanism."""

    mechanism = models.ForeignKey(Mechanism, on_delete=models.CASCADE, related_name="members")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="mechanism_memberships"
    )
    products = models.TextField(
        _("products and services"),
        blank=True,
        help_text=_("One per line, as complainants know them."),
    )
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["mechanism", "organisation"], name="remedy_one_member_per_organisation"
            )
        ]
        verbose_name = _("member")
        verbose_name_plural = _("members")

    def __str__(self) -> str:
        return self.organisation.name


class Channel(models.TextChoices):
    WEB = "web", _("Web form")
    API = "api", _("Partner API")
    BULK = "bulk", _("Bulk import")
    STAFF = "staff", _("Entered by staff")


class Grievance(models.Model):
    """One complaint, and the case it becomes."""

    mechanism = models.ForeignKey(Mechanism, on_delete=models.PROTECT, related_name="grievances")
    case_code = models.CharField(_("case code"), max_length=32, unique=True)
    passphrase_hash = models.CharField(max_length=128)
    channel = models.CharField(max_length=8, choices=Channel.choices, default=Channel.WEB)
    source = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Partner that submitted it."),
    )
    idempotency_key = models.CharField(max_length=128, blank=True, default="")
    language = models.CharField(_("language"), max_length=8, default="en")
    description = models.TextField(_("what happened"))
    happened_on = models.CharField(_("when"), max_length=64, blank=True)
    country = models.CharField(_("where (country)"), max_length=2, blank=True)
    company_text = models.CharField(_("company, product or service"), max_length=300, blank=True)
    affected_who = models.CharField(_("who is affected"), max_length=300, blank=True)
    affected_count = models.PositiveIntegerField(_("how many people"), null=True, blank=True)
    ongoing = models.BooleanField(_("still happening"), default=False)
    child_involved = models.BooleanField(_("a child is involved"), default=False)
    fear_of_reprisal = models.BooleanField(_("fears reprisal"), default=False)
    wants = models.JSONField(_("what the person wants"), default=list, blank=True)
    wants_other = models.CharField(max_length=300, blank=True)
    contact_preference = models.CharField(_("contact preference"), max_length=16, default="receipt")
    anonymous = models.BooleanField(_("anonymous"), default=True)
    on_behalf = models.BooleanField(_("on behalf of someone else"), default=False)
    consent_record = models.TextField(_("consent of the person represented"), blank=True)
    identity_encrypted = models.TextField(blank=True, default="")
    receipt_encrypted = models.TextField(
        blank=True,
        default="",
        help_text=_("Kept only for partner submissions, so a retried request gets its receipt."),
    )
    reveal_identity_to_members = models.BooleanField(
        _("may members see the identity"), default=False
    )
    state = models.CharField(
        max_length=24, default=states.RECEIVED, choices=[(s, s) for s in states.STATES]
    )
    state_changed_at = models.DateTimeField(default=timezone.now)
    due_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    erased_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_("When the complainant's personal data was erased at their request."),
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "idempotency_key"],
                name="remedy_idempotent_submission",
                condition=~models.Q(idempotency_key=""),
            ),
            # The public form's key (no source): NULL sources are all distinct to the
            # constraint above, so the same form sent twice at once needs its own.
            models.UniqueConstraint(
                fields=["mechanism", "idempotency_key"],
                name="remedy_idempotent_public_form",
                condition=models.Q(source__isnull=True) & ~models.Q(idempotency_key=""),
            ),
        ]
        indexes = [models.Index(fields=["mechanism", "state"])]
        verbose_name = _("grievance")
        verbose_name_plural = _("grievances")

    def __str__(self) -> str:
        return self.case_code

    @property
    def overdue(self) -> bool:
        """Whether the case has stayed in its state longer than the mechanism allows."""
        return self.due_at is not None and self.due_at < timezone.now()


class CaseParty(models.Model):
    """A member a grievance is routed to (a harm linked to many companies has several)."""

    grievance = models.ForeignKey(Grievance, on_delete=models.CASCADE, related_name="parties")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="cases")
    routed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    routed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["grievance", "member"], name="remedy_one_party_per_member"
            )
        ]

    def __str__(self) -> str:
        return f"{self.grievance_id} → {self.member_id}"


class Transition(models.Model):
    """One step of a case: who moved it, when, and why."""

    grievance = models.ForeignKey(Grievance, on_delete=models.CASCADE, related_name="transitions")
    from_state = models.CharField(max_length=24)
    to_state = models.CharField(max_length=24)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,  # indexed where set (``remedy_transition_actor``): intake has none
    )
    by_complainant = models.BooleanField(default=False)
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(
                fields=["actor"],
                condition=models.Q(actor__isnull=False),
                name="remedy_transition_actor",
            )
        ]

    def __str__(self) -> str:
        return f"{self.from_state} → {self.to_state}"


class Message(models.Model):
    """A message in a case, between the complainant and the mechanism (or internal)."""

    grievance = models.ForeignKey(Grievance, on_delete=models.CASCADE, related_name="messages")
    from_complainant = models.BooleanField(default=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField()
    internal = models.BooleanField(
        default=False, help_text=_("Internal notes are never shown to the complainant.")
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"message {self.pk}"


class Attachment(models.Model):
    """A file the complainant sent, encrypted at rest."""

    grievance = models.ForeignKey(Grievance, on_delete=models.CASCADE, related_name="attachments")
    filename_encrypted = models.TextField()
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    content_encrypted = models.BinaryField()
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"attachment {self.pk}"


class Escalation(models.Model):
    """A case taken to a State-based mechanism, with the complainant's consent."""

    class Body(models.TextChoices):
        REGULATOR = "regulator", _("Regulator")
        NHRI = "nhri", _("National human rights institution")
        NCP = "ncp", _("OECD National Contact Point")
        OMBUDSPERSON = "ombudsperson", _("Ombudsperson")
        COURT = "court", _("Court")

    grievance = models.ForeignKey(Grievance, on_delete=models.CASCADE, related_name="escalations")
    body_type = models.CharField(max_length=16, choices=Body.choices)
    body_name = models.CharField(max_length=200)
    consent = models.TextField(_("how the complainant consented"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.body_type}: {self.body_name}"


class Outcome(models.Model):
    """The remedy a case ended with, and whether the complainant was satisfied."""

    grievance = models.OneToOneField(Grievance, on_delete=models.CASCADE, related_name="outcome")
    remedy_types = models.JSONField(default=list)
    description = models.TextField(blank=True)
    satisfaction = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text=_("1 (not at all) to 5 (fully), from the complainant.")
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return ", ".join(self.remedy_types)


class BulkImport(models.Model):
    """One file of complaints a partner gathered, imported in batches (``bulk.py``).

    Re-running the same file resumes it: each row has an idempotency key, so rows already
    stored are found again (with their receipts) instead of duplicated. ``failed`` lists row
    numbers and reasons only, never what the rows said.
    """

    class State(models.TextChoices):
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")

    mechanism = models.ForeignKey(Mechanism, on_delete=models.PROTECT, related_name="imports")
    source = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    file_sha256 = models.CharField(max_length=64)
    filename = models.CharField(max_length=255, blank=True)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(
        default=0, help_text=_("Rows handled in the latest run, stored or failed.")
    )
    created = models.PositiveIntegerField(
        default=0, help_text=_("Grievances this import stored, over all its runs.")
    )
    failed = models.JSONField(default=list, blank=True)
    state = models.CharField(max_length=16, choices=State.choices, default=State.RUNNING)
    runs = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["mechanism", "source", "file_sha256"], name="remedy_one_import_per_file"
            )
        ]
        verbose_name = _("bulk import")
        verbose_name_plural = _("bulk imports")

    def __str__(self) -> str:
        return f"import {self.file_sha256[:12]}"


class Notification(models.Model):
    """A note on the site for a member of staff: a case moved, got a message or is overdue.
    It holds no personal data, only the case and what happened."""

    class Kind(models.TextChoices):
        MOVED = "moved", _("The case moved to a new step")
        MESSAGE = "message", _("New message in the case")
        OVERDUE = "overdue", _("The case is overdue")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="remedy_notifications"
    )
    grievance = models.ForeignKey(Grievance, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    state = models.CharField(max_length=24, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return f"{self.kind} {self.grievance_id}"
