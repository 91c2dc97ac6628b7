"""The comparison's forms: which years to show, and the file to import."""

from __future__ import annotations

from django import forms

from trede.utils.concurrency import SubmissionKeyField

from ..constants import REGULATIONS
from ..forecast.forms import REGULATION_LABELS
from .reading import YEAR_MAX, YEAR_MIN

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class ComparisonForm(forms.Form):
    year_from = forms.IntegerField(label="Vanaf jaar", min_value=YEAR_MIN, max_value=YEAR_MAX, required=False)
    year_to = forms.IntegerField(
        label="Tot en met jaar", min_value=YEAR_MIN, max_value=YEAR_MAX, required=False
    )
    regulations = forms.MultipleChoiceField(
        label="Regelingen (eigen gemeente)",
        choices=[(code, REGULATION_LABELS.get(code, code)) for code in REGULATIONS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Standaard de Participatiewet, zoals de cijfers van de andere gemeenten.",
    )

    def clean(self):
        data = super().clean()
        lo, hi = data.get("year_from"), data.get("year_to")
        if lo is not None and hi is not None:
            if hi < lo:
                raise forms.ValidationError("'Tot en met jaar' ligt voor 'Vanaf jaar'.")
            if hi - lo > 50:
                raise forms.ValidationError("Kies ten hoogste 50 jaar.")
        return data


class PeerImportForm(forms.Form):
    file = forms.FileField(
        label="CSV-bestand",
        help_text="UTF-8, komma als scheidingsteken; de kolommen staan hieronder.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
    source = forms.CharField(
        label="Bron en omschrijving",
        max_length=300,
        help_text="Waar de cijfers vandaan komen, bv. 'CBS StatLine, bijstandsuitkeringen per 1.000 inwoners, 2023'.",
    )
    submission_key = SubmissionKeyField()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(f"Het bestand is groter dan {MAX_UPLOAD_BYTES // (1024 * 1024)} MB.")
        return upload
