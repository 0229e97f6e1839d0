"""Case codes and passphrases: what an anonymous complainant keeps to follow a case.

Both are random from an alphabet without look-alike characters; the passphrase carries
80 bits, so a keyed fast hash (HMAC-SHA256 with a per-case salt) is enough to store it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import unicodedata

from django.conf import settings

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
assert len(ALPHABET) == 32  # five random bits per character, none wasted, no bias


def _groups(count: int) -> str:
    """``count`` groups of four characters, from one read of the system's random source
    (drawing each character apart took eight times as long)."""
    letters = "".join(ALPHABET[byte & 31] for byte in secrets.token_bytes(4 * count))
    return "-".join(letters[start : start + 4] for start in range(0, len(letters), 4))


def new_case_code() -> str:
    """A case code such as ``G-7KQM-2WXR-P9TD`` (60 bits; unique, checked by the database)."""
    return "G-" + _groups(3)


def new_passphrase() -> str:
    """A passphrase such as ``H3CF-9QXP-MW2K-TD7R`` (80 bits)."""
    return _groups(4)


def normalise(value: str) -> str:
    """A case code or passphrase as stored (``G-7KQM-2WXR-P9TD``, ``H3CF-9QXP-MW2K-TD7R``),
    however it was typed: any case, full-width characters (an Asian keyboard), any
    separators or none, quotes around it, the case code without its "G"."""
    folded = unicodedata.normalize("NFKC", value)
    letters = "".join(c for c in folded if c.isascii() and c.isalnum()).upper()
    if len(letters) == 12:
        letters = "G" + letters  # the case code without its "G-"
    if len(letters) == 13 and letters.startswith("G"):
        return "G-" + "-".join(letters[start : start + 4] for start in range(1, 13, 4))
    if len(letters) == 16:
        return "-".join(letters[start : start + 4] for start in range(0, 16, 4))
    return letters


def hash_passphrase(passphrase: str) -> str:
    """``salt$digest`` for storage."""
    salt = secrets.token_hex(16)
    return f"{salt}${_digest(salt, normalise(passphrase))}"


def check_passphrase(passphrase: str, stored: str) -> bool:
    """Constant-time check of ``passphrase`` against a stored ``salt$digest``."""
    salt, _, digest = stored.partition("$")
    return hmac.compare_digest(_digest(salt, normalise(passphrase)), digest)


def _digest(salt: str, passphrase: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"{salt}:{passphrase}".encode(), hashlib.sha256).hexdigest()
