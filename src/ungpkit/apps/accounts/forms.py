"""Forms of the account pages. They only read and clean what a person typed; every write goes
through ``actions``, whose errors the views put back on the form with ``put_errors``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from ungpkit.apps.accounts.models import Role


class PageForm(forms.Form):
    """A form whose labels carry no trailing colon and whose fields name their error
    message in ``aria-describedby``, so screen readers announce it with the field."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def add_error(self, field: str | None, error: Any) -> None:
        super().add_error(field, error)
        for name in self.errors:
            if name in self.fields:
                bound = self[name]
                described = [f"{bound.auto_id}_error"]
                if self.fields[name].help_text:
                    described.insert(0, f"{bound.auto_id}_helptext")
                self.fields[name].widget.attrs["aria-describedby"] = " ".join(described)


def put_errors(form: forms.Form, error: ValidationError) -> None:
    """Show an action's ``ValidationError`` on the form, by field where it names one."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


class InvitationForm(PageForm):
    """Whom to invite to an organisation, and in which role."""

    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        help_text=_("We send the invitation link to this address."),
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


def _password_rules() -> str:
    """Django's password validators' rules, in the interface language."""
    return " ".join(password_validation.password_validators_help_texts())


class RegistrationForm(PageForm):
    """A new account for someone who accepts an invitation. The password rules are checked
    by the action, with Django's password validators."""

    username = forms.CharField(
        label=_("User name"),
        max_length=150,
        help_text=_("You sign in with it. Letters, digits and @ . + - _ only."),
        widget=forms.TextInput(
            attrs={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        help_text=lazy(_password_rules, str)(),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password_again = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        password, again = data.get("password"), data.get("password_again")
        if password and again and password != again:
            self.add_error("password_again", _("The two passwords differ. Type them again."))
        return data


class ApiTokenForm(PageForm):
    """The name of a new API token."""

    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("Say where you will use it, such as “reporting script”."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
