"""The UNGP check in the JSON API, mounted at /api/check/: upload laws and drafts, run the
check, read findings, review them, compare drafts, look at overlaps and export.

Handlers are thin: writes go through ``actions``, reads through ``access`` and ``results``,
which check permission. A document or assessment you may not see answers 404 exactly like
one that does not exist. Public assessments can be read without signing in.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from ungpkit.apps.accounts.api import PersonOut
from ungpkit.apps.accounts.errors import NotFound
from ungpkit.apps.check import access, actions, exports, results
from ungpkit.apps.check.models import Assessment, LawDocument
from ungpkit.framework import default_framework
from ungpkit.web.api import ERRORS, OPTIONAL_AUTH, Page, actor

router = Router(tags=["check"])

ExportFormat = Literal["html", "json", "csv", "md", "pdf", "docx"]


# Schemas ----------------------------------------------------------------------------------


class StageOut(Schema):
    """A stage of a grid (a group of elements)."""

    id: str
    title: str


class ElementOut(Schema):
    """An element the check looks for."""

    id: str
    stage: str
    title: str


class GridOut(Schema):
    """An assessment grid the check can use."""

    id: str = Field(description="Pass this as `grid` when requesting an assessment.")
    kind: str = Field(description="regulation, report or questionnaire.")
    version: str
    title: str
    description: str
    stages: list[StageOut]
    elements: list[ElementOut]


class DocumentOut(Schema):
    """An uploaded (or pasted) law or draft, as the engine read it."""

    id: int
    organisation: int = Field(description="The organisation's id.")
    title: str
    filename: str
    size: int = Field(description="Size of the original file in bytes.")
    sha256: str
    format: str = Field(description="pdf, docx, html, markdown or text.")
    language: str = Field(description="The language the engine detected.")
    pages: int | None
    passages: int = Field(description="How many passages the engine found.")
    warnings: list[str] = Field(description="What the engine noticed while reading.")
    uploaded_by: PersonOut | None
    created_at: datetime

    @staticmethod
    def resolve_organisation(document: LawDocument) -> int:
        return int(document.organisation_id)

    @staticmethod
    def resolve_passages(document: LawDocument) -> int:
        return len(document.passages)


class PassageOut(Schema):
    """A passage of a document, which findings cite as evidence."""

    id: str
    locator: str = Field(description="Where it is, as the law numbers it (e.g. 'Art. 9(2)').")
    kind: str
    page: int | None
    heading: str | None
    text: str


class PastedTextIn(Schema):
    """The text of a law or draft, pasted (Markdown headings and numbering are recognised)."""

    organisation: int = Field(description="The organisation the document belongs to.")
    text: str
    title: str = ""


class DocumentRef(Schema):
    """The document an assessment is of."""

    id: int
    title: str


class AssessmentOut(Schema):
    """One run of the check on one document with one grid."""

    id: int
    document: DocumentRef
    organisation: int = Field(description="The organisation's id.")
    grid: str
    lang: str = Field(description="The analysis language; empty means detected.")
    state: str = Field(description="queued, running, done or failed.")
    progress: int = Field(description="Percentage done while running.")
    error: str = Field(description="Why the check failed, when it did.")
    summary: dict[str, int] | None = Field(
        description="How many findings have each status (met, partial, absent, "
        "not_applicable), once done."
    )
    is_public: bool = Field(description="Anyone may read a public assessment.")
    created_by: PersonOut | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None

    @staticmethod
    def resolve_organisation(assessment: Assessment) -> int:
        return int(assessment.organisation_id)

    @staticmethod
    def resolve_summary(assessment: Assessment) -> dict[str, int] | None:
        summary = (assessment.result or {}).get("summary")
        return dict(summary) if summary else None


class AssessmentIn(Schema):
    """Which grid and language to check the document with."""

    grid: str = Field("regulation", description="A grid id from /api/check/grids.")
    lang: str = Field("", description="en, fr, es or ko; empty to detect it.")


class EvidenceOut(Schema):
    """A passage quoted as evidence for a finding."""

    passage_id: str
    locator: str
    page: int | None
    text: str
    score: float
    strength: str = Field(description="binding, best_efforts, voluntary or aspirational.")
    operative: bool
    cues: list[str] = Field(description="The cues that matched.")
    facets: list[str]
    highlights: list[list[int]] = Field(description="[start, end] offsets in `text`.")
    marker: str | None = None
    mode: str | None = None


class MachineFindingOut(Schema):
    """The engine's answer for one element, as it produced it (never overwritten)."""

    id: str = Field(description="Deterministic: same document, element and analyser.")
    status: str = Field(description="met, partial, absent or not_applicable.")
    strength: str | None
    evidence: list[EvidenceOut]
    rationale: str
    recommendation: str | None
    facets_found: list[str]
    facets_missing: list[str]
    analyser: str
    analyser_version: str


