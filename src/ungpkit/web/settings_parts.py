"""Builders that turn a ``Config`` into Django settings; ``settings.py`` calls them.

They are plain functions so tests can check each choice without reloading Django.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dj_database_url

from ungpkit.config import Config

IMMEDIATE_TASK_BACKEND = "django_tasks.backends.immediate.ImmediateBackend"
DATABASE_TASK_BACKEND = "django_tasks_db.DatabaseBackend"

SQLITE_OPTIONS = {
    # Writers take the lock when their transaction starts, so two writers wait rather than
    # fail half-way; WAL lets readers go on while one process writes.
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}


def database_settings(config: Config) -> dict[str, Any]:
    """The ``DATABASES`` setting: SQLite by default, PostgreSQL when ``DATABASE_URL`` says so."""
    url = str(config.database_url)
    if url.startswith("sqlite:"):
        database: dict[str, Any] = dict(dj_database_url.parse(url))
        database["OPTIONS"] = dict(SQLITE_OPTIONS)
        if database["NAME"] != ":memory:":
            # SQLite creates the file but not its folder.
            Path(database["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    else:
        database = dict(dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True))
    return {"default": database}


def cache_settings(config: Config) -> dict[str, Any]:
    """The ``CACHES`` setting: each process's memory by default, Redis when
    ``UNGPKIT_CACHE_URL`` names one (shared by every web process, so the public rate limits
    count each address once however many processes serve it)."""
    url = str(config.cache_url or "")
    if not url:
        return {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "ungpkit",
        }
    }


def task_settings(config: Config) -> dict[str, Any]:
    """The ``TASKS`` setting for django-tasks: inline by default, or queued in the database."""
    backend = {
        "immediate": IMMEDIATE_TASK_BACKEND,
        "database": DATABASE_TASK_BACKEND,
    }[config.task_backend]
    return {"default": {"BACKEND": backend}}


def logging_settings(config: Config) -> dict[str, Any]:
    """Log to standard error; every handler drops the request so no body or header leaks."""
    handler = {
        "class": "logging.StreamHandler",
        "formatter": "plain",
        "filters": ["drop_request"],
    }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"drop_request": {"()": "ungpkit.web.log_filters.DropRequest"}},
        "formatters": {
            "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
        },
        "handlers": {"console": handler},
        "root": {"handlers": ["console"], "level": config.log_level},
        "loggers": {
            "django": {"handlers": ["console"], "level": config.log_level, "propagate": False},
            "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
            # At DEBUG, Django logs every SQL statement with its parameters: complaints,
            # consent records and messages would be quoted in the log.
            "django.db.backends": {
                "handlers": ["console"],
                "level": "WARNING",
                "propagate": False,
            },
            "weasyprint": {"handlers": ["console"], "level": "WARNING", "propagate": False},
            "fontTools": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        },
    }


def secure_cookies(config: Config) -> bool:
    """Whether cookies go over HTTPS only: the explicit choice, else on outside debug mode."""
    if config.secure_cookies is None:
        return not config.debug
    return bool(config.secure_cookies)
