"""Settings are declared once in ungpkit.config, parsed strictly and documented."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from ungpkit import config

DOCS = Path(__file__).resolve().parents[2] / "docs" / "configuration.md"


def test_defaults_run_a_development_site_without_any_variable(tmp_path: Path) -> None:
    loaded = config.load({"UNGPKIT_DATA_DIR": str(tmp_path)})

    assert loaded.debug is True
    assert loaded.data_dir == tmp_path
    assert loaded.database_url == f"sqlite:///{tmp_path}/ungpkit.sqlite3"
    assert loaded.static_root == tmp_path / "static"
    assert loaded.max_upload_bytes == 50 * 1024 * 1024
    assert loaded.task_backend == "immediate"
    assert loaded.language_code == "en"
    assert loaded.time_zone == "UTC"
    assert loaded.secure_cookies is None


def test_values_are_parsed_to_their_types() -> None:
    loaded = config.load(
        {
            "UNGPKIT_DEBUG": "no",
            "UNGPKIT_SECRET_KEY": "k" * 40,
            "UNGPKIT_ENCRYPTION_KEYS": "a2V5LWZvci10ZXN0cy1vbmx5LTMyLWJ5dGVzLWxvbmc=",
            "UNGPKIT_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "UNGPKIT_ALLOWED_HOSTS": "ungp.example.org, www.ungp.example.org ,",
            "UNGPKIT_MAX_UPLOAD_BYTES": "1_000",
            "UNGPKIT_TASK_BACKEND": "database",
            "DATABASE_URL": "postgres://ungp@db:5432/ungpkit",
            "UNGPKIT_SECURE_COOKIES": "off",
        }
    )

    assert loaded.debug is False
    assert loaded.allowed_hosts == ["ungp.example.org", "www.ungp.example.org"]
    assert loaded.max_upload_bytes == 1000
    assert loaded.task_backend == "database"
    assert loaded.database_url == "postgres://ungp@db:5432/ungpkit"
    assert loaded.secure_cookies is False


def test_an_empty_variable_counts_as_unset() -> None:
    assert config.load({"UNGPKIT_LOG_LEVEL": "  "}).log_level == "INFO"


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("UNGPKIT_DEBUG", "maybe", "expected true or false"),
        ("UNGPKIT_MAX_UPLOAD_BYTES", "lots", "expected a whole number"),
        ("UNGPKIT_MAX_UPLOAD_BYTES", "-5", "zero or a positive number"),
        ("UNGPKIT_MAX_UPLOAD_BYTES", "0", "must be more than 0"),
        ("UNGPKIT_TASK_BACKEND", "celery", "expected one of immediate, database"),
        ("UNGPKIT_LANGUAGE_CODE", "de", "expected one of en, fr, es, ko"),
        ("UNGPKIT_LOG_LEVEL", "LOUD", "expected one of DEBUG"),
        ("UNGPKIT_TIME_ZONE", "Mars/Olympus", "unknown time zone"),
        ("UNGPKIT_SECURE_COOKIES", "sometimes", "expected true, false or auto"),
        ("UNGPKIT_CSRF_TRUSTED_ORIGINS", "ungp.example.org", "must start with https://"),
        ("DATABASE_URL", "mysql://db/ungpkit", "expected a URL starting with"),
        ("UNGPKIT_EMAIL_PORT", "smtp", "expected a whole number"),
    ],
)
def test_an_invalid_value_is_a_clear_error_naming_the_variable(
    variable: str, value: str, message: str
) -> None:
    with pytest.raises(config.ConfigError) as raised:
        config.load({variable: value})

    assert len(raised.value.problems) == 1
    assert raised.value.problems[0].startswith(f"{variable}: ")
    assert message in raised.value.problems[0]
    assert variable in str(raised.value)


def test_every_invalid_variable_is_reported_at_once() -> None:
    with pytest.raises(config.ConfigError) as raised:
        config.load({"UNGPKIT_DEBUG": "maybe", "UNGPKIT_HSTS_SECONDS": "forever"})

    names = [problem.split(":")[0] for problem in raised.value.problems]
    assert names == ["UNGPKIT_DEBUG", "UNGPKIT_HSTS_SECONDS"]
    assert "2 settings are invalid" in str(raised.value)


PRODUCTION = {
    "UNGPKIT_DEBUG": "false",
    "UNGPKIT_SECRET_KEY": "s" * 32,
    "UNGPKIT_ENCRYPTION_KEYS": "a2V5LWZvci10ZXN0cy1vbmx5LTMyLWJ5dGVzLWxvbmc=",
    "UNGPKIT_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
}


def test_production_needs_a_long_secret_key() -> None:
    with pytest.raises(config.ConfigError, match="UNGPKIT_SECRET_KEY: required"):
        config.load({"UNGPKIT_DEBUG": "false"})
    with pytest.raises(config.ConfigError, match="UNGPKIT_SECRET_KEY: must be at least 32"):
        config.load({"UNGPKIT_DEBUG": "false", "UNGPKIT_SECRET_KEY": "short"})

    loaded = config.load(PRODUCTION)
    assert config.resolve_secret_key(loaded) == "s" * 32


def test_development_generates_one_private_secret_key_per_data_dir(tmp_path: Path) -> None:
    loaded = config.load({"UNGPKIT_DATA_DIR": str(tmp_path / "data")})

    first = config.resolve_secret_key(loaded)
    second = config.resolve_secret_key(loaded)

    assert first == second
    assert len(first) >= 50
    key_file = tmp_path / "data" / config.SECRET_KEY_FILE
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


def test_django_refuses_to_start_in_production_without_a_secret_key(tmp_path: Path) -> None:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("UNGPKIT_") and key != "DATABASE_URL"
    }
    environment.update(UNGPKIT_DEBUG="false", UNGPKIT_DATA_DIR=str(tmp_path))
    result = subprocess.run(
        [sys.executable, "-c", "import ungpkit.web.settings"],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "UNGPKIT_SECRET_KEY: required when UNGPKIT_DEBUG is false" in result.stderr


def test_repr_hides_secrets() -> None:
    loaded = config.load({"UNGPKIT_SECRET_KEY": "do-not-print-me"})

    assert "do-not-print-me" not in repr(loaded)
    with pytest.raises(AttributeError, match="no setting called 'nonsense'"):
        _ = loaded.nonsense


def test_settings_are_declared_once_with_help() -> None:
    names = [setting.name for setting in config.SETTINGS]

    assert len(names) == len(set(names))
    for setting in config.SETTINGS:
        assert setting.name.startswith("UNGPKIT_") or setting.name == "DATABASE_URL"
        assert setting.type in config.PARSERS
        assert setting.help.endswith((".", ")"))


def test_docs_list_every_setting_as_generated() -> None:
    documented = DOCS.read_text(encoding="utf-8")

    for setting in config.SETTINGS:
        assert f"| `{setting.name}` |" in documented, f"{setting.name} is not documented"
    assert config.settings_table_markdown() in documented, (
        "docs/configuration.md is out of date: paste settings_table_markdown() into it"
    )


def test_production_needs_encryption_keys() -> None:
    with pytest.raises(config.ConfigError, match="UNGPKIT_ENCRYPTION_KEYS: required"):
        config.load({"UNGPKIT_DEBUG": "false", "UNGPKIT_SECRET_KEY": "s" * 32})


@pytest.mark.parametrize("key", ["k", "notakey", "Z2V0LWEtcmVhbC1rZXk=", "é" * 44])
def test_an_encryption_key_that_is_not_a_fernet_key_is_refused(key: str) -> None:
    keys = f"{PRODUCTION['UNGPKIT_ENCRYPTION_KEYS']},{key}"
    with pytest.raises(config.ConfigError, match="key 2 is not a Fernet key"):
        config.load({**PRODUCTION, "UNGPKIT_ENCRYPTION_KEYS": keys})
    with pytest.raises(config.ConfigError, match="key 1 is not a Fernet key"):
        config.load({"UNGPKIT_ENCRYPTION_KEYS": key})  # in development too


def test_production_refuses_to_print_mail_into_the_log() -> None:
    with pytest.raises(config.ConfigError, match="UNGPKIT_EMAIL_BACKEND: the console backend"):
        config.load({**PRODUCTION, "UNGPKIT_EMAIL_BACKEND": ""})  # the default is the console
    dummy = "django.core.mail.backends.dummy.EmailBackend"
    assert config.load({**PRODUCTION, "UNGPKIT_EMAIL_BACKEND": dummy}).email_backend == dummy
    assert "console" in config.load({}).email_backend  # development prints mail, as before
