"""Staff pages of the grievance mechanism (under /<lang>/remedy/): the case queue, one case
with its next steps, and the staff's notifications.

Views are thin: reads go through ``access`` and ``queries``, writes through ``actions``, and
templates get small plain contexts. A case the user may not see is "not found".
"""

from __future__ import annotations

import logging
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from ungpkit.apps.accounts.access import is_platform_admin
from ungpkit.apps.accounts.signin import signin_required
from ungpkit.apps.remedy import access, actions, casefile, crypto, queries, states
from ungpkit.apps.remedy.models import Grievance, Notification
from ungpkit.apps.remedy.staff_forms import (
    EscalationForm,
    MessageForm,
    MoveForm,
    OutcomeForm,
    QueueFilterForm,
    RouteForm,
)

logger = logging.getLogger(__name__)


def _put_errors(form: Form, error: ValidationError) -> None:
    """Show an action's ``ValidationError`` on the form, by field where it names one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _secretariat_case(user: Any, pk: int) -> Grievance:
    """The case, for its secretariat; others who may see it are refused (403)."""
    grievance = access.access_grievance(user, pk)
    if not access.is_secretariat(user, grievance):
        raise PermissionDenied(_("Only the mechanism's secretariat may do this."))
    return grievance


def _case_url(pk: int, anchor: str = "") -> str:
    url = reverse("remedy_staff:case", args=[pk])
    return f"{url}#{anchor}" if anchor else url


# The queue -------------------------------------------------------------------------------


@signin_required
@require_safe
def queue(request: HttpRequest) -> HttpResponse:
    """The cases of my mechanisms and member seats, soonest due first."""
    user = request.user
    members = queries.member_choices(user)
    form = QueueFilterForm(request.GET or None, members=members)
    chosen = form.cleaned_data if form.is_valid() else {}
    filters = queries.QueueFilter(
        state=chosen.get("state") or "",
        overdue=bool(chosen.get("overdue")),
        member=chosen.get("member"),
    )
    cases = queries.queue(user, filters).prefetch_related("parties__member__organisation")[:500]
    works_here = (
        is_platform_admin(user)
        or access.secretariat_mechanisms(user).exists()
        or access.member_seats(user).exists()
    )
    context = {
        "form": form,
        "cases": [queries.queue_row(g) for g in cases],
        "filtered": any(chosen.values()),
        "works_here": works_here,
    }
    return render(request, "remedy/staff/queue.html", context)


# One case ---------------------------------------------------------------------------------


REASON_HINTS = {
    states.NOT_ADMISSIBLE: gettext_lazy(
        "The complainant reads this. Say why, and where else they can go: a regulator, the "
        "national human rights institution, an OECD National Contact Point, a court."
    ),
    states.REMEDY_PROPOSED: gettext_lazy(
        "The complainant reads this before accepting or refusing: describe the remedy "
        "(when they fear reprisal, only the secretariat reads a member's words and passes "
        "them on)."
    ),
}
"""What staff are asked to write for the complainant when taking some steps."""

_SECTIONS = {
    "route_form": ("parties", gettext_lazy("Members concerned")),
    "message_form": ("messages", gettext_lazy("Messages")),
    "escalation_form": ("escalations", gettext_lazy("Escalation to a State-based body")),
    "outcome_form": ("outcome", gettext_lazy("Outcome")),
}


def _files(user: Any, grievance: Grievance) -> list[dict[str, Any]]:
    """The complainant's files with their names, for someone who may open them."""
    if not access.can_see_files(user, grievance):
        return []
    return [
        {"id": a.pk, "name": _file_name(a), "size": a.size}
        for a in grievance.attachments.order_by("id")
    ]


def _file_name(attachment: Any) -> str:
    try:
        return crypto.decrypt_bytes(attachment.filename_encrypted.encode()).decode()
    except crypto.DecryptionError:
        return _("(a file no configured key opens)")


def _problem_section(move_refused: str, forms: dict[str, Any]) -> tuple[str, str]:
    """The anchor and title of the section whose form was refused."""
    for name in forms:
        if name in _SECTIONS:
            anchor, title = _SECTIONS[name]
            return anchor, str(title)
    return "state", str(gettext_lazy("Step"))


