"""Staff pages of triage (under /<lang>/triage/): the priority queue, one case's triage, the
clusters of mass complaints and the collective cases.

Views are thin: reads go through ``access``, ``queue`` and ``queries``, writes through
``actions``; templates get small plain contexts. What a user may not see is "not found".
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from ungpkit.apps.accounts.signin import signin_required
from ungpkit.apps.remedy import access as remedy_access
from ungpkit.apps.remedy import queries as remedy_queries
from ungpkit.apps.remedy.models import Mechanism
from ungpkit.apps.triage import access, actions, clusters, queries, queue, records
from ungpkit.apps.triage.forms import (
    AddMembersForm,
    CollectiveMessageForm,
    CollectiveMoveForm,
    CollectiveOutcomeForm,
    MergeForm,
    QueueFilterForm,
    TriageForm,
)


def _put_errors(form: Form, error: ValidationError) -> None:
    """Show an action's ``ValidationError`` on the form, by field where it names one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _mechanism_links(scope: access.Reach) -> list[dict[str, str]]:
    return [
        {"name": m.name, "slug": m.slug}
        for m in access.mechanisms(scope).order_by("name").only("name", "slug")
    ]


# The priority queue ------------------------------------------------------------------------


@signin_required
@require_safe
def queue_page(request: HttpRequest, slug: str = "") -> HttpResponse:
    """Open cases, the most severe and urgent first, then the oldest."""
    scope = access.reach(request.user)
    mechanism = access.access_mechanism(scope, slug) if slug else None
    form = QueueFilterForm(request.GET or None, members=remedy_queries.member_choices(request.user))
    chosen = form.cleaned_data if form.is_valid() else {}
    filters = queue.QueueFilter(
        mechanism=mechanism.pk if mechanism else None,
        urgency=chosen.get("urgency") or "",
        right=chosen.get("right") or "",
        harm=chosen.get("harm") or "",
        member=chosen.get("member"),
    )
    after = queue.Position.parse(request.GET.get("after"))
    found = queue.page(scope, filters, after)
    following = None
    if found.next is not None:
        query = request.GET.copy()
        query["after"] = found.next.token
        following = f"?{query.urlencode()}"
    first = request.GET.copy()
    first.pop("after", None)
    context = {
        "form": form,
        "rows": found.rows,
        "next_page": following,
        "first_page": f"?{first.urlencode()}" if after is not None else None,
        "filtered": filters.narrowed,
        "works_here": scope.anything,
        "mechanism": {"name": mechanism.name, "slug": mechanism.slug} if mechanism else None,
        "mechanisms": _mechanism_links(scope),
        "start": after is None,
        "awaiting": _awaiting(scope, mechanism) if after is None else 0,
    }
    return render(request, "triage/queue.html", context)


def _awaiting(scope: access.Reach, mechanism: Any) -> int:
    """How many grievances of the mechanisms this user runs wait for the workers' triage
    (shown to their secretariat; a member sees a case once it is triaged and routed)."""
    if mechanism is not None:
        return (
            records.awaiting_count(Mechanism.objects.filter(pk=mechanism.pk))
            if scope.runs(mechanism.pk)
            else 0
        )
    if scope.admin:
        return records.awaiting_count()
    if not scope.mechanisms:
        return 0
    return records.awaiting_count(Mechanism.objects.filter(pk__in=scope.mechanisms))


# One case's triage ---------------------------------------------------------------------------


def _case_context(request: HttpRequest, pk: int, form: TriageForm | None = None) -> dict[str, Any]:
    record = actions.triage_record(request.user, pk)
    view = queries.triage_view(record)
    initial = {
        field: view[field]
        for field in ("rights", "harms", "urgency", "scale", "scope", "irremediability")
    }
    return {
        "case": view,
        "form": form or TriageForm(initial=initial),
        "can_confirm": remedy_access.is_secretariat(request.user, record.grievance),
    }


@signin_required
@require_safe
@never_cache
def case(request: HttpRequest, pk: int) -> HttpResponse:
    """The suggestions for one case with their reasons, and the form to confirm or correct."""
    return render(request, "triage/case.html", _case_context(request, pk))


