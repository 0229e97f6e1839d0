"""Files a complainant sends with a grievance: limited in size and number, sniffed for
their real type (the name and the browser's claim are not trusted) and encrypted at rest."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ungpkit.apps.accounts import audit
from ungpkit.apps.remedy import crypto
from ungpkit.apps.remedy.models import Attachment, Grievance

MAX_BYTES = 5 * 1024 * 1024
"""At most 5 MB per file."""

MAX_FILES = 3
"""At most three files per grievance."""

SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)


def sniff(data: bytes) -> str | None:
    """The type the content really has (PDF, JPEG, PNG or plain text), or ``None``."""
    for signature, content_type in SIGNATURES:
        if data.startswith(signature):
            return content_type
    for bom, encoding in ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if data.startswith(bom):  # text saved by Windows Notepad as "Unicode"
            try:
                text = data[2:].decode(encoding)
            except UnicodeDecodeError:
                return None
            return "text/plain; charset=utf-16" if "\x00" not in text else None
    if b"\x00" in data:
        return None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return "text/plain"


def check(data: bytes) -> str:
    """The content type of an acceptable file; ``ValidationError`` otherwise."""
    if not data:
        raise ValidationError(_("This file is empty."))
    if len(data) > MAX_BYTES:
        raise ValidationError(_("Each file may be at most 5 MB."))
    content_type = sniff(data)
    if content_type is None:
        raise ValidationError(_("Send a PDF, a JPEG or PNG picture, or a plain text file."))
    return content_type


def add_attachment(grievance: Grievance, filename: str, data: bytes) -> Attachment:
    """Store one file of ``grievance``, encrypted, after checking its size and real type."""
    content_type = check(data)
    with transaction.atomic():
        if Attachment.objects.filter(grievance=grievance).count() >= MAX_FILES:
            raise ValidationError(_("You can send at most 3 files."))
        attachment = Attachment.objects.create(
            grievance=grievance,
            filename_encrypted=crypto.encrypt_bytes(filename[:200].encode()).decode(),
            content_type=content_type,
            size=len(data),
            content_encrypted=crypto.encrypt_bytes(data),
        )
        audit.record(
            None,
            "remedy.attachment_added",
            target=grievance,
            organisation=grievance.mechanism.organisation,
            details={"content_type": content_type, "size": len(data)},
        )
    return attachment
