from django import forms

from trede.monitor.constants import DEFAULT_REGULATIONS, REGULATIONS

from .selectors import REGULATION_LABELS


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