@signin_required
@require_POST
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """Store the labels as confirmed (or corrected) by the member of staff."""
    record = actions.triage_record(request.user, pk)  # not found before anything else
    if not remedy_access.is_secretariat(request.user, record.grievance):
        raise PermissionDenied(_("Only the mechanism's secretariat confirms or corrects triage."))
    form = TriageForm(request.POST)
    if form.is_valid():
        try:
            actions.confirm_triage(request.user, pk, form.cleaned_data)
        except ValidationError as error:
            _put_errors(form, error)
        else:
            messages.success(request, _("The triage is confirmed and the priority updated."))
            return redirect(reverse("triage:case", args=[pk]))
    return render(request, "triage/case.html", _case_context(request, pk, form), status=400)


# Clusters ---------------------------------------------------------------------------------


@signin_required
@require_safe
def cluster_list(request: HttpRequest, slug: str = "") -> HttpResponse:
    """Mass complaints: clusters of near-duplicate texts or of one incident, biggest first."""
    scope = access.reach(request.user)
    mechanism = access.access_mechanism(scope, slug) if slug else None
    context = {
        "clusters": queries.clusters(scope, mechanism.pk if mechanism else None),
        "mechanism": _mechanism_context(scope, mechanism),
        "mechanisms": _mechanism_links(scope),
        "works_here": scope.anything,
    }
    return render(request, "triage/clusters.html", context)


def _mechanism_context(scope: access.Reach, mechanism: Mechanism | None) -> dict[str, Any] | None:
    if mechanism is None:
        return None
    return {"name": mechanism.name, "slug": mechanism.slug, "runs": scope.runs(mechanism.pk)}


@signin_required
@require_POST
def recluster(request: HttpRequest, slug: str) -> HttpResponse:
    """Look for clusters again among the mechanism's open grievances (the secretariat only)."""
    scope = access.reach(request.user)
    mechanism = access.access_mechanism(scope, slug)
    access.must_run(scope, mechanism.pk)
    result = clusters.recluster(mechanism, actor=request.user)
    messages.success(
        request,
        ngettext(
            "%(n)s cluster found among %(g)s open cases.",
            "%(n)s clusters found among %(g)s open cases.",
            result.clusters,
        )
        % {"n": result.clusters, "g": result.grievances},
    )
    return redirect(reverse("triage:mechanism_clusters", args=[slug]))


def _render_cluster(
    request: HttpRequest, pk: int, form: MergeForm | None = None, status: int = 200
) -> HttpResponse:
    scope = access.reach(request.user)
    cluster = access.access_cluster(scope, pk)
    view = queries.cluster_view(scope, cluster)
    context = {"cluster": view, "form": form or MergeForm(initial={"title": view["label"]})}
    return render(request, "triage/cluster.html", context, status=status)


@signin_required
@require_safe
def cluster(request: HttpRequest, pk: int) -> HttpResponse:
    """The grievances of one cluster."""
    return _render_cluster(request, pk)


@signin_required
@require_POST
def merge(request: HttpRequest, pk: int) -> HttpResponse:
    """Make the cluster a collective case (the secretariat only)."""
    form = MergeForm(request.POST)
    if not form.is_valid():
        return _render_cluster(request, pk, form, status=400)
    collective = actions.merge_cluster(request.user, pk, form.cleaned_data["title"])
    messages.success(request, _("The cluster is now a collective case."))
    return redirect(reverse("triage:collective", args=[collective.pk]))


# Collective cases -----------------------------------------------------------------------------


@signin_required
@require_safe
def collective_list(request: HttpRequest) -> HttpResponse:
    """Collective cases, newest first."""
    scope = access.reach(request.user)
    context = {"collectives": queries.collectives(scope), "works_here": scope.anything}
    return render(request, "triage/collectives.html", context)


def _render_collective(
    request: HttpRequest, pk: int, status: int = 200, **forms: Form
) -> HttpResponse:
    scope = access.reach(request.user)
    collective = access.access_collective(scope, pk)
    view = queries.collective_view(scope, collective)
    context = {
        "collective": view,
        "move_form": forms.get("move_form") or CollectiveMoveForm(next_states=view["next_states"]),
        "message_form": forms.get("message_form") or CollectiveMessageForm(),
        "outcome_form": forms.get("outcome_form") or CollectiveOutcomeForm(),
        "add_form": forms.get("add_form") or AddMembersForm(),
    }
    response = render(request, "triage/collective.html", context, status=status)
    response["Cache-Control"] = "no-store"
    return response


def _collective_url(pk: int, anchor: str = "") -> str:
    url = reverse("triage:collective", args=[pk])
    return f"{url}#{anchor}" if anchor else url


