"""The dashboard's filters (one GET form for every panel) and the drill-down's question."""

from __future__ import annotations

import re
from datetime import date, timedelta

from django import forms
from django.utils import timezone

from trede.casework.constants import Category, ClientGroup

from ..constants import (
    AGE_BANDS,
    CATEGORIES,
    CLIENT_GROUPS,
    DURATION_BANDS,
    END_REASONS,
    HOUSEHOLDS,
    LADDER_STEPS,
    REGULATIONS,
)
from ..forecast.forms import REGULATION_LABELS
from ..periods import add_months

MAX_MONTHS_BACK = 120  # "up to ten years" (issue 11): the first month may lie 119 months back
GRANULARITIES = [("month", "Maand"), ("quarter", "Kwartaal"), ("year", "Jaar")]
DIMENSIONS = {
    "by_age_band": ("Leeftijd", AGE_BANDS),
    "by_duration_band": ("Uitkeringsduur (jaren)", DURATION_BANDS),
    "by_household": ("Huishouden", HOUSEHOLDS),
    "by_ladder_step": ("Trede op de participatieladder", LADDER_STEPS),
    "by_category": ("Categorie (laatste diagnose)", CATEGORIES),
    "by_client_group": ("Klantgroep (laatste diagnose)", CLIENT_GROUPS),
}
BAND_LABELS = {
    "alleenstaand": "Alleenstaand",
    "alleenstaande_ouder": "Alleenstaande ouder",
    "gehuwd_samenwonend": "Gehuwd of samenwonend",
    "overig": "Overig",
    "onbekend": "Onbekend",
    "<=20": "20 of jonger",
    ">=61": "61 of ouder",
    "<1": "korter dan 1",
    ">=5": "5 of langer",
    **{code: str(label) for code, label in Category.choices},
    **{code: str(label).capitalize() for code, label in ClientGroup.choices},
}
REASON_LABELS = {
    "werk": "Werk",
    "onderwijs": "Onderwijs",
    "verhuizing": "Verhuizing",
    "aow": "AOW",
    "overlijden": "Overlijden",
    "detentie": "Detentie",
    "partner_inkomen": "Inkomen partner",
    "rechtmatigheid": "Rechtmatigheid",
    "overig": "Overig",
}
# Groups of clients every figure can be narrowed to (`monitor.sql.GROUP_CONDITIONS`).
CLIENT_GROUP_LABELS = {"statushouder": "Statushouders"}
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def _client_group_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label="Groep",
        required=False,
        choices=[("", "Iedereen"), *CLIENT_GROUP_LABELS.items()],
        help_text="Alle cijfers gaan dan over de uitkeringen van deze groep.",
    )


def band_label(band: str) -> str:
    return BAND_LABELS.get(band, band)


def _regulations_field() -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label="Regelingen",
        choices=[(code, REGULATION_LABELS.get(code, code)) for code in REGULATIONS],
        widget=forms.CheckboxSelectMultiple,
        initial=["pw"],
        error_messages={"required": "Kies ten minste één regeling."},
    )


class MonthField(forms.CharField):
    """A calendar month as `JJJJ-MM` (an `<input type="month">`), cleaned to its first day."""

    widget = forms.TextInput(attrs={"type": "month", "placeholder": "JJJJ-MM", "pattern": r"\d{4}-\d{2}"})

    def to_python(self, value):
        text = super().to_python(value)
        if not text:
            return None
        match = _MONTH.match(text.strip())
        if not match or not 1 <= int(match[2]) <= 12 or int(match[1]) < 1900:
            raise forms.ValidationError("Geef een maand als JJJJ-MM, bijvoorbeeld 2024-03.")
        return date(int(match[1]), int(match[2]), 1)


def this_month() -> date:
    return timezone.localdate().replace(day=1)


