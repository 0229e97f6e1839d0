"""The complainant's pages: the list of mechanisms, the complaint form and its receipt, and
the status page opened with the case code and passphrase.

The case code and passphrase only ever travel in POST bodies (never in a URL or a cookie);
every page that shows them is marked ``no-store`` (``never_cache``). Writes go through ``actions``.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from ungpkit.apps.accounts.errors import NotFound
from ungpkit.apps.remedy import access, actions, attachments, states
from ungpkit.apps.remedy.models import Grievance, Mechanism, Outcome
from ungpkit.apps.remedy.public_forms import (
    DecisionForm,
    IntakeForm,
    ReceiptForm,
    ReplyForm,
    SatisfactionForm,
    filled_by_a_person,
    form_key,
    start_token,
)
from ungpkit.web import ratelimit

STATE_LABELS = {
    states.RECEIVED: gettext_lazy("Received"),
    states.ACKNOWLEDGED: gettext_lazy("Acknowledged"),
    states.NOT_ADMISSIBLE: gettext_lazy("Not accepted"),
    states.ACCEPTED: gettext_lazy("Accepted"),
    states.DIALOGUE: gettext_lazy("Dialogue and investigation"),
    states.REMEDY_PROPOSED: gettext_lazy("Remedy proposed"),
    states.REMEDY_ACCEPTED: gettext_lazy("Remedy accepted"),
    states.REMEDY_REFUSED: gettext_lazy("Remedy refused"),
    states.REMEDY_IMPLEMENTED: gettext_lazy("Remedy put in place"),
    states.CLOSED: gettext_lazy("Closed"),
}
"""Each state of a case, as the complainant reads it."""

STATE_HELP = {
    states.RECEIVED: gettext_lazy("We have your complaint."),
    states.ACKNOWLEDGED: gettext_lazy("The secretariat has read your complaint."),
    states.NOT_ADMISSIBLE: gettext_lazy(
        "The mechanism cannot handle this complaint. It says why and where else you can go."
    ),
    states.ACCEPTED: gettext_lazy("The mechanism will handle your complaint."),
    states.DIALOGUE: gettext_lazy(
        "The mechanism looks into what happened and talks with you and the companies."
    ),
    states.REMEDY_PROPOSED: gettext_lazy("A remedy is proposed. You decide whether you accept it."),
    states.REMEDY_ACCEPTED: gettext_lazy("You accepted the remedy. It is being put in place."),
    states.REMEDY_REFUSED: gettext_lazy("You refused the remedy. The dialogue can go on."),
    states.REMEDY_IMPLEMENTED: gettext_lazy("The remedy has been carried out."),
    states.CLOSED: gettext_lazy("The case is closed. The mechanism may check later on the remedy."),
}
"""What each state means for the complainant."""

NEXT_STEP = {
    states.RECEIVED: states.ACKNOWLEDGED,
    states.ACKNOWLEDGED: states.ACCEPTED,
    states.ACCEPTED: states.DIALOGUE,
    states.DIALOGUE: states.REMEDY_PROPOSED,
    states.REMEDY_PROPOSED: states.REMEDY_ACCEPTED,
    states.REMEDY_REFUSED: states.DIALOGUE,
    states.REMEDY_ACCEPTED: states.REMEDY_IMPLEMENTED,
    states.REMEDY_IMPLEMENTED: states.CLOSED,
    states.NOT_ADMISSIBLE: states.CLOSED,
}
"""The step a case usually takes next, for the expected timeline."""

OUTCOME_LABELS = {
    "apology": gettext_lazy("Apology"),
    "restitution": gettext_lazy("Restitution"),
    "rehabilitation": gettext_lazy("Rehabilitation"),
    "compensation": gettext_lazy("Compensation"),
    "cessation": gettext_lazy("The harm stopped"),
    "non_repetition": gettext_lazy("Guarantee of non-repetition"),
    "explanation": gettext_lazy("Explanation of an automated decision"),
}


# The case as the complainant sees it -------------------------------------------------------


def timeline(grievance: Grievance) -> list[dict[str, Any]]:
    """The steps taken (with when and why) and those expected next (with by when)."""
    steps: list[dict[str, Any]] = []
    for transition in grievance.transitions.select_related("actor"):
        steps.append(_step(transition.to_state, "done", at=transition.created_at))
        steps[-1]["reason"] = transition.reason if _reason_shown(grievance, transition) else ""
    if steps and grievance.state != states.CLOSED:
        steps[-1].update(status="current", due_at=grievance.due_at, overdue=grievance.overdue)
    expected = grievance.due_at
    state, seen = NEXT_STEP.get(grievance.state), {grievance.state}
    while state and state not in seen:
        seen.add(state)
        steps.append(_step(state, "upcoming", expected_by=expected))
        days = grievance.mechanism.deadline_for(state)
        expected = expected + timedelta(days=days) if expected and days else None
        state = NEXT_STEP.get(state)
    return steps


def _reason_shown(grievance: Grievance, transition: Any) -> bool:
    """Which reasons the complainant reads: why a case is not admissible, closed or refused
    (the secretariat's, or their own), and the remedy proposed. A remedy a member company
    wrote for a complainant who fears reprisal is not shown: the secretariat passes on what
    is needed (a proposal whose author is unknown, say a deleted account, is not shown)."""
    if not transition.reason:
        return False
    if transition.by_complainant or transition.to_state in states.REASON_REQUIRED:
        return True
    if transition.to_state != states.REMEDY_PROPOSED:
        return False
    if not grievance.fear_of_reprisal:
        return True
    return transition.actor is not None and access.is_secretariat(transition.actor, grievance)


def _step(state: str, status: str, **extra: Any) -> dict[str, Any]:
    return {
        "state": state,
        "label": str(STATE_LABELS.get(state, state)),
        "help": str(STATE_HELP.get(state, "")),
        "status": status,
        "at": None,
        "due_at": None,
        "overdue": False,
        "expected_by": None,
        "reason": "",
        **extra,
    }


CLOSED_NOT_ADMISSIBLE = gettext_lazy(
    "The case is closed without a remedy: it was not admissible. The reason above says where "
    "else you can go."
)


def _state_help(grievance: Grievance) -> str:
    """What the case's step means for the complainant (a case closed as not admissible had
    no remedy to check on)."""
    if grievance.state == states.CLOSED and (
        grievance.transitions.filter(to_state=states.NOT_ADMISSIBLE).exists()
    ):
        return str(CLOSED_NOT_ADMISSIBLE)
    return str(STATE_HELP.get(grievance.state, ""))


def case_view(grievance: Grievance) -> dict[str, Any]:
    """What the complainant may see of a case: never internal notes nor staff names."""
    outcome = Outcome.objects.filter(grievance=grievance).first()
    return {
        "case_code": grievance.case_code,
        "mechanism": grievance.mechanism.name,
        "state": grievance.state,
        "state_label": str(STATE_LABELS.get(grievance.state, grievance.state)),
        "state_help": _state_help(grievance),
        "received_at": grievance.created_at,
        "due_at": grievance.due_at,
        "overdue": grievance.overdue,
        "steps": timeline(grievance),
        "messages": [
            {
                "from_complainant": m.from_complainant,
                "body": m.body,
                "created_at": m.created_at,
            }
            for m in grievance.messages.filter(internal=False)
        ],
        "outcome": None
        if outcome is None
        else {
            "remedy_types": list(outcome.remedy_types),
            "remedy_labels": [str(OUTCOME_LABELS.get(t, t)) for t in outcome.remedy_types],
            "description": outcome.description,
            "satisfaction": outcome.satisfaction,
        },
        "can_decide": grievance.state == states.REMEDY_PROPOSED,
        "proposal": _proposal(grievance) if grievance.state == states.REMEDY_PROPOSED else "",
    }


def _proposal(grievance: Grievance) -> str:
    """What the remedy now proposed is, as written when it was proposed (if shown)."""
    proposed = (
        grievance.transitions.filter(to_state=states.REMEDY_PROPOSED)
        .select_related("actor")
        .order_by("-created_at", "-id")
        .first()
    )
    return proposed.reason if proposed and _reason_shown(grievance, proposed) else ""


# Pages ---------------------------------------------------------------------------------------


def _put_errors(form: Form, error: ValidationError) -> None:
    """Show an action's ``ValidationError`` on the form, by field where it names one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@require_safe
