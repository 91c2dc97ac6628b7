from datetime import date, timedelta

from django import forms
from django.utils import timezone

from trede.monitor.constants import DEFAULT_REGULATIONS, REGULATIONS

from .formatting import dutch_date
from .selectors import REGULATION_LABELS, data_bounds

# How far a peildatum may lie outside the data: within a year the page shows the figures
# with a notice (the data may lag); further out the figures would only be an artefact
# (and 9999-12-31 cannot be counted back from).
PEILDATUM_MARGIN = timedelta(days=366)


class FiguresForm(forms.Form):
    """Peildatum and regulations of the start page (a plain GET form)."""

    peildatum = forms.DateField(
        label="Peildatum",
        required=False,
        input_formats=["%Y-%m-%d", "%d-%m-%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Vul een geldige datum in, bijvoorbeeld 31-12-2025."},
    )
    regeling = forms.MultipleChoiceField(
        label="Regelingen",
        required=False,
        choices=[(code, REGULATION_LABELS[code]) for code in REGULATIONS],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Kies een regeling uit de lijst."},
    )

    def clean_peildatum(self):
        day = self.cleaned_data.get("peildatum")
        if day is None:
            return day
        bounds = data_bounds()
        if bounds is None:
            first = last = timezone.localdate()
        else:
            first, last = bounds.first, bounds.last
        lowest = max(first - PEILDATUM_MARGIN, date(1900, 1, 1))
        highest = last + PEILDATUM_MARGIN
        if not lowest <= day <= highest:
            raise forms.ValidationError(
                f"Kies een peildatum tussen {dutch_date(lowest)} en {dutch_date(highest)}: "
                f"de gegevens lopen van {dutch_date(first)} tot en met {dutch_date(last)}.",
                code="outside_data",
            )
        return day

    def clean_regeling(self):
        # No box ticked means the default: the Participatiewet only.
        chosen = self.cleaned_data.get("regeling") or list(DEFAULT_REGULATIONS)
        return [code for code in REGULATIONS if code in chosen]


def figure_choice(data) -> tuple[FiguresForm, object, list[str]]:
    """The bound form, the chosen peildatum (None: the default) and regulations."""
    form = FiguresForm(data or None)
    if form.is_bound and form.is_valid():
        return form, form.cleaned_data["peildatum"], form.cleaned_data["regeling"]
    regulations = list(DEFAULT_REGULATIONS)
    if form.is_bound:
        # Keep whatever part of the choice was valid.
        valid = [code for code in data.getlist("regeling") if code in REGULATIONS]
        regulations = [code for code in REGULATIONS if code in valid] or regulations
    return form, None, regulations
