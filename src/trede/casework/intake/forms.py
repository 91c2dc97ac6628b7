"""Forms of the intake screens; the questionnaire form is generated from `questionnaire.py`."""

from __future__ import annotations

from django import forms
from django.core.validators import RegexValidator
from django.utils import timezone

from trede.clients.constants import Gender
from trede.clients.validators import validate_bsn
from trede.utils.concurrency import EditTokenField, SubmissionKeyField, new_submission_key

from ..constants import DIAGNOSIS_OVERRIDABLE, LADDER_STEPS, ApplicationKind, Category, ClientGroup, Route
from . import limits
from .questionnaire import DOMAINS, QUESTIONS, TEXT_MAX_LENGTH, missing_by_domain

STATUSHOUDER_CHOICES = [("", "Onbekend"), ("ja", "Ja"), ("nee", "Nee")]


class ApplicationForm(forms.Form):
    """A melding or aanvraag; with the applicant's details when they are new to Trede."""

    kind = forms.ChoiceField(
        label="Soort",
        choices=ApplicationKind.choices,
        initial=ApplicationKind.MELDING,
        widget=forms.RadioSelect,
    )
    received_on = forms.DateField(
        label="Ontvangen op",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        initial=timezone.localdate,
    )
    note = forms.CharField(
        label="Toelichting",
        required=False,
        max_length=limits.NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    submission_key = SubmissionKeyField()

    def clean_received_on(self):
        value = self.cleaned_data["received_on"]
        problem = limits.date_problem(value, label="De datum", today=timezone.localdate(), future=None)
        if problem:
            raise forms.ValidationError(problem)
        return value

    def clean_note(self):
        value = self.cleaned_data["note"]
        problem = limits.text_problem(value, label="De toelichting", max_length=limits.NOTE_MAX_LENGTH)
        if problem:
            raise forms.ValidationError(problem)
        return value


class NewApplicantForm(ApplicationForm):
    given_name = forms.CharField(label="Voornaam", max_length=100)
    family_name = forms.CharField(label="Achternaam", max_length=150)
    birth_date = forms.DateField(
        label="Geboortedatum", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    bsn = forms.CharField(
        label="BSN",
        required=False,
        max_length=9,
        validators=[validate_bsn],
        help_text="9 cijfers. Laat leeg als het BSN nog niet bekend is.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    postcode4 = forms.CharField(
        label="Postcode (alleen de 4 cijfers)",
        required=False,
        max_length=4,
        validators=[RegexValidator(r"^[0-9]{4}$", "Vul de 4 cijfers van de postcode in.")],
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    gender = forms.ChoiceField(
        label="Geslacht",
        required=False,
        choices=[("", "Niet ingevuld"), *Gender.choices],
        help_text="Telt niet mee in de diagnose. Alleen voor de controle op gelijke behandeling.",
    )
    statushouder = forms.ChoiceField(
        label="Statushouder",
        required=False,
        choices=STATUSHOUDER_CHOICES,
        help_text="Telt niet mee in de diagnose. Voor de dienstverlening (inburgering) en de controle op "
        "gelijke behandeling.",
    )

    field_order = [
        "given_name",
        "family_name",
        "birth_date",
        "bsn",
        "postcode4",
        "gender",
        "statushouder",
        "kind",
        "received_on",
        "note",
    ]

    def clean_birth_date(self):
        value = self.cleaned_data["birth_date"]
        problem = limits.date_problem(
            value, label="De geboortedatum", today=timezone.localdate(), future=None
        )
        if problem:
            raise forms.ValidationError(problem)
        return value

    def clean(self):
        data = super().clean()
        birth_date, received_on = data.get("birth_date"), data.get("received_on")
        if birth_date and received_on:
            problem = limits.birth_date_problem(birth_date, on=received_on)
            if problem:
                self.add_error("birth_date", problem)
        return data

    def client_data(self) -> dict:
        data = self.cleaned_data
        return {
            "given_name": data["given_name"],
            "family_name": data["family_name"],
            "birth_date": data["birth_date"],
            "bsn": data["bsn"],
            "postcode4": data["postcode4"],
            "gender": data["gender"],
            "statushouder": {"ja": True, "nee": False}.get(data["statushouder"]),
        }


class QuestionnaireFormBase(forms.Form):
    """Fields named after the question ids; `domains()` groups them per life domain.

    Completeness is the questionnaire's one rule (`questionnaire.missing_by_domain`): the
    fields themselves are optional, `clean` marks every required question still open and
    keeps them per domain in `missing` for the summary above the form.
    """

    for_applicant = True
    missing_text = "Kies een antwoord."

    def domains(self) -> list[dict]:
        groups = []
        for domain in DOMAINS:
            fields = [self[q.id] for q in QUESTIONS if q.domain == domain.key and q.id in self.fields]
            if fields:
                groups.append({"domain": domain, "fields": fields})
        return groups

    def answers(self) -> dict[str, str]:
        return {key: value for key, value in self.cleaned_data.items() if value not in (None, "")}

    def clean(self):
        cleaned = super().clean()
        self.missing = []
        if any(q.id in self.errors for q in QUESTIONS):
            return cleaned  # an invalid choice first; its own message says what is wrong
        missing = missing_by_domain(self.answers(), allow_open=self.for_applicant)
        for _domain, questions in missing:
            for question in questions:
                self.add_error(question.id, self.missing_text)
        self.missing = [
            {"domain": domain, "questions": [self[q.id] for q in questions]} for domain, questions in missing
        ]
        return cleaned


def questionnaire_form_class(*, for_applicant: bool) -> type[QuestionnaireFormBase]:
    """The questionnaire as a form: with "liever bespreken" for the applicant, without it for
    the consultant; the same completeness rule for both (`QuestionnaireFormBase.clean`)."""
    fields: dict[str, object] = {"for_applicant": for_applicant}
    for question in QUESTIONS:
        if question.is_text:
            fields[question.id] = forms.CharField(
                label=question.label,
                help_text=question.help_text,
                required=False,
                max_length=TEXT_MAX_LENGTH,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            continue
        fields[question.id] = forms.ChoiceField(
            label=question.label,
            help_text=question.help_text,
            choices=[(c.value, c.label) for c in question.choices_for(for_applicant=for_applicant)],
            required=False,
            widget=forms.RadioSelect,
            error_messages={"invalid_choice": "Kies een van de antwoorden."},
        )
    name = "ApplicantQuestionnaireForm" if for_applicant else "ConsultantQuestionnaireForm"
    return type(name, (QuestionnaireFormBase,), fields)


def _ladder_choices():
    return [("", "Onbekend")] + [(str(k), f"{k} – {v}") for k, v in LADDER_STEPS.items()]


class OverrideForm(forms.Form):
    """Any part of a diagnosis, with a mandatory reason (seed 001 §2.2)."""

    months_to_work = forms.IntegerField(
        label="Afstand tot werk (maanden)", required=False, min_value=0, max_value=120
    )
    ladder_step = forms.TypedChoiceField(
        label="Trede nu", required=False, choices=_ladder_choices, coerce=int, empty_value=None
    )
    ladder_target = forms.TypedChoiceField(
        label="Doeltrede", required=False, choices=_ladder_choices, coerce=int, empty_value=None
    )
    wage_value_pct = forms.DecimalField(
        label="Loonwaarde (% van het minimumloon)",
        required=False,
        min_value=0,
        max_value=100,
        decimal_places=2,
    )
    category = forms.ChoiceField(label="Categorie", required=False, choices=[("", "Geen"), *Category.choices])
    route = forms.ChoiceField(label="Route", required=False, choices=[("", "Geen"), *Route.choices])
    client_group = forms.ChoiceField(
        label="Klantgroep", required=False, choices=[("", "Geen"), *ClientGroup.choices]
    )
    reason = forms.CharField(
        label="Reden van de afwijking",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Verplicht. Waarom wijkt uw oordeel af van de uitkomst?",
        error_messages={"required": "Geef de reden waarom u afwijkt van de uitkomst."},
    )

    # What the page showed of the diagnosis, and this opened form's key (no double override).
    edit_token = EditTokenField()
    submission_key = SubmissionKeyField()

    CHANGE_FIELDS = DIAGNOSIS_OVERRIDABLE

    @classmethod
    def for_diagnosis(cls, diagnosis, data=None):
        from .services import diagnosis_edit_token

        initial = {f: getattr(diagnosis, f) for f in cls.CHANGE_FIELDS}
        initial.update(edit_token=diagnosis_edit_token(diagnosis), submission_key=new_submission_key())
        return cls(data=data, initial=initial, prefix="afwijking")

    def changes(self) -> dict:
        return {f: self.cleaned_data.get(f) for f in self.CHANGE_FIELDS}


class RouteDecisionForm(forms.Form):
    """The route decision: the preset's advice preselected, another route with a reason."""

    decided_on = forms.DateField(
        label="Ingangsdatum",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        initial=timezone.localdate,
        error_messages={"required": "Vul de ingangsdatum in.", "invalid": "Vul een geldige datum in."},
    )
    route = forms.ChoiceField(
        label="Route",
        choices=Route.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Kies een route. Zonder route (“Geen”) is er geen routebesluit.",
            "invalid_choice": "Kies een van de routes.",
        },
    )
    deviation_reason = forms.CharField(
        label="Reden van de afwijking van het advies",
        required=False,
        max_length=limits.REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Alleen nodig als u een andere route kiest dan het advies "
        f"(minstens {limits.DEVIATION_REASON_MIN_LENGTH} tekens).",
    )
    reason = forms.CharField(
        label="Reden van het besluit",
        max_length=limits.REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Geef de reden van het routebesluit."},
    )

    field_order = ["decided_on", "route", "deviation_reason", "reason"]

    def __init__(self, *args, advised_route: str = "", proposed_route: str = "", **kwargs):
        kwargs.setdefault("prefix", "route")
        super().__init__(*args, **kwargs)
        self.fields["route"].choices = [
            (value, f"{label} (advies)" if value == advised_route else label)
            for value, label in Route.choices
        ]
        if proposed_route and "route" not in self.initial:
            self.initial["route"] = proposed_route

    def clean_decided_on(self):
        value = self.cleaned_data["decided_on"]
        problem = limits.date_problem(value, label="De ingangsdatum", today=timezone.localdate())
        if problem:
            raise forms.ValidationError(problem)
        return value