def mechanisms(request: HttpRequest) -> HttpResponse:
    """Every mechanism a person can complain to."""
    rows = [
        {"name": m.name, "slug": m.slug, "description": m.description}
        for m in Mechanism.objects.all()
    ]
    return render(request, "remedy/public/mechanisms.html", {"mechanisms": rows})


def _companies(mechanism: Mechanism) -> list[str]:
    names: list[str] = []
    for member in mechanism.members.select_related("organisation").order_by("organisation__name"):
        names.append(member.organisation.name)
        products = [p.strip() for p in member.products.splitlines() if p.strip()]
        names.extend(f"{member.organisation.name}: {p}" for p in products)
    return names


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def intake(request: HttpRequest, slug: str) -> HttpResponse:
    """The complaint form; on success, the receipt (shown only once it is stored)."""
    mechanism = Mechanism.objects.select_related("organisation").filter(slug=slug).first()
    if mechanism is None:
        raise Http404(_("There is no such grievance mechanism."))
    companies = _companies(mechanism)
    context: dict[str, Any] = {"mechanism": {"name": mechanism.name, "slug": mechanism.slug}}
    if request.method != "POST":
        form = IntakeForm(companies=companies, initial={"started": start_token()})
        return render(request, "remedy/public/intake.html", {**context, "form": form})
    started = request.POST.get("started", "")
    data = request.POST.copy()
    if not started_form_kept(started):
        data["started"] = start_token()  # a fresh start time, if the form is shown again
    form = IntakeForm(data, request.FILES, companies=companies)
    status = 400
    sent = [(name, value) for name, values in request.POST.lists() for value in values]
    sent += [(f"file:{f.name}", str(f.size)) for f in request.FILES.getlist("files")]
    key = form_key(started, sent)
    if request.POST.get("website") or not filled_by_a_person(started):
        form.add_error(None, _("We could not accept the form. Wait a moment and send it again."))
    elif (stored := _sent_before(mechanism, key)) is not None:
        # The same filling of the form again (a reload of the receipt page): nothing new.
        return render(request, "remedy/public/already_received.html", {**context, **stored})
    elif form.is_valid() and _acceptable(form):
        # Only a complaint that would be stored counts against the limit: a person who
        # corrects the form's errors is never locked out by them.
        if not ratelimit.hit(request, "intake"):
            form.add_error(
                None, _("Too many complaints were sent from here. Try again in an hour.")
            )
            status = 429
        else:
            try:
                receipt = _submit(mechanism, form, key)
            except ValidationError as error:
                _put_errors(form, error)
            except actions.IdempotencyConflict:  # sent twice at once: the other one stored it
                stored = _sent_before(mechanism, key) or {}
                return render(request, "remedy/public/already_received.html", {**context, **stored})
            else:
                page = render(
                    request, "remedy/public/receipt.html", {**context, "receipt": receipt}
                )
                return page
    context["files_again"] = bool(request.FILES.getlist("files"))  # never kept across sends
    return render(request, "remedy/public/intake.html", {**context, "form": form}, status=status)


