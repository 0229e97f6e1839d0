"""The learning loop (GP31 g): issues that recur across grievances, per member company and
product, for the secretariat and for each member's due diligence.

An issue is a harm type engaging a right, at one member (and, when the complainant named
one of its products, that product). For each: how many grievances, first and last seen, the
highest severity triage gave, how many are resolved, and a likelihood from how often it came
up in the last twelve months. Issues carry no personal data and no case codes: a product is
named only when the complainant's words match a product the member declared.

``group_issues`` is plain Python over ``IssueCase`` records; ``mechanism_issues`` reads them
from the database a chunk at a time, so memory grows with the number of issues, not of
grievances.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from ungpkit.apps.remedy import states

RESOLVED_STATES = frozenset({states.REMEDY_IMPLEMENTED, states.CLOSED})
"""A grievance counts as resolved once its remedy is carried out or its case is closed."""

RECENT = timedelta(days=365)
RECURRING = 2
"""An issue recurs when at least this many grievances raised it."""

CHUNK = 5_000


def likelihood(recent: int) -> str:
    """How likely the issue is to arise again, from the grievances of the last 12 months:
    none: rare; 1: unlikely; 2-4: possible; 5-9: likely; 10 or more: almost certain."""
    if recent >= 10:
        return "almost_certain"
    if recent >= 5:
        return "likely"
    if recent >= 2:
        return "possible"
    return "unlikely" if recent == 1 else "rare"


def normalise(text: str) -> str:
    return " ".join(text.casefold().split())


def match_product(company_text: str, products: Sequence[str]) -> str:
    """The member's product the complainant named (the longest one their words contain),
    or "" when none matches."""
    words = normalise(company_text)
    if not words:
        return ""
    found = [p for p in products if normalise(p) and normalise(p) in words]
    return max(found, key=lambda p: (len(p), p)) if found else ""


def products_of(text: str) -> list[str]:
    """The products a member declared, one per line."""
    return [line.strip() for line in text.splitlines() if line.strip()]


@dataclass(frozen=True)
class IssueCase:
    """One grievance as the learning loop sees it, for one member it concerns."""

    member: int | None
    product: str
    harms: tuple[str, ...]
    rights: tuple[str, ...]
    created_at: datetime
    resolved: bool
    severity: int
    """The highest of triage's scale, scope and irremediability (0 to 3)."""


@dataclass
class Issue:
    """A harm type engaging a right at one member (and product), over its grievances."""

    member: int | None
    product: str
    harm: str
    right: str
    count: int = 0
    resolved: int = 0
    recent: int = 0
    severity_max: int = 0
    first_seen: datetime | None = None
    last_seen: datetime | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def add(self, case: IssueCase, since: datetime) -> None:
        self.count += 1
        self.resolved += case.resolved
        self.recent += case.created_at >= since
        self.severity_max = max(self.severity_max, case.severity)
        if self.first_seen is None or case.created_at < self.first_seen:
            self.first_seen = case.created_at
        if self.last_seen is None or case.created_at > self.last_seen:
            self.last_seen = case.created_at

    @property
    def status(self) -> str:
        return "resolved" if self.resolved == self.count else "open"

    @property
    def share_resolved(self) -> float:
        return round(self.resolved / self.count, 3) if self.count else 0.0


def group_issues(cases: Iterable[IssueCase], now: datetime) -> list[Issue]:
    """Group cases into issues (member × product × harm type × right), most frequent first."""
    since = now - RECENT
    issues: dict[tuple[int | None, str, str, str], Issue] = {}
    for case in cases:
        for harm in case.harms or ("",):
            for right in case.rights or ("",):
                key = (case.member, case.product, harm, right)
                issue = issues.get(key)
                if issue is None:
                    issue = issues[key] = Issue(case.member, case.product, harm, right)
                issue.add(case, since)
    return sorted(
        issues.values(),
        key=lambda i: (-i.count, -i.severity_max, i.member or 0, i.product, i.harm, i.right),
    )


def issue_id(mechanism_slug: str, member_key: str, issue: Issue) -> str:
    """A short id that stays the same from one computation to the next."""
    parts = (mechanism_slug, member_key, normalise(issue.product), issue.harm, issue.right)
    return "issue-" + hashlib.sha256("|".join(parts).encode()).hexdigest()[:12]


def issue_to_dict(
    issue: Issue, mechanism_slug: str, members: Mapping[int, tuple[str, str]]
) -> dict[str, Any]:
    """An issue as stored in a snapshot (member by id and name; dates as ISO text)."""
    member_key, member_name = members.get(issue.member, ("", "")) if issue.member else ("", "")
    return {
        "id": issue_id(mechanism_slug, member_key, issue),
        "member_id": issue.member,
        "member": member_name,
        "product": issue.product,
        "harm": issue.harm,
        "right": issue.right,
        "count": issue.count,
        "recent": issue.recent,
        "first_seen": issue.first_seen.date().isoformat() if issue.first_seen else "",
        "last_seen": issue.last_seen.date().isoformat() if issue.last_seen else "",
        "severity_max": issue.severity_max,
        "likelihood": likelihood(issue.recent),
        "status": issue.status,
        "share_resolved": issue.share_resolved,
        "recurring": issue.count >= RECURRING,
    }


# Reading the cases from the database ---------------------------------------------------------


def _severity(scale: int | None, scope: int | None, irremediability: int | None) -> int:
    return max(scale or 0, scope or 0, irremediability or 0)


def mechanism_cases(mechanism: Any) -> Iterator[IssueCase]:
    """Every (grievance, member) pair of ``mechanism``, and each grievance not routed yet,
    read in chunks."""
    from django.db.models import Exists, OuterRef

    from ungpkit.apps.remedy.models import CaseParty, Grievance, Member

    products = {
        member.pk: products_of(member.products)
        for member in Member.objects.filter(mechanism=mechanism)
    }
    matches: dict[tuple[int, str], str] = {}
    triage = (
        "triage__harms",
        "triage__rights",
        "triage__scale",
        "triage__scope",
        "triage__irremediability",
    )
    routed = (
        CaseParty.objects.filter(grievance__mechanism=mechanism)
        .order_by()
        .values_list(
            "member_id",
            "grievance__company_text",
            "grievance__created_at",
            "grievance__state",
            *(f"grievance__{name}" for name in triage),
        )
    )
    for member, company, created, state, harms, rights, *levels in routed.iterator(CHUNK):
        key = (member, company)
        if key not in matches:
            if len(matches) > 100_000:
                matches.clear()
            matches[key] = match_product(company, products.get(member, []))
        yield IssueCase(
            member,
            matches[key],
            tuple(harms or ()),
            tuple(rights or ()),
            created,
            state in RESOLVED_STATES,
            _severity(*levels),
        )
    parties = CaseParty.objects.filter(grievance=OuterRef("pk"))
    unrouted = (
        Grievance.objects.filter(mechanism=mechanism)
        .filter(~Exists(parties))
        .order_by()
        .values_list("created_at", "state", *triage)
    )
    for created, state, harms, rights, *levels in unrouted.iterator(CHUNK):
        yield IssueCase(
            None,
            "",
            tuple(harms or ()),
            tuple(rights or ()),
            created,
            state in RESOLVED_STATES,
            _severity(*levels),
        )