@signin_required
@require_safe
def collective(request: HttpRequest, pk: int) -> HttpResponse:
    """A collective case: its grievances, counts by step, and what to do next."""
    return _render_collective(request, pk)


def _secretariat(request: HttpRequest, pk: int) -> Any:
    scope = access.reach(request.user)
    found = access.access_collective(scope, pk)
    access.must_run(scope, found.mechanism_id)
    return found


@signin_required
@require_POST
def collective_move(request: HttpRequest, pk: int) -> HttpResponse:
    """Move every member grievance whose step allows it; the others are listed as skipped."""
    found = _secretariat(request, pk)
    view = queries.collective_view(access.reach(request.user), found)
    form = CollectiveMoveForm(request.POST, next_states=view["next_states"])
    if form.is_valid():
        target = form.cleaned_data["target"]
        try:
            result = actions.move_collective(request.user, pk, target, form.cleaned_data["reason"])
        except ValidationError as error:
            _put_errors(form, error)
        else:
            _report_move(request, result)
            return redirect(_collective_url(pk, "members"))
    return _render_collective(request, pk, 400, move_form=form)


def _report_move(request: HttpRequest, result: actions.CollectiveMove) -> None:
    step = remedy_queries.state_label(result.target)
    messages.success(
        request,
        ngettext(
            "%(n)s case moved to the step “%(step)s”.",
            "%(n)s cases moved to the step “%(step)s”.",
            len(result.moved),
        )
        % {"n": len(result.moved), "step": step},
    )
    if result.skipped:
        listed = "; ".join(
            f"{s.case_code} ({remedy_queries.state_label(s.state)})" for s in result.skipped
        )
        messages.warning(
            request,
            ngettext(
                "%(n)s case was skipped because its step does not allow this move: %(cases)s.",
                "%(n)s cases were skipped because their step does not allow this move: %(cases)s.",
                len(result.skipped),
            )
            % {"n": len(result.skipped), "cases": listed},
        )


@signin_required
@require_POST
def collective_message(request: HttpRequest, pk: int) -> HttpResponse:
    """Send one message to every complainant."""
    _secretariat(request, pk)
    form = CollectiveMessageForm(request.POST)
    if form.is_valid():
        try:
            sent = actions.message_collective(request.user, pk, form.cleaned_data["body"])
        except ValidationError as error:
            _put_errors(form, error)
        else:
            messages.success(
                request,
                ngettext(
                    "Your message is sent to %(n)s complainant.",
                    "Your message is sent to %(n)s complainants.",
                    sent,
                )
                % {"n": sent},
            )
            return redirect(_collective_url(pk, "message"))
    return _render_collective(request, pk, 400, message_form=form)


@signin_required
@require_POST
def collective_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the outcome on every member grievance."""
    _secretariat(request, pk)
    form = CollectiveOutcomeForm(request.POST)
    if form.is_valid():
        try:
            count = actions.record_collective_outcome(
                request.user,
                pk,
                form.cleaned_data["remedy_types"],
                form.cleaned_data["description"],
            )
        except ValidationError as error:
            _put_errors(form, error)
        else:
            messages.success(
                request,
                ngettext(
                    "The outcome is recorded in %(n)s case.",
                    "The outcome is recorded in %(n)s cases.",
                    count,
                )
                % {"n": count},
            )
            return redirect(_collective_url(pk, "outcome"))
    return _render_collective(request, pk, 400, outcome_form=form)


@signin_required
@require_POST
def collective_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Add single cases to the collective case, by case code."""
    found = _secretariat(request, pk)
    form = AddMembersForm(request.POST)
    if form.is_valid():
        try:
            ids = actions.grievance_ids_for_codes(found.mechanism, form.codes())
            added = actions.add_to_collective(request.user, pk, ids)
        except ValidationError as error:
            _put_errors(form, error)
        else:
            messages.success(
                request,
                ngettext(
                    "%(n)s case added to the collective case.",
                    "%(n)s cases added to the collective case.",
                    added,
                )
                % {"n": added},
            )
            return redirect(_collective_url(pk, "members"))
    return _render_collective(request, pk, 400, add_form=form)


@signin_required
@require_POST
def collective_remove(request: HttpRequest, pk: int, case_id: int) -> HttpResponse:
    """Take one case out of the collective case."""
    _secretariat(request, pk)
    try:
        actions.remove_from_collective(request.user, pk, case_id)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The case is taken out of the collective case."))
    return redirect(_collective_url(pk, "members"))
