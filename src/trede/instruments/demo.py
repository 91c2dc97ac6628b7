"""The catalogue, contracts and claims of the demo municipality.

The generated interchange files carry instruments, providers and trajectories but no
catalogue texts, contracts or claims. This fills, once (only when no contract exists):
- per instrument its catalogue fields, by type (goal, routes and client groups it suits,
  maximum duration, success criterion, capacity, waiting time);
- per provider and instrument that had trajectories, one contract from the first referral
  on, with a price model by instrument type and amounts from the instrument's price;
- for the demo provider (the `aanbieder` user's), claims in every state through the
  services (so they are audited as real work): the older lines approved (checked by
  `contractmanager`, approved by `teamleider`), recent ones submitted, checked or rejected,
  and the newest left due; a recovery for its failed trajectories, submitted.
Deterministic; the amounts follow from the data, nothing is invented beyond the terms.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Min

from .constants import InstrumentType, SuccessKind
from .models import Contract, Instrument, Trajectory

# type → (goal, routes, client groups, max months, success kind, capacity, waiting weeks)
CATALOGUE = {
    InstrumentType.JOBCOACHING: (
        "Begeleiding op de werkplek, zodat het werk na de plaatsing blijft.",
        ["directe_bemiddeling", "re_integratie"],
        ["direct_werk", "werken_en_ervaren", "geplaatst"],
        12,
        SuccessKind.WORK_HOURS,
        60,
        2,
    ),
    InstrumentType.WERKERVARINGSPLAATS: (
        "Werkritme en werknemersvaardigheden opdoen op een echte werkplek.",
        ["re_integratie"],
        ["werken_en_ervaren", "leren_en_ontwikkelen"],
        6,
        SuccessKind.WORK_HOURS,
        40,
        4,
    ),
    InstrumentType.TAALSTAGE: (
        "Nederlands leren in de praktijk, met een taalcoach op de werkvloer.",
        ["re_integratie", "participatie"],
        ["leren_en_ontwikkelen"],
        9,
        SuccessKind.LANGUAGE_LEVEL,
        30,
        6,
    ),
    InstrumentType.SOLLICITATIETRAINING: (
        "Solliciteren, cv en netwerk: in een groep en individueel.",
        ["directe_bemiddeling", "re_integratie"],
        ["direct_werk"],
        3,
        SuccessKind.WORK_HOURS,
        80,
        2,
    ),
    InstrumentType.SOCIALE_ACTIVERING: (
        "Meedoen en dagstructuur opbouwen, als stap naar (vrijwilligers)werk.",
        ["participatie"],
        ["zorg", "leren_en_ontwikkelen"],
        12,
        SuccessKind.FREE_TEXT,
        50,
        3,
    ),
}
DEFAULT = (
    "Een stap dichter naar werk, op maat van de klant.",
    [],
    [],
    12,
    SuccessKind.WORK_HOURS,
    None,
    None,
)


def _catalogue_fill() -> int:
    count = 0
    for instrument in Instrument.objects.filter(goal=""):
        goal, routes, groups, months, kind, capacity, waiting = CATALOGUE.get(instrument.type, DEFAULT)
        instrument.goal = goal
        instrument.target_routes = routes
        instrument.target_groups = groups
        instrument.max_duration_months = months
        instrument.success_kind = kind
        if kind == SuccessKind.WORK_HOURS:
            instrument.success_hours_per_week, instrument.success_months = Decimal("20"), 6
        elif kind == SuccessKind.LANGUAGE_LEVEL:
            instrument.success_language_level = "a2"
            instrument.min_dutch_language = "a0"
        else:
            instrument.success_text = "Twee dagdelen per week actief, vastgelegd in het plan."
        instrument.capacity, instrument.waiting_weeks = capacity, waiting
        instrument._change_reason = "demo: catalogus gevuld"
        instrument.save()
        count += 1
    return count


def _terms(instrument: Instrument, index: int) -> dict:
    price = Decimal(instrument.price_eur or 2400)
    if instrument.type in (InstrumentType.SOLLICITATIETRAINING, InstrumentType.ARBEIDSMEDISCH_ADVIES):
        return {"price_model": "per_traject", "trajectory_fee_eur": price}
    if instrument.type == InstrumentType.SOCIALE_ACTIVERING:
        return {
            "price_model": "per_maand",
            "instalment_eur": (price / 12).quantize(Decimal("1")),
            "instalments": 12,
        }
    months = 6
    terms = {
        "price_model": "gemengd",
        "instalment_eur": (price * Decimal("0.6") / months).quantize(Decimal("1")),
        "instalments": months,
        "result_fee_eur": (price * Decimal("0.4")).quantize(Decimal("1")),
    }
    if index % 2 == 0:
        terms |= {"repayment": "aandeel", "repayment_pct": Decimal("50")}
    else:
        terms |= {"repayment": "bedrag", "repayment_eur": (price * Decimal("0.2")).quantize(Decimal("1"))}
    return terms


def _contracts_create(user) -> int:
    pairs = (
        Trajectory.objects.exclude(provider__isnull=True)
        .exclude(instrument__isnull=True)
        .exclude(provider__kind="gemeente")
        .exclude(instrument__type=InstrumentType.LOONKOSTENSUBSIDIE)
        .values("provider_id", "instrument_id")
        .annotate(first=Min("referral_date"))
        .order_by("provider_id", "instrument_id")
    )
    instruments = {i.pk: i for i in Instrument.objects.all()}
    count = 0
    for index, pair in enumerate(pairs):
        instrument = instruments[pair["instrument_id"]]
        first = pair["first"]
        contract = Contract.objects.create(
            reference=f"C-{first.year}-{pair['provider_id']}-{instrument.pk}"[:64],
            provider_id=pair["provider_id"],
            start_date=date(first.year, 1, 1),
            funding=instrument.funding or "reintegratiebudget",
            budget_line="trajecten" if instrument.type != InstrumentType.JOBCOACHING else "jobcoaching",
            volume_ceiling=None,
            created_by=user,
            **_terms(instrument, index),
        )
        contract.instruments.set([instrument])
        count += 1
    return count


def _claims_create(*, today: date, provider, staff, checker, approver) -> dict[str, int]:
    from .claims import selectors, services

    counts: dict[str, int] = defaultdict(int)
    as_of = today - timedelta(days=30)
    due = selectors.due_lines([provider.pk], as_of=as_of)
    old = [d for d in due if d.line.due_date < today - timedelta(days=90)]
    recent = [d for d in due if d not in old]
    by_year: dict[int, list] = defaultdict(list)
    for d in old:
        by_year[d.line.due_date.year].append(d.key_text)
    for year in sorted(by_year):
        claim = services.claim_submit(user=staff, keys=by_year[year], as_of=as_of)
        services.claim_check(user=checker, claim=claim)
        try:
            services.claim_approve(user=approver, claim=claim)
        except services.ClaimRefused:
            # The demo approves years of old lines on one day, so a budget line of this
            # year can be full where the lines belong to earlier years (decision 55
            # measures the approval day's year): such a claim waits, checked, as it
            # would for a contract manager's room in a real municipality.
            counts["gecontroleerd"] += 1
            continue
        counts["goedgekeurd"] += 1
    keys = [d.key_text for d in recent]
    third = max(1, len(keys) // 3)
    for state, part in (
        ("afgewezen", keys[:third]),
        ("gecontroleerd", keys[third : 2 * third]),
        ("ingediend", keys[2 * third :]),
    ):
        if not part:
            continue
        claim = services.claim_submit(user=staff, keys=part, as_of=as_of)
        if state in ("gecontroleerd",):
            services.claim_check(user=checker, claim=claim)
        if state == "afgewezen":
            services.claim_reject(
                user=checker, claim=claim, reason="Startdatum van twee trajecten klopt niet met de intake."
            )
        counts[state] += 1
    recovery = services.recoveries_create(user=checker, provider=provider, as_of=today)
    if recovery is not None:
        counts["terugvordering"] += 1
    return dict(counts)


def demo_catalogue_seed(*, today: date) -> dict[str, int]:
    """Catalogue, contracts and the demo provider's claims; nothing when contracts exist."""
    from trede.accounts.models import User

    if Contract.objects.exists():
        return {}
    users = {
        u.username: u
        for u in User.objects.filter(username__in=["aanbieder", "contractmanager", "teamleider"])
    }
    result = {
        "instrumenten": _catalogue_fill(),
        "contracten": _contracts_create(users.get("contractmanager")),
    }
    staff = users.get("aanbieder")
    if staff is not None and staff.provider_id and "contractmanager" in users and "teamleider" in users:
        result |= budget_demo(
            today=today,
            provider=staff.provider,
            claims=lambda: _claims_create(
                today=today,
                provider=staff.provider,
                staff=staff,
                checker=users["contractmanager"],
                approver=users["teamleider"],
            ),
        )
    return result