class ReviewOut(Schema):
    """A reviewer's decision on one finding, stored beside the machine's answer."""

    id: int
    assessment: int = Field(description="The assessment's id.")
    element: str
    decision: str = Field(description="accept, reject or correct.")
    status: str = Field(description="The corrected status (for corrections).")
    strength: str = Field(description="The corrected strength (for corrections).")
    passage_ids: list[str] = Field(description="The corrected evidence (for corrections).")
    comment: str
    machine_status: str = Field(description="The machine's status when it was reviewed.")
    machine_strength: str
    reviewer: PersonOut | None
    created_at: datetime

    @staticmethod
    def resolve_assessment(review: Any) -> int:
        return int(review.assessment_id)


class ReviewedOut(Schema):
    """Where the finding stands after review (the latest review decides)."""

    status: str = Field(description="The machine's status, the corrected one, or 'rejected'.")
    strength: str | None
    decision: str | None = Field(description="The latest decision, or null if not reviewed.")
    reviews: int = Field(description="How many reviews the finding received.")
    latest: ReviewOut | None


class FindingOut(Schema):
    """One element of the grid: the machine's finding and its reviewed status."""

    element: str
    stage: str
    machine: MachineFindingOut
    reviewed: ReviewedOut


class ReviewIn(Schema):
    """A decision on one finding. A correction gives the right status (and optionally the
    strength and evidence passages); a rejection says why in the comment."""

    element: str = Field(description="The element id of the finding.")
    decision: Literal["accept", "reject", "correct"]
    status: str = Field("", description="For corrections: met, partial, absent or not_applicable.")
    strength: str = Field(
        "", description="For corrections: binding, best_efforts, voluntary or aspirational."
    )
    passage_ids: list[str] = Field(
        default_factory=list, description="For corrections: the passages that are evidence."
    )
    comment: str = ""


class SideOut(Schema):
    """An element's finding in one draft."""

    status: str
    strength: str | None
    locators: list[str]
    evidence: list[dict[str, str]] = Field(description="Up to two quoted passages.")


class ChangeOut(Schema):
    """How one element changed between drafts."""

    element: str
    stage: str
    change: str = Field(description="new, lost, strengthened, weakened or unchanged.")
    old: SideOut
    new: SideOut


class LawRef(Schema):
    title: str
    source: str


class ComparisonOut(Schema):
    """Two assessments of drafts of the same text with the same grid."""

    schema_: str = Field(alias="schema")
    old: LawRef
    new: LawRef
    grid: str
    summary: dict[str, int] = Field(description="How many elements changed in each way.")
    changes: list[ChangeOut]


class OverlapCellOut(Schema):
    law: str
    status: str
    strength: str | None
    locators: list[str]


class OverlapRowOut(Schema):
    """One element across every law."""

    element: str
    stage: str
    overlap: str = Field(description="How the laws cover the element together.")
    laws: list[OverlapCellOut]


class OverlapOut(Schema):
    """Every element of the grid against several laws."""

    schema_: str = Field(alias="schema")
    grid: str
    laws: list[LawRef]
    rows: list[OverlapRowOut]


# Helpers ----------------------------------------------------------------------------------


def _lang(lang: str | None) -> str:
    return (lang or translation.get_language() or "en")[:2]


def _grid_out(grid: Any, lang: str) -> dict[str, Any]:
    return {
        "id": grid.id,
        "kind": grid.kind,
        "version": grid.version,
        "title": grid.title.get(lang),
        "description": grid.description.get(lang),
        "stages": [{"id": s.id, "title": s.title.get(lang)} for s in grid.stages],
        "elements": [
            {"id": e.id, "stage": e.stage, "title": e.title.get(lang)} for e in grid.elements
        ],
    }


def _finding_out(item: results.ReviewedFinding) -> dict[str, Any]:
    latest = item.latest
    return {
        "element": item.element,
        "stage": item.machine.get("stage", ""),
        "machine": item.machine,
        "reviewed": {
            "status": item.status,
            "strength": item.strength,
            "decision": latest.decision if latest else None,
            "reviews": len(item.reviews),
            "latest": latest,
        },
    }


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# Grids ------------------------------------------------------------------------------------


@router.get("/grids", response={200: list[GridOut], **ERRORS}, auth=OPTIONAL_AUTH)
def list_grids(request: HttpRequest, lang: str | None = None) -> Any:
    """The grids the check can use, with their stages and elements, titled in ``lang``
    (default: the request's language). Anyone may read them."""
    return [_grid_out(grid, _lang(lang)) for grid in default_framework().grids]


