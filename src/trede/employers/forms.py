from __future__ import annotations

from django import forms

from trede.casework.common import DateInput
from trede.utils.concurrency import EditTokenField

from .constants import VacancyKind, VacancyStatus
from .matching import occupations
from .matching.rules import isco_labels, occupation_name


def occupation_choices(title: str, current: str = "") -> list[tuple[str, str]]:
    """Radio choices for a typed title: the ESCO occupations it may mean, each with its
    ISCO-08 group by label and code; the vacancy's current occupation first when it has one."""
    choices = []
    if current:
        choices.append((f"{current}|", f"Huidig beroep: {occupation_name(current)}"))
    for hit in occupations.search(title):
        text = f"{hit.label} — {hit.isco_name}"
        if hit.matched and occupations.normalise(hit.matched) != occupations.normalise(hit.label):
            text += f" (gevonden via ‘{hit.matched}’)"
        choices.append((hit.choice_value, text))
    return choices


class VacancyForm(forms.Form):
    title = forms.CharField(
        label="Functie",
        max_length=200,
        help_text="Typ de functietitel, bijvoorbeeld ‘magazijnmedewerker’, en kies daarna het beroep dat erbij hoort.",
    )
    occupation = forms.ChoiceField(
        label="Beroep",
        required=False,
        widget=forms.RadioSelect,
        help_text="Het beroep (ISCO-08) waarop de matching kandidaten zoekt.",
    )
    kind = forms.ChoiceField(label="Soort", choices=VacancyKind.choices, initial=VacancyKind.REGULIER)
    skills = forms.CharField(
        label="Gevraagde vaardigheden",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Eén per regel of gescheiden door komma's, bijvoorbeeld ‘heftruckcertificaat’.",
    )
    hours_per_week = forms.DecimalField(
        label="Uren per week", required=False, min_value=0, max_digits=5, decimal_places=1, localize=True
    )
    postcode4 = forms.CharField(
        label="Postcode van de werkplek (4 cijfers)",
        required=False,
        max_length=4,
        help_text="Leeg: de postcode van de werkgever.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    start_date = forms.DateField(label="Gewenste startdatum", required=False, widget=DateInput())
    positions = forms.IntegerField(label="Aantal plaatsen", min_value=1, max_value=500, initial=1)
    status = forms.ChoiceField(label="Status", choices=VacancyStatus.choices, initial=VacancyStatus.OPEN)
    submission_key = forms.CharField(required=False, widget=forms.HiddenInput)
    edit_token = EditTokenField()

    def __init__(self, *args, current_occupation: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        title = (self.data.get("title") if self.is_bound else self.initial.get("title")) or ""
        self.current_occupation = current_occupation
        self.fields["occupation"].choices = occupation_choices(title, current_occupation)
        if not self.is_bound and not self.initial.get("occupation"):
            # A title that is an ESCO label or synonym: its occupation is already chosen.
            exact = occupations.best(title)
            if exact is not None:
                self.initial["occupation"] = exact.choice_value

    def clean_occupation(self):
        value = self.cleaned_data.get("occupation") or ""
        code = value.partition("|")[0]
        if not value:
            exact = occupations.best(self.data.get("title", ""))
            if exact is not None:
                return exact.isco_code
            if self.current_occupation:
                return self.current_occupation
            raise forms.ValidationError("Kies het beroep dat bij de functie hoort.")
        if code not in isco_labels() or len(code) != 4:
            raise forms.ValidationError("Kies een beroep uit de lijst.")
        return code

    def clean_postcode4(self):
        return (self.cleaned_data.get("postcode4") or "").strip()


class ProposeForm(forms.Form):
    submission_key = forms.CharField(required=False, widget=forms.HiddenInput)


class OutcomeForm(forms.Form):
    reason = forms.CharField(
        label="Reden van afwijzing", required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
