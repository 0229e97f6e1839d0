"""Accounts: who people are, which organisations they belong to, in which role, and what they
did (the audit log).

Write through ``actions.py`` and read through ``access.py``; do not save these models directly.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from dataclasses import dataclass
from typing import Any

import orjson
from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import connections, models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ungpkit.apps.accounts.errors import AuditLogImmutable

GENESIS_HASH = "0" * 64


class User(AbstractUser):
    """A person who signs in. Roles come from memberships, one per organisation."""

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"


class OrganisationKind(models.TextChoices):
    STATE_BODY = "state_body", _("State body")
    REGULATOR = "regulator", _("Regulator")
    COMPANY = "company", _("Company")
    MECHANISM = "mechanism", _("Grievance mechanism")
    NHRI = "nhri", _("National human rights institution")
    CIVIL_SOCIETY = "civil_society", _("Civil society organisation")
    ACADEMIA = "academia", _("Academic institution")
    OTHER = "other", _("Other")


class Role(models.TextChoices):
    """What a member may do within one organisation."""

    PUBLIC = "public", _("Member of the public")
    RIGHTS_HOLDER = "rights_holder", _("Rights-holder")
    COMPANY_MEMBER = "company_member", _("Company member")
    MECHANISM_STAFF = "mechanism_staff", _("Mechanism staff")
    EXPERT_REVIEWER = "expert_reviewer", _("Expert reviewer")
    REGULATOR = "regulator", _("Regulator")
    ADMINISTRATOR = "administrator", _("Administrator")


class Organisation(models.Model):
    """A state body, regulator, company, mechanism or other group that people work for."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(
        _("short name in URLs"),
        max_length=80,
        unique=True,
        allow_unicode=True,
        blank=True,
        help_text=_("Leave empty to make one from the name."),
    )
    kind = models.CharField(_("kind"), max_length=32, choices=OrganisationKind.choices)
    country = models.CharField(
        _("country"), max_length=2, blank=True, help_text=_("ISO 3166-1 two-letter code.")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """One person's role in one organisation."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"], name="accounts_one_membership_per_organisation"
            )
        ]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} – {self.organisation} ({self.get_role_display()})"


class ApiToken(models.Model):
    """A secret that lets a program use the JSON API as one user. Only its SHA-256 is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    token_hash = models.CharField(_("SHA-256 of the token"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return self.name

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None


class Invitation(models.Model):
    """An offer to join an organisation in a role, sent by e-mail as a one-time link.

    Only the SHA-256 of the link's secret is stored; the secret itself travels in the e-mail.
    An invitation is pending until it is accepted, revoked or past ``expires_at``.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    token_hash = models.CharField(_("SHA-256 of the token"), max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation} ({self.get_role_display()})"

    @property
    def state(self) -> str:
        """``accepted``, ``revoked``, ``expired`` or ``pending``."""
        if self.accepted_at is not None:
            return "accepted"
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "pending"


@dataclass(frozen=True)
class ChainLink:
    """Where the sealer puts one entry: its place in the chain and the hashes linking it."""

    entry_id: int
    position: int
    previous_hash: str
    entry_hash: str


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    """Refuses bulk changes: the audit log only grows. The one write it allows after an
    insert is the sealer's: filling the chain columns of an entry that has none yet."""

    def update(self, **kwargs: Any) -> int:
        raise AuditLogImmutable("Audit entries cannot be changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AuditLogImmutable("Audit entries cannot be deleted.")

    def unsealed(self) -> AuditEntryQuerySet:
        """Entries not linked into the chain yet (read through a small partial index)."""
        return self.filter(entry_hash__isnull=True)

    def link_into_chain(self, links: list[ChainLink]) -> int:
        """Fill the chain columns of entries that have none; return how many were filled.

        Only ``audit.seal_audit_log`` calls this. An entry already in the chain is never
        touched (``entry_hash IS NULL`` in the statement), so no sealed entry can be rewritten
        through Django.
        """
        connection = connections[self.db]
        table = connection.ops.quote_name(self.model._meta.db_table)
        rows = [(k.position, k.previous_hash, k.entry_hash, k.entry_id) for k in links]
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":  # the batch as one statement
                cursor.execute(
                    f"UPDATE {table} SET chain_position = link.position, "
                    "previous_hash = link.previous, entry_hash = link.hash "
                    "FROM jsonb_to_recordset(%s::jsonb) "
                    "AS link (position bigint, previous text, hash text, id bigint) "
                    f"WHERE {table}.id = link.id AND {table}.entry_hash IS NULL",
                    [
                        orjson.dumps(
                            [dict(zip(LINK_KEYS, row, strict=True)) for row in rows]
                        ).decode()
                    ],
                )
            else:
                cursor.executemany(
                    f"UPDATE {table} SET chain_position = %s, previous_hash = %s, "
                    "entry_hash = %s WHERE id = %s AND entry_hash IS NULL",
                    rows,
                )
            return int(cursor.rowcount)


LINK_KEYS = ("position", "previous", "hash", "id")


class AuditEntry(models.Model):
    """One thing someone did. Stored with the SHA-256 of its content (``content_hash``), then
    linked by the sealer into a chain in which each entry's ``entry_hash`` covers its content
    and the hash of the entry before it, so that changing, removing or reordering an entry is
    detected (see ``audit.seal_audit_log`` and ``audit.verify_audit_chain``).

    ``details`` holds ids and codes, never personal data. Actor and organisation are kept as
    plain ids (no database constraint) so deleting a user never rewrites the log.
    """

    # Not indexed: entries are read by id (the order of the chain) and by object, never by time.
    timestamp = models.DateTimeField(_("time"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # indexed where set (``accounts_audit_actor``): the public has none
    )
    action = models.CharField(_("action"), max_length=100)
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    details = models.JSONField(_("details"), default=dict, blank=True)
    content_hash = models.CharField(_("content hash"), max_length=64)
    # The chain, filled once by the sealer. NULL until then (not "": the hashes are unique),
    # and kept out of the unique indexes until then, so a new entry updates fewer indexes.
    chain_position = models.BigIntegerField(_("place in the chain"), null=True)
    previous_hash = models.CharField(_("previous hash"), max_length=64, null=True)  # noqa: DJ001
    entry_hash = models.CharField(_("entry hash"), max_length=64, null=True)  # noqa: DJ001

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            models.Index(
                fields=["id"],
                condition=models.Q(entry_hash__isnull=True),
                name="accounts_audit_unsealed",
            ),
            models.Index(
                fields=["actor"],
                condition=models.Q(actor__isnull=False),
                name="accounts_audit_actor",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=[name],
                condition=models.Q(**{f"{name}__isnull": False}),
                name=f"accounts_audit_unique_{name}",
            )
            for name in ("chain_position", "previous_hash", "entry_hash")
        ]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")

    def __str__(self) -> str:
        return f"{self.timestamp:%Y-%m-%d %H:%M:%S} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AuditLogImmutable("Audit entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AuditLogImmutable("Audit entries cannot be deleted.")

    @property
    def sealed(self) -> bool:
        """Whether the entry is linked into the chain yet."""
        return self.entry_hash is not None

    def content(self) -> dict[str, Any]:
        """What the entry says, as hashed: who did what to which object, when."""
        return content_of(*(getattr(self, name) for name in CONTENT_FIELDS))

    def compute_content_hash(self) -> str:
        """SHA-256 of this entry's content alone (stored when the entry is recorded)."""
        return hash_of_content(self.content())

    def compute_hash(self, previous_hash: str) -> str:
        """SHA-256 of this entry's content and ``previous_hash``, the hash of the entry before
        it in the chain (the same formula since the first entry: old chains still verify)."""
        return hash_in_chain(self.content(), previous_hash)


CONTENT_FIELDS = (
    "timestamp",
    "actor_id",
    "action",
    "object_type",
    "object_id",
    "organisation_id",
    "details",
)
"""The columns an entry's hashes cover, in the order ``content_of`` takes them (the sealer
reads just these, as rows, instead of building an entry for each)."""


def content_of(
    timestamp: datetime.datetime,
    actor_id: int | None,
    action: str,
    object_type: str,
    object_id: str,
    organisation_id: int | None,
    details: Any,
) -> dict[str, Any]:
    """An entry's content, as hashed."""
    return {
        "timestamp": timestamp.astimezone(datetime.UTC).isoformat(timespec="microseconds"),
        "actor": actor_id,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "organisation": organisation_id,
        "details": details,
    }


def hash_of_content(content: dict[str, Any]) -> str:
    """SHA-256 of an entry's content alone."""
    return _sha256(content)


def hash_in_chain(content: dict[str, Any], previous_hash: str) -> str:
    """SHA-256 of an entry's content and the hash of the entry before it in the chain."""
    return _sha256({**content, "previous_hash": previous_hash})


def _sha256(content: dict[str, Any]) -> str:
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
