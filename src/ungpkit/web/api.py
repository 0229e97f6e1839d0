"""The JSON API (django-ninja), mounted at /api/ with its schema at /api/openapi.json.

Each app contributes a router (``ungpkit.apps.<app>.api``); handlers stay thin and call the
app's actions and access functions."""

from __future__ import annotations

from ninja import NinjaAPI

from ungpkit import __version__

api = NinjaAPI(
    title="ungpkit API",
    version=__version__,
    description="The UN Guiding Principles on Business and Human Rights, applied to technology: "
    "upload laws, run the UNGP check, review findings, compare drafts.",
    urls_namespace="api",
)
