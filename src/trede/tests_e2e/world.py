"""A small municipality with one user per relationship, shared by the access-matrix tests,
the audit tests and the browser journeys.

Client A (Anna de Vries) is on the caseload of Sanne (team Noord). Her file holds something
in every section, including leefgebieden answers and notes that an accountmanager or a
provider must never see (`SENSITIVE_STRINGS`). Client B (Bert Bakker) is on Bob's caseload
(team Zuid) and was referred to provider Q only. The inkomen consultant works for team
Noord; the accountmanager owns the account of the employer where A is placed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

# Not "demo": outside demo mode that password is refused (trede/security/backends.py).
PASSWORD = "wachtwoord-e2e-2026"

# Leefgebieden answers of client A (values of trede.casework.questionnaire).
A_LEEFGEBIEDEN = {
    "gezondheid_psychisch": "ernstig",
    "schulden": "oplopend",
    "wonen": "onzeker",
    "zorgtaken": "deels",
    "huishouden": "alleen_kinderen",
}
A_WERKPROFIEL = {
    "werk_laatst": "1_3j",
    "werk_beroepen": "magazijnmedewerker, orderpicker",
    "opleiding": "vmbo_mbo1",
    "uren": "24_32",
    "motivatie": "graag",
}
CONTACT_NOTE = "Anna vertelde over haar psycholoog en de beslaglegging op haar loon."
MEASURE_REASON = "Inlichtingenplicht geschonden (verzwegen schuldhulptraject)."
APPLICATION_NOTE = "Aangemeld na ontslag; Anna noemt een burn-out."

# Text from client A's file that only roles with leefgebieden, contacten or handhaving may
# see: health, psychological, debt and family details. Tests look for each in the HTML.
SENSITIVE_STRINGS = (
    "Ja, ik kan nu niet werken",  # gezondheid_psychisch = ernstig
    "de schulden worden groter of er is beslag",  # schulden = oplopend
    "Ik moet binnenkort weg en heb nog geen nieuwe woning",  # wonen = onzeker
    "Alleen met mijn kind of kinderen",  # huishouden
    "Huishouden</dt><dd>alleenstaande ouder",  # Client.household
    "psycholoog",
    "beslaglegging",
    "schuldhulptraject",
    "Inlichtingenplicht",
    "burn-out",
)


@dataclass
class World:
    users: dict = field(default_factory=dict)
    clients: dict = field(default_factory=dict)
    consultants: dict = field(default_factory=dict)
    providers: dict = field(default_factory=dict)
    extra: dict = field(default_factory=dict)

    def user(self, key):
        return self.users[key]


def build_world() -> World:
    from trede.accounts.models import Role, User, Waarneming
    from trede.benefits.models import Benefit, Measure
    from trede.casework.models import (
        Application,
        Consultant,
        Contact,
        Diagnosis,
        Plan,
        PlanAction,
        Questionnaire,
        RouteDecision,
    )
    from trede.clients.models import Client, ClientProfile
    from trede.employers.models import Employer, Placement
    from trede.instruments.models import Instrument, Provider, Trajectory

    world = World()
    now = timezone.now()
    today = timezone.localdate()

    p = Provider.objects.create(provider_id="P1", name="Werkbedrijf Noord", kind="sw_bedrijf")
    q = Provider.objects.create(provider_id="Q1", name="Leerwerkbureau Zuid", kind="reintegratiebedrijf")
    world.providers = {"P": p, "Q": q}

    def user(key, role, first, last, **extra):
        u = User.objects.create_user(
            username=key, password=PASSWORD, role=role, first_name=first, last_name=last, **extra
        )
        world.users[key] = u
        return u

    sanne = user("sanne", Role.CONSULENT_WERK, "Sanne", "de Wit")
    bob = user("bob", Role.CONSULENT_WERK, "Bob", "Jansen")
    wim = user("wim", Role.CONSULENT_WERK, "Wim", "Kok")
    user("tl_noord", Role.TEAMLEIDER, "Ingrid", "Bakker", team="Noord")
    user("tl_zuid", Role.TEAMLEIDER, "Henk", "Mol", team="Zuid")
    # Inkomen works for team Noord (Sanne's, so client A), not for Zuid (client B).
    user("inkomen", Role.CONSULENT_INKOMEN, "Mohamed", "El Amrani", team="Noord")
    am = user("am", Role.ACCOUNTMANAGER, "Peter", "Jansen")
    user("aanbieder_p", Role.AANBIEDER, "Fatma", "Yilmaz", provider=p)
    user("aanbieder_q", Role.AANBIEDER, "Koen", "Vos", provider=q)
    user("beleid", Role.BELEID, "Joost", "van Dijk")
    user("privacy", Role.PRIVACY, "Anouk", "Visser")
    user("beheerder", Role.BEHEERDER, "Ruud", "Smit", is_staff=True)
    user("contractmanager", Role.CONTRACTMANAGER, "Esther", "Hendriks")

    c_sanne = Consultant.objects.create(
        consultant_id="M-SANNE", name="Sanne de Wit", team="Noord", user=sanne
    )
    c_bob = Consultant.objects.create(consultant_id="M-BOB", name="Bob Jansen", team="Zuid", user=bob)
    c_wim = Consultant.objects.create(consultant_id="M-WIM", name="Wim Kok", team="Zuid", user=wim)
    world.consultants = {"sanne": c_sanne, "bob": c_bob, "wim": c_wim}

    a = Client.objects.create(
        client_id="KA0001",
        bsn="111222333",
        given_name="Anna",
        family_name="de Vries",
        birth_date=date(1990, 3, 14),
        gender="vrouw",
        household="alleenstaande_ouder",
        education="vmbo_mbo1",
        dutch_language="moedertaal",
        dgr=False,
        postcode4="2265",
        consultant=c_sanne,
    )
    b = Client.objects.create(
        client_id="KB0002",
        bsn="123456782",
        given_name="Bert",
        family_name="Bakker",
        birth_date=date(1975, 11, 2),
        household="alleenstaand",
        postcode4="2266",
        consultant=c_bob,
    )
    world.clients = {"A": a, "B": b}

    for client, benefit_id in ((a, "U-A1"), (b, "U-B1")):
        Benefit.objects.create(
            benefit_id=benefit_id, client=client, regulation="pw", start_date=date(2023, 1, 1)
        )
    Measure.objects.create(
        measure_id="MA1",
        client=a,
        date=date(2024, 5, 1),
        kind="maatregel",
        reason=MEASURE_REASON,
        percentage=Decimal("20"),
        months=Decimal("1"),
    )
    ClientProfile.objects.create(
        client=a, desired_occupations=["9333"], skills=["heftruckcertificaat"], hours_available=Decimal("28")
    )
    application = Application.objects.create(
        client=a,
        kind="aanvraag",
        received_on=date(2022, 12, 1),
        status="afgerond",
        consultant=c_sanne,
        note=APPLICATION_NOTE,
    )
    questionnaire = Questionnaire.objects.create(
        client=a,
        application=application,
        answers={**A_LEEFGEBIEDEN, **A_WERKPROFIEL},
        submitted_by_client_at=now - timedelta(days=400),
        completed_at=now - timedelta(days=390),
        completed_by=sanne,
    )
    world.extra["application"] = application
    world.extra["questionnaire"] = questionnaire
    diagnosis = Diagnosis.objects.create(
        diagnosis_id="DA1",
        client=a,
        date=date(2023, 1, 20),
        months_to_work=18,
        ladder_step=3,
        ladder_target=5,
        assessed_by="tool",
        category="1C",
        route="re_integratie",
        client_group="werken_en_ervaren",
        questionnaire=questionnaire,
    )
    RouteDecision.objects.create(
        client=a,
        decided_on=date(2023, 1, 25),
        route="re_integratie",
        category="1C",
        client_group="werken_en_ervaren",
        ladder_step=3,
        ladder_target=5,
        diagnosis=diagnosis,
        reason="Uitkomst van de diagnose overgenomen.",
        decided_by=sanne,
    )
    # Sanne wrote it: only she may correct it; her teamleider may withdraw it.
    world.extra["contact"] = Contact.objects.create(
        contact_id="GA1",
        client=a,
        date=today - timedelta(days=10),
        kind="gesprek",
        outcome="gehouden",
        consultant=c_sanne,
        note=CONTACT_NOTE,
        created_by=sanne,
    )
    Contact.objects.create(contact_id="GB1", client=b, date=today - timedelta(days=40), kind="telefonisch")
    instrument = Instrument.objects.create(
        instrument_code="WEP", name="Werkervaringsplaats", type="werkervaringsplaats"
    )
    Trajectory.objects.create(
        trajectory_id="TA1",
        client=a,
        instrument=instrument,
        provider=p,
        referral_date=date(2023, 3, 1),
        start_date=date(2023, 3, 15),
    )
    Trajectory.objects.create(
        trajectory_id="TA2",
        client=a,
        instrument=instrument,
        provider=q,
        referral_date=date(2022, 6, 1),
        result="voortijdig_gestopt",
    )
    Trajectory.objects.create(
        trajectory_id="TB1", client=b, instrument=instrument, provider=q, referral_date=date(2023, 6, 1)
    )
    # The accountmanager owns the account of A's employer (so A is their candidate, B not).
    employer = Employer.objects.create(
        employer_id="E1", name="Distributiecentrum Ypenburg", account_manager=am
    )
    Placement.objects.create(
        placement_id="PA1",
        client=a,
        employer=employer,
        start_date=date(2024, 9, 1),
        hours_per_week=Decimal("24"),
        contract="tijdelijk",
    )
    world.extra["diagnosis"] = diagnosis
    plan = Plan.objects.create(
        client=a,
        version=1,
        status="ondertekend",
        goals="Binnen een jaar betaald werk in de logistiek.",
        consultant_agreed_at=now - timedelta(days=380),
        consultant_agreed_by=sanne,
        client_agreed_at=now - timedelta(days=381),
        client_agreed_via="online",
        created_by=sanne,
    )
    world.extra["plan"] = plan
    PlanAction.objects.create(
        plan=plan, description="Heftruckcertificaat halen", owner="klant", deadline=date(2023, 9, 1)
    )
    Waarneming.objects.create(
        user=wim,
        client=a,
        reason="Sanne is ziek; Anna belt over haar afspraak.",
        valid_until=now + timedelta(days=7),
    )

    user("inwoner_a", Role.INWONER, "Anna", "de Vries", client=a)
    user("inwoner_b", Role.INWONER, "Bert", "Bakker", client=b)
    _catalogue(world, instrument)
    return world


def _catalogue(world: World, instrument) -> None:
    """The WEP in the catalogue, with a contract of provider P (prestatiefinanciering)."""
    from trede.instruments.models import Contract

    instrument.goal = "Werkritme en werknemersvaardigheden opdoen op een echte werkplek."
    instrument.target_routes = ["re_integratie"]
    instrument.max_duration_months = 6
    instrument.success_kind = "werkuren"
    instrument.success_hours_per_week = Decimal("20")
    instrument.success_months = 6
    instrument.capacity = 40
    instrument.waiting_weeks = 3
    instrument.save()
    contract = Contract.objects.create(
        reference="C-2023-P1-WEP",
        provider=world.providers["P"],
        start_date=date(2023, 1, 1),
        price_model="gemengd",
        instalment_eur=Decimal("400.00"),
        instalments=6,
        result_fee_eur=Decimal("1500.00"),
        repayment="aandeel",
        repayment_pct=Decimal("50"),
        funding="reintegratiebudget",
        budget_line="trajecten",
        volume_ceiling=60,
    )
    contract.instruments.set([instrument])
    world.extra["contract"] = contract
    # P's first instalment of TA1 (started 15 March 2023) on a submitted claim.
    from trede.instruments.models import Claim, ClaimLine

    claim = Claim.objects.create(
        provider=world.providers["P"],
        total_eur=Decimal("400.00"),
        submitted_by=world.user("aanbieder_p"),
        submitted_at=timezone.now(),
    )
    ClaimLine.objects.create(
        claim=claim,
        trajectory_id="TA1",
        contract=contract,
        kind="termijn",
        seq=1,
        due_date=date(2023, 3, 15),
        amount_eur=Decimal("400.00"),
    )
    world.extra["claim"] = claim
    # TA1 came in as a referral made in Trede (the provider portal's participant of P).
    from trede.instruments.models import Referral

    world.extra["referral"] = Referral.objects.create(
        trajectory_id="TA1",
        goal="Werkritme opdoen in de logistiek.",
        note_for_provider="Heeft een heftruckcertificaat.",
        referred_by=world.user("sanne"),
        referred_at=timezone.now(),
    )


def add_vacancy(world: World):
    """An open vacancy of the accountmanager's account E1 (entered in Trede: they edit it).
    Not in `build_world`: only the tests of the employer pages need it."""
    from trede.employers.models import Vacancy

    world.extra["vacancy"] = Vacancy.objects.create(
        vacancy_id="V1",
        employer_id="E1",
        title="Orderpicker",
        occupation_code="9333",
        hours_per_week=Decimal("24"),
        open_date=date(2024, 1, 1),
        skills=["heftruckcertificaat"],
    )
    return world.extra["vacancy"]


def add_match_event(world: World):
    """A Netwerkcafé organised by the accountmanager, with vacancy V1 (see `add_vacancy`)
    and client B invited. Not in `build_world`: only the tests of the event pages need it."""
    from trede.matchevents.models import EventCandidate, EventVacancy, MatchEvent

    event = MatchEvent.objects.create(
        name="Netwerkcafé Ypenburg",
        date=date(2026, 12, 15),
        location="Wijkcentrum",
        organiser=world.user("am"),
    )
    if "vacancy" in world.extra:
        EventVacancy.objects.create(event=event, vacancy=world.extra["vacancy"], places=1)
    EventCandidate.objects.create(event=event, client=world.clients["B"], added_by=world.user("am"))
    world.extra["matchevent"] = event
    return event


def add_employer_relation(world: World):
    """A contact person, an agreement and a recorded contact of account E1 (the employer
    pages' relationship sections and their edit pages)."""
    from trede.employers.relations.constants import AgreementKind, MomentKind
    from trede.employers.relations.models import EmployerAgreement, EmployerContact, EmployerContactMoment

    world.extra["employer_contact"] = EmployerContact.objects.create(
        employer_id="E1", name="Petra de Vries", function="HR-adviseur", email="petra@example.nl"
    )
    world.extra["employer_agreement"] = EmployerAgreement.objects.create(
        employer_id="E1", kind=AgreementKind.BANENAFSPRAAK, start_date=date(2024, 1, 1), target_jobs=3
    )
    world.extra["employer_moment"] = EmployerContactMoment.objects.create(
        employer_id="E1",
        date=date(2024, 2, 1),
        kind=MomentKind.BEZOEK,
        contact=world.extra["employer_contact"],
        subject="Kennismaking",
    )
