"""Forms of the referral flow: the consultant's referral and review, the provider's intake,
start, no-show, progress and end reports. The services check everything again; the forms
only parse and label (Dutch)."""

from __future__ import annotations

from django import forms

from trede.casework.common import DateInput
from trede.utils.concurrency import EditTokenField, SubmissionKeyField

from ..constants import END_RESULTS, NoShowReason, TrajectoryResult
from .models import GOAL_MAX, NOTE_MAX, REPORT_MAX

YES_NO = [("ja", "Ja"), ("nee", "Nee")]


def yes_no(value) -> bool | None:
    return {"ja": True, "nee": False}.get(value)


class ReferralForm(forms.Form):
    aanbod = forms.ChoiceField(
        label="Instrument en aanbieder",
        help_text="Alleen aanbieders met een lopend contract voor het instrument.",
    )
    goal = forms.CharField(
        label="Doel van de verwijzing",
        max_length=GOAL_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Wat de klant met dit traject bereikt, in een paar zinnen.",
    )
    planned_end_date = forms.DateField(label="Geplande einddatum", widget=DateInput())
    note = forms.CharField(
        label="Toelichting voor de aanbieder",
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=(
            "Dit is het enige uit het dossier dat de aanbieder leest. Deel alleen wat nodig is "
            "voor het traject; geen gegevens over gezondheid of schulden die de aanbieder niet nodig heeft."
        ),
    )
    submission_key = SubmissionKeyField()

    def __init__(self, *args, options, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["aanbod"].choices = [("", "(kies)")] + [(o.value, o.label) for o in options]


class IntakeForm(forms.Form):
    intake_date = forms.DateField(label="Intakedatum", widget=DateInput())
    edit_token = EditTokenField()


class StartForm(forms.Form):
    start_date = forms.DateField(label="Startdatum", widget=DateInput())
    edit_token = EditTokenField()


class NoShowForm(forms.Form):
    reason = forms.ChoiceField(label="Waarom is de klant niet gestart?", choices=NoShowReason.choices)
    note = forms.CharField(
        label="Toelichting",
        required=False,
        max_length=300,
        help_text="Nodig bij 'anders'. Geen medische gegevens.",
    )
    edit_token = EditTokenField()


class ProgressForm(forms.Form):
    text = forms.CharField(label="Voortgang", max_length=REPORT_MAX, widget=forms.Textarea(attrs={"rows": 4}))
    on_track = forms.ChoiceField(label="Op koers?", choices=YES_NO, widget=forms.RadioSelect)
    submission_key = SubmissionKeyField()


class EndForm(forms.Form):
    end_date = forms.DateField(label="Einddatum", widget=DateInput())
    result = forms.ChoiceField(
        label="Resultaat",
        choices=[(r.value, r.label) for r in TrajectoryResult if r in END_RESULTS],
    )
    criterion_met = forms.ChoiceField(
        label="Succescriterium gehaald?", choices=YES_NO, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label="Toelichting", required=False, max_length=NOTE_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )
    edit_token = EditTokenField()
    submission_key = SubmissionKeyField()

    def __init__(self, *args, criterion: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if criterion:
            self.fields["criterion_met"].help_text = f"Het succescriterium: {criterion}."
