"""The JSON API (django-ninja), mounted at /api/ with its schema at /api/openapi.json.

Each app contributes a router (``ungpkit.apps.<app>.api``); handlers stay thin and call the
app's actions and access functions. This module holds what every router shares:

- **authentication**: ``Authorization: Bearer <token>`` with a personal API token, or the
  browser's session (with its CSRF token on writes); ``OPTIONAL_AUTH`` also lets anonymous
  visitors in, for reads of public records;
- **errors**: every refusal has the body ``{"detail", "code", "errors"}`` (``ApiError``);
- **pagination**: ``@paginate(Page)`` adds ``limit``/``offset`` and returns the total count.

Routers import from here, so they are registered when the URLs (or the schema) are first
built rather than when this module is imported.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.pagination import PaginationBase
from ninja.parser import Parser
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from ungpkit import __version__
from ungpkit.apps.accounts import tokens
from ungpkit.apps.remedy.crypto import DecryptionError

ROUTERS = (
    ("/grievances", "ungpkit.apps.remedy.api_public.router"),
    ("/accounts/", "ungpkit.apps.accounts.api.router"),
    ("/check/", "ungpkit.apps.check.api.router"),
    ("/remedy/", "ungpkit.apps.remedy.api_staff.router"),
    ("/triage/", "ungpkit.apps.triage.api.router"),
    ("/transparency/", "ungpkit.apps.transparency.api.router"),
)
"""Each app's router and where it is mounted under /api/. URLs are matched in this order, so
the public intake, which takes the most requests (a mass complaint), comes first."""


# Authentication ---------------------------------------------------------------------------


class InvalidToken(AuthenticationError):
    """A bearer token was sent but is unknown, revoked or belongs to a deactivated user."""


class CsrfFailed(HttpError):
    """A write in a browser session came without its CSRF token."""

    def __init__(self) -> None:
        super().__init__(403, "CSRF check failed")


class BearerToken(HttpBearer):
    """A personal API token: ``Authorization: Bearer ungp_…`` (create one under
    /api/accounts/tokens or on your account page)."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = tokens.authenticate(token)
        if user is None:
            raise InvalidToken()
        request.user = user
        return user


class SessionAuth(APIKeyCookie):
    """The browser's signed-in session; writes need the CSRF token (``X-CSRFToken``)."""

    param_name = settings.SESSION_COOKIE_NAME

    def __call__(self, request: HttpRequest) -> Any:
        if self.param_name not in request.COOKIES:  # no session: nothing to look up
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
            raise CsrfFailed()
        return user

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        return self(request)


def anonymous(request: HttpRequest) -> AnonymousUser:
    """Lets a visitor without credentials through, as Django's anonymous user."""
    return AnonymousUser()


DEFAULT_AUTH: Sequence[Any] = (BearerToken(), SessionAuth())
"""Every endpoint needs a token or a session unless it says otherwise."""

OPTIONAL_AUTH: Sequence[Any] = (*DEFAULT_AUTH, anonymous)
"""For reads that anonymous visitors may make too (public assessments, grids)."""


def actor(request: HttpRequest) -> Any:
    """The user the request acts as: the token's or session's user, or the anonymous user."""
    return request.auth  # type: ignore[attr-defined]


# Errors -----------------------------------------------------------------------------------


class ApiError(Schema):
    """Why a request was refused."""

    detail: str = Field(description="What went wrong, in a sentence a person can act on.")
    code: str = Field(
        description="A stable code: not_found, forbidden, invalid, unauthenticated, "
        "csrf_failed, method_not_allowed or throttled."
    )
    errors: dict[str, str] = Field(
        default_factory=dict,
        description="For invalid requests, the message for each field that is wrong.",
    )


ERRORS: dict[int, Any] = {401: ApiError, 403: ApiError, 404: ApiError, 422: ApiError}
"""Add to each operation's ``response`` so the schema documents the error bodies."""

HTTP_ERROR_CODES = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    422: "invalid",
    429: "throttled",
}


def error_response(
    request: HttpRequest,
    status: int,
    code: str,
    detail: str,
    errors: dict[str, str] | None = None,
) -> HttpResponse:
    """The uniform error body."""
    body = {"detail": str(detail), "code": code, "errors": errors or {}}
    return api.create_response(request, body, status=status)


