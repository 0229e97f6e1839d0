"""The Django settings built from the configuration, and the management entry point."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.utils.module_loading import import_string

from ungpkit import config
from ungpkit.web import management, settings_parts
from ungpkit.web.log_filters import DropRequest


def load(**variables: str) -> config.Config:
    return config.load(variables)


@pytest.mark.parametrize(
    ("choice", "backend"),
    [
        ("immediate", "django_tasks.backends.immediate.ImmediateBackend"),
        ("database", "django_tasks_db.DatabaseBackend"),
    ],
)
def test_task_backend_follows_the_setting(choice: str, backend: str) -> None:
    tasks = settings_parts.task_settings(load(UNGPKIT_TASK_BACKEND=choice))

    assert tasks == {"default": {"BACKEND": backend}}
    assert import_string(backend).__name__.endswith("Backend")


def test_the_cache_is_each_processs_memory_unless_redis_is_given() -> None:
    assert settings_parts.cache_settings(load()) == {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    }
    shared = settings_parts.cache_settings(load(UNGPKIT_CACHE_URL="redis://cache.internal:6379/2"))
    assert shared["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert shared["default"]["LOCATION"] == "redis://cache.internal:6379/2"
    assert import_string(shared["default"]["BACKEND"]).__name__ == "RedisCache"


def test_a_cache_url_that_is_not_redis_is_refused() -> None:
    with pytest.raises(config.ConfigError) as refused:
        load(UNGPKIT_CACHE_URL="memcached://cache.internal:11211")
    assert "UNGPKIT_CACHE_URL" in str(refused.value)
    assert "redis://" in str(refused.value)


def test_sqlite_is_the_default_database(tmp_path: Path) -> None:
    databases = settings_parts.database_settings(load(UNGPKIT_DATA_DIR=str(tmp_path / "d")))

    default = databases["default"]
    assert default["ENGINE"] == "django.db.backends.sqlite3"
    assert default["NAME"] == str(tmp_path / "d" / "ungpkit.sqlite3")
    assert default["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert (tmp_path / "d").is_dir()


def test_database_url_selects_postgresql() -> None:
    databases = settings_parts.database_settings(
        load(DATABASE_URL="postgres://ungp:pw@db.internal:5433/ungpkit")
    )

    default = databases["default"]
    assert default["ENGINE"] == "django.db.backends.postgresql"
    assert (default["HOST"], default["PORT"], default["NAME"]) == ("db.internal", 5433, "ungpkit")
    assert default["CONN_HEALTH_CHECKS"] is True


def test_cookies_are_secure_outside_debug_unless_told_otherwise() -> None:
    production = {
        "UNGPKIT_DEBUG": "false",
        "UNGPKIT_SECRET_KEY": "x" * 40,
        "UNGPKIT_ENCRYPTION_KEYS": "a2V5LWZvci10ZXN0cy1vbmx5LTMyLWJ5dGVzLWxvbmc=",
        "UNGPKIT_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    }

    assert settings_parts.secure_cookies(load(**production)) is True
    assert settings_parts.secure_cookies(load()) is False
    assert settings_parts.secure_cookies(load(**production, UNGPKIT_SECURE_COOKIES="no")) is False
    assert settings_parts.secure_cookies(load(UNGPKIT_SECURE_COOKIES="yes")) is True


def test_every_log_handler_drops_the_request() -> None:
    for handler in settings.LOGGING["handlers"].values():
        assert "drop_request" in handler["filters"]
    assert "mail_admins" not in settings.LOGGING["handlers"]

    record = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "boom", (), None)
    record.request = object()
    assert DropRequest().filter(record) is True
    assert record.request is None


def test_languages_and_tasks_are_configured() -> None:
    assert [code for code, _ in settings.LANGUAGES] == ["en", "fr", "es", "ko"]
    assert "django.middleware.locale.LocaleMiddleware" in settings.MIDDLEWARE
    assert settings.TASKS["default"]["BACKEND"].endswith("ImmediateBackend")


def test_pages_send_security_headers(client: Client) -> None:
    response = client.get("/en/")

    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_management_run_executes_a_django_command(capsys: pytest.CaptureFixture[str]) -> None:
    management.run(["ungpkit manage", "check"])

    assert "System check identified no issues" in capsys.readouterr().out


@pytest.mark.django_db
def test_migrations_are_committed() -> None:
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_sql_with_its_parameters_never_reaches_the_log_even_at_debug() -> None:
    logging_config = settings_parts.logging_settings(load(UNGPKIT_LOG_LEVEL="DEBUG"))
    assert logging_config["root"]["level"] == "DEBUG"
    assert logging_config["loggers"]["django.db.backends"]["level"] == "WARNING"
    assert logging_config["loggers"]["django.db.backends"]["propagate"] is False


@pytest.mark.django_db
def test_a_body_too_large_to_read_gets_a_clear_answer(settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    settings.DEBUG = False  # the page people see, not the developer's
    client = Client(raise_request_exception=False)
    body = '{"description": "' + "x" * 5000 + '"}'
    api = client.post("/api/grievances", body, content_type="application/json")
    assert api.status_code == 413 and api.json()["code"] == "too_large"
    assert "MiB" in api.json()["detail"] and "Traceback" not in api.content.decode()
    page = client.post("/en/accounts/sign-in/", {"username": "x" * 5000})
    assert page.status_code == 400
    assert "The request could not be read" in page.content.decode()


@pytest.mark.django_db
def test_a_stale_form_is_explained_and_a_lost_session_returns_to_the_form() -> None:
    strict = Client(enforce_csrf_checks=True)
    refused = strict.post("/en/accounts/sign-in/", {"username": "x", "password": "y"})
    assert refused.status_code == 403
    assert "This form has expired" in refused.content.decode()

    # A staff form sent after the session ended: back to the page it was on, not to a
    # POST-only address (which would answer 405 after signing in).
    client = Client()
    sent = client.post(
        "/en/remedy/cases/7/messages/",
        {"body": "Hello"},
        HTTP_REFERER="http://testserver/en/remedy/cases/7/",
    )
    assert sent.status_code == 302
    assert sent["Location"] == "/en/accounts/sign-in/?next=/en/remedy/cases/7/"
    elsewhere = client.post(
        "/en/remedy/cases/7/messages/", {"body": "x"}, HTTP_REFERER="https://evil.example/x"
    )
    assert elsewhere["Location"] == "/en/accounts/sign-in/?next=/en/"
