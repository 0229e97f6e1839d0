"""Errors the accounts actions and access functions raise."""

from __future__ import annotations

from django.http import Http404


class NotFound(Http404):
    """The record does not exist or the user may not see it; the two are never told apart,
    so a confidential record never reveals that it exists. Views turn it into a 404 page."""


class AuditLogImmutable(Exception):
    """Someone tried to change or delete an audit entry; the log only grows."""