def field_errors(error: DjangoValidationError) -> tuple[str, dict[str, str]]:
    """A Django ``ValidationError`` as (detail, {field: message})."""
    if not hasattr(error, "error_dict"):
        return " ".join(str(m) for m in error.messages), {}
    fields = {
        field: " ".join(str(m) for m in messages)
        for field, messages in error.message_dict.items()
        if field != NON_FIELD_ERRORS
    }
    general = [str(m) for m in error.message_dict.get(NON_FIELD_ERRORS, [])]
    return " ".join(general + list(fields.values())), fields


def _location(loc: Sequence[Any]) -> str:
    """A field's name from a ninja error location such as ("body", "payload", "grid")."""
    parts = [str(p) for p in loc]
    if parts and parts[0] in {"body", "query", "path", "form", "file", "header", "cookie"}:
        parts = parts[1:]
    if len(parts) > 1 and parts[0] == "payload":
        parts = parts[1:]
    return ".".join(parts) or "request"


# Pagination -------------------------------------------------------------------------------


MAX_OFFSET = 1_000_000_000
"""Beyond any list here; a larger offset only overflows the database's integers."""


class PageQuery(Schema):
    """Which slice of a list to return."""

    limit: int = Field(50, ge=1, le=200, description="How many items to return (1-200).")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="How many items to skip.")


class PageOut(Schema):
    """A slice of a list and the total count."""

    items: list[Any]
    count: int = Field(description="How many items there are in all.")
    limit: int = Field(description="The limit that was applied.")
    offset: int = Field(description="The offset that was applied.")


