"""Signing in: ``signin_required`` for the pages that need a signed-in person (and what
happens when the session ended in the middle of a form), and the throttle on failed
sign-ins, shared by the site's sign-in page and the admin's."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from ungpkit.web import ratelimit

View = Callable[..., HttpResponse]


def signin_required(view: View) -> View:
    """Send a person who is not signed in to the sign-in page, then back.

    A form sent after the session ended (a POST) cannot be replayed: the person comes back to
    the page the form was on (not to the address it was sent to, which answers only POST),
    told to send it again.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            return view(request, *args, **kwargs)
        target = request.get_full_path()
        if request.method not in ("GET", "HEAD"):
            target = _page_of_form(request)
            messages.info(request, _("Your session had ended: sign in, then send the form again."))
        return redirect_to_login(target, reverse("accounts:sign_in"))

    return wrapper


def _page_of_form(request: HttpRequest) -> str:
    """The page a form was sent from (this site's only), or the home page."""
    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        parts = urlsplit(referer)
        return parts.path + (f"?{parts.query}" if parts.query else "")
    return reverse("home")


def _who(request: HttpRequest) -> list[tuple[str, str]]:
    """The counters a sign-in counts against: its address, and the account name it tries."""
    account = str(request.POST.get("username", "")).strip().lower()
    return [
        ("sign_in", ratelimit.client_hash(request)),
        ("sign_in_account", ratelimit.keyed(account)),
    ]


def sign_in_blocked(request: HttpRequest) -> bool:
    """Whether this sign-in's address or account has failed too often of late: then no
    password is tried, right or wrong, until the window ends."""
    return any(ratelimit.blocked(scope, who) for scope, who in _who(request))


def count_failed_sign_in(request: HttpRequest) -> None:
    """Count one failed sign-in against its address and its account."""
    for scope, who in _who(request):
        ratelimit.record(scope, who)


def throttled_admin_login(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    """The admin's sign-in behind the same throttle as the site's."""
    from django.contrib import admin

    if request.method == "POST":
        if sign_in_blocked(request):
            return render(request, "accounts/sign_in_throttled.html", status=429)
        response = admin.site.login(request, **kwargs)
        if response.status_code == 200:  # the form shown again: the sign-in failed
            count_failed_sign_in(request)
        return response
    return admin.site.login(request, **kwargs)
