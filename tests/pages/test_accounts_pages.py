"""The organisation, invitation and API token pages, for every kind of visitor: anonymous, a
plain member, an organisation's administrator, a member of another organisation and a
platform admin. Each test checks the page and what was stored."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from ungpkit.apps.accounts import actions
from ungpkit.apps.accounts.models import ApiToken, AuditEntry, Invitation, Membership, Role
from ungpkit.apps.accounts.tokens import hash_token

LINK = re.compile(r"/en/accounts/invitations/([A-Za-z0-9_-]+)/")
STRONG_PASSWORD = "violet-harbour-1987-kettle"


@dataclass(frozen=True)
class Lab:
    """An organisation with one administrator (``chief``) and one plain member
    (``member``, an expert reviewer). The platform admin ``admin`` is not a member."""

    id: int
    chief_id: int
    member_id: int

    @property
    def url(self) -> str:
        return f"/en/accounts/organisations/{self.id}/"


@pytest.fixture
def lab(db: None, demo: Any, settings: Any) -> Lab:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    users = get_user_model().objects
    admin = users.get(username="admin")
    chief = users.create_user("chief", "chief@lab.invalid", "x", first_name="Chidi")
    member = users.create_user("member", "member@lab.invalid", "x", first_name="Mina")
    organisation = actions.create_organisation(admin, name="Lumen Rights Lab", kind="nhri")
    actions.add_member(admin, organisation.pk, chief.pk, Role.ADMINISTRATOR)
    actions.add_member(chief, organisation.pk, member.pk, Role.EXPERT_REVIEWER)
    return Lab(organisation.pk, chief.pk, member.pk)


def _invite(client: Client, lab: Lab, email: str = "newcomer@example.org") -> str:
    """Invite ``email`` as a rights-holder through the page; return the link shown."""
    response = client.post(f"{lab.url}invitations/", {"email": email, "role": "rights_holder"})
    assert response.status_code == 200
    found = LINK.search(response.content.decode())
    assert found
    return found.group(0)


def _actions(action: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action))


# Who sees what -------------------------------------------------------------------------------


def test_the_header_links_to_organisations_and_tokens_when_signed_in(
    signed_in: Callable[[str], Client], lab: Lab
) -> None:
    anonymous = signed_in("").get("/en/").content.decode()
    member = signed_in("member").get("/en/").content.decode()

    assert "/en/accounts/organisations/" not in anonymous
    assert 'href="/en/accounts/organisations/">My organisations</a>' in member
    assert 'href="/en/accounts/api-tokens/">My API tokens</a>' in member


@pytest.mark.parametrize("path", ["organisations/", "organisations/{id}/", "api-tokens/"], ids=str)
def test_anonymous_visitors_are_sent_to_sign_in(
    signed_in: Callable[[str], Client], lab: Lab, path: str
) -> None:
    response = signed_in("").get("/en/accounts/" + path.format(id=lab.id))

    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/sign-in/?next=")


def test_a_plain_member_sees_the_members_but_cannot_manage_them(
    signed_in: Callable[[str], Client], lab: Lab
) -> None:
    client = signed_in("member")

    listing = client.get("/en/accounts/organisations/").content.decode()
    page = client.get(lab.url)
    html = page.content.decode()

    assert f'href="{lab.url}">Lumen Rights Lab</a>' in listing
    assert "Expert reviewer" in listing
    assert page.status_code == 200
    assert "<h1>Lumen Rights Lab</h1>" in html
    assert "Chidi" in html and "Administrator" in html
    assert "Mina" in html and "Expert reviewer" in html
    assert "Invite someone" not in html
    assert "Pending invitations" not in html
    assert "/role/" not in html
    forbidden = client.post(f"{lab.url}invitations/", {"email": "x@example.org", "role": "public"})
    invalid = client.post(f"{lab.url}invitations/", {"email": "", "role": ""})
    demote = client.post(f"{lab.url}members/{lab.chief_id}/role/", {"role": "public"})
    assert forbidden.status_code == 403
    assert invalid.status_code == 403
    assert demote.status_code == 403
    assert not Invitation.objects.filter(organisation_id=lab.id).exists()
    assert Membership.objects.get(user_id=lab.chief_id).role == Role.ADMINISTRATOR


def test_an_administrator_sees_the_forms(signed_in: Callable[[str], Client], lab: Lab) -> None:
    html = signed_in("chief").get(lab.url).content.decode()

    assert "Invite someone" in html
    assert f'action="{lab.url}invitations/"' in html
    assert f'action="{lab.url}members/{lab.member_id}/role/"' in html
    assert f'<label class="visually-hidden" for="role-{lab.member_id}">New role for Mina' in html
    assert "No invitation is waiting for an answer." in html


def test_a_member_of_another_organisation_gets_the_404_page(
    signed_in: Callable[[str], Client], lab: Lab
) -> None:
    client = signed_in("regulator")
    invitation = actions.invite_member(
        get_user_model().objects.get(pk=lab.chief_id), lab.id, email="a@b.org", role="public"
    ).invitation

    page = client.get(lab.url)
    invite = client.post(f"{lab.url}invitations/", {"email": "x@example.org", "role": "public"})
    role = client.post(f"{lab.url}members/{lab.member_id}/role/", {"role": "administrator"})
    revoke = client.post(f"{lab.url}invitations/{invitation.pk}/revoke/")

    assert [r.status_code for r in (page, invite, role, revoke)] == [404, 404, 404, 404]
    assert "Page not found" in page.content.decode()
    assert "Lumen" not in client.get("/en/accounts/organisations/").content.decode()
    invitation.refresh_from_db()
    assert invitation.revoked_at is None
    assert Membership.objects.get(user_id=lab.member_id).role == Role.EXPERT_REVIEWER


def test_a_platform_admin_sees_and_manages_every_organisation(
    signed_in: Callable[[str], Client], lab: Lab
) -> None:
    client = signed_in("admin")

    listing = client.get("/en/accounts/organisations/").content.decode()
    html = client.get(lab.url).content.decode()

    assert "Lumen Rights Lab" in listing and "Nimbus Analytics Ltd" in listing
    assert "Not a member" in listing
    assert "Invite someone" in html
    response = client.post(f"{lab.url}members/{lab.member_id}/role/", {"role": "regulator"})
    assert response.status_code == 302
    assert Membership.objects.get(user_id=lab.member_id).role == Role.REGULATOR


# Invitations ---------------------------------------------------------------------------------


def test_an_invitation_link_is_shown_once_and_e_mailed(
    signed_in: Callable[[str], Client], lab: Lab, django_capture_on_commit_callbacks: Any
) -> None:
    client = signed_in("chief")

    with django_capture_on_commit_callbacks(execute=True):
        link = _invite(client, lab)
    later = client.get(lab.url).content.decode()

    invitation = Invitation.objects.get(organisation_id=lab.id)
    assert invitation.email == "newcomer@example.org"
    assert invitation.role == Role.RIGHTS_HOLDER
    assert invitation.token_hash == hash_token(LINK.search(link).group(1))  # type: ignore[union-attr]
    assert len(mail.outbox) == 1 and link in mail.outbox[0].body
    assert link not in later
    assert "newcomer@example.org" in later and "Pending invitations" in later
    assert [e.organisation_id for e in _actions("invitation.created")] == [lab.id]


def test_inviting_a_member_again_is_explained(signed_in: Callable[[str], Client], lab: Lab) -> None:
    response = signed_in("chief").post(
        f"{lab.url}invitations/", {"email": "member@lab.invalid", "role": "public"}
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert "<title>Error: Lumen Rights Lab" in html
    assert "Someone with this address is already a member." in html
    assert 'aria-describedby="id_email_helptext id_email_error"' in html
    assert not Invitation.objects.filter(organisation_id=lab.id).exists()


def test_a_newcomer_creates_an_account_and_joins_in_one_step(
    signed_in: Callable[[str], Client], lab: Lab
) -> None:
    link = _invite(signed_in("chief"), lab)
    visitor = signed_in("")

    offer = visitor.get(link).content.decode()
    response = visitor.post(
        link,
        {
            "username": "newcomer",
            "email": "newcomer@example.org",
            "password": STRONG_PASSWORD,
            "password_again": STRONG_PASSWORD,
        },
    )

    assert "Lumen Rights Lab invites you to join it on ungpkit as Rights-holder." in offer
    assert 'value="newcomer@example.org"' in offer
    assert 'autocomplete="new-password"' in offer
    assert f'href="/en/accounts/sign-in/?next={link.replace("/", "%2F")}"' in offer
    assert response.status_code == 302
    assert response["Location"] == "/en/check/"
    user = get_user_model().objects.get(username="newcomer")
    assert user.email == "newcomer@example.org" and user.check_password(STRONG_PASSWORD)
    membership = Membership.objects.get(user=user)
    assert (membership.organisation_id, membership.role) == (lab.id, Role.RIGHTS_HOLDER)
    invitation = Invitation.objects.get(organisation_id=lab.id)
    assert invitation.accepted_at is not None and invitation.accepted_by == user
    registered, accepted = _actions("user.registered"), _actions("invitation.accepted")
    assert [(e.actor_id, e.object_id) for e in registered] == [(user.pk, str(user.pk))]
    assert [(e.actor_id, e.details["membership"]) for e in accepted] == [(user.pk, membership.pk)]
    dashboard = visitor.get("/en/check/").content.decode()
    assert "you are now a member of Lumen Rights Lab" in dashboard
    assert "Lumen Rights Lab" in visitor.get("/en/accounts/organisations/").content.decode()
    again = signed_in("").get(link).content.decode()
    assert "This invitation has already been used." in again
    assert 'name="password"' not in again


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"password_again": "something-else-entirely"}, "The two passwords differ."),
        ({"password": "short", "password_again": "short"}, "This password is too short."),
        ({"username": "member"}, "This user name is taken."),
        ({"username": "two words"}, "Enter a valid username."),
        ({"email": "member@lab.invalid"}, "An account with this e-mail address already exists."),
    ],
    ids=["mismatch", "weak", "taken", "invalid-username", "existing-email"],
)
def test_registration_problems_are_explained_and_nothing_is_stored(
    signed_in: Callable[[str], Client], lab: Lab, fields: dict[str, str], message: str
) -> None:
    link = _invite(signed_in("chief"), lab)
    users_before = get_user_model().objects.count()
    data = {
        "username": "newcomer",
        "email": "newcomer@example.org",
        "password": STRONG_PASSWORD,
        "password_again": STRONG_PASSWORD,
    } | fields

    response = signed_in("").post(link, data)

    html = response.content.decode()
    assert response.status_code == 400
    assert "<title>Error: Accept the invitation" in html
    assert message in html
    assert 'aria-invalid="true"' in html
    assert get_user_model().objects.count() == users_before
    assert Invitation.objects.get(organisation_id=lab.id).accepted_at is None
    assert not _actions("user.registered")


def test_register_and_accept_refuses_a_used_link_without_creating_an_account(
    lab: Lab,
) -> None:
    chief = get_user_model().objects.get(pk=lab.chief_id)
    issued = actions.invite_member(chief, lab.id, email="n@example.org", role="public")
    actions.register_and_accept(issued.plaintext, "first", "n@example.org", STRONG_PASSWORD)

    with pytest.raises(ValidationError, match="already been used"):
        actions.register_and_accept(issued.plaintext, "second", "m@example.org", STRONG_PASSWORD)

    assert not get_user_model().objects.filter(username="second").exists()


def test_a_signed_in_person_sees_the_accept_button_not_the_form(
    signed_in: Callable[[str], Client], lab: Lab
) -> None:
    link = _invite(signed_in("chief"), lab, email="public@demo.invalid")

    html = signed_in("public").get(link).content.decode()

    assert "Accept the invitation</button>" in html
    assert 'name="password"' not in html


def test_withdrawing_an_invitation_stops_its_link(
    signed_in: Callable[[str], Client], lab: Lab
) -> None:
    chief = signed_in("chief")
    link = _invite(chief, lab)
    invitation = Invitation.objects.get(organisation_id=lab.id)

    member = signed_in("member").post(f"{lab.url}invitations/{invitation.pk}/revoke/")
    response = chief.post(f"{lab.url}invitations/{invitation.pk}/revoke/")
    after = chief.get(lab.url).content.decode()
    again = chief.post(f"{lab.url}invitations/{invitation.pk}/revoke/")
    offer = signed_in("").get(link).content.decode()

    assert member.status_code == 403
    assert response.status_code == 302 and response["Location"] == lab.url
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert [e.object_id for e in _actions("invitation.revoked")] == [str(invitation.pk)]
    assert "is withdrawn; its link no longer works" in after
    assert "No invitation is waiting for an answer." in after
    assert again.status_code == 400
    assert "Only an invitation that is still open can be revoked." in again.content.decode()
    assert "This invitation was withdrawn by the organisation." in offer
    assert 'name="password"' not in offer


def test_an_expired_link_says_when_it_expired(signed_in: Callable[[str], Client], lab: Lab) -> None:
    link = _invite(signed_in("chief"), lab)
    Invitation.objects.filter(organisation_id=lab.id).update(
        expires_at=timezone.now() - datetime.timedelta(days=1)
    )

    html = signed_in("").get(link).content.decode()

    assert "This invitation expired on" in html
    assert 'name="password"' not in html
    assert "newcomer@example.org" not in signed_in("chief").get(lab.url).content.decode()


def test_an_unknown_link_gives_the_404_page(signed_in: Callable[[str], Client], lab: Lab) -> None:
    assert signed_in("").get("/en/accounts/invitations/not-a-token/").status_code == 404


# Roles ---------------------------------------------------------------------------------------


def test_an_administrator_changes_a_members_role(
    signed_in: Callable[[str], Client], lab: Lab
) -> None:
    client = signed_in("chief")

    response = client.post(f"{lab.url}members/{lab.member_id}/role/", {"role": "administrator"})

    assert response.status_code == 302
    assert Membership.objects.get(user_id=lab.member_id).role == Role.ADMINISTRATOR
    assert "The role of Mina is now: Administrator." in client.get(lab.url).content.decode()
    [entry] = _actions("membership.role_changed")
    assert (entry.actor_id, entry.details) == (
        lab.chief_id,
        {"from": "expert_reviewer", "to": "administrator"},
    )


def test_the_last_administrator_cannot_step_down(
    signed_in: Callable[[str], Client], lab: Lab
) -> None:
    response = signed_in("chief").post(f"{lab.url}members/{lab.chief_id}/role/", {"role": "public"})

    html = response.content.decode()
    assert response.status_code == 400
    assert "An organisation needs at least one administrator." in html
    assert f'href="#role-{lab.chief_id}"' in html
    assert f'aria-describedby="role-{lab.chief_id}-error"' in html
    assert Membership.objects.get(user_id=lab.chief_id).role == Role.ADMINISTRATOR
    assert not _actions("membership.role_changed")


def test_an_unknown_role_is_refused(signed_in: Callable[[str], Client], lab: Lab) -> None:
    response = signed_in("chief").post(f"{lab.url}members/{lab.member_id}/role/", {"role": "owner"})

    assert response.status_code == 400
    assert "Choose one of the listed roles." in response.content.decode()


# API tokens ----------------------------------------------------------------------------------


def test_issuing_an_api_token_shows_it_once(signed_in: Callable[[str], Client], lab: Lab) -> None:
    client = signed_in("member")
    empty = client.get("/en/accounts/api-tokens/").content.decode()

    response = client.post("/en/accounts/api-tokens/", {"name": "reporting script"})

    html = response.content.decode()
    plaintext = re.search(r'id="new-token" type="text" value="([^"]+)"', html)
    assert "You have no API tokens yet." in empty
    assert response.status_code == 200 and plaintext
    token = ApiToken.objects.get(user_id=lab.member_id)
    assert token.name == "reporting script"
    assert token.token_hash == hash_token(plaintext.group(1))
    assert plaintext.group(1) not in client.get("/en/accounts/api-tokens/").content.decode()
    api = Client().get(
        "/api/accounts/me", headers={"authorization": f"Bearer {plaintext.group(1)}"}
    )
    assert api.status_code == 200
    assert [e.object_id for e in _actions("api_token.issued")] == [str(token.pk)]


def test_a_token_needs_a_name(signed_in: Callable[[str], Client], lab: Lab) -> None:
    response = signed_in("member").post("/en/accounts/api-tokens/", {"name": " "})

    assert response.status_code == 400
    assert "<title>Error: My API tokens" in response.content.decode()
    assert not ApiToken.objects.filter(user_id=lab.member_id).exists()


def test_revoking_an_api_token(signed_in: Callable[[str], Client], lab: Lab) -> None:
    member = get_user_model().objects.get(pk=lab.member_id)
    issued = actions.issue_api_token(member, "old laptop")
    url = f"/en/accounts/api-tokens/{issued.token.pk}/revoke/"

    stranger = signed_in("chief").post(url)
    client = signed_in("member")
    response = client.post(url)
    again = client.post(url)

    assert stranger.status_code == 404
    assert response.status_code == 302 and response["Location"] == "/en/accounts/api-tokens/"
    issued.token.refresh_from_db()
    assert issued.token.revoked_at is not None
    assert [e.actor_id for e in _actions("api_token.revoked")] == [lab.member_id]
    assert "Revoked on" in client.get("/en/accounts/api-tokens/").content.decode()
    assert again.status_code == 400
    assert "This token is already revoked." in again.content.decode()
    denied = Client().get(
        "/api/accounts/me", headers={"authorization": f"Bearer {issued.plaintext}"}
    )
    assert denied.status_code == 401


# Languages -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "organisations", "invite", "tokens", "register"),
    [
        ("fr", "Mes organisations", "Inviter quelqu’un", "Mes jetons d’API", "Créez votre compte"),
        ("es", "Mis organizaciones", "Invitar a alguien", "Mis tokens de API", "Cree su cuenta"),
        ("ko", "내 조직", "초대하기", "내 API 토큰", "계정을 만드세요"),
    ],
)
def test_the_pages_are_translated(
    signed_in: Callable[[str], Client],
    lab: Lab,
    lang: str,
    organisations: str,
    invite: str,
    tokens: str,
    register: str,
) -> None:
    client = signed_in("chief")
    link = _invite(client, lab).replace("/en/", f"/{lang}/")

    listing = client.get(f"/{lang}/accounts/organisations/").content.decode()
    page = client.get(f"/{lang}/accounts/organisations/{lab.id}/").content.decode()
    token_page = client.get(f"/{lang}/accounts/api-tokens/").content.decode()
    offer = signed_in("").get(link).content.decode()

    assert f"<h1>{organisations}</h1>" in listing
    assert f'<h2 id="invite">{invite}</h2>' in page
    assert f"<h1>{tokens}</h1>" in token_page
    assert register in offer


@pytest.mark.django_db
def test_failed_sign_ins_are_throttled_per_account_and_per_address(settings: Any) -> None:
    settings.UNGPKIT_RATE_LIMITS = {"sign_in": (5, 900), "sign_in_account": (3, 900)}
    get_user_model().objects.create_user("kim", password="right-password-123")
    client = Client(REMOTE_ADDR="198.51.100.50")
    for _attempt in range(3):
        wrong = client.post("/en/accounts/sign-in/", {"username": "kim", "password": "nope"})
        assert wrong.status_code == 200 and "do not match an account" in wrong.content.decode()
    # The account is locked for the window: even the right password is not tried.
    right = {"username": "Kim ", "password": "right-password-123"}
    locked = Client(REMOTE_ADDR="198.51.100.51").post("/en/accounts/sign-in/", right)
    assert locked.status_code == 429
    assert "Too many failed sign-ins" in locked.content.decode()
    assert "_auth_user_id" not in locked.client.session
    # Another account from the first address: two more failures, then the address is locked.
    for _attempt in range(2):
        client.post("/en/accounts/sign-in/", {"username": "lee", "password": "nope"})
    assert client.post("/en/accounts/sign-in/", {"username": "other"}).status_code == 429
    # Nothing in the cache names the account or the address.
    from django.core.cache import cache

    keys = " ".join(str(key) for key in getattr(cache, "_cache", {}))
    assert "kim" not in keys and "198.51.100" not in keys


@pytest.mark.django_db
def test_the_menu_offers_only_what_the_person_may_use() -> None:
    from ungpkit.apps.accounts.models import Organisation

    public = get_user_model().objects.create_user("pub", password="pw-123456789")
    regulator = get_user_model().objects.create_user("reg", password="pw-123456789")
    ministry = Organisation.objects.create(name="Ministry", slug="ministry", kind="state_body")
    Membership.objects.create(user=public, organisation=ministry, role=Role.PUBLIC)
    Membership.objects.create(user=regulator, organisation=ministry, role=Role.REGULATOR)
    for user, may_check in ((public, False), (regulator, True)):
        client = Client()
        client.force_login(user)
        body = client.get("/en/").content.decode()
        nav = body[body.index('class="site-nav"') : body.index("</nav>")]
        assert ("Check a law" in nav) == may_check
        assert "Grievance cases" not in nav  # neither handles complaints


@pytest.mark.django_db
def test_the_admins_sign_in_is_throttled_too(settings: Any) -> None:
    settings.UNGPKIT_RATE_LIMITS = {"sign_in": (50, 900), "sign_in_account": (3, 900)}
    get_user_model().objects.create_superuser("root", password="right-password-123")
    client = Client(REMOTE_ADDR="198.51.100.60")
    for _attempt in range(3):
        wrong = client.post("/admin/login/", {"username": "root", "password": "nope"})
        assert wrong.status_code == 200
    right = client.post("/admin/login/", {"username": "root", "password": "right-password-123"})
    assert right.status_code == 429 and "_auth_user_id" not in client.session
    site = client.post("/en/accounts/sign-in/", {"username": "root", "password": "nope"})
    assert site.status_code == 429  # one counter for both ways in
