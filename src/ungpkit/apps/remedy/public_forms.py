"""Forms of the public grievance pages. They only read and clean what a person typed; the
writes go through ``actions`` (and ``attachments``), whose errors the views put back here."""

from __future__ import annotations

import hashlib
import secrets
import time
from collections.abc import Sequence
from typing import Any

from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ungpkit.apps.remedy import attachments
from ungpkit.apps.remedy.actions import CONTACT_DETAIL, CONTACT_NEEDS_IDENTITY, IDENTITY_KEYS
from ungpkit.apps.remedy.countries import countries_by_name

FILL_TIME_SALT = "ungpkit.remedy.intake.started"
DEFAULT_MIN_FILL_SECONDS = 3
MAX_FORM_AGE_SECONDS = 24 * 3600

WANT_LABELS = {
    "apology": _("An apology"),
    "stop_harm": _("Stop the harm"),
    "restitution": _("Give back what was lost or taken"),
    "compensation": _("Compensation (money)"),
    "explanation": _("An explanation of an automated decision"),
    "non_repetition": _("A guarantee that it will not happen again"),
    "other": _("Something else"),
}
"""What a complainant may ask for (``states.WANTS``), in plain words."""

CONTACT_CHOICES = [
    ("receipt", _("Only through this website, with my case code and passphrase")),
    ("email", _("By email")),
    ("phone", _("By phone")),
    ("post", _("By post")),
]

IDENTITY_CHOICES = [
    ("anonymous", _("Anonymous: do not ask for my name")),
    ("identified", _("Give my name and contact details")),
]

BEHALF_CHOICES = [
    ("self", _("For myself")),
    ("person", _("For another person")),
    ("group", _("For a group of people")),
]


def min_fill_seconds() -> int:
    """How long a person needs at least to fill the form (faster is a robot)."""
    return int(getattr(settings, "UNGPKIT_INTAKE_MIN_SECONDS", DEFAULT_MIN_FILL_SECONDS))


def start_token() -> str:
    """A signed note of when the form was shown, with a random part: it also names this one
    filling of the form, so that the same form sent twice stores one complaint."""
    return signing.dumps([time.time(), secrets.token_urlsafe(12)], salt=FILL_TIME_SALT)


def filled_by_a_person(token: str) -> bool:
    """Whether the signed start time is genuine and long enough ago."""
    try:
        value = signing.loads(token, salt=FILL_TIME_SALT, max_age=MAX_FORM_AGE_SECONDS)
        started = float(value[0] if isinstance(value, list) else value)
    except (signing.BadSignature, TypeError, ValueError, IndexError):
        return False
    return time.time() - started >= min_fill_seconds()


def form_key(token: str, fields: Sequence[tuple[str, str]]) -> str:
    """The idempotency key of one filling of the form: a hash of its signed start token and
    of what was written. The browser sending the same form again (a reload) gives the same
    key; going back and changing the complaint gives another."""
    digest = hashlib.sha256(token.encode())
    for name, value in sorted(fields):
        if name != "csrfmiddlewaretoken":
            digest.update(f"\x00{name}\x00{value}".encode("utf-8", "surrogatepass"))
    return "form:" + digest.hexdigest()[:40]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Up to ``attachments.MAX_FILES`` files, each checked for size and real type."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = [f for f in (data if isinstance(data, (list, tuple)) else [data]) if f]
        if len(files) > attachments.MAX_FILES:
            raise ValidationError(_("You can send at most 3 files."))
        cleaned = []
        for upload in files:
            if upload.size > attachments.MAX_BYTES:
                raise ValidationError(_("Each file may be at most 5 MB."))
            content = upload.read()
            attachments.check(content)
            cleaned.append((upload.name or "file", content))
        return cleaned


def _radio(choices: list[tuple[str, Any]], label: Any, initial: str, **kwargs: Any) -> Any:
    return forms.ChoiceField(
        label=label, choices=choices, initial=initial, widget=forms.RadioSelect, **kwargs
    )


