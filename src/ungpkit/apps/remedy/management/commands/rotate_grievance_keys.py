"""``ungpkit manage rotate_grievance_keys``: re-encrypt grievance data with the first key."""

from __future__ import annotations

from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from ungpkit.apps.accounts import audit
from ungpkit.apps.remedy import crypto
from ungpkit.apps.remedy.models import Attachment, Grievance


def _current(token: bytes, first: Fernet) -> bool:
    try:
        first.decrypt(token)
    except InvalidToken:
        return False
    return True


def _rotated(token: bytes, first: Fernet) -> bytes | None:
    """The token re-encrypted with the first key, or None when it already uses it."""
    if not token or _current(token, first):
        return None
    try:
        return crypto.rotate(token)
    except InvalidToken as exc:
        raise crypto.DecryptionError("No configured key can decrypt this record.") from exc


def rotate_all() -> dict[str, tuple[int, int]]:
    """Re-encrypt identities, receipts and attachments; (rotated, already current) each."""
    first = Fernet(settings.UNGPKIT_ENCRYPTION_KEYS[0].encode())
    counts = {"identities": [0, 0], "receipts": [0, 0], "attachments": [0, 0]}
    for grievance in Grievance.objects.only("identity_encrypted", "receipt_encrypted").iterator():
        changed = []
        for field, key in (("identity_encrypted", "identities"), ("receipt_encrypted", "receipts")):
            value = getattr(grievance, field)
            if not value:
                continue
            new = _rotated(value.encode(), first)
            if new is None:
                counts[key][1] += 1
            else:
                setattr(grievance, field, new.decode())
                changed.append(field)
                counts[key][0] += 1
        if changed:
            grievance.save(update_fields=changed)
    for attachment in Attachment.objects.all().iterator():
        content = _rotated(bytes(attachment.content_encrypted), first)
        filename = _rotated(attachment.filename_encrypted.encode(), first)
        if content is None and filename is None:
            counts["attachments"][1] += 1
            continue
        if content is not None:
            attachment.content_encrypted = content
        if filename is not None:
            attachment.filename_encrypted = filename.decode()
        attachment.save(update_fields=["content_encrypted", "filename_encrypted"])
        counts["attachments"][0] += 1
    return {k: (v[0], v[1]) for k, v in counts.items()}


class Command(BaseCommand):
    help = (
        "Re-encrypt complainants' identities, stored receipts and attachments with the first "
        "key of UNGPKIT_ENCRYPTION_KEYS. Put the new key first, keep the old ones after it, "
        "run this, then remove the old keys. Safe to run again: data already under the first "
        "key is left as it is."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            with transaction.atomic():
                counts = rotate_all()
                audit.record(
                    None,
                    "remedy.keys_rotated",
                    details={k: v[0] for k, v in counts.items()},
                )
        except crypto.DecryptionError as exc:
            raise CommandError(
                "Some data cannot be decrypted with any configured key; nothing was changed. "
                "Add the old key back to UNGPKIT_ENCRYPTION_KEYS and run this again."
            ) from exc
        for name, (rotated, current) in counts.items():
            self.stdout.write(f"{name}: {rotated} re-encrypted, {current} already current")
