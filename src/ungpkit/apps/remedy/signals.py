"""Signals other apps listen to (the remedy app depends on none of them)."""

from __future__ import annotations

from django.dispatch import Signal

grievances_stored_in_bulk = Signal()
"""Sent after a batch of grievances is stored with ``bulk_create`` (which sends no
``post_save``), inside the batch's transaction, with ``grievances``: the list stored."""
