"""The self-assessment form: for each question of the GP31 questionnaire, an answer (yes,
partly, no) and a comment; and whether to show a summary on the public page. The form only
reads what staff typed; ``actions.save_self_assessment`` validates and writes."""

from __future__ import annotations

import hashlib
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ungpkit.apps.transparency.actions import AnswerInput
from ungpkit.apps.transparency.models import SelfAssessmentAnswer


def answer_field(question: str) -> str:
    return f"answer__{question}"


def comment_field(question: str) -> str:
    return f"comment__{question}"


class SelfAssessmentForm(forms.Form):
    """One answer and one comment per question, built from the questionnaire."""

    publish_summary = forms.BooleanField(
        label=_("Show a summary of this self-assessment on the public statistics page"),
        help_text=_(
            "The public page then shows, for each criterion, how many questions were answered "
            "yes, partly or no. Comments stay internal."
        ),
        required=False,
    )

    def __init__(self, *args: Any, criteria: list[dict[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            for question in criterion["questions"]:
                self.fields[answer_field(question["id"])] = forms.ChoiceField(
                    label=question["text"],
                    choices=[("", _("Not answered yet")), *SelfAssessmentAnswer.Choice.choices],
                    widget=forms.RadioSelect,
                    required=False,
                )
                self.fields[comment_field(question["id"])] = forms.CharField(
                    label=_("Comment (for the secretariat; not published)"),
                    widget=forms.Textarea(attrs={"rows": 2}),
                    required=False,
                    max_length=5_000,
                )
                self.fields[shown_field(question["id"])] = forms.CharField(
                    widget=forms.HiddenInput, required=False
                )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for criterion in self.criteria:
            for question in criterion["questions"]:
                answer = data.get(answer_field(question["id"])) or ""
                comment = (data.get(comment_field(question["id"])) or "").strip()
                if comment and not answer:
                    self.add_error(
                        answer_field(question["id"]),
                        _("Choose an answer to save the comment with it."),
                    )
        return data

    def answers(self) -> list[AnswerInput]:
        """The answers the person changed on the page ("Not answered yet" withdraws one
        given before). A question left as the page showed it is not sent: a colleague may
        have answered it since the page was opened, and that answer stays."""
        found = []
        for criterion in self.criteria:
            for question in criterion["questions"]:
                answer = self.cleaned_data.get(answer_field(question["id"])) or ""
                comment = (self.cleaned_data.get(comment_field(question["id"])) or "").strip()
                if not answer:
                    comment = ""
                shown = self.cleaned_data.get(shown_field(question["id"]))
                if shown and shown == fingerprint(answer, comment):
                    continue
                found.append(AnswerInput(question["id"], answer, comment))
        return found

    def sections(self) -> list[dict[str, Any]]:
        """The fields grouped by criterion, with the criterion's indicators, for the page."""
        return [
            {
                **criterion,
                "rows": [
                    {
                        **question,
                        "answer_field": self[answer_field(question["id"])],
                        "comment_field": self[comment_field(question["id"])],
                        "shown_field": self[shown_field(question["id"])],
                    }
                    for question in criterion["questions"]
                ],
            }
            for criterion in self.criteria
        ]


def initial(view: dict[str, Any]) -> dict[str, Any]:
    """The form's initial values from the stored answers (and what the page shows of each)."""
    values: dict[str, Any] = {"publish_summary": view["publish_summary"]}
    for criterion in view["criteria"]:
        for question in criterion["questions"]:
            answer, comment = question["answer"] or "", (question["comment"] or "").strip()
            values[answer_field(question["id"])] = answer
            values[comment_field(question["id"])] = comment
            values[shown_field(question["id"])] = fingerprint(answer, comment)
    return values


def shown_field(question: str) -> str:
    return f"shown__{question}"


def fingerprint(answer: str, comment: str) -> str:
    """A short digest of an answer and its comment as the page showed them."""
    return hashlib.sha256(f"{answer}\x00{comment}".encode()).hexdigest()[:16]
