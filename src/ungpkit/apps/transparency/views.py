"""Pages of the transparency app (under /<lang>/transparency/).

Public: the list of mechanisms and each one's statistics with downloads, read from the
latest snapshot only. Staff: the recurring issues (secretariat: every member; a member's
staff: their own) with their export, and the GP31 self-assessment (secretariat). Views are
thin: reads go through ``access``, ``public`` and ``review``; writes through ``actions``.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import OuterRef, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ungpkit.apps.accounts.signin import signin_required
from ungpkit.apps.remedy.models import Mechanism
from ungpkit.apps.transparency import access, actions, exports, labels, public, review
from ungpkit.apps.transparency.forms import SelfAssessmentForm, initial
from ungpkit.apps.transparency.models import StatisticsSnapshot

DOWNLOAD_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json"}


def _download(content: str, filename: str, fmt: str) -> HttpResponse:
    response = HttpResponse(content, content_type=DOWNLOAD_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


# Public pages ------------------------------------------------------------------------------


@require_safe
def mechanisms(request: HttpRequest) -> HttpResponse:
    """Every mechanism, with when its statistics were last computed."""
    latest = StatisticsSnapshot.objects.filter(mechanism=OuterRef("pk")).order_by(
        "-computed_at", "-id"
    )
    rows = [
        {"name": m.name, "slug": m.slug, "description": m.description, "computed_at": m.latest}
        for m in Mechanism.objects.annotate(latest=Subquery(latest.values("computed_at")[:1]))
    ]
    staff = [
        {"name": m.name, "slug": m.slug, "secretariat": secretariat}
        for m, secretariat in access.staff_mechanisms(request.user)
    ]
    return render(
        request, "transparency/mechanisms.html", {"mechanisms": rows, "staff_mechanisms": staff}
    )


def _statistics(slug: str) -> tuple[Mechanism, dict[str, Any] | None]:
    mechanism = access.public_mechanism(slug)
    snapshot = public.latest_snapshot(mechanism)
    return mechanism, (public.public_statistics(mechanism, snapshot) if snapshot else None)


@require_safe
def statistics(request: HttpRequest, slug: str) -> HttpResponse:
    """A mechanism's statistics as charts with their data tables, and the downloads."""
    mechanism, data = _statistics(slug)
    context: dict[str, Any] = {
        "mechanism": {"name": mechanism.name, "slug": mechanism.slug},
        "data": data,
    }
    if data is not None:
        context["charts"] = [public.chart(table) for table in data["tables"]]
    return render(request, "transparency/statistics.html", context)


@require_safe
def statistics_download(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    """The statistics as CSV or JSON, with the labels in the page's language."""
    if fmt not in DOWNLOAD_TYPES:
        raise Http404(_("There is no such download."))
    mechanism, data = _statistics(slug)
    if data is None:
        raise Http404(_("No statistics have been published for this mechanism yet."))
    content = exports.statistics_csv(data) if fmt == "csv" else exports.to_json(data)
    return _download(content, f"{mechanism.slug}-statistics", fmt)


# Recurring issues --------------------------------------------------------------------------


def _issues(request: HttpRequest, slug: str) -> tuple[access.LearningScope, list[dict], Any]:
    scope = access.learning_scope(request.user, slug)
    row = (
        StatisticsSnapshot.objects.filter(mechanism=scope.mechanism)
        .order_by("-computed_at", "-id")
        .values_list("issues", "computed_at")
        .first()
    )
    issues, computed_at = row if row else ([], None)
    member = request.GET.get("member", "")
    shown = [
        issue
        for issue in issues
        if scope.allows(issue["member_id"]) and (not member or str(issue["member_id"]) == member)
    ]
    return scope, shown, computed_at


@signin_required
@require_safe
@never_cache
def issues(request: HttpRequest, slug: str) -> HttpResponse:
    """Recurring issues per member and product, most frequent first."""
    scope, shown, computed_at = _issues(request, slug)
    rows = [
        {
            **exports.issue_row(issue, scope.mechanism.slug),
            "recurring": issue["recurring"],
            "severity_label": str(labels.SEVERITY_LABELS.get(issue["severity_max"], "")),
            "likelihood_label": str(labels.LIKELIHOOD_LABELS.get(issue["likelihood"], "")),
            "status_label": str(labels.ISSUE_STATUS_LABELS.get(issue["status"], "")),
            "share_resolved_percent": round(issue["share_resolved"] * 100),
        }
        for issue in shown
    ]
    members = sorted({(i["member_id"], i["member"]) for i in shown if i["member_id"]})
    context = {
        "mechanism": {"name": scope.mechanism.name, "slug": scope.mechanism.slug},
        "secretariat": scope.secretariat,
        "computed_at": computed_at,
        "issues": rows,
        "recurring": sum(1 for row in rows if row["recurring"]),
        "members": [{"id": pk, "name": name} for pk, name in members],
        "member": request.GET.get("member", ""),
    }
    return render(request, "transparency/issues.html", context)


@signin_required
@require_safe
@never_cache
def issues_download(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    """The issues you may see, as a risk register takes them in (CSV or JSON)."""
    if fmt not in DOWNLOAD_TYPES:
        raise Http404(_("There is no such download."))
    scope, shown, _computed_at = _issues(request, slug)
    rows = [exports.issue_row(issue, scope.mechanism.slug) for issue in shown]
    content = exports.issues_csv(rows) if fmt == "csv" else exports.to_json(rows)
    return _download(content, f"{scope.mechanism.slug}-issues", fmt)


# The GP31 self-assessment ------------------------------------------------------------------


@signin_required
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def self_assessment(request: HttpRequest, slug: str) -> HttpResponse:
    """The secretariat answers the GP31 questions, with the indicators beside each criterion."""
    mechanism = access.secretariat_mechanism(request.user, slug)
    view = review.self_assessment_view(mechanism)
    status = 200
    if request.method == "POST":
        form = SelfAssessmentForm(request.POST, criteria=view["criteria"])
        if form.is_valid():
            try:
                actions.save_self_assessment(
                    request.user,
                    slug,
                    form.answers(),
                    publish_summary=form.cleaned_data["publish_summary"],
                )
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                messages.success(request, _("The self-assessment was saved."))
                return redirect(reverse("transparency:self_assessment", args=[slug]))
        status = 400
    else:
        form = SelfAssessmentForm(initial=initial(view), criteria=view["criteria"])
    context = {
        "mechanism": {"name": mechanism.name, "slug": mechanism.slug},
        "view": view,
        "form": form,
        "sections": form.sections(),
    }
    return render(request, "transparency/self_assessment.html", context, status=status)


@signin_required
@require_POST
def publish(request: HttpRequest, slug: str) -> HttpResponse:
    """Compute the statistics, issues and indicators again now (the secretariat only)."""
    mechanism = access.secretariat_mechanism(request.user, slug)
    actions.request_statistics(request.user, mechanism)
    messages.success(
        request, _("The statistics are being computed again. Reload the page in a moment.")
    )
    target = request.POST.get("next", "")
    allowed = {
        reverse("transparency:issues", args=[slug]),
        reverse("transparency:self_assessment", args=[slug]),
    }
    return redirect(target if target in allowed else reverse("transparency:issues", args=[slug]))
