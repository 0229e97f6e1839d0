"""Account pages: signing in and out, organisations and their members, invitations and API
tokens. Views are thin: they read through ``access``, write through ``actions``, and hand
templates small plain contexts (dicts, no ORM objects)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ungpkit.apps.accounts import access, actions
from ungpkit.apps.accounts.errors import NotFound
from ungpkit.apps.accounts.forms import ApiTokenForm, InvitationForm, RegistrationForm, put_errors
from ungpkit.apps.accounts.models import (
    ApiToken,
    Invitation,
    Membership,
    Organisation,
    OrganisationKind,
    Role,
)
from ungpkit.apps.accounts.signin import count_failed_sign_in, sign_in_blocked, signin_required

ROLE_LABELS = dict(Role.choices)
KIND_LABELS = dict(OrganisationKind.choices)
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


class SignInView(auth_views.LoginView):
    """Django's sign-in, then the check dashboard (or the page the person came from).

    Failed sign-ins are counted per client address and per account name (keyed hashes, in
    the cache): past the limits (``ratelimit.DEFAULT_LIMITS``: 30 and 10 per 15 minutes) no
    password is even tried, right or wrong, until the window ends.
    """

    template_name = "accounts/sign_in.html"
    redirect_authenticated_user = True
    next_page = reverse_lazy("check:dashboard")

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if sign_in_blocked(request):
            # The password is not tried at all: an unbound form, and the reason.
            form = self.form_class(request=self.request)
            context = self.get_context_data(form=form, throttled=True)
            return self.render_to_response(context, status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form: Any) -> HttpResponse:
        count_failed_sign_in(self.request)
        return super().form_invalid(form)


class SignOutView(auth_views.LogoutView):
    """Sign out (a POST from the header's button), then the home page."""

    next_page = reverse_lazy("home")


def _person(user: Any) -> str:
    return str(user.get_full_name() or user.get_username()) if user else ""


# Organisations ------------------------------------------------------------------------------


@signin_required
@require_safe
def organisations(request: HttpRequest) -> HttpResponse:
    """The organisations the signed-in person belongs to (every one, for a platform admin)."""
    user = request.user
    roles = dict(Membership.objects.filter(user=user).values_list("organisation_id", "role"))
    rows = [
        {
            "name": organisation.name,
            "kind": KIND_LABELS.get(organisation.kind, organisation.kind),
            "role": ROLE_LABELS.get(roles.get(organisation.pk, ""), ""),
            "url": reverse("accounts:organisation", args=[organisation.pk]),
        }
        for organisation in access.visible_organisations(user).order_by("name")
    ]
    context = {"organisations": rows, "is_platform_admin": access.is_platform_admin(user)}
    return render(request, "accounts/organisations.html", context)


@signin_required
@require_safe
def organisation(request: HttpRequest, organisation_id: int) -> HttpResponse:
    """An organisation's members and their roles; its administrators also invite people,
    withdraw invitations and change roles here."""
    return _organisation_page(request, organisation_id)


@signin_required
@require_POST
def invite(request: HttpRequest, organisation_id: int) -> HttpResponse:
    """Invite someone, then show the acceptance link once so it can be passed on by hand."""
    # Strangers get the 404 page, members who do not manage the organisation the 403 page.
    access.organisation_invitations(request.user, organisation_id)
    form = InvitationForm(request.POST)
    if form.is_valid():
        try:
            issued = actions.invite_member(
                request.user,
                organisation_id,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                lang=get_language() or "",
                base_url=request.build_absolute_uri("/"),
            )
        except ValidationError as error:
            put_errors(form, error)
        else:
            shown = _invitation_row(issued.invitation) | {"url": issued.url}
            return _organisation_page(request, organisation_id, issued=shown)
    return _organisation_page(request, organisation_id, invite_form=form, status=400)


@signin_required
@require_POST
def change_role(request: HttpRequest, organisation_id: int, user_id: int) -> HttpResponse:
    """Give a member another role; the last administrator's refusal is shown on the page."""
    try:
        membership = actions.change_role(
            request.user, organisation_id, user_id, request.POST.get("role", "")
        )
    except ValidationError as error:
        problem = {"message": " ".join(error.messages), "target": f"role-{user_id}"}
        return _organisation_page(request, organisation_id, problem=problem, status=400)
    messages.success(
        request,
        _("The role of %(person)s is now: %(role)s.")
        % {"person": _person(membership.user), "role": membership.get_role_display()},
    )
    return redirect("accounts:organisation", organisation_id=organisation_id)


@signin_required
@require_POST
def revoke_invitation(
    request: HttpRequest, organisation_id: int, invitation_id: int
) -> HttpResponse:
    """Withdraw a pending invitation so its link no longer works."""
    if access.access_invitation(request.user, invitation_id).organisation_id != organisation_id:
        raise NotFound(_("No such invitation."))
    try:
        invitation = actions.revoke_invitation(request.user, invitation_id)
    except ValidationError as error:
        problem = {"message": " ".join(error.messages), "target": "invitations"}
        return _organisation_page(request, organisation_id, problem=problem, status=400)
    messages.success(
        request,
        _("The invitation for %(email)s is withdrawn; its link no longer works.")
        % {"email": invitation.email},
    )
    return redirect("accounts:organisation", organisation_id=organisation_id)


def _organisation_page(
    request: HttpRequest,
    organisation_id: int,
    *,
    invite_form: InvitationForm | None = None,
    issued: dict[str, Any] | None = None,
    problem: dict[str, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    organisation = access.access_organisation(user, organisation_id)
    can_manage = access.can_manage_members(user, organisation)
    # access_organisation has checked that the person may see this organisation's members.
    memberships = (
        Membership.objects.select_related("user")
        .filter(organisation=organisation)
        .order_by("user__username", "pk")
    )
    context: dict[str, Any] = {
        "organisation": _organisation_facts(organisation),
        "members": [_member_row(membership, user, problem) for membership in memberships],
        "can_manage": can_manage,
        "role_choices": Role.choices,
        "invite_form": (invite_form or InvitationForm()) if can_manage else None,
        "issued": issued,
        "invitations": [],
        "problem": problem,
    }
    if can_manage:
        pending = access.organisation_invitations(user, organisation_id).filter(
            accepted_at__isnull=True, revoked_at__isnull=True
        )
        context["invitations"] = [
            _invitation_row(invitation) for invitation in pending if invitation.state == "pending"
        ]
    return render(request, "accounts/organisation.html", context, status=status)


def _organisation_facts(organisation: Organisation) -> dict[str, Any]:
    return {
        "id": organisation.pk,
        "name": organisation.name,
        "kind": KIND_LABELS.get(organisation.kind, organisation.kind),
        "country": organisation.country,
    }


def _member_row(
    membership: Membership, viewer: Any, problem: dict[str, str] | None
) -> dict[str, Any]:
    return {
        "user_id": membership.user_id,
        "name": _person(membership.user),
        "username": membership.user.get_username(),
        "role": membership.role,
        "role_label": membership.get_role_display(),
        "since": membership.created_at,
        "is_you": membership.user_id == viewer.pk,
        "has_problem": bool(problem and problem["target"] == f"role-{membership.user_id}"),
    }


def _invitation_row(invitation: Invitation) -> dict[str, Any]:
    return {
        "id": invitation.pk,
        "email": invitation.email,
        "role_label": invitation.get_role_display(),
        "invited_by": _person(invitation.invited_by),
        "created_at": invitation.created_at,
        "expires_at": invitation.expires_at,
    }


# Invitations --------------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """Accept an invitation (confirmed with a button, never on GET). A signed-in person joins
    with their account; a visitor creates one here, or signs in first and comes back.

    The link's secret is the proof: an unknown one gives the 404 page."""
    invitation = access.invitation_for_token(token)
    user = request.user
    form = None if user.is_authenticated else RegistrationForm(initial={"email": invitation.email})
    context: dict[str, Any] = {
        "organisation": invitation.organisation.name,
        "role": invitation.get_role_display(),
        "expires_at": invitation.expires_at,
        "problem": actions.refusal_reason(invitation, user),
        "sign_in_url": reverse("accounts:sign_in")
        + "?"
        + urlencode({"next": request.get_full_path()}),
        "form": form,
        "error": "",
    }
    if request.method == "POST":
        if user.is_authenticated:
            return _accept(request, token, context)
        return _register_and_accept(request, token, context)
    return render(request, "accounts/invitation.html", context)


def _accept(request: HttpRequest, token: str, context: dict[str, Any]) -> HttpResponse:
    try:
        membership = actions.accept_invitation(request.user, token)
    except ValidationError as error:
        context["error"] = " ".join(error.messages)
        return render(request, "accounts/invitation.html", context, status=400)
    return _welcome(request, membership)


def _register_and_accept(request: HttpRequest, token: str, context: dict[str, Any]) -> HttpResponse:
    form = RegistrationForm(request.POST)
    context["form"] = form
    if form.is_valid():
        data = form.cleaned_data
        try:
            membership = actions.register_and_accept(
                token, data["username"], data["email"], data["password"]
            )
        except ValidationError as error:
            put_errors(form, error)
        else:
            login(request, membership.user, backend=MODEL_BACKEND)
            return _welcome(request, membership)
    return render(request, "accounts/invitation.html", context, status=400)


def _welcome(request: HttpRequest, membership: Membership) -> HttpResponse:
    messages.success(
        request,
        _("Welcome: you are now a member of %(name)s.") % {"name": membership.organisation.name},
    )
    return redirect("check:dashboard")


# API tokens ---------------------------------------------------------------------------------


@signin_required
@require_http_methods(["GET", "HEAD", "POST"])
def api_tokens(request: HttpRequest) -> HttpResponse:
    """The signed-in person's API tokens; a new one's secret is shown once, right here."""
    if request.method != "POST":
        return _tokens_page(request, ApiTokenForm())
    form = ApiTokenForm(request.POST)
    if form.is_valid():
        try:
            issued = actions.issue_api_token(request.user, form.cleaned_data["name"])
        except ValidationError as error:
            put_errors(form, error)
        else:
            shown = {"name": issued.token.name, "plaintext": issued.plaintext}
            return _tokens_page(request, ApiTokenForm(), issued=shown)
    return _tokens_page(request, form, status=400)


@signin_required
@require_POST
def revoke_api_token(request: HttpRequest, token_id: int) -> HttpResponse:
    """Revoke one of the signed-in person's tokens; programs using it are refused from now."""
    try:
        token = actions.revoke_api_token(request.user, token_id)
    except ValidationError as error:
        return _tokens_page(request, ApiTokenForm(), problem=" ".join(error.messages), status=400)
    messages.success(
        request,
        _("The token “%(name)s” is revoked. Programs that use it can no longer sign in.")
        % {"name": token.name},
    )
    return redirect("accounts:api_tokens")


def _tokens_page(
    request: HttpRequest,
    form: ApiTokenForm,
    *,
    issued: dict[str, str] | None = None,
    problem: str = "",
    status: int = 200,
) -> HttpResponse:
    context = {
        "form": form,
        "issued": issued,
        "problem": problem,
        "tokens": [_token_row(token) for token in access.visible_api_tokens(request.user)],
        "api_docs_url": reverse("api:openapi-view"),
    }
    return render(request, "accounts/api_tokens.html", context, status=status)


def _token_row(token: ApiToken) -> dict[str, Any]:
    return {
        "id": token.pk,
        "name": token.name,
        "created_at": token.created_at,
        "last_used_at": token.last_used_at,
        "revoked_at": token.revoked_at,
    }
