"""Load the demo dataset into the configured database (idempotent: safe to run twice)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import django
from django.db import transaction

from ungpkit.demo.dataset import (
    COMPLAINT_COUNTRIES,
    DEMO_PASSWORD,
    DRAFTS,
    GRIEVANCES,
    MECHANISM,
    ORGANISATIONS,
    REVIEWS,
    USERS,
)

DATA = Path(__file__).parent / "data"


def load_demo() -> list[tuple[str, str]]:
    """Create the demo organisations and users; return (role, username) for each login."""
    django.setup()
    from django.contrib.auth import get_user_model

    from ungpkit.apps.accounts import actions
    from ungpkit.apps.accounts.models import Membership, Organisation

    user_model: Any = get_user_model()
    with transaction.atomic():
        admin = _user(user_model, USERS[0].username, USERS[0].first_name, superuser=True)
        organisations = {}
        for spec in ORGANISATIONS:
            existing = Organisation.objects.filter(name=spec.name).first()
            organisations[spec.key] = existing or actions.create_organisation(
                admin, name=spec.name, kind=spec.kind, country=spec.country
            )
        for spec in USERS:
            user = _user(user_model, spec.username, spec.first_name, spec.superuser)
            organisation = organisations[spec.organisation]
            if not Membership.objects.filter(user=user, organisation=organisation).exists():
                actions.add_member(admin, organisation.pk, user.pk, spec.role)
    _load_drafts(admin, organisations["ministry"], user_model)
    _load_mechanism(organisations, user_model)
    _load_mass_complaints()
    _load_transparency(user_model)
    return [(spec.role, spec.username) for spec in USERS]


def _load_drafts(admin: Any, ministry: Any, user_model: Any) -> None:
    """Upload and check the two drafts of Veridia's act, and record a reviewer's work."""
    from ungpkit.apps.check import actions
    from ungpkit.apps.check.models import Assessment, LawDocument

    if LawDocument.objects.filter(organisation=ministry).exists():
        return
    drafter = user_model.objects.get(username="drafter")
    assessments = []
    for filename, title in DRAFTS:
        data = (DATA / filename).read_bytes()
        with transaction.atomic():
            document = actions.upload_document(
                drafter, ministry.pk, filename=filename, data=data, title=title
            )
            assessment = actions.request_assessment(drafter, document.pk, grid="regulation")
        assessment = Assessment.objects.get(pk=assessment.pk)
        if assessment.state == "queued":  # a database queue with no worker yet: run it here
            from ungpkit.apps.check.tasks import run_assessment

            run_assessment.func(assessment.pk)
            assessment.refresh_from_db()
        assessments.append(assessment)
    for index, element, decision, status, comment in REVIEWS:
        actions.review_finding(
            drafter,
            assessments[index].pk,
            element,
            decision=decision,
            status=status,
            comment=comment,
        )
    actions.set_public(drafter, assessments[1].pk, True)


def _user(user_model: Any, username: str, first_name: str, superuser: bool) -> Any:
    user = user_model.objects.filter(username=username).first()
    if user is None:
        user = user_model(
            username=username,
            first_name=first_name,
            email=f"{username}@demo.invalid",
            is_staff=superuser,
            is_superuser=superuser,
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


def _load_mechanism(organisations: dict[str, Any], user_model: Any) -> None:
    """The joint grievance mechanism, its members and grievances at several stages."""
    from ungpkit.apps.remedy import actions
    from ungpkit.apps.remedy.models import Mechanism, Member

    if Mechanism.objects.filter(slug=MECHANISM["slug"]).exists():
        return
    staff = user_model.objects.get(username="staff")
    with transaction.atomic():
        mechanism = Mechanism.objects.create(
            slug=MECHANISM["slug"],
            name=MECHANISM["name"],
            organisation=organisations[MECHANISM["secretariat"]],
            description="An independent secretariat handles complaints about the services of "
            "its member companies.",
        )
        members = {
            key: Member.objects.create(
                mechanism=mechanism, organisation=organisations[key], products=products
            )
            for key, products in MECHANISM["members"]
        }
    for language, text, country, company, routed, steps in GRIEVANCES:
        grievance, _receipt, _new = actions.submit_grievance(
            mechanism,
            {
                "description": text,
                "country": country,
                "company_text": company,
                "language": language,
                "anonymous": True,
                "ongoing": True,
                "wants": ["explanation", "stop_harm"],
            },
        )
        if routed:
            actions.route(staff, grievance.pk, [members[key].pk for key in routed])
        for step in steps:
            actions.move(staff, grievance.pk, step, "")


def _mass_complaints() -> list[tuple[str, int, dict[str, Any]]]:
    """(language, days ago, form fields) of each mass complaint and background complaint of
    ``data/mass-complaints.json``."""
    data = json.loads((DATA / "mass-complaints.json").read_text(encoding="utf-8"))
    found = []
    for group in data["groups"]:
        for complaint in group["complaints"]:
            if "template" in group:
                language, days_ago, name, city = complaint
                text = group["template"][language].format(name=name, city=city)
            else:
                language, days_ago, text = complaint
            fields = {"company_text": group["company_text"], "ongoing": group["ongoing"]}
            found.append(
                (language, days_ago, {**fields, "description": text, "wants": group["wants"]})
            )
    for language, days_ago, company, text in data["background"]:
        found.append((language, days_ago, {"company_text": company, "description": text}))
    return found


def _load_mass_complaints() -> None:
    """A mass complaint (one breach, the same letter in two languages), one outage described
    in many ways, and unrelated complaints over three months; all triaged and clustered, so
    the priority queue and the clusters of the demo show something."""
    from datetime import timedelta

    from django.utils import timezone

    from ungpkit.apps.remedy import actions
    from ungpkit.apps.remedy.models import Grievance, Mechanism, Transition
    from ungpkit.apps.triage import clusters, records
    from ungpkit.apps.triage.models import TriageRecord

    mechanism = Mechanism.objects.get(slug=MECHANISM["slug"])
    complaints = _mass_complaints()
    if Grievance.objects.filter(description=complaints[0][2]["description"]).exists():
        return
    now = timezone.now()
    for number, (language, days_ago, fields) in enumerate(complaints):
        grievance, _receipt, _new = actions.submit_grievance(
            mechanism,
            {
                **fields,
                "language": language,
                "country": COMPLAINT_COUNTRIES[language],
                "anonymous": True,
            },
        )
        when = now - timedelta(days=days_ago, hours=number % 7, minutes=number)
        deadline = mechanism.deadline_for(grievance.state) or 0
        with transaction.atomic():
            Grievance.objects.filter(pk=grievance.pk).update(
                created_at=when, state_changed_at=when, due_at=when + timedelta(days=deadline)
            )
            Transition.objects.filter(grievance=grievance).update(created_at=when)
            TriageRecord.objects.filter(grievance=grievance).update(created_at=when)
    records.triage_pending(mechanism)
    records.refresh_priorities(mechanism)
    clusters.recluster(mechanism)


SELF_ASSESSMENT = {
    "gp31.a_legitimate.governance": ("partly", "The board has two civil society seats of five."),
    "gp31.a_legitimate.independence": ("yes", "Companies never decide on cases about them."),
    "gp31.a_legitimate.accountability": ("no", "No one outside the secretariat reviews cases yet."),
    "gp31.b_accessible.awareness": ("partly", "Linked from two of the three members' apps."),
    "gp31.b_accessible.barriers": ("partly", "Four languages and a web form; no phone line yet."),
    "gp31.b_accessible.reprisal": ("yes", "Anonymous complaints and partner submissions."),
    "gp31.c_predictable.procedure": ("yes", "Steps and deadlines are on every case page."),
    "gp31.c_predictable.outcomes": ("yes", "The forms of remedy are listed on the intake form."),
    "gp31.c_predictable.monitoring": ("partly", "We check remedies for three months after."),
    "gp31.d_equitable.advice": ("no", "We are looking for a legal aid partner."),
    "gp31.d_equitable.information": ("partly", "Companies' replies are summarised, not shared."),
    "gp31.d_equitable.representation": ("yes", "Complaints may be made on someone's behalf."),
    "gp31.e_transparent.progress": ("yes", "Every step is shown on the complainant's page."),
    "gp31.e_transparent.statistics": ("yes", "Published statistics, computed every night."),
    "gp31.e_transparent.confidentiality": ("partly", "Explained on the intake form only."),
    "gp31.f_rights_compatible.standards": ("partly", "Outcomes are checked by the secretariat."),
    "gp31.f_rights_compatible.other_avenues": ("yes", "No waiver is ever asked for."),
    "gp31.f_rights_compatible.escalation": ("yes", "Cases can go to the NHRI or the regulator."),
    "gp31.g_continuous_learning.patterns": ("yes", "Recurring issues are reviewed every month."),
    "gp31.g_continuous_learning.due_diligence": ("partly", "Shared with members each quarter."),
    "gp31.g_continuous_learning.review": ("no", "The first review is planned for next year."),
    "gp31.h_engagement_dialogue.design": ("partly", "Two workshops with user groups."),
    "gp31.h_engagement_dialogue.performance": ("no", "Not yet."),
    "gp31.h_engagement_dialogue.dialogue": ("yes", "Dialogue first; no binding decisions."),
}
"""The demo secretariat's GP31 self-assessment (question id: answer, comment)."""


def _load_transparency(user_model: Any) -> None:
    """Publish the demo mechanism's statistics snapshot (after its grievances are loaded) and,
    the first time, its GP31 self-assessment with a public summary."""
    from ungpkit.apps.remedy.models import Mechanism
    from ungpkit.apps.transparency import actions
    from ungpkit.apps.transparency.models import SelfAssessment

    mechanism = Mechanism.objects.get(slug=MECHANISM["slug"])
    staff = user_model.objects.get(username="staff")
    if not SelfAssessment.objects.filter(mechanism=mechanism).exists():
        answers = [
            actions.AnswerInput(question, answer, comment)
            for question, (answer, comment) in SELF_ASSESSMENT.items()
        ]
        actions.save_self_assessment(staff, mechanism.slug, answers, publish_summary=True)
    actions.publish_statistics(None, mechanism)
