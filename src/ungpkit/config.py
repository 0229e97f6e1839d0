"""Every setting of ungpkit, declared once, read from the environment.

Each ``Setting`` names its environment variable, its default, a help text and a type. The web
settings module, the documentation table (``docs/configuration.md``) and the tests all read
``SETTINGS``; nothing else reads the environment. This module imports nothing from Django so
the CLI and the pure core can use it too.

Defaults may refer to settings declared earlier with ``{VARIABLE}`` (for example the database
lives in ``{UNGPKIT_DATA_DIR}``). An empty variable counts as unset.
"""

from __future__ import annotations

import os
import secrets
import zoneinfo
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ungpkit.documents.limits import ReadLimits

ENV_PREFIX = "UNGPKIT_"
LANGUAGES = ("en", "fr", "es", "ko")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
DATABASE_SCHEMES = ("sqlite", "postgres", "postgresql", "pgsql")
MIN_PRODUCTION_SECRET_LENGTH = 32
SECRET_KEY_FILE = "secret_key"
ENCRYPTION_KEY_FILE = "encryption_key"
CONSOLE_EMAIL = "django.core.mail.backends.console.EmailBackend"


class ConfigError(ValueError):
    """One or more environment variables are invalid; the message names each of them."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        lines = "\n".join(f"  - {problem}" for problem in problems)
        noun = "setting is" if len(problems) == 1 else "settings are"
        super().__init__(f"ungpkit cannot start: {len(problems)} {noun} invalid:\n{lines}")


@dataclass(frozen=True)
class Setting:
    """One configuration value: its environment variable, default, help text and type.

    ``type`` is one of ``str``, ``bool``, ``auto_bool`` (true, false or auto), ``int``,
    ``list`` (comma-separated), ``path``, ``url``, ``cache_url`` (empty or a Redis URL) and
    ``choice`` (one of ``choices``).
    """

    name: str
    default: str
    help: str
    type: str = "str"
    secret: bool = False
    choices: tuple[str, ...] = ()

    @property
    def attribute(self) -> str:
        """The name on ``Config``: the variable without its prefix, in lower case."""
        return self.name.removeprefix(ENV_PREFIX).lower()


SETTINGS: list[Setting] = [
    Setting(
        "UNGPKIT_DEBUG",
        "true",
        "Development mode: detailed error pages and a generated secret key. "
        "Set to false in production.",
        "bool",
    ),
    Setting(
        "UNGPKIT_SECRET_KEY",
        "",
        "Key that signs sessions and tokens. Required when UNGPKIT_DEBUG is false "
        f"(at least {MIN_PRODUCTION_SECRET_LENGTH} characters). In development a key is "
        f"generated once and kept in {{UNGPKIT_DATA_DIR}}/{SECRET_KEY_FILE}.",
        "str",
        secret=True,
    ),
    Setting(
        "UNGPKIT_ENCRYPTION_KEYS",
        "",
        "Comma-separated Fernet keys that encrypt complainants' identity, contact details and "
        "attachments at rest; the first encrypts, all decrypt (add a new key first, then run "
        "`ungpkit manage rotate_grievance_keys`). Required when UNGPKIT_DEBUG is false. "
        "Generate one with: python -c 'from cryptography.fernet import Fernet; "
        "print(Fernet.generate_key().decode())'. In development a key is generated once and "
        f"kept in {{UNGPKIT_DATA_DIR}}/{ENCRYPTION_KEY_FILE}.",
        "list",
        secret=True,
    ),
    Setting(
        "UNGPKIT_INTAKE_PER_HOUR",
        "10",
        "Grievances one client address may submit per hour through the public form and API "
        "(addresses are kept only as keyed hashes).",
        "int",
    ),
    Setting(
        "UNGPKIT_STATUS_PER_10_MINUTES",
        "30",
        "Wrong case codes or passphrases one client address may try per 10 minutes (a person "
        "in their own case is never counted).",
        "int",
    ),
    Setting(
        "UNGPKIT_INTAKE_MIN_SECONDS",
        "3",
        "A complaint form sent back faster than this is treated as a bot.",
        "int",
    ),
    Setting(
        "UNGPKIT_STATISTICS_MIN_COUNT",
        "5",
        "Public grievance statistics show no count smaller than this (and no figure that would "
        "let one be worked out), so that no complainant can be identified.",
        "int",
    ),
    Setting(
        "UNGPKIT_ALLOWED_HOSTS",
        "localhost,127.0.0.1,[::1]",
        "Comma-separated host names this site answers to.",
        "list",
    ),
    Setting(
        "UNGPKIT_CSRF_TRUSTED_ORIGINS",
        "",
        "Comma-separated origins (scheme and host, such as https://ungp.example.org) trusted "
        "for form posts when behind a proxy on another host or port.",
        "list",
    ),
    Setting(
        "UNGPKIT_DATA_DIR",
        "./var",
        "Folder for the SQLite database and the development secret key.",
        "path",
    ),
    Setting(
        "DATABASE_URL",
        "sqlite:///{UNGPKIT_DATA_DIR}/ungpkit.sqlite3",
        "Database to use: a sqlite:/// path or a postgres://user:password@host:port/name URL.",
        "url",
        secret=True,
    ),
    Setting(
        "UNGPKIT_STATIC_ROOT",
        "{UNGPKIT_DATA_DIR}/static",
        "Folder where collectstatic gathers CSS and images for the web server to serve.",
        "path",
    ),
    Setting(
        "UNGPKIT_MEDIA_ROOT",
        "{UNGPKIT_DATA_DIR}/media",
        "Folder for media files; uploaded laws are stored in the database, not here.",
        "path",
    ),
    Setting(
        "UNGPKIT_MAX_UPLOAD_BYTES",
        str(50 * 1024 * 1024),
        "Largest file a person may upload, in bytes (default 50 MiB).",
        "int",
    ),
    Setting(
        "UNGPKIT_MAX_PAGES",
        "3000",
        "Most pages a PDF may have (also `ungpkit check --max-pages`).",
        "int",
    ),
    Setting(
        "UNGPKIT_MAX_UNCOMPRESSED_BYTES",
        str(200 * 1024 * 1024),
        "Most a Word file (a ZIP) may expand to when unpacked, in bytes (default 200 MiB).",
        "int",
    ),
    Setting(
        "UNGPKIT_MAX_COMPRESSION_RATIO",
        "100",
        "Highest compression ratio of a part of a Word file (zip bombs go far above).",
        "int",
    ),
    Setting(
        "UNGPKIT_MAX_ZIP_ENTRIES",
        "10000",
        "Most files a Word file's ZIP container may hold.",
        "int",
    ),
    Setting(
        "UNGPKIT_CACHE_URL",
        "",
        "Where the counters of the public rate limits live. Empty: in each process's memory, "
        "which is right for one process (the demo) but lets each of several web processes "
        "count apart, multiplying the limits. With several processes give a Redis server, "
        "redis://HOST:6379/0 (rediss:// for TLS), and install ungpkit[production].",
        "cache_url",
        secret=True,
    ),
    Setting(
        "UNGPKIT_TASK_BACKEND",
        "immediate",
        "Where background work runs: immediate (inside the web request, for one machine) or "
        "database (queued in the database and run by `ungpkit worker` processes, which also "
        "triage new grievances in batches).",
        "choice",
        choices=("immediate", "database"),
    ),
    Setting(
        "UNGPKIT_EMAIL_BACKEND",
        CONSOLE_EMAIL,
        "Django e-mail backend; use django.core.mail.backends.smtp.EmailBackend to send mail. "
        "The console backend (development) prints mail into the log, so it is refused when "
        "UNGPKIT_DEBUG is false.",
    ),
    Setting(
        "UNGPKIT_EMAIL_HOST",
        "localhost",
        "SMTP server host name (SMTP backend only).",
    ),
    Setting(
        "UNGPKIT_EMAIL_PORT",
        "25",
        "SMTP server port (SMTP backend only).",
        "int",
    ),
    Setting(
        "UNGPKIT_EMAIL_HOST_USER",
        "",
        "SMTP user name (SMTP backend only).",
    ),
    Setting(
        "UNGPKIT_EMAIL_HOST_PASSWORD",
        "",
        "SMTP password (SMTP backend only).",
        secret=True,
    ),
    Setting(
        "UNGPKIT_EMAIL_USE_TLS",
        "false",
        "Use STARTTLS when talking to the SMTP server.",
        "bool",
    ),
    Setting(
        "UNGPKIT_DEFAULT_FROM_EMAIL",
        "ungpkit@localhost",
        "Sender address of the e-mails ungpkit sends.",
    ),
    Setting(
        "UNGPKIT_LANGUAGE_CODE",
        "en",
        "Interface language used when the browser asks for none of the supported ones.",
        "choice",
        choices=LANGUAGES,
    ),
    Setting(
        "UNGPKIT_TIME_ZONE",
        "UTC",
        "Time zone for dates shown on pages, as an IANA name such as Europe/Paris.",
    ),
    Setting(
        "UNGPKIT_LOG_LEVEL",
        "INFO",
        "Lowest level of log messages written to standard error.",
        "choice",
        choices=LOG_LEVELS,
    ),
    Setting(
        "UNGPKIT_SECURE_COOKIES",
        "auto",
        "Send session, CSRF and language cookies over HTTPS only. auto means: on when "
        "UNGPKIT_DEBUG is false.",
        "auto_bool",
    ),
    Setting(
        "UNGPKIT_BEHIND_PROXY",
        "false",
        "Trust the X-Forwarded-Proto and X-Forwarded-For headers of one reverse proxy (nginx "
        "as in docs/deploy.md): to tell HTTPS requests apart, and to rate-limit each client "
        "by its own address (the last one the proxy added) instead of the proxy's.",
        "bool",
    ),
    Setting(
        "UNGPKIT_HSTS_SECONDS",
        "0",
        "Send Strict-Transport-Security for this many seconds (0 sends none). Enable once "
        "HTTPS works everywhere.",
        "int",
    ),
]

TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "off"})


def _parse_bool(raw: str, setting: Setting) -> bool:
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError(f"expected true or false, got {raw!r}")


def _parse_auto_bool(raw: str, setting: Setting) -> bool | None:
    if raw.strip().lower() == "auto":
        return None
    try:
        return _parse_bool(raw, setting)
    except ValueError:
        raise ValueError(f"expected true, false or auto, got {raw!r}") from None


def _parse_int(raw: str, setting: Setting) -> int:
    try:
        value = int(raw.strip().replace("_", ""))
    except ValueError:
        raise ValueError(f"expected a whole number, got {raw!r}") from None
    if value < 0:
        raise ValueError(f"expected zero or a positive number, got {raw!r}")
    return value


def _parse_list(raw: str, setting: Setting) -> list[str]:
    return [item.strip() for item in raw.split(",") if item.strip()]


def _parse_path(raw: str, setting: Setting) -> Path:
    return Path(raw.strip()).expanduser().resolve()


def _url_with_scheme(value: str, schemes: tuple[str, ...], expected: str) -> str:
    """``value`` when it starts with one of ``schemes`` (``scheme://``), else a ValueError
    saying it expected ``expected`` starting with one of them."""
    scheme, separator, _ = value.partition("://")
    if not separator or scheme.lower() not in schemes:
        allowed = ", ".join(f"{name}://" for name in schemes)
        raise ValueError(f"expected {expected} starting with one of {allowed}")
    return value


def _parse_url(raw: str, setting: Setting) -> str:
    return _url_with_scheme(raw.strip(), DATABASE_SCHEMES, "a URL")


CACHE_SCHEMES = ("redis", "rediss", "unix")


def _parse_cache_url(raw: str, setting: Setting) -> str:
    value = raw.strip()
    return _url_with_scheme(value, CACHE_SCHEMES, "nothing, or a Redis URL") if value else ""


def _parse_choice(raw: str, setting: Setting) -> str:
    value = raw.strip()
    if value not in setting.choices:
        allowed = ", ".join(setting.choices)
        raise ValueError(f"expected one of {allowed}, got {raw!r}")
    return value


def _parse_str(raw: str, setting: Setting) -> str:
    return raw.strip()


PARSERS: dict[str, Callable[[str, Setting], Any]] = {
    "str": _parse_str,
    "bool": _parse_bool,
    "auto_bool": _parse_auto_bool,
    "int": _parse_int,
    "list": _parse_list,
    "path": _parse_path,
    "url": _parse_url,
    "cache_url": _parse_cache_url,
    "choice": _parse_choice,
}


class Config:
    """The parsed settings; read them as attributes: ``config.debug``, ``config.data_dir``."""

    def __init__(self, values: Mapping[str, Any]) -> None:
        self._values = dict(values)

    def __getattr__(self, attribute: str) -> Any:
        try:
            return self.__dict__["_values"][attribute]
        except KeyError:
            raise AttributeError(f"ungpkit has no setting called {attribute!r}") from None

    def as_dict(self) -> dict[str, Any]:
        """All values by attribute name (secrets included: do not log this)."""
        return dict(self._values)

    def __repr__(self) -> str:
        shown = {
            setting.attribute: "***" if setting.secret else self._values[setting.attribute]
            for setting in SETTINGS
        }
        return f"Config({shown!r})"


def load(environ: Mapping[str, str] | None = None) -> Config:
    """Read and check every setting from ``environ`` (default: ``os.environ``).

    Raises ``ConfigError`` naming every variable that is invalid, all at once.
    """
    environ = os.environ if environ is None else environ
    raw_values: dict[str, str] = {}
    values: dict[str, Any] = {}
    problems: list[str] = []
    for setting in SETTINGS:
        raw = environ.get(setting.name, "")
        if not raw.strip():
            raw = setting.default.format(**raw_values)
        raw_values[setting.name] = raw
        try:
            values[setting.attribute] = PARSERS[setting.type](raw, setting)
        except ValueError as error:
            problems.append(f"{setting.name}: {error}")
        else:
            raw_values[setting.name] = str(values[setting.attribute])
    problems.extend(_cross_checks(values))
    if problems:
        raise ConfigError(problems)
    return Config(values)


def _cross_checks(values: Mapping[str, Any]) -> list[str]:
    problems: list[str] = []
    zone = values.get("time_zone")
    if zone is not None:
        try:
            zoneinfo.ZoneInfo(zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            problems.append(f"UNGPKIT_TIME_ZONE: unknown time zone {zone!r}")
    for origin in values.get("csrf_trusted_origins") or []:
        if not origin.startswith(("http://", "https://")):
            problems.append(
                f"UNGPKIT_CSRF_TRUSTED_ORIGINS: {origin!r} must start with https:// or http://"
            )
    for name in _LIMITS:
        if values.get(name.removeprefix("UNGPKIT_").lower()) == 0:
            problems.append(f"{name}: must be more than 0")
    for number, key in enumerate(values.get("encryption_keys") or [], start=1):
        if not _is_fernet_key(str(key)):
            problems.append(
                f"UNGPKIT_ENCRYPTION_KEYS: key {number} is not a Fernet key (32 bytes in "
                "URL-safe base64, 44 characters); generate one with: python -c 'from "
                "cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'"
            )
    if values.get("debug") is False:
        problems.extend(_production_secret_problems(values.get("secret_key", "")))
        if values.get("email_backend") == CONSOLE_EMAIL:
            problems.append(
                "UNGPKIT_EMAIL_BACKEND: the console backend prints every e-mail, with the "
                "complainant's address, into the server's log; when UNGPKIT_DEBUG is false set "
                "django.core.mail.backends.smtp.EmailBackend (with UNGPKIT_EMAIL_HOST) to send "
                "mail, or django.core.mail.backends.dummy.EmailBackend to send none"
            )
        if not values.get("encryption_keys"):
            problems.append(
                "UNGPKIT_ENCRYPTION_KEYS: required when UNGPKIT_DEBUG is false; generate one "
                "with: python -c 'from cryptography.fernet import Fernet; "
                "print(Fernet.generate_key().decode())'"
            )
    return problems


def _is_fernet_key(key: str) -> bool:
    import base64
    import binascii

    try:
        return len(base64.urlsafe_b64decode(key.strip().encode("ascii"))) == 32
    except (binascii.Error, ValueError, UnicodeEncodeError):
        return False


def _production_secret_problems(secret_key: str) -> list[str]:
    hint = "generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))'"
    if not secret_key:
        return [f"UNGPKIT_SECRET_KEY: required when UNGPKIT_DEBUG is false; {hint}"]
    if len(secret_key) < MIN_PRODUCTION_SECRET_LENGTH:
        return [
            f"UNGPKIT_SECRET_KEY: must be at least {MIN_PRODUCTION_SECRET_LENGTH} characters "
            f"when UNGPKIT_DEBUG is false; {hint}"
        ]
    return []


def resolve_secret_key(config: Config) -> str:
    """The configured secret key or, in development, one generated once per data folder."""
    if config.secret_key:
        return str(config.secret_key)
    if not config.debug:
        raise ConfigError([_production_secret_problems("")[0]])
    path = Path(config.data_dir) / SECRET_KEY_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="utf-8").strip()
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        key = secrets.token_urlsafe(50)
        handle.write(key)
    return key


def _markdown_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _default_cell(setting: Setting) -> str:
    if not setting.default:
        return "(empty)"
    return f"`{setting.default}`"


def settings_table_markdown() -> str:
    """The Markdown table of every setting, as pasted into ``docs/configuration.md``."""
    lines = ["| Variable | Default | Description |", "| --- | --- | --- |"]
    for setting in SETTINGS:
        description = setting.help
        if setting.choices:
            description += " One of: " + ", ".join(f"`{c}`" for c in setting.choices) + "."
        if setting.secret:
            description += " Secret: set it in the environment only, never in a file in git."
        cells = [f"`{setting.name}`", _default_cell(setting), description]
        lines.append("| " + " | ".join(_markdown_cell(cell) for cell in cells) + " |")
    return "\n".join(lines) + "\n"


def resolve_encryption_keys(config: Config) -> list[str]:
    """The configured Fernet keys or, in development, one generated once per data folder."""
    keys = [str(key) for key in (config.encryption_keys or []) if str(key).strip()]
    if keys:
        return keys
    if not config.debug:
        raise ConfigError(["UNGPKIT_ENCRYPTION_KEYS: required when UNGPKIT_DEBUG is false"])
    import base64

    path = Path(config.data_dir) / ENCRYPTION_KEY_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return [path.read_text(encoding="utf-8").strip()]
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        key = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()
        handle.write(key)
    return [key]


_LIMITS = {
    "UNGPKIT_MAX_UPLOAD_BYTES": "max_bytes",
    "UNGPKIT_MAX_PAGES": "max_pages",
    "UNGPKIT_MAX_UNCOMPRESSED_BYTES": "max_uncompressed_bytes",
    "UNGPKIT_MAX_COMPRESSION_RATIO": "max_compression_ratio",
    "UNGPKIT_MAX_ZIP_ENTRIES": "max_zip_entries",
}
"""The settings that bound what the document reader accepts, and their ReadLimits fields."""


def read_limits(environ: Mapping[str, str] | None = None, **overrides: Any) -> ReadLimits:
    """The reader's limits from the environment (the five ``UNGPKIT_MAX_*`` settings), with
    ``overrides`` (command-line options; None means not given) on top.

    Raises ``ConfigError`` naming each invalid variable. Used by the command line, which
    does not load the whole configuration; the web app reads the same settings at start-up.
    """
    environ = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    problems: list[str] = []
    for setting in SETTINGS:
        field = _LIMITS.get(setting.name)
        if field is None:
            continue
        raw = environ.get(setting.name, "").strip() or setting.default
        try:
            values[field] = PARSERS[setting.type](raw, setting)
        except ValueError as error:
            problems.append(f"{setting.name}: {error}")
            continue
        if values[field] == 0:
            problems.append(f"{setting.name}: must be more than 0")
    if problems:
        raise ConfigError(problems)
    values.update({k: v for k, v in overrides.items() if v is not None})
    return ReadLimits(**values)
