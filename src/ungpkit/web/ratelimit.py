"""A small rate limiter (per client address, or per account) backed by Django's cache: public
intake, status look-ups, and failed sign-ins.

The address is hashed with the site's secret key before it becomes a cache key, so it is
never stored or logged in clear. Limits are ``(count, seconds)`` per scope and can be set in
``settings.UNGPKIT_RATE_LIMITS`` (for example ``{"intake": (10, 3600)}``).
"""

from __future__ import annotations

import hashlib
import hmac
import time
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

DEFAULT_LIMITS: dict[str, tuple[int, int]] = {
    "intake": (10, 3600),
    "status": (30, 600),
    "sign_in": (30, 900),
    "sign_in_account": (10, 900),
    "reply": (30, 600),
}
"""Attempts allowed: per client address, submissions per hour, status look-ups per 10 min
failed sign-ins per 15 min and complainants' messages per 10 min; per account, failed
sign-ins per 15 min."""


def limit_for(scope: str) -> tuple[int, int]:
    """The ``(count, seconds)`` limit of ``scope``, from settings or the default."""
    configured = getattr(settings, "UNGPKIT_RATE_LIMITS", {}) or {}
    count, seconds = configured.get(scope, DEFAULT_LIMITS[scope])
    return int(count), int(seconds)


def client_address(request: HttpRequest) -> str:
    """The client's address: behind the reverse proxy (``UNGPKIT_BEHIND_PROXY``), the last
    address of X-Forwarded-For, which the proxy appended itself (earlier ones are whatever
    the client sent, so they are never trusted); otherwise the connection's address."""
    if getattr(settings, "UNGPKIT_BEHIND_PROXY", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-1]
    return str(request.META.get("REMOTE_ADDR", "") or "unknown")


def client_hash(request: HttpRequest) -> str:
    """A keyed hash of the client's address (never the address itself)."""
    return keyed(client_address(request))


def keyed(value: str) -> str:
    """A keyed hash of ``value`` (an address, a user name): never stored in clear."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()[:32]


def _cache_key(scope: str, who: str) -> tuple[str, int, int]:
    count, seconds = limit_for(scope)
    window = int(time.time() // seconds)
    return f"ungpkit:ratelimit:{scope}:{window}:{who}", count, seconds


def blocked(scope: str, who: str) -> bool:
    """Whether ``who`` (a keyed hash) has used up ``scope`` in this window, without counting."""
    key, count, _seconds = _cache_key(scope, who)
    return int(cache.get(key, 0)) >= count


def record(scope: str, who: str) -> None:
    """Count one attempt of ``who`` (a keyed hash) in ``scope``."""
    key, _count, seconds = _cache_key(scope, who)
    try:
        cache.incr(key)
    except ValueError:
        if not cache.add(key, 1, timeout=seconds):
            cache.incr(key)


def hit(request: HttpRequest, scope: str) -> bool:
    """Count one attempt in ``scope``; ``False`` when the client is over the limit."""
    key, count, seconds = _cache_key(scope, client_hash(request))
    try:
        used = cache.incr(key)  # one cache operation for every attempt after the first
    except ValueError:  # the first attempt in this window (or the entry expired)
        if cache.add(key, 1, timeout=seconds):
            return count >= 1
        used = cache.incr(key)  # another request added it meanwhile
    return used <= count


def guarded(request: HttpRequest, scope: str, attempt: Any, refused: type[Exception]) -> Any:
    """Run ``attempt()`` unless the client has failed too often in ``scope``; count only a
    failure (``refused`` raised), so a person inside their own case is never locked out by
    the use they make of it. Returns ``None`` (without trying) when the client is over."""
    who = client_hash(request)
    if blocked(scope, who):
        return None
    try:
        return attempt()
    except refused:
        record(scope, who)
        raise
