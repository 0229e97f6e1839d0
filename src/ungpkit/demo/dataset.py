"""The demo dataset as plain data (no Django), so tests and docs can read it too."""

from __future__ import annotations

from dataclasses import dataclass

DEMO_PASSWORD = "demo-password"


@dataclass(frozen=True)
class DemoOrganisation:
    """An organisation of the demo jurisdiction."""

    key: str
    name: str
    kind: str
    country: str = "VD"


@dataclass(frozen=True)
class DemoUser:
    """A demo login and the role it holds in one organisation."""

    username: str
    first_name: str
    organisation: str
    role: str
    superuser: bool = False


ORGANISATIONS = (
    DemoOrganisation("ministry", "Veridia Ministry of Digital Affairs", "state_body"),
    DemoOrganisation("regulator", "Veridia Digital Rights Authority", "regulator"),
    DemoOrganisation("company", "Nimbus Analytics Ltd", "company"),
    DemoOrganisation("mechanism", "Veridia Joint Tech Grievance Mechanism", "mechanism"),
    DemoOrganisation("nhri", "Veridia Human Rights Commission", "nhri"),
    DemoOrganisation("public", "Veridia Public", "other"),
    DemoOrganisation("telecom", "Veridia Telecom", "company"),
    DemoOrganisation("social", "Lumen Social Network", "company"),
)

USERS = (
    DemoUser("admin", "Ada", "ministry", "administrator", superuser=True),
    DemoUser("drafter", "Dara", "ministry", "regulator"),
    DemoUser("regulator", "Remi", "regulator", "regulator"),
    DemoUser("company", "Kim", "company", "company_member"),
    DemoUser("staff", "Sam", "mechanism", "mechanism_staff"),
    DemoUser("expert", "Esi", "nhri", "expert_reviewer"),
    DemoUser("rightsholder", "Rin", "public", "rights_holder"),
    DemoUser("public", "Pat", "public", "public"),
)


DRAFTS = (
    ("en-platform-accountability-act.md", "Veridia Platform and AI Accountability Act (Draft 1)"),
    (
        "en-platform-accountability-act-v2.md",
        "Veridia Platform and AI Accountability Act (Draft 2)",
    ),
)
"""The fictional jurisdiction's draft law in two versions (files in ``demo/data``)."""

REVIEWS = (
    # (draft index, element, decision, corrected status, comment)
    (
        0,
        "reg.mix.stakeholder_engagement_companies",
        "correct",
        "partial",
        "Article 9 only encourages companies to consult affected rights-holders; it is not a duty.",
    ),
    (
        0,
        "reg.oversight.authority",
        "accept",
        "",
        "Article 12 sets up an independent authority with resources.",
    ),
)
"""A reviewer's decisions on the first draft's findings."""


MECHANISM = {
    "slug": "veridia-joint",
    "name": "Veridia Joint Tech Grievance Mechanism",
    "secretariat": "mechanism",
    "members": (
        ("company", "Nimbus credit scoring\nNimbus HR analytics"),
        ("telecom", "Mobile internet\nHome broadband"),
        ("social", "Lumen app\nLumen Marketplace"),
    ),
}
"""The demo's joint mechanism: an independent secretariat and three member companies."""

COMPLAINT_COUNTRIES = {"en": "GB", "fr": "FR", "es": "ES", "ko": "KR"}
"""Where the demo's complaints come from, by their language: Veridia (``VD``) is not a real
country, so it is not on the intake's list (ISO 3166-1), and its companies' users live abroad."""

GRIEVANCES = (
    # (language, description, country, company text, members routed, states to walk)
    (
        "en",
        "My loan application was refused by an automatic system and nobody can tell me why. "
        "I was told the computer decided.",
        "GB",
        "Nimbus credit scoring",
        ("company",),
        ("acknowledged", "accepted", "dialogue"),
    ),
    (
        "fr",
        "Mon compte a été suspendu sans explication après que j'ai publié une critique du "
        "gouvernement.",
        "FR",
        "Lumen app",
        ("social",),
        ("acknowledged",),
    ),
    (
        "ko",
        "통신사 고객센터에서 제 개인정보가 유출되었다는 연락을 받았습니다. 피해 보상을 원합니다.",
        "KR",
        "Mobile internet",
        ("telecom",),
        (),
    ),
    (
        "es",
        "La aplicación de reparto nos asigna turnos con un algoritmo y nos desactiva sin "
        "aviso cuando rechazamos un pedido.",
        "ES",
        "",
        (),
        (),
    ),
)
"""Demo grievances in four languages, at different stages."""