# --------------------------------------------------------------------------- referrals

# (days before today it was referred, what happened) for the demo provider's participants.
# Every step goes through the services, as the consultant and the provider would take it.
DEMO_REFERRALS = (
    (3, "verwezen"),
    (20, "intake"),
    (12, "no_show"),
    (100, "gestart_rapportage_te_laat"),
    (40, "gestart"),
    (200, "beeindigd"),
    (215, "resultaat_niet_gemeld"),
)
DEMO_REFERRAL_LABELS = {
    "verwezen": "verwezen",
    "intake": "intake gehouden",
    "no_show": "niet gestart (op de werklijst van 'consulent')",
    "gestart_rapportage_te_laat": "gestart met een te late rapportage",
    "gestart": "gestart",
    "beeindigd": "beëindigd, wacht op bevestiging",
    "resultaat_niet_gemeld": "resultaat niet gemeld",
}


def _demo_clients(consultant, provider, count: int) -> list:
    from django.db.models import Exists, OuterRef

    from trede.benefits.models import Benefit
    from trede.clients.models import Client

    today_benefit = Benefit.objects.filter(client=OuterRef("pk"), end_date__isnull=True)
    return list(
        Client.objects.filter(consultant=consultant)
        .filter(Exists(today_benefit))
        .exclude(trajectories__provider=provider)
        .order_by("client_id")[:count]
    )


