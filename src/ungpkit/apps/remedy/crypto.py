"""Encryption at rest for complainants' identity, contact details and attachments.

Keys come from settings (``UNGPKIT_ENCRYPTION_KEYS``): the first key encrypts, every key
decrypts, so a new key can be added and old data re-encrypted (``rotate_grievance_keys``).
Plaintext never leaves these functions except to the caller that asked for it.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.utils.translation import gettext_lazy


class DecryptionError(Exception):
    """Stored data cannot be decrypted with any configured key."""

    advice = gettext_lazy(
        "This record was encrypted with a key this server no longer has. Nothing was changed. "
        "The administrators must put the key it was encrypted with back in "
        "UNGPKIT_ENCRYPTION_KEYS (after the current one) and restart."
    )


@lru_cache(maxsize=4)
def _cipher(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in keys])


def cipher() -> MultiFernet:
    """The configured keys as one cipher (first key encrypts)."""
    return _cipher(tuple(settings.UNGPKIT_ENCRYPTION_KEYS))


def encrypt_bytes(data: bytes) -> bytes:
    """Encrypt ``data`` with the current key."""
    return cipher().encrypt(data)


def decrypt_bytes(token: bytes) -> bytes:
    """Decrypt ``token`` with whichever configured key made it."""
    try:
        return cipher().decrypt(bytes(token))
    except InvalidToken as exc:
        raise DecryptionError("No configured key can decrypt this record.") from exc


def encrypt_json(value: dict[str, Any]) -> str:
    """Encrypt a small mapping (identity, contact) to text for a database column."""
    return encrypt_bytes(json.dumps(value, ensure_ascii=False).encode()).decode()


def decrypt_json(token: str) -> dict[str, Any]:
    """Decrypt what :func:`encrypt_json` produced ({} for an empty column)."""
    if not token:
        return {}
    data = json.loads(decrypt_bytes(token.encode()))
    return data if isinstance(data, dict) else {}


def rotate(token: bytes) -> bytes:
    """Re-encrypt ``token`` with the current key."""
    return cipher().rotate(bytes(token))
