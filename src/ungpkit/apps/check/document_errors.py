"""Why a document could not be read, said to a person in the interface language.

The core's messages (``ungpkit.documents.errors``) are written for the command line: English,
with its options (``--max-bytes``). On the site each kind of failure gets its own translated
message that says what to do there.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from ungpkit.documents import errors
from ungpkit.documents.limits import ReadLimits, human_size

UNSUPPORTED_LANGUAGE = gettext_noop(
    "The language of this law could not be recognised, or it is not one the check reads "
    "(English, French, Spanish, Korean). Run the check again and choose the language of the "
    "text, or upload a translation."
)
"""Stored as the failed check's reason, and translated when it is shown."""


_MESSAGES = (
    (
        errors.EncryptedDocument,
        gettext_lazy(
            "“%(name)s” is protected by a password, so its text cannot be read. Open it with "
            "the password, save or print it as a PDF without protection, and upload that copy."
        ),
    ),
    (
        errors.ScannedDocument,
        gettext_lazy(
            "“%(name)s” has pages but no text to read: it is a scan or pictures of text. Run "
            "it through text recognition (OCR) and upload the result, or upload the law as a "
            "Word file, a web page or text."
        ),
    ),
    (
        errors.EmptyDocument,
        gettext_lazy("“%(name)s” holds no text to check."),
    ),
    (
        errors.MismatchedType,
        gettext_lazy(
            "The content of “%(name)s” is not the kind of file its name says. Save it again "
            "in the format its name says, or give it the extension of what it really is."
        ),
    ),
    (
        errors.UnsupportedFormat,
        gettext_lazy(
            "“%(name)s” is not in a format the check reads. Upload a PDF with a text layer, a "
            "Word file (.docx), a web page (.html), Markdown (.md) or plain text (.txt)."
        ),
    ),
    (
        errors.TooLarge,
        gettext_lazy(
            "“%(name)s” is larger than this site accepts (at most %(size)s and %(pages)s "
            "pages). Split the law into parts and check each."
        ),
    ),
    (
        errors.ZipBomb,
        gettext_lazy(
            "“%(name)s” would grow to an unsafe size when opened (a damaged or deliberately "
            "inflated Word file). Save it again from Word and upload the new copy."
        ),
    ),
    (
        errors.CorruptDocument,
        gettext_lazy(
            "“%(name)s” is damaged or incomplete. Download or export it again, then upload "
            "the new copy."
        ),
    ),
)
"""The message for each kind of failure, in the reader's language."""


def document_error(exc: errors.DocumentError, filename: str, limits: ReadLimits) -> str:
    """The message for a person whose file ``filename`` could not be read."""
    values = {
        "name": filename or _("The file"),
        "size": human_size(limits.max_bytes),
        "pages": limits.max_pages,
    }
    for kind, message in _MESSAGES:
        if isinstance(exc, kind):
            return str(message) % values
    return _("“%(name)s” could not be read. Upload it again.") % values
