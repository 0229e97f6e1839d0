"""Sign-in, sign-out and invitation pages. Writes go through ``actions``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ungpkit.apps.accounts import access, actions


class SignInView(auth_views.LoginView):
    """Django's sign-in, then the check dashboard (or the page the person came from)."""

    template_name = "accounts/sign_in.html"
    redirect_authenticated_user = True
    next_page = reverse_lazy("check:dashboard")


class SignOutView(auth_views.LogoutView):
    """Sign out (a POST from the header's button), then the home page."""

    next_page = reverse_lazy("home")


@login_required(login_url=reverse_lazy("accounts:sign_in"))
@require_http_methods(["GET", "HEAD", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """Accept an invitation to join an organisation (confirmed with a button, never on GET).

    The link's secret is the proof: an unknown one gives the 404 page."""
    invitation = access.invitation_for_token(token)
    context: dict[str, Any] = {
        "organisation": invitation.organisation.name,
        "role": invitation.get_role_display(),
        "error": "",
    }
    if request.method == "POST":
        try:
            membership = actions.accept_invitation(request.user, token)
        except ValidationError as exc:
            context["error"] = " ".join(exc.messages)
        else:
            messages.success(
                request,
                _("Welcome: you are now a member of %(name)s.")
                % {"name": membership.organisation.name},
            )
            return redirect("check:dashboard")
    status = 400 if context["error"] else 200
    return render(request, "accounts/invitation.html", context, status=status)
