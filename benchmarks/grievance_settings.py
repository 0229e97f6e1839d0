"""Settings for ``benchmarks/grievance_load.py``: the site's own, with the public intake's rate
limit raised (every request comes from 127.0.0.1) and two benchmark-only URLs mounted."""

from __future__ import annotations

from ungpkit.web.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.grievance_urls"
UNGPKIT_RATE_LIMITS = {"intake": (10**9, 3600), "status": (10**9, 600)}