# Documents --------------------------------------------------------------------------------


@router.post("/documents", response={201: DocumentOut, **ERRORS})
def upload_document(
    request: HttpRequest,
    organisation: Form[int],
    file: File[UploadedFile],
    title: Form[str] = "",
) -> Any:
    """Upload a law or draft (PDF, DOCX, HTML, Markdown or text) for an organisation you may
    run checks for. A file the engine cannot read is refused (422) with its explanation."""
    limit = int(getattr(settings, "UNGPKIT_MAX_UPLOAD_BYTES", 50 << 20))
    data = file.read(limit + 1)  # one byte more than allowed is enough to refuse it
    document = actions.upload_document(
        actor(request), organisation, filename=file.name or "upload", data=data, title=title
    )
    return Status(201, document)


@router.post("/documents/text", response={201: DocumentOut, **ERRORS})
def paste_text(request: HttpRequest, payload: PastedTextIn) -> Any:
    """Store pasted text as a document of an organisation you may run checks for."""
    document = actions.paste_text(
        actor(request), payload.organisation, text=payload.text, title=payload.title
    )
    return Status(201, document)


@router.get("/documents", response={200: list[DocumentOut], **ERRORS})
@paginate(Page)
def list_documents(request: HttpRequest, organisation: int | None = None) -> Any:
    """Documents of your organisations, newest first; filter by ``organisation``."""
    documents = access.visible_documents(actor(request)).select_related("uploaded_by")
    if organisation is not None:
        documents = documents.filter(organisation_id=organisation)
    return documents


@router.get("/documents/{document_id}", response={200: DocumentOut, **ERRORS})
def get_document(request: HttpRequest, document_id: int) -> Any:
    """One document of your organisations."""
    return access.access_document(actor(request), document_id)


@router.get("/documents/{document_id}/passages", response={200: list[PassageOut], **ERRORS})
@paginate(Page)
def list_passages(request: HttpRequest, document_id: int) -> Any:
    """The passages of a document in reading order, as findings cite them."""
    return access.access_document(actor(request), document_id).passages


@router.post("/documents/{document_id}/assessments", response={202: AssessmentOut, **ERRORS})
def request_assessment(request: HttpRequest, document_id: int, payload: AssessmentIn) -> Any:
    """Check a document with a grid. The check runs in the background: poll the assessment
    until its ``state`` is ``done`` (or ``failed``, with the reason in ``error``)."""
    user = actor(request)
    assessment = actions.request_assessment(user, document_id, grid=payload.grid, lang=payload.lang)
    return Status(202, access.access_assessment(user, assessment.pk))


# Assessments ------------------------------------------------------------------------------


@router.get("/assessments", response={200: list[AssessmentOut], **ERRORS}, auth=OPTIONAL_AUTH)
@paginate(Page)
def list_assessments(
    request: HttpRequest,
    document: int | None = None,
    state: str | None = None,
    public: bool | None = None,
) -> Any:
    """Assessments you may see (your organisations' and every public one), newest first.
    Without signing in, the public ones."""
    assessments = access.visible_assessments(actor(request)).select_related("created_by")
    if document is not None:
        assessments = assessments.filter(document_id=document)
    if state:
        assessments = assessments.filter(state=state)
    if public is not None:
        assessments = assessments.filter(is_public=public)
    return assessments


@router.get(
    "/assessments/{assessment_id}", response={200: AssessmentOut, **ERRORS}, auth=OPTIONAL_AUTH
)
def get_assessment(request: HttpRequest, assessment_id: int) -> Any:
    """An assessment's state, progress, error and summary by status."""
    return access.access_assessment(actor(request), assessment_id)


@router.get(
    "/assessments/{assessment_id}/findings",
    response={200: list[FindingOut], **ERRORS},
    auth=OPTIONAL_AUTH,
)
@paginate(Page)
def list_findings(
    request: HttpRequest,
    assessment_id: int,
    stage: str | None = None,
    status: str | None = None,
) -> Any:
    """Every finding in grid order: the machine's answer and where it stands after review.
    Filter by ``stage`` or by reviewed ``status``. Empty until the check is done."""
    assessment = access.access_assessment(actor(request), assessment_id)
    items = [_finding_out(item) for item in results.reviewed_findings(assessment)]
    return [
        item
        for item in items
        if (stage is None or item["stage"] == stage)
        and (status is None or item["reviewed"]["status"] == status)
    ]