def _case_context(
    user: Any, grievance: Grievance, move_refused: str = "", **forms: Any
) -> dict[str, Any]:
    secretariat = access.is_secretariat(user, grievance)
    next_states = queries.staff_next_states(grievance, secretariat=secretariat)
    steps = [
        {
            "target": target,
            "label": queries.state_label(target),
            "reason_required": target in states.REASON_REQUIRED,
            "hint": str(REASON_HINTS.get(target, "")),
            "form": forms.get(f"move_{target}")
            or MoveForm(initial={"target": target}, auto_id=f"move_{target}_%s"),
        }
        for target in next_states
    ]
    route_members = queries.mechanism_members(grievance)
    routed = [p["member"] for p in queries.parties(grievance)]
    return {
        "case": {
            "id": grievance.pk,
            **queries.case_fields(grievance, hide_consent=queries.hides_consent(user, grievance)),
            "contact_preference_label": queries.CONTACT_LABELS.get(
                grievance.contact_preference, grievance.contact_preference
            ),
        },
        "state": grievance.state,
        "state_label": queries.state_label(grievance.state),
        "due_at": grievance.due_at,
        "overdue": grievance.overdue,
        "days_late": queries.days_late(grievance),
        "waiting_for_complainant": grievance.state == states.REMEDY_PROPOSED,
        "steps": steps,
        "parties": queries.parties(grievance),
        "timeline": queries.timeline(grievance),
        "case_messages": queries.messages(grievance),
        "escalations": queries.escalations(grievance),
        "outcome": queries.outcome(grievance),
        "is_secretariat": secretariat,
        "files": _files(user, grievance),
        "move_refused": move_refused,
        "secretariat_steps": not secretariat and bool(queries.staff_next_states(grievance)),
        "notes_only": grievance.fear_of_reprisal and not secretariat,
        "can_reveal": access.can_reveal_identity(user, grievance),
        "identity": queries.identity_rows(forms.get("identity")),
        "message_form": forms.get("message_form") or MessageForm(),
        "route_form": (
            forms.get("route_form") or RouteForm(members=route_members, initial={"members": routed})
        )
        if secretariat
        else None,
        "escalation_form": (forms.get("escalation_form") or EscalationForm())
        if secretariat
        else None,
        "outcome_form": forms.get("outcome_form")
        or OutcomeForm(
            initial={"remedy_types": (queries.outcome(grievance) or {}).get("remedy_types", [])}
        ),
    }


def _render_case(
    request: HttpRequest,
    grievance: Grievance,
    status: int = 200,
    move_refused: str = "",
    **forms: Any,
) -> HttpResponse:
    context = _case_context(request.user, grievance, move_refused, **forms)
    if status >= 400:
        # The form with the problem can be far down the page: name it at the top, linked.
        context["problem_in"] = _problem_section(move_refused, forms)
    response = render(request, "remedy/staff/case.html", context, status=status)
    response["Cache-Control"] = "no-store"
    return response


