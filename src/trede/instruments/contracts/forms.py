"""The contract manager's contract form; the service checks the terms."""

from __future__ import annotations

from django import forms

from trede.casework.common import DateInput
from trede.utils.concurrency import EditTokenField, SubmissionKeyField

from ..models import Contract, Instrument
from .services import CONTRACT_FIELDS


class ContractForm(forms.ModelForm):
    instruments = forms.ModelMultipleChoiceField(
        label="Instrumenten",
        queryset=Instrument.objects.order_by("name", "instrument_code"),
        widget=forms.CheckboxSelectMultiple,
    )
    token = EditTokenField()
    submission_key = SubmissionKeyField()

    class Meta:
        model = Contract
        fields = list(CONTRACT_FIELDS)
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instruments"].widget.use_fieldset = True

    def _post_clean(self):
        # The service decides (unique number, the price model's amounts); the form only parses.
        pass