# Instruments a demo goal of "werkritme, then paid work" suits best, in this order.
DEMO_REFERRAL_TYPES = (
    InstrumentType.WERKERVARINGSPLAATS,
    InstrumentType.JOBCOACHING,
    InstrumentType.WERKSTAGE,
)


def _demo_referral_instrument(provider, day: date, min_months: int):
    from .referrals.services import running_contract

    candidates = [
        instrument
        for contract in Contract.objects.filter(provider=provider)
        .prefetch_related("instruments")
        .order_by("pk")
        for instrument in contract.instruments.all()
        if instrument.active
        and (instrument.max_duration_months is None or instrument.max_duration_months >= min_months)
        and running_contract(provider.pk, instrument.pk, day) is not None
    ]
    preferred = [i for t in DEMO_REFERRAL_TYPES for i in candidates if i.type == t]
    return (preferred or candidates or [None])[0]


def demo_referrals_seed(*, today: date) -> dict[str, int]:
    """The demo provider's participants in every state, referred by the demo consultant:
    referred, intake held, a no-show (on the consultant's worklist), started with a progress
    report overdue, started on schedule, ended and awaiting the consultant's confirmation,
    and one whose planned end passed without a result (meldingsplicht). Nothing when
    referrals exist."""
    from trede.accounts.models import User
    from trede.casework.caseload.models import Consultant
    from trede.casework.policy.selectors import active_policy
    from trede.finance.services import CeilingExceeded
    from trede.utils.dates import add_months

    from .models import Referral
    from .referrals import services
    from .referrals.rules import ReferralSettings

    if Referral.objects.exists():
        return {}
    users = {u.username: u for u in User.objects.filter(username__in=["consulent", "aanbieder"])}
    consulent, staff = users.get("consulent"), users.get("aanbieder")
    consultant = Consultant.objects.filter(user=consulent).first() if consulent else None
    if consultant is None or staff is None or staff.provider is None:
        return {}
    provider = staff.provider
    config = active_policy().config
    weeks = ReferralSettings.of(config).report_interval_weeks
    clients = _demo_clients(consultant, provider, len(DEMO_REFERRALS))
    counts: dict[str, int] = defaultdict(int)
    for client, (days_ago, state) in zip(clients, DEMO_REFERRALS, strict=False):
        referred = today - timedelta(days=days_ago)
        instrument = _demo_referral_instrument(provider, referred, 6)
        if instrument is None:
            continue
        months = instrument.max_duration_months or 6
        planned = add_months(referred, min(months, 6))
        try:
            referral = services.referral_create(
                user=consulent,
                client=client,
                instrument_code=instrument.pk,
                provider_id=provider.pk,
                goal="Werkritme opdoen en toewerken naar betaald werk van minstens 20 uur per week.",
                planned_end_date=planned,
                note="Bereikbaar op werkdagen voor 12 uur. Heeft een fiets; reistijd tot 30 minuten.",
                today=referred,
            )
        except CeilingExceeded:
            # A small demo municipality's contracts can be full already (their volume
            # ceilings follow the generated trajectories): the demo then shows fewer
            # referrals, as the real ceiling would, instead of failing to start.
            continue

        def token(pk=referral.pk):
            return services.referral_edit_token(Referral.objects.get(pk=pk))

        if state == "verwezen":
            counts[state] += 1
            continue
        intake = referred + timedelta(days=7)
        if state == "no_show":
            services.no_show_record(
                user=staff, referral=referral, reason="niet_verschenen", edit_token=token(), today=intake
            )
            counts[state] += 1
            continue
        services.intake_record(
            user=staff, referral=referral, intake_date=intake, edit_token=token(), today=intake
        )
        if state == "intake":
            counts[state] += 1
            continue
        start = intake + timedelta(days=7)
        services.start_record(
            user=staff, referral=referral, start_date=start, edit_token=token(), today=start
        )
        due_reports = (today - start).days // (7 * weeks)
        if state == "gestart_rapportage_te_laat":
            due_reports = 0  # report 1 was due weeks ago and never came
        elif state == "resultaat_niet_gemeld":
            due_reports = max(0, (planned - start).days // (7 * weeks))
        for number in range(1, due_reports + 1):
            services.progress_report(
                user=staff,
                referral=referral,
                text=f"Rapportage {number}: aanwezig volgens afspraak, werkt aan de afgesproken doelen.",
                on_track=number % 3 != 0,
                config=config,
            )
        if state == "beeindigd":
            end = min(planned, today - timedelta(days=5))
            services.end_report(
                user=staff,
                referral=referral,
                end_date=end,
                result="geslaagd",
                criterion_met=True,
                note="Arbeidscontract van 24 uur per week, al meer dan zes maanden aan het werk.",
                edit_token=token(),
                today=end,
            )
        counts[state] += 1
    return dict(counts)


# ---- budget and ceilings (finance) ------------------------------------------------------
# One function, so the demo's money story is in one place.

DEMO_WARN_SHARE = Decimal("0.92")  # the demo provider's money use, as a share of its ceiling


def budget_demo(*, today: date, provider, claims) -> dict[str, int]:
    """The demo provider invoices through Trede; the others through the old system.

    The generator's payments.csv pays every started trajectory (60 % at the start, the rest
    at the end) as an old system would have. The demo provider's claims are approved in
    Trede, and approval books its own payments (`TREDE-DECL-…`): kept both, the same work
    would count twice in `trede budget report` and `trede instruments report`, and Trede
    would not invoice a trajectory paid elsewhere at all (`claims.selectors.due_lines`).
    So the imported trajectory payments of the demo provider go before its claims are
    made (`claims`, a callable); the other providers keep theirs.

    The demo approves years of old lines today, one claim per year; a real municipality
    approved them as they came. So each approved claim and its payments are dated back
    to the end of the year its lines were due (or today), and each year's spending in
    `trede budget report` holds that year's work, not everything in this year.

    Then ceilings the contract manager sees: the demo provider's largest contract gets a
    money ceiling it uses for about 92 % (a warning, with checked claims waiting for
    approval), and another provider's largest contract a volume ceiling it has reached.
    """
    from trede.finance.models import Payment
    from trede.finance.selectors import contract_ceilings
    from trede.finance.services import TREDE_PREFIX

    Payment.objects.filter(kind="traject", trajectory__provider=provider).exclude(
        payment_id__startswith=TREDE_PREFIX
    ).delete()
    result = claims()
    _approvals_back_dated(provider, today)

    def largest(contracts):
        def size(contract):
            return Trajectory.objects.filter(
                provider_id=contract.provider_id, instrument__in=contract.instruments.all()
            ).count()

        return max(contracts, key=lambda c: (size(c), -c.pk), default=None)

    def ceiling_set(contract, measure: str, ceiling_of) -> None:
        # Measured without a ceiling of that kind first: the use does not depend on it.
        figures = contract_ceilings(as_of=today, contract_pks=[contract.pk], measure_all=True)
        use = next((f.use for f in figures if f.measure == measure), Decimal(0))
        field = "money_ceiling_eur" if measure == "geld" else "volume_ceiling"
        setattr(contract, field, ceiling_of(use))
        contract._change_reason = "demo: plafond"
        contract.save()

    own = largest(list(Contract.objects.filter(provider=provider)))
    if own is not None:
        ceiling_set(
            own,
            "geld",
            lambda use: (use / DEMO_WARN_SHARE).quantize(Decimal("1")) if use > 0 else Decimal(1000),
        )
    other = largest(list(Contract.objects.exclude(provider=provider)))
    if other is not None:
        ceiling_set(other, "volume", lambda use: max(int(use), 1))
    return result


def _approvals_back_dated(provider, today: date) -> None:
    from datetime import datetime, time

    from django.utils import timezone

    from trede.finance.models import Payment
    from trede.finance.services import claim_payment_id

    from .constants import ClaimStatus
    from .models import Claim

    for claim in Claim.objects.filter(provider=provider, status=ClaimStatus.GOEDGEKEURD).prefetch_related(
        "lines"
    ):
        lines = list(claim.lines.all())
        if not lines:
            continue
        day = min(date(max(line.due_date for line in lines).year, 12, 31), today)
        moment = timezone.make_aware(datetime.combine(day, time(12, 0)))
        Claim.objects.filter(pk=claim.pk).update(
            submitted_at=moment - timedelta(days=10),
            checked_at=moment - timedelta(days=3),
            approved_at=moment,
        )
        Payment.objects.filter(payment_id__in=[claim_payment_id(line.pk) for line in lines]).update(date=day)
