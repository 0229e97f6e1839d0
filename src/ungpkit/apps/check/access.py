"""Reads that check permission. Each ``access_*`` returns the record or raises ``NotFound``,
the same whether it is missing or hidden from the user, so private uploads never leak."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from ungpkit.apps.accounts.access import is_platform_admin
from ungpkit.apps.accounts.errors import NotFound
from ungpkit.apps.accounts.models import Membership, Role
from ungpkit.apps.check.models import Assessment, LawDocument

CHECKER_ROLES = frozenset(
    {
        Role.REGULATOR,
        Role.EXPERT_REVIEWER,
        Role.COMPANY_MEMBER,
        Role.MECHANISM_STAFF,
        Role.ADMINISTRATOR,
    }
)
"""Roles that may upload laws and run checks for their organisation."""

REVIEWER_ROLES = frozenset({Role.REGULATOR, Role.EXPERT_REVIEWER, Role.ADMINISTRATOR})
"""Roles that may accept, reject or correct findings."""


def organisations_with_role(user: Any, roles: frozenset[Role]) -> list[int]:
    """Ids of the organisations where ``user`` holds one of ``roles``."""
    if not (user.is_authenticated and user.is_active):
        return []
    return list(
        Membership.objects.filter(user=user, role__in=roles).values_list(
            "organisation_id", flat=True
        )
    )


def member_organisations(user: Any) -> list[int]:
    """Ids of every organisation ``user`` belongs to."""
    if not (user.is_authenticated and user.is_active):
        return []
    return list(Membership.objects.filter(user=user).values_list("organisation_id", flat=True))


def _roles_in(user: Any, organisation_id: int) -> set[str]:
    if not (user.is_authenticated and user.is_active):
        return set()
    return set(
        Membership.objects.filter(user=user, organisation_id=organisation_id).values_list(
            "role", flat=True
        )
    )


def can_check(user: Any, organisation_id: int) -> bool:
    """Whether ``user`` may upload and check laws for the organisation."""
    return is_platform_admin(user) or bool(_roles_in(user, organisation_id) & CHECKER_ROLES)


def can_review(user: Any, organisation_id: int) -> bool:
    """Whether ``user`` may review findings of the organisation's assessments."""
    return is_platform_admin(user) or bool(_roles_in(user, organisation_id) & REVIEWER_ROLES)


def can_manage(user: Any, assessment: Assessment) -> bool:
    """Whether ``user`` may publish or unpublish an assessment (its author or an admin)."""
    if is_platform_admin(user):
        return True
    roles = _roles_in(user, assessment.organisation_id)
    return Role.ADMINISTRATOR in roles or (
        bool(roles) and assessment.created_by_id == getattr(user, "pk", None)
    )


def visible_documents(user: Any) -> QuerySet[LawDocument]:
    """The uploads ``user`` may see: those of their organisations."""
    documents = LawDocument.objects.select_related("organisation").defer("content", "parsed")
    if is_platform_admin(user):
        return documents
    return documents.filter(organisation_id__in=member_organisations(user))


def visible_assessments(user: Any) -> QuerySet[Assessment]:
    """The assessments ``user`` may see: their organisations' and every public one."""
    assessments = Assessment.objects.select_related("document", "organisation").defer(
        "document__content", "document__parsed"
    )
    if is_platform_admin(user):
        return assessments
    return assessments.filter(Q(organisation_id__in=member_organisations(user)) | Q(is_public=True))


def access_document(user: Any, document_id: int) -> LawDocument:
    """An upload ``user`` may see, or ``NotFound``."""
    document = visible_documents(user).filter(pk=document_id).first()
    if document is None:
        raise NotFound("No such document.")
    return document


def access_assessment(user: Any, assessment_id: int) -> Assessment:
    """An assessment ``user`` may see (their organisation's, or public), or ``NotFound``."""
    assessment = visible_assessments(user).filter(pk=assessment_id).first()
    if assessment is None:
        raise NotFound("No such assessment.")
    return assessment