class Page(PaginationBase):
    """``limit`` and ``offset`` in the query; the answer says how many there are in all."""

    Input = PageQuery
    Output = PageOut

    def paginate_queryset(
        self, queryset: Any, pagination: PageQuery, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        offset, limit = pagination.offset, pagination.limit
        return {
            "items": queryset[offset : offset + limit],
            "count": self._items_count(queryset),
            "limit": limit,
            "offset": offset,
        }


logger = logging.getLogger(__name__)


# Request bodies ---------------------------------------------------------------------------


class UnsafeText(ValueError):
    """A JSON body holds text no database column can store as it is."""


def _check_text(value: Any, where: str = "") -> None:
    """Refuse NUL characters (PostgreSQL text cannot hold them) and unpaired surrogates (not
    Unicode text at all) anywhere in a parsed body, before any of it reaches a database or a
    log: a failing INSERT would quote the complainant's words in the server's error log."""
    if isinstance(value, str):
        if "\x00" in value:
            raise UnsafeText(
                _("%(field)s contains a NUL character (\\u0000).") % {"field": where or "body"}
            )
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise UnsafeText(
                _("%(field)s contains an unpaired surrogate, which is not text.")
                % {"field": where or "body"}
            ) from None
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_text(key, where or "body")
            _check_text(item, f"{where}.{key}" if where else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _check_text(item, f"{where}[{index}]")


class TextParser(Parser):
    """JSON bodies, with :func:`_check_text` applied to every string in them."""

    def parse_body(self, request: HttpRequest) -> Any:
        data = super().parse_body(request)
        _check_text(data)
        return data


# The API ----------------------------------------------------------------------------------


class UngpkitAPI(NinjaAPI):
    """Registers the apps' routers (``ROUTERS``) the first time URLs or the schema are built."""

    _routers_registered = False

    def register_routers(self) -> None:
        if not self._routers_registered:
            self._routers_registered = True
            for prefix, router in ROUTERS:
                self.add_router(prefix, router)

    @property
    def urls(self) -> Any:
        self.register_routers()
        return super().urls

    def get_openapi_schema(self, **kwargs: Any) -> Any:
        self.register_routers()
        return super().get_openapi_schema(**kwargs)

    def get_openapi_operation_id(self, operation: Any) -> str:
        return str(operation.view_func.__name__)


api = UngpkitAPI(
    title="ungpkit API",
    version=__version__,
    description="The UN Guiding Principles on Business and Human Rights, applied to technology: "
    "upload laws, run the UNGP check, review findings, compare drafts.\n\n"
    "Authenticate with a personal API token (`Authorization: Bearer <token>`) or, from the "
    "browser, with the signed-in session and its CSRF token. Lists take `limit` and `offset` "
    "and return the total `count`. Every error has the body "
    '`{"detail": ..., "code": ..., "errors": {field: message}}`; a record that does not exist '
    "and one you may not see give the same 404.",
    urls_namespace="api",
    auth=list(DEFAULT_AUTH),
    parser=TextParser(),
)


@api.exception_handler(OverflowError)
def on_overflow(request: HttpRequest, exc: OverflowError) -> HttpResponse:
    """A number too large for the database (an id of 2**70, say): no record has it. Logged
    with its traceback, in case the overflow was the server's own arithmetic."""
    logger.warning("Overflow answered as 422 on %s", request.path, exc_info=exc)
    return error_response(request, 422, "invalid", _("A number in the request is too large."))


@api.exception_handler(RequestDataTooBig)
def on_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    """A body over the size Django reads (``UNGPKIT_MAX_UPLOAD_BYTES`` and a margin)."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE / (1024 * 1024)
    return error_response(
        request,
        413,
        "too_large",
        _(
            "The request is larger than the %(limit).1f MiB this server reads. Send less text, "
            "or upload a file instead of pasting it."
        )
        % {"limit": limit},
    )


@api.exception_handler(DecryptionError)
def on_undecryptable(request: HttpRequest, exc: DecryptionError) -> HttpResponse:
    """Stored data the configured keys cannot open: the server's configuration, not the
    request, is wrong (logged, never the data)."""
    logger.error("A record cannot be decrypted with the configured keys (%s).", request.path)
    return error_response(request, 503, "unavailable", str(DecryptionError.advice))


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    detail = str(exc) if exc.args and str(exc) else _("Not found.")
    return error_response(request, 404, "not_found", detail)


@api.exception_handler(PermissionDenied)
def on_forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    detail = str(exc) or _("You may not do this.")
    return error_response(request, 403, "forbidden", detail)


@api.exception_handler(DjangoValidationError)
def on_invalid(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    detail, errors = field_errors(exc)
    return error_response(request, 422, "invalid", detail, errors)


def _message(error: dict[str, Any]) -> str:
    """A validation error in the reader's language: the common pydantic kinds are worded here
    (pydantic speaks English only); our own validators' messages are already translated."""
    kind = str(error.get("type", ""))
    context = error.get("ctx") or {}
    if kind == "missing":
        return _("This field is required.")
    if kind in ("string_too_long", "too_long"):
        return _("This is too long (at most %(n)s characters).") % {
            "n": context.get("max_length", "?")
        }
    if kind in ("string_too_short", "too_short"):
        return _("This is too short (at least %(n)s characters).") % {
            "n": context.get("min_length", "?")
        }
    if kind in ("int_parsing", "int_type", "int_from_float", "float_parsing", "float_type"):
        return _("Give a number.")
    if kind in ("bool_parsing", "bool_type"):
        return _("Give true or false.")
    if kind in ("less_than_equal", "less_than"):
        return _("Give a number up to %(n)s.") % {"n": context.get("le", context.get("lt", "?"))}
    if kind in ("greater_than_equal", "greater_than"):
        return _("Give a number of at least %(n)s.") % {
            "n": context.get("ge", context.get("gt", "?"))
        }
    if kind in ("string_type", "list_type", "dict_type", "model_type", "model_attributes_type"):
        return _("This value has the wrong type.")
    if kind in ("literal_error", "enum"):
        return _("Choose one of: %(codes)s.") % {"codes": context.get("expected", "?")}
    message = str(error.get("msg", ""))
    return message.removeprefix("Value error, ")


@api.exception_handler(NinjaValidationError)
def on_invalid_request(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors: dict[str, str] = {}
    for error in exc.errors:
        errors.setdefault(_location(error.get("loc", ())), _message(error))
    detail = _("Some values are missing or not valid: %(fields)s.") % {"fields": ", ".join(errors)}
    return error_response(request, 422, "invalid", detail, errors)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    if isinstance(exc, InvalidToken):
        detail = _("This API token is not valid: it is unknown, revoked or its owner is inactive.")
    else:
        detail = _("Sign in or send an API token (Authorization: Bearer <token>).")
    response = error_response(request, 401, "unauthenticated", detail)
    response["WWW-Authenticate"] = 'Bearer realm="ungpkit"'
    return response


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if isinstance(exc, CsrfFailed):
        detail = _("The CSRF token is missing or wrong. Reload the page and try again.")
        return error_response(request, 403, "csrf_failed", detail)
    if isinstance(exc.__cause__, UnsafeText):  # raised by TextParser, wrapped by Ninja
        detail = _("Some text cannot be stored: %(problem)s Remove it and send again.") % {
            "problem": str(exc.__cause__)
        }
        return error_response(request, 422, "invalid", detail)
    code = HTTP_ERROR_CODES.get(exc.status_code, "error")
    return error_response(request, exc.status_code, code, exc.message)
