"""Forms of the triage pages. They only shape input; the actions validate and decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ungpkit.apps.remedy import states
from ungpkit.apps.remedy.queries import OUTCOME_LABELS, state_label
from ungpkit.apps.triage import labels
from ungpkit.grievances.model import URGENCY_FLAGS


class QueueFilterForm(forms.Form):
    """Filters of the priority queue (all optional), sent with GET."""

    urgency = forms.ChoiceField(label=_("Urgency"), required=False)
    right = forms.ChoiceField(label=_("Right"), required=False)
    harm = forms.ChoiceField(label=_("Kind of harm"), required=False)
    member = forms.TypedChoiceField(label=_("Member"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, members: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["urgency"].choices = [
            ("", _("Any urgency")),
            *labels.choices(URGENCY_FLAGS),
        ]
        self.fields["right"].choices = [("", _("Any right")), *labels.choices(labels.right_ids())]
        self.fields["harm"].choices = [
            ("", _("Any kind of harm")),
            *labels.choices(labels.harm_ids()),
        ]
        self.fields["member"].choices = [("", _("Any member")), *members]


def _level_choices() -> list[tuple[int, str]]:
    return [(level, f"{level} – {label}") for level, label in labels.LEVEL_LABELS.items()]


class TriageForm(forms.Form):
    """Confirm or correct a case's labels."""

    rights = forms.MultipleChoiceField(
        label=_("Rights at stake"), required=False, widget=forms.CheckboxSelectMultiple
    )
    harms = forms.MultipleChoiceField(
        label=_("Kinds of harm"), required=False, widget=forms.CheckboxSelectMultiple
    )
    urgency = forms.MultipleChoiceField(
        label=_("Urgency"), required=False, widget=forms.CheckboxSelectMultiple
    )
    scale = forms.TypedChoiceField(label=_("Scale (how grave)"), coerce=int)
    scope = forms.TypedChoiceField(label=_("Scope (how many people)"), coerce=int)
    irremediability = forms.TypedChoiceField(
        label=_("Irremediable character (how hard to undo)"), coerce=int
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rights"].choices = labels.choices(labels.right_ids())
        self.fields["harms"].choices = labels.choices(labels.harm_ids())
        self.fields["urgency"].choices = labels.choices(URGENCY_FLAGS)
        for name in ("scale", "scope", "irremediability"):
            self.fields[name].choices = _level_choices()


class MergeForm(forms.Form):
    """Make a collective case of a cluster."""

    title = forms.CharField(
        label=_("Title of the collective case"),
        max_length=200,
        required=False,
        help_text=_("Leave it empty to use the cluster's label."),
    )


class AddMembersForm(forms.Form):
    """Add single cases to a collective case, by case code."""

    case_codes = forms.CharField(
        label=_("Case codes"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One or more case codes of this mechanism, separated by spaces or commas."),
    )

    def codes(self) -> list[str]:
        return [c for c in self.cleaned_data["case_codes"].replace(",", " ").split() if c]


class CollectiveMoveForm(forms.Form):
    """Move every member whose step allows it."""

    target = forms.ChoiceField(label=_("Next step"))
    reason = forms.CharField(
        label=_("Why"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Every complainant reads this with the new step. Required to close a case or "
            "to say it is not admissible."
        ),
    )

    def __init__(self, *args: Any, next_states: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = [(s, state_label(s)) for s in next_states]


class CollectiveMessageForm(forms.Form):
    """One message to every complainant of a collective case."""

    body = forms.CharField(
        label=_("Message to every complainant"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Each complainant reads it in their own case."),
    )


class CollectiveOutcomeForm(forms.Form):
    """The outcome recorded on every member grievance."""

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
