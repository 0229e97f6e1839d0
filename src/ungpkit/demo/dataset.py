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
