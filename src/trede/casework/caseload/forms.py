"""The hand-over form (caseload rebalancing); the services decide and write."""

from __future__ import annotations

from django import forms

from .models import Consultant


class TransferForm(forms.Form):
    clients = forms.MultipleChoiceField(
        label="Klanten",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Kies ten minste één klant."},
    )
    to_consultant = forms.ModelChoiceField(
        label="Naar consulent",
        queryset=Consultant.objects.none(),
        empty_label="kies…",
        error_messages={"required": "Kies de consulent die de klanten overneemt."},
    )
    reason = forms.CharField(
        label="Reden",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Bijvoorbeeld: caseload boven de norm, langdurige afwezigheid, wens van de klant.",
        error_messages={"required": "Geef een reden voor de overdracht."},
    )

    def __init__(self, *args, client_choices, consultants, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["clients"].choices = client_choices
        self.fields["to_consultant"].queryset = consultants
        self.fields["to_consultant"].label_from_instance = lambda c: (
            f"{c.name or c.consultant_id} ({c.team})" if c.team else (c.name or c.consultant_id)
        )
