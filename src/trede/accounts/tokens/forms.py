from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone

from trede.accounts.models import Role
from trede.casework.common import DateInput
from trede.utils.concurrency import SubmissionKeyField

from . import scopes as scope_rules
from .services import SYSTEM_ROLES


class TokenCreateForm(forms.Form):
    submission_key = SubmissionKeyField()
    name = forms.CharField(
        label="Naam van de applicatie of koppeling",
        max_length=100,
        help_text="Bijvoorbeeld 'Power BI afdeling Beleid' of 'Zaaksysteem'.",
    )
    username = forms.CharField(
        label="Systeemaccount",
        max_length=150,
        help_text="Een bestaand systeemaccount, of een nieuwe naam: dan maakt Trede het aan met de rol en het team hieronder.",
    )
    role = forms.ChoiceField(
        label="Rol van het systeemaccount",
        choices=[(r, Role(r).label) for r in SYSTEM_ROLES],
        help_text="Het token mag nooit meer dan deze rol; bij klanten ook alleen de klanten van deze rol (bijvoorbeeld het team).",
    )
    team = forms.CharField(label="Team (niet verplicht)", max_length=100, required=False)
    scopes = forms.MultipleChoiceField(
        label="Scopes: wat het token mag",
        choices=scope_rules.scope_choices,
        widget=forms.CheckboxSelectMultiple,
    )
    expires_on = forms.DateField(
        label="Geldig tot en met (niet verplicht)",
        required=False,
        widget=DateInput(),
        help_text="Leeg: geldig tot het wordt ingetrokken.",
    )

    def expires_at(self):
        day = self.cleaned_data.get("expires_on")
        if day is None:
            return None
        # Valid through the whole day, in the municipality's time.
        return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))
