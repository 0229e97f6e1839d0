"""The public grievance API, mounted at /api/grievances: submit a grievance and follow it
with the case code and passphrase.

Anyone may submit (rate-limited per address). A partner organisation that collects
complaints sends its members' API token: its grievances are recorded as coming from it, and
an ``Idempotency-Key`` header makes a retried request answer with the first receipt (200)
instead of storing a duplicate (201). The case code and passphrase travel only in bodies.
"""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any

import orjson
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import BaseModel, field_validator

from ungpkit.apps.accounts.errors import NotFound
from ungpkit.apps.accounts.models import Membership, Organisation, Role
from ungpkit.apps.remedy import actions, states
from ungpkit.apps.remedy.countries import COUNTRY_CODES
from ungpkit.apps.remedy.models import Channel, Mechanism
from ungpkit.apps.remedy.public_views import case_view
from ungpkit.web import ratelimit
from ungpkit.web.api import ERRORS, OPTIONAL_AUTH, ApiError, actor

router = Router(tags=["grievances"])

PUBLIC_ERRORS: dict[int, Any] = {**ERRORS, 409: ApiError, 429: ApiError}


# Schemas ----------------------------------------------------------------------------------


# The two input models are plain pydantic models: Ninja's ``Schema`` adds a validator that
# reads Django objects and lazy attributes, which a request body never is (the documented
# schema is the same).


class IdentityIn(BaseModel):
    """Who the complainant is; stored encrypted, never logged."""

    name: str = Field("", max_length=200)
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=50)
    address: str = Field("", max_length=500, description="Postal address, for letters by post.")


class GrievanceIn(BaseModel):
    """A grievance, as a person or a partner organisation submits it."""

    mechanism: str = Field(description="The mechanism's short name, e.g. veridia-joint.")
    description: str = Field(
        description="What happened, in the person's words (10 to 20,000 characters). "
        "Kept in clear for triage: names only if the person wants."
    )
    happened_on: str = Field("", description="When, as the person says it.")
    country: str = Field("", description="ISO 3166-1 two-letter code, or empty.")

    @field_validator("country")
    @classmethod
    def _known_country(cls, value: str) -> str:
        code = value.strip().upper()
        if code and code not in COUNTRY_CODES:
            raise ValueError(_("Choose a country from the list."))
        return code

    company_text: str = Field("", description="The company, product or service concerned.")
    affected_who: str = Field("", description="Who is affected.")
    affected_count: int | None = Field(
        None, ge=0, le=2_000_000_000, description="About how many people."
    )
    ongoing: bool = False
    child_involved: bool = False
    fear_of_reprisal: bool = False
    wants: list[str] = Field(
        default_factory=list, description="Any of: " + ", ".join(states.WANTS) + "."
    )
    wants_other: str = ""
    contact_preference: str = Field("receipt", description="receipt, email, phone or post.")
    anonymous: bool = Field(True, description="False when `identity` is given.")
    identity: IdentityIn | None = Field(
        None, description="Name and contact details, only when not anonymous."
    )
    on_behalf: bool = Field(False, description="Made for another person or a group.")
    consent_record: str = Field(
        "", description="How the person or group represented agreed (required on behalf)."
    )
    reveal_identity_to_members: bool = Field(
        False, description="The member companies may see the identity."
    )
    language: str = Field("en", description="en, fr, es or ko.")


class ReceiptOut(Schema):
    """What the complainant keeps to follow the case. Shown once: store it safely."""

    case_code: str
    passphrase: str
    state: str = Field(description="The state of the case (received for a new one).")


class ReceiptIn(Schema):
    """A case code and its passphrase."""

    case_code: str = Field(max_length=32)
    passphrase: str = Field(max_length=64)


class StepOut(Schema):
    """A step of the case: done (with when and why), current (with its deadline) or
    upcoming (with the date it is expected by, from the mechanism's deadlines)."""

    state: str
    label: str
    help: str
    status: str = Field(description="done, current or upcoming.")
    at: datetime | None
    due_at: datetime | None
    overdue: bool
    expected_by: datetime | None
    reason: str


class MessageOut(Schema):
    """A message of the case the complainant may read (never internal notes)."""

    from_complainant: bool
    body: str
    created_at: datetime


class OutcomeOut(Schema):
    """The remedy the case ended with."""

    remedy_types: list[str]
    description: str
    satisfaction: int | None


class CaseStatusOut(Schema):
    """The case, as its complainant sees it."""

    case_code: str
    mechanism: str
    state: str
    state_label: str
    state_help: str
    received_at: datetime
    due_at: datetime | None
    overdue: bool
    steps: list[StepOut]
    messages: list[MessageOut]
    outcome: OutcomeOut | None
    can_decide: bool = Field(False, description="A remedy is proposed: accept or refuse it.")
    proposal: str = Field("", description="The remedy proposed, as written when proposed.")


class ReplyIn(ReceiptIn):
    """The complainant's answer, with the receipt."""

    body: str = Field(max_length=10_000)


# Endpoints --------------------------------------------------------------------------------


NOT_PARTNER_ROLES = (Role.PUBLIC, Role.RIGHTS_HOLDER)
"""Memberships that do not make a person a partner submitting for the organisation (and so
free of the public rate limit): every role that works for it does."""


