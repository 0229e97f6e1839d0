"""Pages of the UNGP check. Views are thin: they read through ``access`` and ``results``, write
through ``actions``, and hand templates small plain contexts (dicts, no ORM objects)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ungpkit.analysis.model import finding_from_dict
from ungpkit.analysis.rationale import rationale_in
from ungpkit.apps.accounts.access import is_platform_admin
from ungpkit.apps.accounts.errors import NotFound
from ungpkit.apps.accounts.models import Organisation
from ungpkit.apps.accounts.signin import signin_required
from ungpkit.apps.check import access, actions, results
from ungpkit.apps.check.forms import (
    MODE_LABELS,
    STATUS_LABELS,
    STRENGTH_LABELS,
    CompareForm,
    FilterForm,
    OverlapForm,
    ReviewForm,
    UploadForm,
)
from ungpkit.apps.check.models import Assessment, AssessmentState, ReviewDecision
from ungpkit.framework import default_framework
from ungpkit.framework.models import Grid

STATE_LABELS = dict(AssessmentState.choices)
DECISION_LABELS = dict(ReviewDecision.choices)
CHANGE_LABELS = {
    "new": gettext_lazy("Newly covered"),
    "lost": gettext_lazy("No longer covered"),
    "strengthened": gettext_lazy("Strengthened"),
    "weakened": gettext_lazy("Weakened"),
    "unchanged": gettext_lazy("Unchanged"),
}
OVERLAP_LABELS = {
    "duplicated": gettext_lazy("Same duty in several laws"),
    "divergent": gettext_lazy("Several laws, different answers"),
    "single": gettext_lazy("One law only"),
    "none": gettext_lazy("No law"),
}
EXPORTS = (
    ("pdf", gettext_lazy("PDF")),
    ("html", gettext_lazy("Web page (HTML)")),
    ("docx", gettext_lazy("Word (DOCX)")),
    ("md", gettext_lazy("Markdown")),
    ("json", gettext_lazy("JSON")),
    ("csv", gettext_lazy("Spreadsheet (CSV)")),
    ("checklist", gettext_lazy("Labelled checklist for evaluation (YAML)")),
)


def _lang() -> str:
    return (get_language() or "en")[:2]


def _grid(grid_id: str) -> Grid | None:
    try:
        return default_framework().grid(grid_id)
    except KeyError:
        return None


def _title(grid: Grid | None, element_id: str) -> str:
    try:
        return grid.element(element_id).title.get(_lang()) if grid else element_id
    except KeyError:
        return element_id


def _stage_title(grid: Grid | None, stage_id: str) -> str:
    try:
        return grid.stage(stage_id).title.get(_lang()) if grid else stage_id
    except KeyError:
        return stage_id


def _put_errors(form: Form, error: ValidationError) -> None:
    """Show an action's ``ValidationError`` on the form, by field where it names one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _assessment_row(item: Assessment) -> dict[str, Any]:
    grid = _grid(item.grid)
    return {
        "id": item.pk,
        "title": item.document.title,
        "organisation": item.organisation.name,
        "grid": grid.title.get(_lang()) if grid else item.grid,
        "state": item.state,
        "state_label": STATE_LABELS.get(item.state, item.state),
        "progress": item.progress,
        "is_public": item.is_public,
        "created_at": item.created_at,
        "url": reverse("check:assessment", args=[item.pk]),
    }


def _choice_label(row: dict[str, Any]) -> str:
    return f"{row['title']} ({row['organisation']}, #{row['id']})"


def _finished_choices(user: Any) -> list[tuple[int, str]]:
    finished = access.visible_assessments(user).filter(state=AssessmentState.DONE)[:200]
    return [(item.pk, _choice_label(_assessment_row(item))) for item in finished]


def _checkable_organisations(user: Any) -> list[tuple[int, str]]:
    if not user.is_authenticated:
        return []
    if is_platform_admin(user):
        organisations = Organisation.objects.all()
    else:
        ids = access.organisations_with_role(user, access.CHECKER_ROLES)
        organisations = Organisation.objects.filter(pk__in=ids)
    return [(o.pk, o.name) for o in organisations.order_by("name")]


# Dashboard and upload ----------------------------------------------------------------------