class DashboardForm(forms.Form):
    regelingen = _regulations_field()
    van = MonthField(label="Van (maand)", help_text="De eerste maand, JJJJ-MM; hoogstens tien jaar terug.")
    tot = MonthField(label="Tot en met (maand)", help_text="De laatste maand, JJJJ-MM.")
    doelgroep = _client_group_field()
    periode = forms.ChoiceField(label="Per", choices=GRANULARITIES, initial="month")
    indeling = forms.ChoiceField(
        label="Samenstelling van het bestand naar",
        choices=[(key, label) for key, (label, _bands) in DIMENSIONS.items()],
        initial="by_age_band",
    )

    @staticmethod
    def defaults() -> dict:
        """The last three calendar years up to the last complete month, per month, by age."""
        last = add_months(this_month(), -1)
        return {
            "regelingen": ["pw"],
            "van": f"{last.year - 2:04d}-01",
            "tot": f"{last.year:04d}-{last.month:02d}",
            "periode": "month",
            "indeling": "by_age_band",
            "doelgroep": "",
        }

    def clean(self):
        data = super().clean()
        first, last = data.get("van"), data.get("tot")
        if first and last:
            now = this_month()
            if last < first:
                self.add_error("tot", "De laatste maand ligt vóór de eerste.")
            if last > now:
                self.add_error("tot", "De laatste maand ligt in de toekomst.")
            if first < add_months(now, -(MAX_MONTHS_BACK - 1)):
                self.add_error("van", "Kies een eerste maand hoogstens tien jaar terug.")
        return data

    @property
    def date_from(self) -> date:
        return self.cleaned_data["van"]

    @property
    def date_to(self) -> date:
        """Exclusive: the first day after the last month."""
        return add_months(self.cleaned_data["tot"], 1)


class DrillDownForm(forms.Form):
    """Which figure's clients: the stock on a day (optionally one band of one breakdown),
    or the inflow or outflow (optionally of one reason) over [van, tot)."""

    cijfer = forms.ChoiceField(
        label="Cijfer",
        choices=[("bestand", "Bestand op een dag"), ("instroom", "Instroom"), ("uitstroom", "Uitstroom")],
        initial="bestand",
    )
    regelingen = _regulations_field()
    doelgroep = _client_group_field()
    peildatum = forms.DateField(
        label="Peildatum", required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    indeling = forms.ChoiceField(
        label="Indeling",
        required=False,
        choices=[("", "Geen (het hele bestand)")] + [(k, label) for k, (label, _b) in DIMENSIONS.items()],
    )
    groep = forms.CharField(label="Groep", required=False, max_length=40)
    van = forms.DateField(
        label="Van", required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    tot = forms.DateField(
        label="Tot (telt niet mee)",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    reden = forms.ChoiceField(
        label="Reden van uitstroom",
        required=False,
        choices=[("", "Alle redenen")] + [(r, REASON_LABELS.get(r, r)) for r in END_REASONS],
    )

    @staticmethod
    def defaults() -> dict:
        return {"cijfer": "bestand", "regelingen": ["pw"], "peildatum": timezone.localdate().isoformat()}

    def clean(self):
        data = super().clean()
        kind = data.get("cijfer")
        if kind == "bestand":
            if not data.get("peildatum"):
                self.add_error("peildatum", "Geef de peildatum.")
            dimension = data.get("indeling")
            if dimension and data.get("groep") not in DIMENSIONS[dimension][1]:
                self.add_error("groep", "Deze groep bestaat niet in deze indeling.")
        elif kind in ("instroom", "uitstroom"):
            first, end = data.get("van"), data.get("tot")
            if not first:
                self.add_error("van", "Geef het begin van de periode.")
            if not end:
                self.add_error("tot", "Geef het einde van de periode.")
            if first and end and end <= first:
                self.add_error("tot", "Het einde moet na het begin liggen.")
            if first and end and end - first > timedelta(days=3700):
                self.add_error("van", "Kies een periode van hoogstens tien jaar.")
        return data
