"""Forms of the staff pages. They only shape input; the actions validate and decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ungpkit.apps.remedy import states
from ungpkit.apps.remedy.models import Escalation
from ungpkit.apps.remedy.queries import OUTCOME_LABELS, STATE_LABELS


class QueueFilterForm(forms.Form):
    """Filters of the case queue (all optional)."""

    state = forms.ChoiceField(label=_("Step"), required=False)
    overdue = forms.BooleanField(label=_("Only overdue cases"), required=False)
    member = forms.TypedChoiceField(label=_("Member"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, members: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", _("Any step"))] + [
            (s, STATE_LABELS[s]) for s in states.STATES
        ]
        self.fields["member"].choices = [("", _("Any member")), *members]


class MoveForm(forms.Form):
    """Take the case to its next step, saying why."""

    target = forms.ChoiceField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Why"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The complainant reads this with the new step."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = [(s, s) for s in states.STATES]


class MessageForm(forms.Form):
    """Write to the complainant, or leave an internal note for the staff."""

    body = forms.CharField(
        label=_("Message"), max_length=10_000, widget=forms.Textarea(attrs={"rows": 4})
    )
    internal = forms.BooleanField(
        label=_("Internal note: the complainant never sees it"), required=False
    )


class RouteForm(forms.Form):
    """Route the case to one or several members."""

    members = forms.TypedMultipleChoiceField(
        label=_("Members the case concerns"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, members: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["members"].choices = members


class EscalationForm(forms.Form):
    """Take the case to a State-based body, with the complainant's consent."""

    body_type = forms.ChoiceField(label=_("Kind of body"), choices=Escalation.Body.choices)
    body_name = forms.CharField(label=_("Name of the body"), max_length=200)
    consent = forms.CharField(
        label=_("How the complainant agreed"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: by a message in the case on 3 March, in their own words."),
    )
    share_identity = forms.BooleanField(
        label=_("The complainant agreed that their identity goes to this body"),
        required=False,
    )


class OutcomeForm(forms.Form):
    """Record the remedy the case ended with."""

    remedy_types = forms.MultipleChoiceField(
        label=_("Kinds of remedy"),
        choices=[(t, OUTCOME_LABELS[t]) for t in states.OUTCOMES],
        widget=forms.CheckboxSelectMultiple,
    )
    description = forms.CharField(
        label=_("What was done"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
