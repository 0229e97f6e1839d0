"""Forms of the check pages. They only read and clean what a person typed; every write goes
through ``actions``, whose errors the views put back on the form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ungpkit.apps.check.actions import STATUSES, STRENGTHS
from ungpkit.apps.check.models import ReviewDecision
from ungpkit.framework import default_framework

LANGUAGE_CHOICES = [
    ("", _("Detect the language")),
    ("en", _("English")),
    ("fr", _("French")),
    ("es", _("Spanish")),
    ("ko", _("Korean")),
]

STATUS_LABELS = {
    "met": _("Met"),
    "partial": _("Partial"),
    "absent": _("Absent"),
    "not_applicable": _("Not applicable"),
    "rejected": _("Rejected by a reviewer"),
}
"""Each status of a finding, as people read it."""

STRENGTH_LABELS = {
    "binding": _("Binding"),
    "best_efforts": _("Best efforts"),
    "voluntary": _("Voluntary"),
    "aspirational": _("Aspirational"),
}
"""Each strength of an obligation, as people read it."""

MODE_LABELS = {
    "done": _("Describes something done"),
    "promised": _("Only a plan or promise"),
    "denied": _("Says the step was not taken"),
}
"""How a report sentence reads (report grids): a promise is not evidence of action."""


class PageForm(forms.Form):
    """A form whose labels carry no trailing colon (punctuation differs between languages)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


def grid_choices() -> list[tuple[str, str]]:
    """The framework's grids, the regulation grid first, titled in the interface language."""
    lang = (get_language() or "en")[:2]
    grids = sorted(default_framework().grids, key=lambda g: (g.id != "regulation", g.id))
    return [(grid.id, grid.title.get(lang)) for grid in grids]


class UploadForm(PageForm):
    """A law or draft to check: a file or pasted text, and how to read it."""

    title = forms.CharField(
        label=_("Title"),
        max_length=500,
        required=False,
        help_text=_("Leave empty to use the title found in the document."),
    )
    organisation = forms.TypedChoiceField(label=_("Organisation"), coerce=int)
    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_("PDF, Word (DOCX), HTML, Markdown or plain text."),
    )
    text = forms.CharField(
        label=_("Or paste the text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Headings and article numbers are recognised."),
    )
    grid = forms.ChoiceField(label=_("Grid"), choices=grid_choices)
    lang = forms.ChoiceField(
        label=_("Language of the text"), choices=LANGUAGE_CHOICES, required=False
    )

    def __init__(self, *args: Any, organisations: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        field.choices = organisations  # type: ignore[attr-defined]
        self.only_organisation = organisations[0][0] if len(organisations) == 1 else None
        if self.only_organisation is not None:
            field.widget = forms.HiddenInput()
            field.initial = self.only_organisation
            field.required = False

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.only_organisation is not None:
            cleaned["organisation"] = self.only_organisation
        has_file = bool(cleaned.get("file"))
        has_text = bool((cleaned.get("text") or "").strip())
        if has_file and has_text:
            raise ValidationError(_("Choose a file or paste the text, not both."))
        if not (has_file or has_text) and "file" not in self.errors:
            # (a file that was chosen but refused, say empty, already has its own error)
            raise ValidationError(_("Choose a file or paste the text of the law."))
        return cleaned


class ReviewForm(PageForm):
    """A reviewer's decision on one finding."""

    decision = forms.ChoiceField(
        label=_("Decision"), choices=ReviewDecision.choices, widget=forms.RadioSelect
    )
    status = forms.ChoiceField(
        label=_("Correct status"),
        required=False,
        choices=[("", _("Choose a status"))] + [(s, STATUS_LABELS[s]) for s in STATUSES],
        help_text=_("Only used when you correct the finding."),
    )
    strength = forms.ChoiceField(
        label=_("Correct strength"),
        required=False,
        choices=[("", _("Keep the machine's strength"))]
        + [(s, STRENGTH_LABELS[s]) for s in STRENGTHS],
        help_text=_("Only used when you correct the finding."),
    )
    passage_ids = forms.MultipleChoiceField(
        label=_("Evidence passages"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only used when you correct the finding: tick the passages that support it."),
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Needed when you reject a finding."),
    )

    def __init__(self, *args: Any, passages: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["passage_ids"].choices = passages  # type: ignore[attr-defined]


class CompareForm(PageForm):
    """Two finished assessments of drafts checked with the same grid."""

    old = forms.TypedChoiceField(label=_("Older draft"), coerce=int)
    new = forms.TypedChoiceField(label=_("Newer draft"), coerce=int)

    def __init__(self, *args: Any, assessments: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("old", "new"):
            self.fields[name].choices = assessments  # type: ignore[attr-defined]


class OverlapForm(PageForm):
    """Several finished assessments to put side by side."""

    ids = forms.TypedMultipleChoiceField(
        label=_("Laws to compare"), coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, assessments: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ids"].choices = assessments  # type: ignore[attr-defined]


class FilterForm(PageForm):
    """Which findings the assessment page lists."""

    stage = forms.ChoiceField(label=_("Stage"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *list(STATUS_LABELS.items())],
    )
    strength = forms.ChoiceField(
        label=_("Strength"),
        required=False,
        choices=[
            ("", _("All strengths")),
            *list(STRENGTH_LABELS.items()),
            ("none", _("No obligation found")),
        ],
    )

    def __init__(self, *args: Any, stages: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        stage = self.fields["stage"]
        stage.choices = [("", _("All stages")), *stages]  # type: ignore[attr-defined]
