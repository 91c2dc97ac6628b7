"""Forms of the plan van aanpak: the goals and the agreed actions.

Forms only read and check input; the services decide and write.
"""

from __future__ import annotations

from django import forms

from trede.utils.concurrency import EditTokenField, SubmissionKeyField

from ..common import DateInput
from ..constants import ActionOwner
from .services import GOALS_MAX_CHARS, deadline_problem


class PlanForm(forms.Form):
    goals = forms.CharField(
        label="Doelen",
        max_length=GOALS_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Wat wil de klant bereiken, en wanneer? Schrijf het in de woorden van de klant.",
        error_messages={
            "required": "Beschrijf de doelen van het plan.",
            "max_length": f"Houd de doelen korter dan {GOALS_MAX_CHARS:,} tekens.".replace(",", "."),
        },
    )
    # The edit tokens of the open plans the page was based on, separated by spaces (a
    # signed token has none); empty when the page showed no plan.
    edit_token = EditTokenField()
    submission_key = SubmissionKeyField()

    def seen_tokens(self) -> list[str]:
        return (self.cleaned_data.get("edit_token") or "").split()


class PlanActionForm(forms.Form):
    description = forms.CharField(label="Afspraak", max_length=300, required=False)
    owner = forms.ChoiceField(label="Wie", choices=[("", "kies…"), *ActionOwner.choices], required=False)
    deadline = forms.DateField(label="Uiterlijk", widget=DateInput(), required=False)

    def clean_deadline(self):
        deadline = self.cleaned_data.get("deadline")
        if deadline is not None and (problem := deadline_problem(deadline)):
            raise forms.ValidationError(problem[0].upper() + problem[1:])
        return deadline

    def clean(self):
        data = super().clean()
        filled = [data.get("description"), data.get("owner"), data.get("deadline")]
        if any(filled) and not all(filled):
            if not data.get("description"):
                self.add_error("description", "Beschrijf de afspraak.")
            if not data.get("owner"):
                self.add_error("owner", "Kies wie de afspraak uitvoert.")
            if not data.get("deadline"):
                self.add_error("deadline", "Geef een uiterste datum.")
        return data

    @property
    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not (data.get("description") or data.get("owner") or data.get("deadline"))


class BasePlanActionFormSet(forms.BaseFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        if not self.actions():
            raise forms.ValidationError("Leg ten minste één afspraak vast.")

    def actions(self) -> list[dict]:
        return [
            {
                "description": f.cleaned_data["description"],
                "owner": f.cleaned_data["owner"],
                "deadline": f.cleaned_data["deadline"],
            }
            for f in self.forms
            if getattr(f, "cleaned_data", None) and not f.is_blank
        ]


PlanActionFormSet = forms.formset_factory(PlanActionForm, formset=BasePlanActionFormSet, extra=3, max_num=30)
