"""A small per-IP rate limiter for public intake, backed by Django's cache.

The address is hashed with the site's secret key before it becomes a cache key, so it is
never stored or logged in clear. Limits are ``(count, seconds)`` per scope and can be set in
``settings.UNGPKIT_RATE_LIMITS`` (for example ``{"intake": (10, 3600)}``).
"""

from __future__ import annotations

import hashlib
import hmac
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

DEFAULT_LIMITS: dict[str, tuple[int, int]] = {
    "intake": (10, 3600),
    "status": (30, 600),
}
"""Requests allowed per client address: submissions per hour, status look-ups per 10 min."""


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
    address = client_address(request)
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, address.encode(), hashlib.sha256).hexdigest()[:32]


def hit(request: HttpRequest, scope: str) -> bool:
    """Count one attempt in ``scope``; ``False`` when the client is over the limit."""
    count, seconds = limit_for(scope)
    window = int(time.time() // seconds)
    key = f"ungpkit:ratelimit:{scope}:{window}:{client_hash(request)}"
    try:
        used = cache.incr(key)  # one cache operation for every attempt after the first
    except ValueError:  # the first attempt in this window (or the entry expired)
        if cache.add(key, 1, timeout=seconds):
            return count >= 1
        used = cache.incr(key)  # another request added it meanwhile
    return used <= count