def _acceptable(form: IntakeForm) -> bool:
    """Whether the complaint passes the rules it is stored by (errors put on the form)."""
    try:
        fields = actions.clean_submission(form.submission())
        actions.check_parties(fields, form.identity_data() or {})
    except ValidationError as error:
        _put_errors(form, error)
        return False
    return True


def started_form_kept(started: str) -> bool:
    """Whether the form shown again keeps its start token: yes, so that correcting errors
    and sending it is still the same filling (one complaint however often it is sent)."""
    return bool(started) and filled_by_a_person(started)


def _sent_before(mechanism: Mechanism, key: str) -> dict[str, Any] | None:
    case_code = (
        Grievance.objects.filter(mechanism=mechanism, source=None, idempotency_key=key)
        .values_list("case_code", flat=True)
        .first()
    )
    return {"case_code": case_code} if case_code else None


def _submit(mechanism: Mechanism, form: IntakeForm, key: str) -> actions.Receipt:
    data = {**form.submission(), "language": (get_language() or "en")[:2]}
    with transaction.atomic():
        grievance, receipt, _new = actions.submit_grievance(
            mechanism, data, identity=form.identity_data(), idempotency_key=key
        )
        for filename, content in form.cleaned_data["files"]:
            attachments.add_attachment(grievance, filename, content)
    return receipt