@signin_required
@require_safe
@never_cache
def case(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything staff need to handle one case."""
    grievance = access.access_grievance(request.user, pk)
    return _render_case(request, grievance)


@signin_required
@require_POST
def move(request: HttpRequest, pk: int) -> HttpResponse:
    """Take the case to its next step."""
    grievance = access.access_grievance(request.user, pk)
    form = MoveForm(request.POST, auto_id=f"move_{request.POST.get('target', '')}_%s")
    if form.is_valid():
        target = form.cleaned_data["target"]
        try:
            actions.move(request.user, pk, target, form.cleaned_data["reason"])
        except ValidationError as error:
            _put_errors(form, error)
        except PermissionDenied as error:
            # The refused step has no form on this person's page: say why above the steps.
            return _render_case(request, grievance, 400, move_refused=str(error))
        else:
            messages.success(
                request,
                _("The case is now at the step “%(step)s”.")
                % {"step": queries.state_label(target)},
            )
            return redirect(_case_url(pk, "state"))
        return _render_case(request, grievance, 400, **{f"move_{target}": form})
    return _render_case(request, grievance, 400)


@signin_required
@require_POST
def message(request: HttpRequest, pk: int) -> HttpResponse:
    """Write to the complainant, or leave an internal note."""
    grievance = access.access_grievance(request.user, pk)
    form = MessageForm(request.POST)
    if form.is_valid():
        try:
            actions.post_message(
                request.user, pk, form.cleaned_data["body"], internal=form.cleaned_data["internal"]
            )
        except ValidationError as error:
            _put_errors(form, error)
        except PermissionDenied as error:
            form.add_error("internal", str(error))
        else:
            if form.cleaned_data["internal"]:
                messages.success(request, _("Your internal note is saved."))
            else:
                messages.success(request, _("Your message is sent to the complainant."))
            return redirect(_case_url(pk, "messages"))
    return _render_case(request, grievance, 400, message_form=form)


@signin_required
@require_POST
def route(request: HttpRequest, pk: int) -> HttpResponse:
    """Route the case to one or several members (the secretariat only)."""
    grievance = _secretariat_case(request.user, pk)
    form = RouteForm(request.POST, members=queries.mechanism_members(grievance))
    if form.is_valid():
        try:
            actions.route(request.user, pk, form.cleaned_data["members"])
        except ValidationError as error:
            _put_errors(form, error)
        else:
            messages.success(request, _("The case is routed."))
            return redirect(_case_url(pk, "parties"))
    return _render_case(request, grievance, 400, route_form=form)


@signin_required
@require_POST
def reveal(request: HttpRequest, pk: int) -> HttpResponse:
    """Show the complainant's identity once, on this response; the read is audited."""
    grievance = access.access_grievance(request.user, pk)
    try:
        identity = actions.reveal_identity(request.user, pk)
    except crypto.DecryptionError:
        logger.error("The identity of case %s cannot be decrypted with the configured keys.", pk)
        messages.error(request, str(crypto.DecryptionError.advice))
        return _render_case(request, grievance, 503)
    return _render_case(request, grievance, identity=identity)


@signin_required
@require_POST
def escalate(request: HttpRequest, pk: int) -> HttpResponse:
    """Record that the case goes to a State-based body (the secretariat only)."""
    grievance = _secretariat_case(request.user, pk)
    form = EscalationForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.escalate(
                request.user,
                pk,
                body_type=data["body_type"],
                body_name=data["body_name"],
                consent=casefile.consent_text(data["consent"], identity=data["share_identity"]),
            )
        except ValidationError as error:
            _put_errors(form, error)
        else:
            messages.success(request, _("The escalation is recorded. Download its case file."))
            return redirect(_case_url(pk, "escalations"))
    return _render_case(request, grievance, 400, escalation_form=form)


@signin_required
@require_safe
def casefile_download(request: HttpRequest, pk: int, escalation: int, fmt: str) -> HttpResponse:
    """The case file of an escalation, as PDF or JSON."""
    file = casefile.export(request.user, pk, escalation, fmt)
    response = HttpResponse(file.content, content_type=file.content_type)
    response["Content-Disposition"] = f'attachment; filename="{file.filename}"'
    response["Cache-Control"] = "no-store"
    return response


@signin_required
@require_POST
def outcome(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the remedy the case ended with (the secretariat only)."""
    grievance = _secretariat_case(request.user, pk)
    form = OutcomeForm(request.POST)
    if form.is_valid():
        try:
            actions.record_outcome(
                request.user,
                pk,
                form.cleaned_data["remedy_types"],
                form.cleaned_data["description"],
            )
        except ValidationError as error:
            _put_errors(form, error)
        else:
            messages.success(request, _("The outcome is recorded."))
            return redirect(_case_url(pk, "outcome"))
    return _render_case(request, grievance, 400, outcome_form=form)


# Notifications ----------------------------------------------------------------------------


@signin_required
@require_safe
def notifications(request: HttpRequest) -> HttpResponse:
    """What happened in my cases."""
    items = queries.notifications_for(request.user)
    return render(request, "remedy/staff/notifications.html", {"notifications": items})


@signin_required
@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    """Mark all my notifications as read."""
    Notification.objects.filter(recipient=request.user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    messages.success(request, _("All notifications are marked as read."))
    return redirect("remedy_staff:notifications")


@signin_required
@require_safe
def attachment(request: HttpRequest, pk: int, attachment_id: int) -> HttpResponse:
    """A file the complainant sent, downloaded (never shown inline: it came from outside)."""
    try:
        name, content_type, content = actions.read_attachment(request.user, pk, attachment_id)
    except crypto.DecryptionError:
        logger.error("A file of case %s cannot be decrypted with the configured keys.", pk)
        grievance = access.access_grievance(request.user, pk)
        messages.error(request, str(crypto.DecryptionError.advice))
        return _render_case(request, grievance, 503)
    response = HttpResponse(content, content_type=content_type)
    safe = "".join(c if c.isalnum() or c in "._- " else "_" for c in name)[:100] or "file"
    response["Content-Disposition"] = content_disposition_header(True, safe)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "no-store"
    return response
