"""Telling people a case has news: an email to the complainant (when they chose it) and a
note on the site for the staff of the members the case is routed to (and for the
secretariat's, when a member or the complainant acted).

Everything is sent after the transaction commits, so nobody hears of a change that was
rolled back. The complainant's address is decrypted inside the sending function only, and
the mail never carries the case's content: it says there is news and to use the receipt.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ungpkit.apps.remedy import access, crypto
from ungpkit.apps.remedy.models import Grievance, Notification

logger = logging.getLogger(__name__)


def case_moved(grievance: Grievance, state: str, actor: Any, *, by_complainant: bool) -> None:
    """After commit: the complainant (unless they moved it) and the members' staff hear."""
    grievance_id = grievance.pk

    def send() -> None:
        if not by_complainant:
            email_complainant(grievance_id)
        notify_member_staff(grievance_id, Notification.Kind.MOVED, state=state, actor=actor)

    transaction.on_commit(send)


def message_posted(grievance: Grievance, actor: Any, *, internal: bool) -> None:
    """After commit: the complainant hears of a message to them; the staff of each routed
    member sees it on the site."""
    grievance_id = grievance.pk

    def send() -> None:
        if not internal:
            email_complainant(grievance_id)
        notify_member_staff(grievance_id, Notification.Kind.MESSAGE, actor=actor)

    transaction.on_commit(send)


def email_complainant(grievance_id: int) -> bool:
    """Email the complainant that their case has news, if they gave an address and chose
    contact by email. The body says only to use the receipt; it never quotes the case."""
    grievance = Grievance.objects.filter(pk=grievance_id).first()
    if grievance is None or grievance.contact_preference != "email":
        return False
    if not grievance.identity_encrypted or grievance.erased_at:
        return False
    address = str(crypto.decrypt_json(grievance.identity_encrypted).get("email") or "")
    if not address:
        return False
    with translation.override(grievance.language or "en"):
        subject = _("Your case %(code)s has news") % {"code": grievance.case_code}
        body = _(
            "Your case with %(mechanism)s has news.\n\n"
            "To read it, open the mechanism's website and follow your case with your case "
            "code and passphrase (your receipt).\n\n"
            "We do not put the content of your case in emails, to protect you."
        ) % {"mechanism": grievance.mechanism.name}
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address])
    except Exception:  # the mail server may be down; the case itself is safe
        logger.warning("Could not email the complainant of case %s.", grievance.pk)
        return False
    return True


def member_staff(grievance: Grievance) -> list[Any]:
    """The active users who work for a member the case is routed to."""
    organisations = grievance.parties.values_list("member__organisation_id", flat=True)
    return list(
        get_user_model()
        .objects.filter(
            is_active=True,
            memberships__organisation_id__in=list(organisations),
            memberships__role__in=access.MEMBER_ROLES,
        )
        .distinct()
    )


def secretariat_staff(grievance: Grievance) -> list[Any]:
    """The active users who work for the secretariat of the case's mechanism."""
    return list(
        get_user_model()
        .objects.filter(
            is_active=True,
            memberships__organisation_id=grievance.mechanism.organisation_id,
            memberships__role__in=access.SECRETARIAT_ROLES,
        )
        .distinct()
    )


def notify_member_staff(grievance_id: int, kind: str, *, state: str = "", actor: Any = None) -> int:
    """Leave a note on the site for each routed member's staff (not for the actor), and for
    the secretariat's staff when a member or the complainant acted: the secretariat decides
    the next step, and passes on a member's notes when the complainant fears reprisal."""
    grievance = Grievance.objects.filter(pk=grievance_id).first()
    if grievance is None:
        return 0
    actor_id = getattr(actor, "pk", None)
    staff = {u.pk: u for u in member_staff(grievance)}
    secretariat = secretariat_staff(grievance)
    if actor_id is None or actor_id not in {u.pk for u in secretariat}:
        staff.update((u.pk, u) for u in secretariat)
    recipients = [u for pk, u in staff.items() if pk != actor_id]
    Notification.objects.bulk_create(
        Notification(recipient=u, grievance=grievance, kind=kind, state=state or grievance.state)
        for u in recipients
    )
    return len(recipients)


def flag_overdue(now: Any = None) -> tuple[int, int]:
    """Notify the secretariat and the routed members' staff once about each overdue case
    (once per deadline). Returns (overdue cases, notifications sent)."""
    now = now or timezone.now()
    overdue = Grievance.objects.select_related("mechanism").filter(due_at__lt=now)
    cases = sent = 0
    for grievance in overdue.iterator():
        cases += 1
        already = Notification.objects.filter(
            grievance=grievance, kind=Notification.Kind.OVERDUE, created_at__gte=grievance.due_at
        ).values_list("recipient_id", flat=True)
        seen = set(already)
        recipients = {u.pk: u for u in member_staff(grievance) + secretariat_staff(grievance)}
        fresh = [u for pk, u in recipients.items() if pk not in seen]
        Notification.objects.bulk_create(
            Notification(
                recipient=u,
                grievance=grievance,
                kind=Notification.Kind.OVERDUE,
                state=grievance.state,
                created_at=now,
            )
            for u in fresh
        )
        sent += len(fresh)
    return cases, sent
