"""Background work: computing a mechanism's statistics snapshot (``ungpkit worker`` runs it
from the database queue; the default inline backend runs it at once)."""

from __future__ import annotations

from django_tasks import task

from ungpkit.apps.remedy.models import Mechanism
from ungpkit.apps.transparency import actions


@task()
def publish_statistics_task(mechanism_id: int) -> int:
    """Compute and store a new statistics snapshot of one mechanism; returns its id."""
    mechanism = Mechanism.objects.get(pk=mechanism_id)
    return actions.publish_statistics(None, mechanism).pk