STATUS_ACTIONS = ("open", "reply", "decide", "rate")


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def status(request: HttpRequest) -> HttpResponse:
    """The case opened with its code and passphrase (sent again with every action)."""
    if request.method != "POST":
        return render(request, "remedy/public/status_form.html", {"form": ReceiptForm()})
    form = ReceiptForm(request.POST)
    if not form.is_valid():
        return render(request, "remedy/public/status_form.html", {"form": form}, status=400)
    code, passphrase = form.cleaned_data["case_code"], form.cleaned_data["passphrase"]
    try:
        # Only wrong receipts count against the limit (guessing is what it stops).
        grievance = ratelimit.guarded(
            request, "status", lambda: actions.find_by_receipt(code, passphrase), NotFound
        )
    except NotFound:
        form.add_error(None, _("No case matches this case code and passphrase. Check both."))
        return render(request, "remedy/public/status_form.html", {"form": form}, status=404)
    if grievance is None:
        form.add_error(None, _("Too many attempts from here. Wait ten minutes and try again."))
        return render(request, "remedy/public/status_form.html", {"form": form}, status=429)
    action = request.POST.get("action", "open")
    forms, notice, failed = _act(
        request, action if action in STATUS_ACTIONS else "open", code, passphrase
    )
    grievance.refresh_from_db()
    if failed and action == "decide" and grievance.state != states.REMEDY_PROPOSED:
        # The same decision sent again (a reload): it was recorded the first time.
        failed, notice = False, _("Your decision was recorded.")
    context = {
        "case": case_view(grievance),
        "credentials": {"case_code": code, "passphrase": passphrase},
        "notice": notice,
        # a refused form is further down: named at the top, linked
        "problem_in": {"reply": "reply", "decide": "decide", "rate": "rate"}.get(action, "")
        if failed
        else "",
        **forms,
    }
    page = render(request, "remedy/public/status.html", context, status=400 if failed else 200)
    return page


def _act(
    request: HttpRequest, action: str, code: str, passphrase: str
) -> tuple[dict[str, Form], str, bool]:
    """Carry out the action posted with the receipt; the forms to show and a notice."""
    posted = request.POST if action != "open" else None
    forms: dict[str, Form] = {
        "reply_form": ReplyForm(posted if action == "reply" else None, prefix="reply"),
        "decision_form": DecisionForm(posted if action == "decide" else None, prefix="decide"),
        "satisfaction_form": SatisfactionForm(posted if action == "rate" else None, prefix="rate"),
    }
    if action == "open":
        return forms, "", False
    if action == "reply" and not ratelimit.hit(request, "reply"):
        forms["reply_form"].add_error(
            None, _("Too many messages from here. Wait ten minutes; your text is still here.")
        )
        return forms, "", True
    form = forms[
        {"reply": "reply_form", "decide": "decision_form", "rate": "satisfaction_form"}[action]
    ]
    if not form.is_valid():
        return forms, "", True
    try:
        notice = _write(action, form.cleaned_data, code, passphrase)
    except (ValidationError, PermissionDenied) as error:
        if isinstance(error, PermissionDenied):
            error = ValidationError(str(error))
        _put_errors(form, error)
        return forms, "", True
    forms[next(k for k, v in forms.items() if v is form)] = type(form)(prefix=form.prefix)
    return forms, notice, False


def _write(action: str, data: dict[str, Any], code: str, passphrase: str) -> str:
    if action == "reply":
        actions.complainant_message(code, passphrase, data["body"])
        return _("Your message was sent.")
    if action == "decide":
        accept = data["decision"] == "accept"
        actions.complainant_decide(code, passphrase, accept=accept, reason=data["reason"])
        return _("Your decision was recorded.")
    actions.complainant_satisfaction(code, passphrase, data["satisfaction"])
    return _("Thank you. Your answer was recorded.")
