from django import forms

from .constants import MAX_YEARS, MIN_YEARS, RecordType
from .services import BASIS_MIN, REASON_MAX, REASON_MIN


class PeriodForm(forms.Form):
    record_type = forms.ChoiceField(choices=RecordType.choices, widget=forms.HiddenInput)
    years = forms.IntegerField(label="Bewaartermijn in jaren", min_value=MIN_YEARS, max_value=MAX_YEARS)
    basis = forms.CharField(
        label="Bron of reden",
        min_length=BASIS_MIN,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Bijvoorbeeld de categorie van de Selectielijst, of waarom de gemeente deze termijn kiest.",
    )


class RejectForm(forms.Form):
    reason = forms.CharField(
        label="Reden van afwijzen",
        min_length=REASON_MIN,
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