def _partner(user: Any) -> Organisation | None:
    """The organisation a signed-in partner submits for (its first membership with a role
    that works for it); None for everyone else, who submits as the public does."""
    if user is None or not user.is_authenticated:
        return None
    membership = (
        Membership.objects.filter(user=user)
        .exclude(role__in=NOT_PARTNER_ROLES)
        .select_related("organisation")
        .order_by("pk")
        .first()
    )
    return membership.organisation if membership else None


class RecentMechanisms:
    """The mechanisms this process looked up lately, by short name, with their organisation
    (the audit entry names it). Looking one up cost as much as a sixth of a submission, for
    a record that rarely changes: it is reused for ``ttl`` seconds, and forgotten at once
    when a mechanism or organisation is saved or deleted in this process (other processes
    see such a change within ``ttl`` seconds)."""

    def __init__(self, ttl: float) -> None:
        self.ttl = ttl
        self._found: dict[str, tuple[float, Mechanism]] = {}

    def get(self, slug: str) -> Mechanism | None:
        """The mechanism called ``slug``, or None when there is none."""
        now = time.monotonic()
        found = self._found.get(slug)
        if found is not None and found[0] > now:
            return found[1]
        mechanism = Mechanism.objects.select_related("organisation").filter(slug=slug).first()
        if mechanism is not None:
            self._found[slug] = (now + self.ttl, mechanism)
        return mechanism

    def forget(self, **_signal: Any) -> None:
        """Forget every mechanism (a receiver of ``post_save`` and ``post_delete``)."""
        self._found = {}


mechanisms = RecentMechanisms(ttl=30.0)
for _signal in (post_save, post_delete):
    for _model in (Mechanism, Organisation):
        _signal.connect(mechanisms.forget, sender=_model, dispatch_uid="remedy.recent_mechanisms")


MAX_KEY = 128
"""The longest Idempotency-Key kept (the column's length): a longer one is refused, never cut,
since two keys cut to the same prefix would make the second complaint a 'retry'."""


def _case(request: HttpRequest, payload: ReceiptIn) -> Any:
    """The case a receipt opens; only wrong receipts count against the status limit."""
    grievance = ratelimit.guarded(
        request,
        "status",
        lambda: actions.find_by_receipt(payload.case_code, payload.passphrase),
        NotFound,
    )
    if grievance is None:
        raise HttpError(429, _("Too many requests from here. Wait a while and try again."))
    return grievance


def _throttle(request: HttpRequest, scope: str) -> None:
    if not ratelimit.hit(request, scope):
        raise HttpError(429, _("Too many requests from here. Wait a while and try again."))


@router.post(
    "",
    response={200: ReceiptOut, 201: ReceiptOut, **PUBLIC_ERRORS},
    auth=OPTIONAL_AUTH,
)
def submit_grievance(request: HttpRequest, payload: GrievanceIn) -> Any:
    """Submit a grievance and get its receipt (201). A partner's retry with the same
    `Idempotency-Key` header gets the first receipt again (200)."""
    source = _partner(actor(request))
    if source is None:
        _throttle(request, "intake")
    mechanism = mechanisms.get(payload.mechanism)
    if mechanism is None:
        raise HttpError(404, _("There is no such grievance mechanism."))
    data = payload.model_dump(exclude={"mechanism", "identity"})
    identity = payload.identity.model_dump() if payload.identity else None
    key = request.headers.get("Idempotency-Key", "") if source else ""
    if len(key) > MAX_KEY:
        raise HttpError(
            422, _("The Idempotency-Key is too long (at most %(n)s characters).") % {"n": MAX_KEY}
        )
    # The action writes in its own transaction; wrapping it in another would only add a
    # savepoint (two more round trips to the database) to every submission.
    try:
        grievance, receipt, created = actions.submit_grievance(
            mechanism,
            data,
            identity=identity,
            channel=Channel.API if source else Channel.WEB,
            source=source,
            idempotency_key=key,
        )
    except actions.IdempotencyConflict as exc:
        raise HttpError(409, str(exc)) from None
    # ReceiptOut's three strings, written directly: a mass complaint sends this endpoint
    # more requests than any other, and validating the answer through the schema cost a
    # twelfth of a submission.
    body = {"case_code": receipt.case_code, "passphrase": receipt.passphrase}
    return HttpResponse(
        orjson.dumps({**body, "state": grievance.state}),
        status=201 if created else 200,
        content_type="application/json; charset=utf-8",
    )


@router.post("/status", response={200: CaseStatusOut, **PUBLIC_ERRORS}, auth=None)
def grievance_status(request: HttpRequest, payload: ReceiptIn) -> Any:
    """The state of a case, its steps with the expected timeline, and its messages.
    A wrong code and a wrong passphrase give the same 404."""
    return case_view(_case(request, payload))


@router.post("/status/messages", response={201: MessageOut, **PUBLIC_ERRORS}, auth=None)
def reply_to_grievance(request: HttpRequest, payload: ReplyIn) -> Any:
    """Answer in the case, as its complainant."""
    _case(request, payload)
    _throttle(request, "reply")
    message = actions.complainant_message(payload.case_code, payload.passphrase, payload.body)
    return Status(201, message)