@router.get(
    "/assessments/{assessment_id}/findings/{element}",
    response={200: FindingOut, **ERRORS},
    auth=OPTIONAL_AUTH,
)
def get_finding(request: HttpRequest, assessment_id: int, element: str) -> Any:
    """One finding, by element id."""
    assessment = access.access_assessment(actor(request), assessment_id)
    for item in results.reviewed_findings(assessment):
        if item.element == element:
            return _finding_out(item)
    raise NotFound(_("This assessment has no such element."))


@router.post("/assessments/{assessment_id}/reviews", response={201: ReviewOut, **ERRORS})
def review_finding(request: HttpRequest, assessment_id: int, payload: ReviewIn) -> Any:
    """Accept, reject or correct a finding (reviewers of the assessment's organisation).
    The machine's answer stays as it was; the review is stored beside it."""
    review = actions.review_finding(
        actor(request),
        assessment_id,
        payload.element,
        decision=payload.decision,
        status=payload.status,
        strength=payload.strength,
        passage_ids=payload.passage_ids,
        comment=payload.comment,
    )
    return Status(201, review)


@router.get(
    "/assessments/{assessment_id}/reviews",
    response={200: list[ReviewOut], **ERRORS},
    auth=OPTIONAL_AUTH,
)
@paginate(Page)
def list_reviews(request: HttpRequest, assessment_id: int, element: str | None = None) -> Any:
    """The reviews of an assessment, oldest first; filter by ``element``."""
    assessment = access.access_assessment(actor(request), assessment_id)
    reviews = assessment.reviews.select_related("reviewer").order_by("created_at", "id")
    return reviews.filter(element=element) if element else reviews


@router.post("/assessments/{assessment_id}/publish", response={200: AssessmentOut, **ERRORS})
def publish(request: HttpRequest, assessment_id: int) -> Any:
    """Make an assessment public: anyone may then read it (its author or an administrator)."""
    return actions.set_public(actor(request), assessment_id, True)


@router.post("/assessments/{assessment_id}/unpublish", response={200: AssessmentOut, **ERRORS})
def unpublish(request: HttpRequest, assessment_id: int) -> Any:
    """Make an assessment private to its organisation again."""
    return actions.set_public(actor(request), assessment_id, False)


@router.get(
    "/assessments/{assessment_id}/export/{fmt}",
    response={200: None, **ERRORS},
    auth=OPTIONAL_AUTH,
    openapi_extra={
        "responses": {
            "200": {
                "description": "The file, as an attachment.",
                "content": {
                    content_type.split(";")[0]: {"schema": {"type": "string", "format": "binary"}}
                    for content_type in exports.CONTENT_TYPES.values()
                },
            }
        }
    },
)
def export(
    request: HttpRequest, assessment_id: int, fmt: ExportFormat, lang: str | None = None
) -> Any:
    """Download a finished assessment with its reviews as HTML, JSON, CSV, Markdown, PDF or
    DOCX, in ``lang`` (default: the request's language)."""
    file = exports.export_assessment(actor(request), assessment_id, fmt, lang=lang)
    return _download(file.content, file.content_type, file.filename)


@router.get(
    "/assessments/{assessment_id}/checklist",
    response={200: None, **ERRORS},
    auth=OPTIONAL_AUTH,
    openapi_extra={
        "responses": {
            "200": {
                "description": "The labelled checklist (YAML) for `ungpkit eval`.",
                "content": {"application/yaml": {"schema": {"type": "string"}}},
            }
        }
    },
)
def checklist(request: HttpRequest, assessment_id: int) -> Any:
    """The reviewed findings as a labelled checklist for `ungpkit eval`: accepted and
    corrected findings become labels; rejections without a correction are left out."""
    text = results.checklist_yaml(actor(request), assessment_id)
    return _download(
        text.encode("utf-8"),
        "application/yaml; charset=utf-8",
        f"checklist-{assessment_id}.yaml",
    )


# Across assessments -----------------------------------------------------------------------


@router.get("/compare", response={200: ComparisonOut, **ERRORS}, auth=OPTIONAL_AUTH, by_alias=True)
def compare(request: HttpRequest, old: int, new: int) -> Any:
    """What changed between two finished assessments made with the same grid (e.g. two
    drafts of one law): new, lost, strengthened, weakened or unchanged, per element."""
    return results.compare_assessments(actor(request), old, new).to_dict()


@router.get("/overlap", response={200: OverlapOut, **ERRORS}, auth=OPTIONAL_AUTH, by_alias=True)
def overlap(request: HttpRequest, ids: Query[list[int]]) -> Any:
    """How several finished assessments (``ids``, at least two, same grid) cover each
    element together: gaps, duplicates and complements across laws."""
    return results.overlap_assessments(actor(request), ids).to_dict()