class IntakeForm(forms.Form):
    """The complaint form: what happened, to whom, what the person wants, who they are."""

    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    started = forms.CharField(widget=forms.HiddenInput, required=False)
    description = forms.CharField(
        label=_("What happened?"),
        help_text=_(
            "Tell us in your own words and your own language. Do not write anyone's name "
            "here unless you want to: the staff who read this may see it."
        ),
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    happened_on = forms.CharField(
        label=_("When did it happen?"),
        help_text=_("A date, or words such as “last spring” or “since 2023”."),
        required=False,
        max_length=64,
    )
    country = forms.ChoiceField(label=_("In which country?"), required=False)
    company = forms.ChoiceField(label=_("Which company, product or service?"), required=False)
    company_text = forms.CharField(
        label=_("If it is not in the list, write its name"), required=False, max_length=300
    )
    affected_who = forms.CharField(
        label=_("Who is affected?"),
        help_text=_("For example: me, my child, the people of my village, workers of a shop."),
        required=False,
        max_length=300,
    )
    affected_count = forms.IntegerField(
        label=_("About how many people are affected?"),
        required=False,
        min_value=1,
        max_value=2_000_000_000,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    ongoing = forms.BooleanField(label=_("It is still happening"), required=False)
    child_involved = forms.BooleanField(label=_("A child is involved"), required=False)
    fear_of_reprisal = forms.BooleanField(
        label=_("I am afraid of reprisals if I complain"), required=False
    )
    wants = forms.MultipleChoiceField(
        label=_("What would you like to happen?"),
        help_text=_("Choose as many as you want."),
        choices=list(WANT_LABELS.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    wants_other = forms.CharField(
        label=_("Anything else you would like"), required=False, max_length=300
    )
    files = MultipleFileField(
        label=_("Files (optional)"),
        help_text=_("Up to 3 files of at most 5 MB each: PDF, JPEG or PNG pictures, plain text."),
        required=False,
    )
    contact_preference = _radio(CONTACT_CHOICES, _("How may we contact you?"), "receipt")
    identity = _radio(IDENTITY_CHOICES, _("Do you want to give your name?"), "anonymous")
    name = forms.CharField(label=_("Your name"), required=False, max_length=200)
    email = forms.EmailField(
        label=_("Your email address"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "email"}),
    )
    phone = forms.CharField(label=_("Your phone number"), required=False, max_length=50)
    address = forms.CharField(
        label=_("Your postal address"),
        help_text=_("Only if you want letters by post."),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    reveal_identity_to_members = forms.BooleanField(
        label=_("The companies concerned may see my name and contact details"),
        help_text=_("If you do not tick this, only the independent secretariat sees them."),
        required=False,
    )
    behalf = _radio(BEHALF_CHOICES, _("Who are you complaining for?"), "self")
    consent_record = forms.CharField(
        label=_("How did they agree to this complaint?"),
        help_text=_("Only if you complain for someone else: say who agreed, how and when."),
        required=False,
        max_length=2_000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, companies: Sequence[str] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("Choose a country")), *countries_by_name()]
        self.fields["company"].choices = [
            ("", _("I do not know, or it is not in the list")),
            *((c, c) for c in companies),
        ]
        for name in IDENTITY_KEYS:
            self.fields[name].widget.attrs["autocomplete"] = {
                "name": "name",
                "email": "email",
                "phone": "tel",
                "address": "street-address",
            }[name]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        identified = data.get("identity") == "identified"
        if not identified and any(data.get(k) for k in IDENTITY_KEYS):
            # Details given under "stay anonymous" would be thrown away without a word, and
            # the person would wait for a contact that never comes: ask which they meant.
            self.add_error(
                "identity",
                _(
                    "You chose to stay anonymous but wrote a name or contact details. Choose "
                    "to give your name to send them, or empty those fields to stay anonymous."
                ),
            )
        if identified and not any(data.get(k) for k in IDENTITY_KEYS):
            self.add_error(
                "name", _("Give a name or a way to reach you, or choose to stay anonymous.")
            )
        preference = data.get("contact_preference")
        needed = CONTACT_DETAIL.get(preference or "")
        if needed and not identified:
            self.add_error("contact_preference", CONTACT_NEEDS_IDENTITY)
        elif needed and not data.get(needed):
            self.add_error(needed, _("Give the details we should use to contact you."))
        if data.get("behalf") != "self" and not data.get("consent_record", "").strip():
            self.add_error(
                "consent_record",
                _("Say how the person or group you represent agreed to this complaint."),
            )
        return data

    def submission(self) -> dict[str, Any]:
        """The cleaned fields as ``actions.submit_grievance`` takes them."""
        data = self.cleaned_data
        return {
            "description": data["description"],
            "happened_on": data["happened_on"],
            "country": data["country"],
            "company_text": data["company_text"] or data["company"],
            "affected_who": data["affected_who"],
            "affected_count": data["affected_count"],
            "ongoing": data["ongoing"],
            "child_involved": data["child_involved"],
            "fear_of_reprisal": data["fear_of_reprisal"],
            "wants": data["wants"],
            "wants_other": data["wants_other"],
            "contact_preference": data["contact_preference"],
            "anonymous": data["identity"] != "identified",
            "on_behalf": data["behalf"] != "self",
            "consent_record": data["consent_record"] if data["behalf"] != "self" else "",
            "reveal_identity_to_members": data["reveal_identity_to_members"]
            and data["identity"] == "identified",
        }

    def identity_data(self) -> dict[str, str] | None:
        """Name and contact details, only when the person chose to give them."""
        if self.cleaned_data["identity"] != "identified":
            return None
        return {k: self.cleaned_data[k] for k in IDENTITY_KEYS if self.cleaned_data[k]}


class ReceiptForm(forms.Form):
    """The case code and passphrase, which open a case."""

    case_code = forms.CharField(
        label=_("Case code"),
        help_text=_("For example G-7KQM-2WXR-P9TD."),
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    passphrase = forms.CharField(
        label=_("Passphrase"),
        max_length=64,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
    )


class ReplyForm(forms.Form):
    """The complainant's answer in the case."""

    body = forms.CharField(
        label=_("Your message"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class DecisionForm(forms.Form):
    """Accepting or refusing the remedy the mechanism proposes."""

    decision = _radio(
        [("accept", _("I accept the proposed remedy")), ("refuse", _("I refuse it"))],
        _("Your decision"),
        "",
    )
    reason = forms.CharField(
        label=_("Why? (needed if you refuse)"),
        required=False,
        max_length=2_000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "refuse" and not data.get("reason", "").strip():
            self.add_error("reason", _("Say why you refuse, so the mechanism can answer."))
        return data


class SatisfactionForm(forms.Form):
    """How satisfied the complainant is with the outcome."""

    satisfaction = forms.TypedChoiceField(
        label=_("How satisfied are you with the outcome?"),
        choices=[
            ("1", _("1 – not at all")),
            ("2", _("2")),
            ("3", _("3")),
            ("4", _("4")),
            ("5", _("5 – fully")),
        ],
        coerce=int,
        widget=forms.RadioSelect,
    )
