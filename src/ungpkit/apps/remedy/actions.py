"""Every write of the grievance mechanism. Each action checks permission, validates, writes
in one transaction and appends to the audit log (never with personal data in it)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ungpkit.apps.accounts import audit
from ungpkit.apps.accounts.errors import NotFound
from ungpkit.apps.remedy import access, crypto, notifications, receipts, signals, states
from ungpkit.apps.remedy.countries import COUNTRY_CODES
from ungpkit.apps.remedy.models import (
    CaseParty,
    Channel,
    Escalation,
    Grievance,
    Mechanism,
    Member,
    Message,
    Outcome,
    Transition,
)
from ungpkit.web import rows

TEXT_FIELDS = {
    "description": 20_000,
    "happened_on": 64,
    "company_text": 300,
    "affected_who": 300,
    "wants_other": 300,
    "consent_record": 2_000,
}
CONTACT_PREFERENCES = ("receipt", "email", "phone", "post")
CONTACT_DETAIL = {"email": "email", "phone": "phone", "post": "address"}
"""The identity field each way of contact needs (the receipt needs none)."""
IDENTITY_KEYS = ("name", "email", "phone", "address")
"""What an identity may hold: all of it stored encrypted, never logged."""
CONTACT_NEEDS_IDENTITY = gettext_lazy(
    "To be contacted by email, phone or post, choose to give your contact details."
)

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Receipt:
    """What the complainant keeps: shown once, after the grievance is stored."""

    case_code: str
    passphrase: str


def submit_grievance(
    mechanism: Mechanism,
    data: dict[str, Any],
    *,
    identity: dict[str, str] | None = None,
    channel: str = Channel.WEB,
    source: Any = None,
    idempotency_key: str = "",
) -> tuple[Grievance, Receipt, bool]:
    """Store a grievance and return it, its receipt and whether it is new.

    With a partner ``source`` and an ``idempotency_key``, submitting the same key again
    returns the first grievance and the same receipt instead of a duplicate.
    """
    fields = clean_submission(data)
    identity = {k: str(v).strip() for k, v in (identity or {}).items() if str(v).strip()}
    check_parties(fields, identity)
    if idempotency_key:
        existing = _existing(source, idempotency_key)
        if existing is not None:
            return existing, _replayed(existing, mechanism, fields), False
    passphrase = receipts.new_passphrase()
    for _attempt in range(5):
        code = receipts.new_case_code()
        try:
            grievance = _create(
                mechanism, fields, identity, channel, source, idempotency_key, code, passphrase
            )
            return grievance, Receipt(code, passphrase), True
        except IntegrityError:
            if idempotency_key:
                existing = _existing(source, idempotency_key)
                if existing is not None:  # a concurrent retry stored it first
                    return existing, _replayed(existing, mechanism, fields), False
            if not Grievance.objects.filter(case_code=code).exists():
                raise  # not a case-code clash: let the real error surface
    raise RuntimeError("Could not allocate a unique case code.")


def _create(
    mechanism: Mechanism,
    fields: dict[str, Any],
    identity: dict[str, str],
    channel: str,
    source: Any,
    idempotency_key: str,
    code: str,
    passphrase: str,
) -> Grievance:
    """Store the grievance with its first transition, its audit entry and what other apps
    add (triage), all at once: one statement on PostgreSQL (see ``ungpkit.web.rows``)."""
    now = timezone.now()
    grievance = Grievance(
        mechanism=mechanism,
        case_code=code,
        passphrase_hash=receipts.hash_passphrase(passphrase),
        channel=channel,
        source=source,
        idempotency_key=idempotency_key,
        identity_encrypted=crypto.encrypt_json(identity) if identity else "",
        # A partner's retry gets the receipt again; the public form's never does (its
        # passphrase is shown once and stored only as a hash).
        receipt_encrypted=crypto.encrypt_json({"code": code, "passphrase": passphrase})
        if idempotency_key and source is not None
        else "",
        state=states.RECEIVED,
        state_changed_at=now,
        created_at=now,
        due_at=_due(mechanism, states.RECEIVED, now),
        **fields,
    )

    def stored_with(grievance: Grievance) -> list[Any]:
        first = Transition(
            grievance_id=grievance.pk,
            from_state="",
            to_state=states.RECEIVED,
            created_at=now,
            by_complainant=True,
        )
        entry = audit.new_entry(
            None,
            "remedy.grievance_received",
            target=grievance,
            organisation=mechanism.organisation,
            details={"channel": channel, "anonymous": grievance.anonymous},
        )
        return [first, entry, *_rows_from_other_apps(grievance)]

    return rows.insert_with(grievance, stored_with)


def _rows_from_other_apps(grievance: Grievance) -> list[Any]:
    added: list[Any] = []
    for receiver, answer in signals.grievance_received.send_robust(Grievance, grievance=grievance):
        if isinstance(answer, Exception):
            logger.error(
                "%s failed for a new grievance; it is stored without its rows.",
                getattr(receiver, "__qualname__", receiver),
                exc_info=answer,
            )
        elif answer:
            added.extend(answer)
    return added


def _existing(source: Any, key: str) -> Grievance | None:
    return Grievance.objects.filter(source=source, idempotency_key=key).first()


def _stored_receipt(grievance: Grievance) -> Receipt:
    data = crypto.decrypt_json(grievance.receipt_encrypted)
    return Receipt(data.get("code", grievance.case_code), data.get("passphrase", ""))


class IdempotencyConflict(ValueError):
    """An idempotency key already used for another complaint, or for one since erased."""


def _replayed(existing: Grievance, mechanism: Mechanism, fields: dict[str, Any]) -> Receipt:
    """The first receipt for a retry; refused when the key came with another complaint (a
    partner's bug that would otherwise lose the second complaint without a word)."""
    if existing.mechanism_id != mechanism.pk or existing.description != fields["description"]:
        raise IdempotencyConflict(
            _(
                "This Idempotency-Key was already used for another complaint. Use a new key "
                "for each complaint, and the same key only to retry the same one."
            )
        )
    receipt = _stored_receipt(existing)
    if not receipt.passphrase:
        raise IdempotencyConflict(
            _(
                "The complaint sent with this Idempotency-Key was erased at its author's "
                "request; its receipt no longer exists."
            )
        )
    return receipt


MAX_AFFECTED = 2_000_000_000
"""The most people a grievance can say are affected (the column is a 32-bit integer)."""
LANGUAGES = ("en", "fr", "es", "ko")


def check_identity(fields: dict[str, Any], identity: dict[str, str]) -> None:
    """The identity agrees with the choices made: given only when not anonymous, with the
    contact detail the chosen contact way needs, and a valid email address."""
    errors: dict[str, str] = {}
    preference = fields["contact_preference"]
    if fields["anonymous"] and identity:
        errors["identity"] = _(
            "An anonymous complaint cannot carry a name or contact details: set anonymous to "
            "false to give them, or leave them out."
        )
    elif not fields["anonymous"] and not identity:
        errors["identity"] = _("Give a name or a way to reach you, or choose to stay anonymous.")
    elif preference in CONTACT_DETAIL and fields["anonymous"]:
        errors["contact_preference"] = str(CONTACT_NEEDS_IDENTITY)
    elif preference in CONTACT_DETAIL and not identity.get(CONTACT_DETAIL[preference]):
        errors[CONTACT_DETAIL[preference]] = _("Give the details we should use to contact you.")
    if identity.get("email") and "email" not in errors:
        try:
            validate_email(identity["email"])
        except ValidationError:
            errors["email"] = _("Enter a valid email address.")
    if errors:
        raise ValidationError(errors)


def check_parties(fields: dict[str, Any], identity: dict[str, str]) -> None:
    """Who speaks agrees with the choices made: the identity (``check_identity``), and a
    record of consent when the complaint is made for someone else."""
    check_identity(fields, identity)
    if fields["on_behalf"] and not fields["consent_record"]:
        raise ValidationError(
            {
                "consent_record": _(
                    "Say how the person or group you represent agreed to this complaint."
                )
            }
        )


def clean_submission(data: dict[str, Any]) -> dict[str, Any]:
    """Validate the fields of a submission; ``ValidationError`` names each problem."""
    errors: dict[str, str] = {}
    fields: dict[str, Any] = {}
    for name, limit in TEXT_FIELDS.items():
        value = str(data.get(name) or "").strip()
        if len(value) > limit:
            errors[name] = _("This is too long (at most %(n)s characters).") % {"n": limit}
        fields[name] = value
    if len(fields["description"]) < 10:
        errors["description"] = _("Tell us what happened, in a few sentences.")
    country = str(data.get("country") or "").strip().upper()
    if country and country not in COUNTRY_CODES:
        errors["country"] = _("Choose a country from the list.")
    fields["country"] = country
    count = data.get("affected_count")
    if count in (None, ""):
        fields["affected_count"] = None
    else:
        try:
            fields["affected_count"] = max(0, int(count))
        except (TypeError, ValueError, OverflowError):
            errors["affected_count"] = _("Give a number, or leave it empty.")
        else:
            if fields["affected_count"] > MAX_AFFECTED:
                errors["affected_count"] = _(
                    "Give a number up to %(n)s; say more in the description if needed."
                ) % {"n": f"{MAX_AFFECTED:,}"}
    wants = [str(w) for w in (data.get("wants") or [])]
    unknown = [w for w in wants if w not in states.WANTS]
    if unknown:
        errors["wants"] = _("Choose from the listed remedies.")
    fields["wants"] = [w for w in states.WANTS if w in wants]
    preference = str(data.get("contact_preference") or "receipt")
    if preference not in CONTACT_PREFERENCES:
        errors["contact_preference"] = _("Choose how we may contact you.")
    fields["contact_preference"] = preference
    language = str(data.get("language") or "en").strip().lower().replace("_", "-").split("-")[0]
    if language not in LANGUAGES:
        errors["language"] = _("Choose one of: %(codes)s.") % {"codes": ", ".join(LANGUAGES)}
    fields["language"] = language
    for flag in (
        "ongoing",
        "child_involved",
        "fear_of_reprisal",
        "on_behalf",
        "reveal_identity_to_members",
    ):
        fields[flag] = bool(data.get(flag))
    fields["anonymous"] = bool(data.get("anonymous", True))
    # Nobody to show: an anonymous complaint never lets members see who complained (nor the
    # consent record of the person represented, which may name them).
    fields["reveal_identity_to_members"] = (
        fields["reveal_identity_to_members"] and not (fields["anonymous"])
    )
    if errors:
        raise ValidationError(errors)
    return fields


def _due(mechanism: Mechanism, state: str, since: Any) -> Any:
    days = mechanism.deadline_for(state)
    return since + timezone.timedelta(days=days) if days else None


def find_by_receipt(case_code: str, passphrase: str) -> Grievance:
    """The grievance a receipt opens; the same ``NotFound`` for a wrong code or passphrase."""
    grievance = (
        Grievance.objects.select_related("mechanism")
        .filter(case_code=receipts.normalise(case_code))
        .first()
    )
    if grievance is None or not receipts.check_passphrase(passphrase, grievance.passphrase_hash):
        raise NotFound(_("No case matches this case code and passphrase. Check both."))
    return grievance


def complainant_message(case_code: str, passphrase: str, body: str) -> Message:
    """The complainant answers in their case. The same message sent again within ten
    minutes (a reload of the page that sent it) is stored once."""
    grievance = find_by_receipt(case_code, passphrase)
    body = body.strip()
    if not body or len(body) > 10_000:
        raise ValidationError({"body": _("Write a message (at most 10,000 characters).")})
    last = grievance.messages.order_by("-created_at", "-id").first()
    recent = timezone.now() - timezone.timedelta(minutes=10)
    if (
        last is not None
        and last.from_complainant
        and last.body == body
        and last.created_at > recent
    ):
        return last
    with transaction.atomic():
        message = Message.objects.create(grievance=grievance, from_complainant=True, body=body)
        audit.record(
            None,
            "remedy.complainant_message",
            target=grievance,
            organisation=grievance.mechanism.organisation,
        )
        notifications.message_posted(grievance, None, internal=True)  # staff hear; no mail
    return message


def complainant_decide(
    case_code: str, passphrase: str, *, accept: bool, reason: str = ""
) -> Grievance:
    """The complainant accepts or refuses the proposed remedy."""
    grievance = find_by_receipt(case_code, passphrase)
    target = states.REMEDY_ACCEPTED if accept else states.REMEDY_REFUSED
    return _move(None, grievance, target, reason, by_complainant=True)


def complainant_satisfaction(case_code: str, passphrase: str, satisfaction: int) -> Outcome:
    """The complainant says how satisfied they are with the outcome (1 to 5)."""
    grievance = find_by_receipt(case_code, passphrase)
    if satisfaction not in range(1, 6):
        raise ValidationError({"satisfaction": _("Choose from 1 to 5.")})
    outcome = Outcome.objects.filter(grievance=grievance).first()
    if outcome is None:
        raise ValidationError(_("There is no outcome to rate yet."))
    with transaction.atomic():
        outcome.satisfaction = satisfaction
        outcome.save(update_fields=["satisfaction"])
        audit.record(
            None,
            "remedy.satisfaction_given",
            target=grievance,
            organisation=grievance.mechanism.organisation,
        )
    return outcome


def _secretariat_case(actor: Any, grievance_id: int) -> Grievance:
    grievance = access.access_grievance(actor, grievance_id)
    if not access.is_secretariat(actor, grievance):
        raise PermissionDenied(_("Only the mechanism's secretariat may do this."))
    return grievance


def route(actor: Any, grievance_id: int, member_ids: list[int]) -> list[CaseParty]:
    """Route a case to one or several members (one case, several parties)."""
    grievance = _secretariat_case(actor, grievance_id)
    members = list(Member.objects.filter(mechanism=grievance.mechanism, pk__in=member_ids))
    if not members or len(members) != len(set(member_ids)):
        raise ValidationError({"members": _("Choose members of this mechanism.")})
    with transaction.atomic():
        parties = [
            CaseParty.objects.get_or_create(
                grievance=grievance, member=m, defaults={"routed_by": actor}
            )[0]
            for m in members
        ]
        audit.record(
            actor,
            "remedy.case_routed",
            target=grievance,
            organisation=grievance.mechanism.organisation,
            details={"members": sorted(m.pk for m in members)},
        )
    return parties


def move(actor: Any, grievance_id: int, target: str, reason: str = "") -> Grievance:
    """Move a case to its next state: the secretariat any step but the complainant's; a
    routed member's staff only the steps of ``states.MEMBER_TRANSITIONS``."""
    grievance = access.access_grievance(actor, grievance_id)
    if (grievance.state, target) in states.COMPLAINANT_TRANSITIONS:
        raise PermissionDenied(_("Only the complainant accepts or refuses a remedy."))
    if (grievance.state, target) not in states.MEMBER_TRANSITIONS and not access.is_secretariat(
        actor, grievance
    ):
        raise PermissionDenied(
            _("Only the mechanism's secretariat decides this step; a company may propose a remedy.")
        )
    return _move(actor, grievance, target, reason, by_complainant=False)


def _move(
    actor: Any, grievance: Grievance, target: str, reason: str, *, by_complainant: bool
) -> Grievance:
    if not states.can_move(grievance.state, target):
        raise ValidationError(
            {
                "state": _("A case cannot go from “%(a)s” to “%(b)s”.")
                % {"a": grievance.state, "b": target}
            }
        )
    if by_complainant and (grievance.state, target) not in states.COMPLAINANT_TRANSITIONS:
        raise PermissionDenied(_("This step is taken by the mechanism."))
    reason = reason.strip()
    if target in states.REASON_REQUIRED and not reason:
        raise ValidationError({"reason": _("Say why; the complainant will read it.")})
    now = timezone.now()
    with transaction.atomic():
        locked = Grievance.objects.select_for_update().get(pk=grievance.pk)
        if locked.state != grievance.state:
            raise ValidationError({"state": _("Someone else moved this case; reload it.")})
        Transition.objects.create(
            grievance=locked,
            from_state=locked.state,
            to_state=target,
            actor=actor,
            by_complainant=by_complainant,
            reason=reason,
            created_at=now,
        )
        locked.state = target
        locked.state_changed_at = now
        locked.due_at = _due(locked.mechanism, target, now)
        locked.closed_at = now if target == states.CLOSED else None
        locked.save(update_fields=["state", "state_changed_at", "due_at", "closed_at"])
        audit.record(
            actor,
            "remedy.case_moved",
            target=locked,
            organisation=locked.mechanism.organisation,
            details={"to": target, "by_complainant": by_complainant},
        )
        notifications.case_moved(locked, target, actor, by_complainant=by_complainant)
    return locked


def post_message(actor: Any, grievance_id: int, body: str, *, internal: bool = False) -> Message:
    """Staff write to the complainant (or an internal note). A member company writes to a
    complainant who fears reprisal only through the secretariat (internal notes)."""
    grievance = access.access_grievance(actor, grievance_id)
    if not internal and grievance.fear_of_reprisal and not access.is_secretariat(actor, grievance):
        raise PermissionDenied(
            _(
                "The complainant fears reprisal: write an internal note, and the secretariat "
                "will pass on what is needed."
            )
        )
    body = body.strip()
    if not body:
        raise ValidationError({"body": _("Write a message.")})
    with transaction.atomic():
        message = Message.objects.create(
            grievance=grievance, author=actor, body=body, internal=internal
        )
        audit.record(
            actor,
            "remedy.message_posted",
            target=grievance,
            organisation=grievance.mechanism.organisation,
            details={"internal": internal},
        )
        notifications.message_posted(grievance, actor, internal=internal)
    return message


def reveal_identity(actor: Any, grievance_id: int) -> dict[str, str]:
    """Decrypt the complainant's identity for someone allowed to see it; every read is
    recorded in the audit log."""
    grievance = access.access_grievance(actor, grievance_id)
    if not access.can_reveal_identity(actor, grievance):
        raise PermissionDenied(_("You may not see who made this complaint."))
    # Decrypted first: a read that fails (the key it was encrypted with is gone) is no read.
    identity = {k: str(v) for k, v in crypto.decrypt_json(grievance.identity_encrypted).items()}
    with transaction.atomic():
        audit.record(
            actor,
            "remedy.identity_read",
            target=grievance,
            organisation=grievance.mechanism.organisation,
        )
    return identity


def read_attachment(actor: Any, grievance_id: int, attachment_id: int) -> tuple[str, str, bytes]:
    """The name, type and content of a file the complainant sent, for someone who may see
    who complained (it can show them: a photo, a screenshot with their name); audited."""
    grievance = access.access_grievance(actor, grievance_id)
    if not access.can_see_files(actor, grievance):
        raise PermissionDenied(_("You may not open the files of this complaint."))
    attachment = grievance.attachments.filter(pk=attachment_id).first()
    if attachment is None:
        raise NotFound(_("No such file."))
    name = crypto.decrypt_bytes(attachment.filename_encrypted.encode()).decode()
    content = crypto.decrypt_bytes(attachment.content_encrypted)
    with transaction.atomic():
        audit.record(
            actor,
            "remedy.attachment_read",
            target=grievance,
            organisation=grievance.mechanism.organisation,
            details={"attachment": attachment.pk},
        )
    return name, attachment.content_type, content


def escalate(
    actor: Any, grievance_id: int, *, body_type: str, body_name: str, consent: str
) -> Escalation:
    """Record that a case goes to a State-based mechanism, with the complainant's consent."""
    grievance = _secretariat_case(actor, grievance_id)
    errors = {}
    if body_type not in Escalation.Body.values:
        errors["body_type"] = _("Choose the kind of body.")
    if not body_name.strip():
        errors["body_name"] = _("Name the body the case goes to.")
    if not consent.strip():
        errors["consent"] = _("Record how the complainant agreed to the escalation.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        escalation = Escalation.objects.create(
            grievance=grievance,
            body_type=body_type,
            body_name=body_name.strip(),
            consent=consent.strip(),
            actor=actor,
        )
        audit.record(
            actor,
            "remedy.case_escalated",
            target=grievance,
            organisation=grievance.mechanism.organisation,
            details={"body_type": body_type},
        )
    return escalation


def record_outcome(
    actor: Any, grievance_id: int, remedy_types: list[str], description: str = ""
) -> Outcome:
    """Record the remedy a case ended with, by type (the secretariat)."""
    grievance = _secretariat_case(actor, grievance_id)
    unknown = [t for t in remedy_types if t not in states.OUTCOMES]
    if not remedy_types or unknown:
        raise ValidationError({"remedy_types": _("Choose at least one listed type of remedy.")})
    with transaction.atomic():
        outcome, _created = Outcome.objects.update_or_create(
            grievance=grievance,
            defaults={
                "remedy_types": [t for t in states.OUTCOMES if t in remedy_types],
                "description": description.strip(),
            },
        )
        audit.record(
            actor,
            "remedy.outcome_recorded",
            target=grievance,
            organisation=grievance.mechanism.organisation,
            details={"remedy_types": outcome.remedy_types},
        )
    return outcome
