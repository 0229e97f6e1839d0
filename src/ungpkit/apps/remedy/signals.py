"""Signals other apps listen to (the remedy app depends on none of them)."""

from __future__ import annotations

from django.dispatch import Signal

grievances_stored_in_bulk = Signal()
"""Sent after a batch of grievances is stored with ``bulk_create`` (which sends no
``post_save``), inside the batch's transaction, with ``grievances``: the list stored."""

grievance_received = Signal()
"""Sent while a new grievance is being stored, once its id is known and before it reaches
the database, with ``grievance``. A receiver may return a list of unsaved rows to store
with it (in the same statement on PostgreSQL, the same transaction elsewhere). A receiver
that raises is logged and its rows are left out: the complaint is stored all the same."""
