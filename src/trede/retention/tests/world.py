"""A client with rows in as many tables as the factories and models allow, for the
destruction tests (and a second client who must survive untouched)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from trede.accounts.models import Role, User, Waarneming
from trede.benefits.models import Besluit, Handhavingszaak, Horen, Measure
from trede.benefits.onderzoek.models import Rechtmatigheidsonderzoek
from trede.benefits.tests.factories import BenefitFactory
from trede.casework.caseload.models import CaseloadTransfer
from trede.casework.intake.models import Application, Questionnaire
from trede.casework.tests.factories import ConsultantFactory, ContactFactory, DiagnosisFactory
from trede.casework.tests.factories_plans import (
    PlacementFactory,
    PlanActionFactory,
    PlanFactory,
    RouteDecisionFactory,
)
from trede.clients.tests.factories import ClientFactory, ClientProfileFactory, valid_bsn
from trede.employers.models import Employer, Vacancy, Voordracht
from trede.finance.models import Payment
from trede.finance.premiums.models import PremiumPart
from trede.instruments.claims.models import Claim, ClaimLine
from trede.instruments.referrals.models import EndReport, ProgressReport, Referral
from trede.instruments.tests.factories import (
    ContractFactory,
    InstrumentFactory,
    ProviderFactory,
    TrajectoryFactory,
)

UNIQUE_ID = "VN-UNIEK-7731"
UNIQUE_BSN = valid_bsn(777_001)
GIVEN, FAMILY = "Zwaantje", "Vernietigbaar"
OLD = date(2010, 3, 1)  # every date of the expired client lies around here


def staff(username: str, role: str) -> User:
    return User.objects.create_user(
        username=username, role=role, first_name=username.capitalize(), password=None
    )


def full_client(client_id: str = UNIQUE_ID, *, bsn: str = UNIQUE_BSN, given=GIVEN, family=FAMILY, suffix="a"):
    """A client whose last activity was in 2011, with a row in every kind of table."""
    consultant = ConsultantFactory(name=f"Consulent {suffix}", team="Noord")
    other_consultant = ConsultantFactory(name=f"Collega {suffix}", team="Noord")
    client = ClientFactory(
        client_id=client_id, bsn=bsn, given_name=given, family_name=family, consultant=consultant
    )
    client.postcode4 = "1234"
    client.save()  # a second history row
    ClientProfileFactory(client=client)
    benefit = BenefitFactory(
        benefit_id=f"B-{client_id}",
        client=client,
        start_date=OLD,
        end_date=date(2011, 1, 1),
        end_reason="werk",
    )
    # A benefit removed later (a re-import): its history stays with the client number.
    dropped = BenefitFactory(
        benefit_id=f"BX-{client_id}",
        client=client,
        start_date=date(2009, 1, 1),
        end_date=date(2009, 6, 1),
        end_reason="werk",
    )
    dropped.delete()
    Measure.objects.create(
        measure_id=f"M-{client_id}",
        client=client,
        date=date(2010, 5, 1),
        kind="waarschuwing",
        reason=f"Reden voor {given}",
    )
    inkomen = User.objects.filter(username=f"inkomen-{suffix}").first() or staff(
        f"inkomen-{suffix}", Role.CONSULENT_INKOMEN
    )
    Rechtmatigheidsonderzoek.objects.create(
        client=client,
        held_on=date(2010, 9, 1),
        outcome="ongewijzigd",
        note=f"{given} {family} nagegaan",
        recorded_by=inkomen,
    )
    # Handhaving: a zaak, its hearing and a final decision with its measure.
    zaak = Handhavingszaak.objects.create(
        client=client,
        signal_kind="afspraak_gemist",
        obligation="arbeid",
        signal_date=date(2010, 6, 1),
        description=f"{given} niet verschenen",
        status="besloten",
        created_by=inkomen,
    )
    Horen.objects.create(
        zaak=zaak,
        held_on=date(2010, 6, 8),
        form="gesprek",
        statement=f"{given}: vergeten",
        recorded_by=inkomen,
    )
    Besluit.objects.create(
        zaak=zaak,
        kind="maatregel",
        legal_ground="art. 18 lid 2 Participatiewet",
        category="1",
        offence=1,
        verwijtbaarheid="verwijtbaar",
        motivation=f"{given} is gehoord",
        percentage=Decimal("20"),
        months=1,
        status="definitief",
        proposed_by=inkomen,
        decided_on=date(2010, 6, 15),
        bezwaar_deadline=date(2010, 7, 27),
        measure=Measure.objects.create(
            measure_id=f"TREDE-HH-{client_id}", client=client, date=date(2010, 6, 15), kind="maatregel"
        ),
    )
    Waarneming.objects.create(
        user=inkomen,
        client=client,
        reason=f"Vakantie collega van {given}",
        valid_until=timezone.now() - timedelta(days=4000),
    )
    CaseloadTransfer.objects.create(
        client=client, from_consultant=consultant, to_consultant=other_consultant, reason="Herverdeling"
    )
    ContactFactory(contact_id=f"C-{client_id}", client=client, date=date(2010, 6, 1), consultant=consultant)
    application = Application.objects.create(
        client=client, received_on=OLD, status="afgerond", note=f"Aanvraag {family}"
    )
    Questionnaire.objects.create(client=client, application=application)
    diagnosis = DiagnosisFactory(diagnosis_id=f"D-{client_id}", client=client, date=date(2010, 4, 1))
    RouteDecisionFactory(client=client, decided_on=date(2010, 4, 2), diagnosis=diagnosis)
    plan = PlanFactory(client=client, version=1)
    PlanActionFactory(plan=plan, deadline=date(2010, 8, 1))
    provider = ProviderFactory(provider_id=f"PR-{suffix}")
    instrument = InstrumentFactory(instrument_code=f"IN-{suffix}")
    contract = ContractFactory(provider=provider, start_date=date(2009, 1, 1), instruments=[instrument])
    trajectory = TrajectoryFactory(
        trajectory_id=f"T-{client_id}",
        client=client,
        instrument=instrument,
        provider=provider,
        referral_date=date(2010, 2, 1),
        start_date=date(2010, 3, 1),
        end_date=date(2010, 9, 1),
        result="geslaagd",
    )
    referral = Referral.objects.create(
        trajectory=trajectory,
        goal=f"Werk voor {given}",
        note_for_provider=f"{given} {family} belt zelf",
        referred_at=timezone.now(),
    )
    ProgressReport.objects.create(
        referral=referral,
        number=1,
        due_date=date(2010, 4, 26),
        text="Gaat goed",
        on_track=True,
        reported_at=timezone.now(),
    )
    first = EndReport.objects.create(
        referral=referral,
        end_date=date(2010, 9, 1),
        result="geslaagd",
        criterion_met=True,
        criterion="20 uur",
        note="Klaar",
        reported_at=timezone.now(),
        review="betwist",
        dispute_reason="Te vroeg gemeld",
    )
    EndReport.objects.create(
        referral=referral,
        end_date=date(2010, 9, 1),
        result="geslaagd",
        criterion_met=True,
        criterion="20 uur",
        note="Gecorrigeerd",
        reported_at=timezone.now(),
        corrects=first,
    )
    claim = Claim.objects.create(provider=provider, total_eur=Decimal("400.00"), submitted_at=timezone.now())
    ClaimLine.objects.create(
        claim=claim,
        trajectory=trajectory,
        contract=contract,
        kind="termijn",
        due_date=date(2010, 4, 1),
        amount_eur=Decimal("400.00"),
    )
    employer = Employer.objects.create(employer_id=f"W-{suffix}", name=f"Bakkerij {suffix}")
    placement = PlacementFactory(
        placement_id=f"PL-{client_id}",
        client=client,
        employer=employer,
        start_date=date(2010, 10, 1),
        end_date=date(2011, 2, 1),
        contract="tijdelijk",
        subsidy="geen",
    )
    # A voordracht (shortlist entry) with its history: the client's rows, the vacancy not.
    vacancy = Vacancy.objects.create(
        vacancy_id=f"V-{suffix}", employer=employer, title="Bakker", open_date=date(2010, 9, 1)
    )
    Voordracht.objects.create(vacancy=vacancy, client=client, status="geweigerd", consent_on=date(2010, 9, 5))
    # Invited to a matching event and paired there (with history): the client's rows, the event not.
    from trede.matchevents.models import EventCandidate, EventPair, MatchEvent

    organiser, _ = User.objects.get_or_create(username=f"am-{suffix}", defaults={"role": "accountmanager"})
    event = MatchEvent.objects.create(name="Netwerkcafé", date=date(2010, 9, 10), organiser=organiser)
    EventCandidate.objects.create(event=event, client=client, added_by=organiser)
    EventPair.objects.create(
        event=event, vacancy=vacancy, client=client, units=5000, reasons=["Beroep past."]
    )
    payment = Payment.objects.create(
        payment_id=f"PAY-{client_id}",
        client=client,
        date=date(2010, 12, 1),
        amount_eur=Decimal("750"),
        kind="premie",
        funding="reintegratiebudget",
        line="uitstroompremie",
        benefit=benefit,
        trajectory=trajectory,
        placement=placement,
    )
    checker = User.objects.filter(username=f"controle-{suffix}").first() or staff(
        f"controle-{suffix}", Role.CONSULENT_INKOMEN
    )
    approver = User.objects.filter(username=f"tl-{suffix}").first() or staff(f"tl-{suffix}", Role.TEAMLEIDER)
    PremiumPart.objects.create(
        client=client,
        scheme="uitstroompremie",
        scheme_name="Uitstroompremie",
        part=1,
        due_date=date(2010, 12, 1),
        outflow_date=date(2011, 1, 1),
        amount_eur=Decimal("375"),
        funding="reintegratiebudget",
        line="uitstroompremie",
        proposed_at=timezone.now(),
        status="betaald",
        payment=payment,
        proposed_by=inkomen,
        checked_by=checker,
        approved_by=approver,
    )
    # A letter sent to the client (trede.letters): the PDF goes with the file.
    from trede.letters.models import Letter
    from trede.letters.services import template_in_use

    template = template_in_use("beschikking_waarschuwing")
    Letter.objects.create(
        client=client,
        kind="beschikking_waarschuwing",
        source_type="maatregel",
        source_id=f"M-{client_id}",
        source_digest="0" * 64,
        template=template,
        template_version=template.version,
        letterhead_version=1,
        reference=f"HH-M-{client_id}",
        subject="Besluit: u krijgt een waarschuwing",
        letter_date=date(2010, 12, 1),
        fields_used=["naam"],
        pdf=f"%PDF-1.4 {given} {family}".encode(),
        size=20,
        created_by=inkomen,
    )
    User.objects.create_user(
        username=f"inwoner-{client_id}",
        role=Role.INWONER,
        client=client,
        first_name=given,
        last_name=family,
        email=f"{given.lower()}@example.org",
        password=None,
    )
    return client


# The dependent tables this world fills by hand (the test fails when one of them is empty).
FILLED_BY_HAND = frozenset(
    {
        "accounts.Waarneming",
        "clients.ClientProfile",
        "clients.HistoricalClientProfile",
        "benefits.Benefit",
        "benefits.HistoricalBenefit",
        "benefits.Measure",
        "benefits.HistoricalMeasure",
        "benefits.Rechtmatigheidsonderzoek",
        "benefits.HistoricalRechtmatigheidsonderzoek",
        "benefits.Handhavingszaak",
        "benefits.HistoricalHandhavingszaak",
        "benefits.Horen",
        "benefits.HistoricalHoren",
        "benefits.Besluit",
        "benefits.HistoricalBesluit",
        "casework.CaseloadTransfer",
        "casework.Contact",
        "casework.HistoricalContact",
        "casework.Diagnosis",
        "casework.HistoricalDiagnosis",
        "casework.Application",
        "casework.HistoricalApplication",
        "casework.Questionnaire",
        "casework.HistoricalQuestionnaire",
        "casework.RouteDecision",
        "casework.Plan",
        "casework.PlanAction",
        "letters.Letter",
        "instruments.Trajectory",
        "instruments.HistoricalTrajectory",
        "instruments.ClaimLine",
        "instruments.Referral",
        "instruments.HistoricalReferral",
        "instruments.ProgressReport",
        "instruments.HistoricalProgressReport",
        "instruments.EndReport",
        "instruments.HistoricalEndReport",
        "employers.Placement",
        "employers.HistoricalPlacement",
        "employers.Voordracht",
        "employers.HistoricalVoordracht",
        "matchevents.EventCandidate",
        "matchevents.HistoricalEventCandidate",
        "matchevents.EventPair",
        "matchevents.HistoricalEventPair",
        "finance.Payment",
        "finance.PremiumPart",
    }
)


def _value(field, rows_by_model):
    from django.db import models

    if isinstance(field, models.ForeignKey):
        target = field.related_model
        pks = rows_by_model.get(target)
        if pks:
            return target._base_manager.get(pk=sorted(pks, key=str)[0])
        existing = target._base_manager.first()
        if existing is None:
            raise LookupError(field.name)
        return existing
    if field.choices:
        return field.choices[0][0]
    if isinstance(field, models.DateTimeField):
        return timezone.now()
    if isinstance(field, models.DateField):
        return OLD
    if isinstance(field, models.DecimalField):
        return Decimal("1")
    if isinstance(field, models.BooleanField):
        return False
    if isinstance(field, (models.IntegerField, models.FloatField)):
        return 1
    if isinstance(field, models.JSONField):
        return {"klant": UNIQUE_ID}
    if isinstance(field, (models.CharField, models.TextField)):
        text = f"{GIVEN} {FAMILY} {UNIQUE_ID}"
        return text[: field.max_length] if field.max_length else text
    if isinstance(field, models.UUIDField):
        import uuid

        return uuid.uuid4()
    raise LookupError(field.name)


def fill_remaining(client) -> tuple[list[str], list[str]]:
    """Best effort for a dependent table this world does not know (one another app added
    later): one row with plain values, linked to the client's rows. Returns (filled,
    not fillable); a table that cannot be filled this way is still searched by the raw
    check, it just has no row to find."""
    from django.db import IntegrityError, transaction

    from trede.retention.destruction import collect, destruction_plan

    plan = destruction_plan()
    filled, failed = [], []
    for model in plan.links:
        label = model._meta.label
        if label in FILLED_BY_HAND or model in plan.history_of or model._meta.app_label == "retention":
            continue
        rows = collect([client.pk])
        if model in rows:
            continue
        values = {}
        try:
            for field in model._meta.concrete_fields:
                if (
                    field.primary_key
                    and getattr(field, "auto_created", False)
                    or type(field).__name__ in ("AutoField", "BigAutoField")
                ):
                    continue
                if field.null and not (field.is_relation and field.related_model in rows):
                    continue
                if field.has_default() and not field.is_relation:
                    continue
                if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                    continue
                values[field.attname if field.is_relation else field.name] = (
                    _value(field, rows).pk if field.is_relation else _value(field, rows)
                )
            with transaction.atomic():
                model._base_manager.create(**values)
            filled.append(label)
        except (LookupError, IntegrityError, ValueError, TypeError):
            failed.append(label)
    return filled, failed
