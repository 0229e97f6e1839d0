"""Keep triage records in step with grievances: a record is made with each grievance, stored
with it (in the same statement for the intake, ``remedy.signals.grievance_received``; in the
same transaction for grievances saved otherwise), and ``open`` follows its state.

Triage must never stop a complaint from being received: if it fails, the grievance is stored
without a record and ``ungpkit manage triage_grievances`` triages it later.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction

from ungpkit.apps.remedy.models import Grievance
from ungpkit.apps.triage import records
from ungpkit.apps.triage.models import AwaitingTriage

logger = logging.getLogger(__name__)

WATCHED_FIELDS = frozenset({"state"})


def grievance_saved(
    sender: type[Grievance],
    instance: Grievance,
    created: bool,
    raw: bool = False,
    update_fields: frozenset[str] | None = None,
    **kwargs: Any,
) -> None:
    """On creation, triage the grievance; on a change of state, update ``open``."""
    if raw:
        return
    if created:
        try:
            with transaction.atomic():
                records.triage_new(instance)
        except Exception:  # the complaint is stored all the same
            logger.exception("Triage failed for grievance %s; it stays pending.", instance.pk)
    elif update_fields is None or WATCHED_FIELDS & set(update_fields):
        records.sync_open(instance)


def grievance_received(sender: type[Grievance], grievance: Grievance, **kwargs: Any) -> list[Any]:
    """What to store with a grievance being received: its triage record, or, when workers
    triage in the background (``records.in_background``), its place on their to-do list.
    The suggestion is computed before anything is written, so a failure here (logged by the
    intake, which stores the grievance without it) never rolls anything back."""
    if records.in_background():
        return [AwaitingTriage(grievance_id=grievance.pk)]
    return [records.record_for_new(grievance)]


def grievances_stored_in_bulk(
    sender: type[Grievance], grievances: list[Grievance], **kwargs: Any
) -> None:
    """Triage a bulk import's batch with it; if that fails, ``triage_grievances`` catches up."""
    try:
        with transaction.atomic():
            records.triage_batch(grievances)
    except Exception:  # the complaints are stored all the same
        logger.exception(
            "Triage failed for a batch of %d grievances; they stay pending.", len(grievances)
        )