@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    """My organisations' laws and their checks, and every public assessment."""
    user = request.user
    documents = []
    for document in access.visible_documents(user).prefetch_related("assessments")[:100]:
        documents.append(
            {
                "id": document.pk,
                "title": document.title,
                "organisation": document.organisation.name,
                "created_at": document.created_at,
                "pages": document.pages,
                "url": reverse("check:document", args=[document.pk]),
                "assessments": [
                    _assessment_row(a)
                    for a in document.assessments.select_related("document", "organisation")
                ],
            }
        )
    public = access.visible_assessments(user).filter(is_public=True, state=AssessmentState.DONE)[
        :100
    ]
    context = {
        "documents": documents,
        "public_assessments": [_assessment_row(a) for a in public],
        "can_upload": bool(_checkable_organisations(user)),
    }
    return render(request, "check/dashboard.html", context)


@signin_required
@require_http_methods(["GET", "HEAD", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    """Upload a law or paste its text, then queue its check and show the progress page."""
    organisations = _checkable_organisations(request.user)
    if not organisations:
        raise PermissionDenied(_("You may not run checks for any organisation."))
    if request.method != "POST":
        form = UploadForm(organisations=organisations, initial={"grid": "regulation"})
        return render(request, "check/upload.html", {"form": form})
    form = UploadForm(request.POST, request.FILES, organisations=organisations)
    if form.is_valid():
        try:
            assessment = _upload_and_check(request.user, form.cleaned_data)
        except ValidationError as error:
            _put_errors(form, error)
        else:
            return redirect("check:progress", pk=assessment.pk)
    return render(request, "check/upload.html", {"form": form}, status=400)


def _upload_and_check(user: Any, data: dict[str, Any]) -> Assessment:
    if data["file"]:
        upload = data["file"]
        document = actions.upload_document(
            user,
            data["organisation"],
            filename=upload.name or "upload",
            data=upload.read(),
            title=data["title"],
        )
    else:
        document = actions.paste_text(
            user, data["organisation"], text=data["text"], title=data["title"]
        )
    return actions.request_assessment(user, document.pk, grid=data["grid"], lang=data["lang"])


# Progress --------------------------------------------------------------------------------


@require_safe
def progress(request: HttpRequest, pk: int) -> HttpResponse:
    """How far the check has gone; the assessment page once it is done."""
    actions.recover_stale_assessments()
    item = access.access_assessment(request.user, pk)
    done_url = reverse("check:assessment", args=[item.pk])
    polling = request.headers.get("HX-Request") == "true"
    if item.state == AssessmentState.DONE:
        if polling:
            response = HttpResponse(status=204)
            response["HX-Redirect"] = done_url
            return response
        return redirect(done_url)
    context = {
        "assessment": _assessment_row(item),
        "error": _(item.error) if item.error else "",  # a stored message id is translated
        "auto_refresh": request.GET.get("refresh") != "off",
        "active": item.state in (AssessmentState.QUEUED, AssessmentState.RUNNING),
    }
    template = "check/_progress_status.html" if polling else "check/progress.html"
    return render(request, template, context)


# The assessment page ---------------------------------------------------------------------


def _segments(text: str, highlights: list[list[int]]) -> list[tuple[str, bool]]:
    """Split ``text`` into (piece, highlighted) runs from [start, end] offsets."""
    spans = sorted((max(0, s), min(len(text), e)) for s, e in highlights if e > s)
    pieces: list[tuple[str, bool]] = []
    position = 0
    for start, end in spans:
        start = max(start, position)
        if start >= end:
            continue
        if start > position:
            pieces.append((text[position:start], False))
        pieces.append((text[start:end], True))
        position = end
    if position < len(text):
        pieces.append((text[position:], False))
    return pieces


def _evidence(evidence: dict[str, Any], document_url: str) -> dict[str, Any]:
    return {
        "passage_id": evidence["passage_id"],
        "locator": evidence.get("locator", ""),
        "page": evidence.get("page"),
        "segments": _segments(evidence.get("text", ""), evidence.get("highlights", [])),
        "url": f"{document_url}#passage-{evidence['passage_id']}",
        "mode": evidence.get("mode") or "",
        "mode_label": MODE_LABELS.get(evidence.get("mode") or "", ""),
    }


def _review(review: Any, locators: dict[str, str]) -> dict[str, Any]:
    reviewer = review.reviewer
    return {
        "reviewer": (reviewer.get_full_name() or reviewer.username) if reviewer else _("Unknown"),
        "when": review.created_at,
        "decision": review.decision,
        "decision_label": DECISION_LABELS.get(review.decision, review.decision),
        "status_label": STATUS_LABELS.get(review.status, "") if review.status else "",
        "strength_label": STRENGTH_LABELS.get(review.strength, "") if review.strength else "",
        "locators": [locators.get(p, p) for p in review.passage_ids],
        "comment": review.comment,
    }


def _finding(
    item: results.ReviewedFinding, grid: Grid | None, context: dict[str, Any]
) -> dict[str, Any]:
    machine = item.machine
    element = item.element
    recommendation = None
    if results.is_gap(results.reviewed_status(item)):
        # The reviewer's correction decides: a finding corrected to partial or absent is a
        # gap with its recommendation, one corrected to met is not.
        try:
            recommendation = grid.element(element).recommendation.get(_lang()) if grid else None
        except KeyError:
            recommendation = None
        recommendation = recommendation or machine.get("recommendation")
    strength = machine.get("strength") or ""
    return {
        "element": element,
        "anchor": f"finding-{element}",
        "title": _title(grid, element),
        "stage": machine["stage"],
        "stage_title": _stage_title(grid, machine["stage"]),
        "status": machine["status"],
        "status_label": STATUS_LABELS.get(machine["status"], machine["status"]),
        "strength": strength,
        "strength_label": STRENGTH_LABELS.get(strength, ""),
        "rationale": _rationale(machine, grid),
        "recommendation": recommendation,
        "evidence": [_evidence(e, context["document_url"]) for e in machine.get("evidence", [])],
        "reviewed": bool(item.reviews),
        "reviewed_status": item.status,
        "reviewed_status_label": STATUS_LABELS.get(item.status, item.status),
        "reviewed_strength_label": STRENGTH_LABELS.get(item.strength or "", ""),
        "reviews": [_review(r, context["locators"]) for r in item.reviews],
        "review_url": reverse("check:review", args=[context["id"], element]),
    }


def _rationale(machine: dict[str, Any], grid: Grid | None) -> str:
    """The finding's rationale in the reader's language (stored ones in the document's)."""
    if grid is None:
        return str(machine.get("rationale", ""))
    try:
        element = grid.element(str(machine["element"]))
    except KeyError:
        return str(machine.get("rationale", ""))
    return rationale_in(finding_from_dict(machine), element, _lang())


def _stage_chart(grid: Grid | None, findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Counts per stage, with the bar widths (percent of the stage's elements)."""
    stage_ids = [s.id for s in grid.stages] if grid else []
    for finding in findings:
        if finding["stage"] not in stage_ids:
            stage_ids.append(finding["stage"])
    chart = []
    for stage_id in stage_ids:
        statuses = [f["status"] for f in findings if f["stage"] == stage_id]
        total = len(statuses) or 1
        counts = {s: statuses.count(s) for s in ("met", "partial", "absent", "not_applicable")}
        offset = 0.0
        bars = []
        for status in ("met", "partial", "absent"):
            width = round(100 * counts[status] / total, 2)
            bars.append({"status": status, "x": offset, "width": width})
            offset += width
        chart.append(
            {"id": stage_id, "title": _stage_title(grid, stage_id), "bars": bars, **counts}
        )
    return chart


def _filtered(findings: list[dict[str, Any]], filters: dict[str, str]) -> list[dict[str, Any]]:
    stage, status, strength = filters.get("stage"), filters.get("status"), filters.get("strength")
    return [
        f
        for f in findings
        if (not stage or f["stage"] == stage)
        and (not status or f["reviewed_status"] == status)
        and (not strength or (f["strength"] or "none") == strength)
    ]


def _document_url(user: Any, item: Assessment) -> str:
    """The document view this user may open: the upload itself, or the public assessment's."""
    try:
        access.access_document(user, item.document_id)
    except NotFound:
        return reverse("check:assessment_document", args=[item.pk])
    return reverse("check:document", args=[item.document_id])


@require_safe
def assessment(request: HttpRequest, pk: int) -> HttpResponse:
    """The summary by stage, the gaps, and every finding with its evidence and reviews."""
    item = access.access_assessment(request.user, pk)
    if item.state != AssessmentState.DONE:
        return redirect("check:progress", pk=item.pk)
    grid = _grid(item.grid)
    base = {
        "id": item.pk,
        "document_url": _document_url(request.user, item),
        "locators": {p["id"]: p["locator"] for p in item.document.passages},
    }
    findings = [_finding(f, grid, base) for f in results.reviewed_findings(item)]
    stages = [(s.id, s.title.get(_lang())) for s in grid.stages] if grid else []
    filters = FilterForm(request.GET or None, stages=stages)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    shown = _filtered(findings, chosen)
    context = {
        "assessment": _assessment_row(item),
        "document_url": base["document_url"],
        "chart": _stage_chart(grid, findings),
        "filters": filters,
        "filtered": any(chosen.values()),
        "findings": shown,
        "stages": [
            {"id": sid, "title": title, "findings": [f for f in shown if f["stage"] == sid]}
            for sid, title in stages
        ],
        "total": len(findings),
        "gaps": [f for f in findings if f["recommendation"]],
        "can_review": access.can_review(request.user, item.organisation_id),
        "can_manage": access.can_manage(request.user, item),
        "exports": [
            {"label": label, "url": reverse("check:export", args=[item.pk, fmt])}
            for fmt, label in EXPORTS
        ],
        "warnings": list((item.result or {}).get("warnings", [])),
    }
    return render(request, "check/assessment.html", context)


@signin_required
@require_http_methods(["GET", "HEAD", "POST"])
def review(request: HttpRequest, pk: int, element: str) -> HttpResponse:
    """Accept, reject or correct one finding; the machine's answer is kept beside it."""
    item = access.access_assessment(request.user, pk)
    if not access.can_review(request.user, item.organisation_id):
        raise PermissionDenied(_("You may not review this assessment."))
    if item.state != AssessmentState.DONE:
        return redirect("check:progress", pk=item.pk)
    machine = next((f for f in item.findings if f["element"] == element), None)
    if machine is None:
        raise Http404(_("This assessment has no such element."))
    passages = [
        (p["id"], f"{p['locator'] or p['id']}: {p['text'][:160]}") for p in item.document.passages
    ]
    if request.method == "POST":
        form = ReviewForm(request.POST, passages=passages)
        if form.is_valid():
            try:
                actions.review_finding(request.user, item.pk, element, **form.cleaned_data)
            except ValidationError as error:
                _put_errors(form, error)
            else:
                messages.success(request, _("Your review is saved."))
                url = reverse("check:assessment", args=[item.pk])
                return HttpResponseRedirect(f"{url}#finding-{element}")
    else:
        evidence = [e["passage_id"] for e in machine.get("evidence", [])]
        form = ReviewForm(passages=passages, initial={"passage_ids": evidence})
    grid = _grid(item.grid)
    base = {
        "id": item.pk,
        "document_url": _document_url(request.user, item),
        "locators": {p["id"]: p["locator"] for p in item.document.passages},
    }
    finding = next(
        _finding(f, grid, base) for f in results.reviewed_findings(item) if f.element == element
    )
    context = {"assessment": _assessment_row(item), "finding": finding, "form": form}
    return render(request, "check/review.html", context, status=400 if form.is_bound else 200)


@signin_required
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    """Make an assessment public, or private again."""
    public = request.POST.get("public") == "1"
    actions.set_public(request.user, pk, public)
    if public:
        messages.success(request, _("The assessment is now public: anyone can read it."))
    else:
        messages.success(request, _("The assessment is now private to your organisation."))
    return redirect("check:assessment", pk=pk)


@require_safe
def export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """Download the assessment in one format (or the reviewers' labelled checklist)."""
    from ungpkit.apps.check import exports

    item = access.access_assessment(request.user, pk)
    if item.state != AssessmentState.DONE:
        return redirect("check:progress", pk=item.pk)
    try:
        if fmt == "checklist":
            file = exports.export_checklist(request.user, item.pk)
        else:
            file = exports.export_assessment(request.user, item.pk, fmt, lang=_lang())
    except ValidationError as error:
        raise Http404(_("There is no such download.")) from error
    response = HttpResponse(file.content, content_type=file.content_type)
    response["Content-Disposition"] = f'attachment; filename="{file.filename}"'
    return response


# The document view -----------------------------------------------------------------------


def _document_context(document: Any, assessments: list[Assessment]) -> dict[str, Any]:
    return {
        "document": {
            "id": document.pk,
            "title": document.title,
            "organisation": document.organisation.name,
            "filename": document.filename,
            "format": document.format,
            "language": document.language,
            "pages": document.pages,
            "created_at": document.created_at,
        },
        "passages": [
            {
                "id": p["id"],
                "locator": p.get("locator") or "",
                "kind": p.get("kind") or "",
                "page": p.get("page"),
                "heading": p.get("heading") or "",
                "text": p.get("text") or "",
            }
            for p in document.passages
        ],
        "assessments": [_assessment_row(a) for a in assessments],
    }


@require_safe
def document(request: HttpRequest, pk: int) -> HttpResponse:
    """Every passage of an upload, each anchored (``#passage-<id>``) for evidence links."""
    law = access.access_document(request.user, pk)
    visible = access.visible_assessments(request.user).filter(document_id=law.pk)
    return render(request, "check/document.html", _document_context(law, list(visible)))


@require_safe
def assessment_document(request: HttpRequest, pk: int) -> HttpResponse:
    """The document of an assessment, for readers of a public assessment."""
    item = access.access_assessment(request.user, pk)
    return render(request, "check/document.html", _document_context(item.document, [item]))


# Compare and overlap ---------------------------------------------------------------------


def _cell(finding: Any) -> dict[str, str]:
    status = finding.status.value
    strength = finding.strength.value if finding.strength else ""
    return {
        "status": status,
        "status_label": str(STATUS_LABELS.get(status, status)),
        "strength_label": str(STRENGTH_LABELS.get(strength, "")),
    }


@require_safe
def compare(request: HttpRequest) -> HttpResponse:
    """Two drafts side by side: what each element became in the newer one."""
    choices = _finished_choices(request.user)
    form = CompareForm(request.GET or None, assessments=choices)
    context: dict[str, Any] = {"form": form, "rows": None, "enough": len(choices) >= 2}
    if form.is_valid():
        try:
            comparison = results.compare_assessments(
                request.user, form.cleaned_data["old"], form.cleaned_data["new"]
            )
        except ValidationError as error:
            _put_errors(form, error)
        else:
            grid = _grid(comparison.new.grid)
            context["rows"] = [
                {
                    "title": _title(grid, change.element),
                    "stage_title": _stage_title(grid, change.stage),
                    "old": _cell(change.old),
                    "new": _cell(change.new),
                    "change": change.change.value,
                    "change_label": CHANGE_LABELS[change.change.value],
                }
                for change in comparison.changes
            ]
            context["counts"] = [
                {"change": key, "label": CHANGE_LABELS[key], "count": count}
                for key, count in comparison.counts().items()
            ]
            context["old_title"] = comparison.old.document.title
            context["new_title"] = comparison.new.document.title
    return render(request, "check/compare.html", context)


@require_safe
def overlap(request: HttpRequest) -> HttpResponse:
    """Several laws side by side: where the same duty appears more than once."""
    choices = _finished_choices(request.user)
    form = OverlapForm(request.GET or None, assessments=choices)
    context: dict[str, Any] = {"form": form, "rows": None, "enough": len(choices) >= 2}
    if form.is_valid():
        try:
            table = results.overlap_assessments(request.user, form.cleaned_data["ids"])
        except ValidationError as error:
            _put_errors(form, error)
        else:
            grid = _grid(table.assessments[0].grid)
            context["laws"] = table.titles()
            context["rows"] = [
                {
                    "title": _title(grid, row.element),
                    "stage_title": _stage_title(grid, row.stage),
                    "kind": row.kind.value,
                    "kind_label": OVERLAP_LABELS[row.kind.value],
                    "cells": [_cell(cell) for cell in row.cells],
                }
                for row in table.rows
            ]
    return render(request, "check/overlap.html", context)
