"""API token secrets: how they are made, hashed and checked. Only the hash is ever stored."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Any

from django.utils import timezone

from ungpkit.apps.accounts.models import ApiToken

TOKEN_PREFIX = "ungp_"


def new_token() -> str:
    """A fresh token: a recognisable prefix and 256 random bits."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def hash_token(plaintext: str) -> str:
    """The SHA-256 hex digest stored in place of the token."""
    return hashlib.sha256(plaintext.encode("utf-8")).hexdigest()


def authenticate(plaintext: str) -> Any | None:
    """The active user a valid, unrevoked token belongs to, or None; records its use."""
    if not plaintext.startswith(TOKEN_PREFIX):
        return None
    digest = hash_token(plaintext)
    token = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=digest, revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None or not hmac.compare_digest(token.token_hash, digest):
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user
