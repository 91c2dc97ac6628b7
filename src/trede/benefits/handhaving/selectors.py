"""Reads of handhaving: the policy in force, the inkomen worklist (cases awaiting horen,
awaiting a decision, awaiting approval, a withdrawal awaiting a colleague's confirmation,
bezwaar terms running), one zaak with its
history, and what the verordening says for a zaak (recidive, waarschuwing or boete).

Lists read only within the scope they are handed (`client_scope` of the user)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet

from trede.casework.policy.presets import DEFAULT_PRESET, PRESETS
from trede.casework.policy.selectors import active_policy
from trede.utils.dates import add_months

from ..constants import MeasureKind
from ..models import Measure
from . import rules
from .models import (
    CATEGORY_HINT,
    Besluit,
    BesluitStatus,
    Handhavingszaak,
    Horen,
    Obligation,
    Verwijtbaarheid,
    ZaakStatus,
)


def handhaving_settings(config: dict | None = None) -> dict:
    """The active preset's `handhaving` section; a preset stored before it existed takes
    the default preset's."""
    config = config if config is not None else active_policy().config
    return config.get("handhaving") or PRESETS[DEFAULT_PRESET]["config"]["handhaving"]


def handhaving_policy(config: dict | None = None) -> rules.Policy:
    return rules.policy_from(handhaving_settings(config))


# Returned and withdrawn decisions stay with the zaak but are no longer its decision.
NOT_LIVE = (BesluitStatus.AFGEWEZEN, BesluitStatus.INGETROKKEN)


def live_decision(zaak: Handhavingszaak) -> Besluit | None:
    return zaak.decisions.exclude(status__in=NOT_LIVE).select_related("proposed_by", "approved_by").first()


def zaken_of(scope: QuerySet) -> QuerySet:
    live = Besluit.objects.exclude(status__in=NOT_LIVE).select_related(
        "proposed_by", "withdrawal_requested_by"
    )
    return (
        Handhavingszaak.objects.filter(client__in=scope)
        .select_related("client", "client__consultant", "created_by")
        .prefetch_related(Prefetch("decisions", queryset=live, to_attr="live"))
    )


@dataclass(frozen=True)
class Worklist:
    horen: list[Handhavingszaak]
    besluiten: list[Handhavingszaak]
    goedkeuring: list[Handhavingszaak]
    bezwaar: list[Handhavingszaak]
    # Withdrawals of a final decision that this user may confirm (four eyes: never those
    # they asked for themselves; decision 168).
    intrekking: list[Handhavingszaak] = ()

    @property
    def client_ids(self) -> list[str]:
        return list(dict.fromkeys(z.client_id for part in self.parts() for z in part[2]))

    def parts(self):
        return [
            ("horen", "Wacht op horen", self.horen),
            ("besluiten", "Gehoord: besluit nemen", self.besluiten),
            ("goedkeuring", "Ter goedkeuring (vier ogen)", self.goedkeuring),
            ("intrekking", "Intrekking bevestigen (vier ogen)", list(self.intrekking)),
            ("bezwaar", "Bezwaartermijn loopt", self.bezwaar),
        ]


def worklist(scope: QuerySet, *, today: date, user=None) -> Worklist:
    """The open work: each zaak once, in the step it waits for; the bezwaar terms that
    still run on `today`, the one ending first first. With `user` (who may approve), a
    final decision whose withdrawal a colleague asked for is in `intrekking` (oldest
    first) instead of under its bezwaar term; the asker's own request is not theirs to
    confirm, so for them the zaak stays where it was."""
    from trede.accounts import permissions as perms

    zaken = list(
        zaken_of(scope)
        .filter(
            Q(status__in=[ZaakStatus.HOREN, ZaakStatus.GEHOORD, ZaakStatus.TER_GOEDKEURING])
            | Q(
                status=ZaakStatus.BESLOTEN,
                decisions__status=BesluitStatus.DEFINITIEF,
                decisions__bezwaar_deadline__gte=today,
            )
            | Q(
                status=ZaakStatus.BESLOTEN,
                decisions__status=BesluitStatus.DEFINITIEF,
                decisions__withdrawal_requested_by__isnull=False,
            )
        )
        .distinct()
        .order_by("signal_date", "id")
    )
    for zaak in zaken:
        zaak.decision = zaak.live[0] if zaak.live else None
    may_confirm = user is not None and perms.role_may(user, perms.HANDHAVING_APPROVE)

    def to_confirm(zaak) -> bool:
        asked = zaak.decision is not None and zaak.decision.withdrawal_requested_by_id
        return bool(asked) and may_confirm and asked != user.pk

    by = {s: [z for z in zaken if z.status == s] for s in ZaakStatus.values}
    besloten = [z for z in by[ZaakStatus.BESLOTEN] if not to_confirm(z)]
    bezwaar = sorted(
        (z for z in besloten if z.decision.bezwaar_deadline >= today),
        key=lambda z: (z.decision.bezwaar_deadline, z.pk),
    )
    intrekking = [z for z in by[ZaakStatus.BESLOTEN] if to_confirm(z)]
    return Worklist(
        horen=by[ZaakStatus.HOREN],
        besluiten=by[ZaakStatus.GEHOORD],
        goedkeuring=by[ZaakStatus.TER_GOEDKEURING],
        bezwaar=bezwaar,
        intrekking=intrekking,
    )


def hearings_of(zaak: Handhavingszaak) -> list[Horen]:
    return list(zaak.hearings.select_related("recorded_by").order_by("held_on", "id"))


def decisions_of(zaak: Handhavingszaak) -> list[Besluit]:
    return list(
        zaak.decisions.select_related("proposed_by", "approved_by", "rejected_by", "withdrawn_by").order_by(
            "proposed_at", "id"
        )
    )


def history_of(zaak: Handhavingszaak) -> list[dict]:
    """Every version of the zaak and its hearings, oldest first: what was recorded first
    stays readable after a correction."""
    rows = []
    for version in zaak.history.select_related("history_user").order_by("history_date"):
        rows.append(
            {
                "when": version.history_date,
                "who": version.history_user,
                "what": "zaak",
                "text": f"{version.get_signal_kind_display()} op {version.signal_date:%d-%m-%Y}: {version.description}"
                + (
                    f" (benadelingsbedrag € {version.benadelingsbedrag})"
                    if version.benadelingsbedrag is not None
                    else ""
                )
                + f" — {version.get_status_display()}",
                "reason": version.history_change_reason or "",
            }
        )
    for version in (
        Horen.history.filter(zaak_id=zaak.pk).select_related("history_user").order_by("history_date")
    ):
        rows.append(
            {
                "when": version.history_date,
                "who": version.history_user,
                "what": "horen",
                "text": f"gehoord op {version.held_on:%d-%m-%Y} ({version.get_form_display()}): {version.statement or '–'}",
                "reason": version.history_change_reason or "",
            }
        )
    rows.sort(key=lambda r: r["when"])
    return rows


def earlier_maatregel_dates(client_id: str, *, category: str, before_zaak: int | None = None) -> list[date]:
    """The gedraging dates of the client's final maatregelen of this category."""
    decisions = Besluit.objects.filter(
        zaak__client_id=client_id,
        kind=MeasureKind.MAATREGEL,
        category=category,
        status=BesluitStatus.DEFINITIEF,
    )
    if before_zaak is not None:
        decisions = decisions.exclude(zaak_id=before_zaak)
    return list(decisions.values_list("zaak__signal_date", flat=True))


def earlier_waarschuwing_or_boete(client_id: str, *, on: date, months: int, until: date | None = None) -> int:
    """Waarschuwingen and boetes for the inlichtingenplicht given from `months` before the
    gedraging (`on`) until the day of the decision now taken (`until`, inclusive; default the day
    before the gedraging):
    Trede's own final decisions and measures imported from measures.csv (which carry no
    obligation: every imported waarschuwing or boete counts)."""
    since = add_months(on, -months)
    last = max(on, until) if until else on - timedelta(days=1)  # a waarschuwing given today counts
    return (
        Measure.objects.filter(
            client_id=client_id,
            kind__in=[MeasureKind.WAARSCHUWING, MeasureKind.BOETE],
            date__gte=since,
            date__lte=last,
        )
        .filter(Q(besluit__isnull=True) | Q(besluit__zaak__obligation=Obligation.INLICHTINGEN))
        .count()
    )


@dataclass(frozen=True)
class Advice:
    """What the policy says for this zaak, shown beside the decision form."""

    obligation: str
    kinds: tuple[str, ...]
    category_hint: str
    maatregelen: list[tuple[rules.Category, int, rules.Maatregel]]  # per category: offence, outcome
    waarschuwing: bool | None  # inlichtingen: a waarschuwing instead of a boete
    earlier: int
    boetes: list[tuple[str, Decimal]]  # per degree of blame
    four_eyes: dict[str, bool]
    policy: rules.Policy


def advice(zaak: Handhavingszaak, policy: rules.Policy | None = None, *, today: date | None = None) -> Advice:
    policy = policy or handhaving_policy()
    maatregelen, boetes, warn, earlier = [], [], None, 0
    if zaak.obligation == Obligation.ARBEID:
        for cat in policy.categories:
            offence = rules.offence_number(
                earlier_maatregel_dates(zaak.client_id, category=cat.code, before_zaak=zaak.pk),
                on=zaak.signal_date,
                months=policy.recidive_months,
            )
            m = rules.maatregel(policy, category=cat.code, offence=offence, verwijtbaarheid=rules.VERWIJTBAAR)
            maatregelen.append((cat, offence, m))
    else:
        earlier = earlier_waarschuwing_or_boete(
            zaak.client_id, on=zaak.signal_date, months=policy.waarschuwing_lookback_months, until=today
        )
        benadeling = zaak.benadelingsbedrag if zaak.benadelingsbedrag is not None else Decimal(0)
        warn = rules.waarschuwing_instead_of_boete(policy, benadeling=benadeling, earlier_in_lookback=earlier)
        labels = dict(Verwijtbaarheid.choices)
        boetes = [
            (str(labels[v]), rules.boete_amount(policy, benadeling=benadeling, verwijtbaarheid=v))
            for v in (rules.OPZET, rules.GROVE_SCHULD, rules.VERWIJTBAAR, rules.VERMINDERD)
        ]
    return Advice(
        obligation=zaak.obligation,
        kinds=rules.KINDS_BY_OBLIGATION[zaak.obligation],
        category_hint=CATEGORY_HINT.get(zaak.signal_kind, ""),
        maatregelen=maatregelen,
        waarschuwing=warn,
        earlier=earlier,
        boetes=boetes,
        four_eyes={k: rules.needs_four_eyes(policy, k) for k in rules.KINDS},
        policy=policy,
    )


def final_decisions(scope: QuerySet | None = None) -> QuerySet:
    """Final decisions (the ones a beschikking is sent for), newest first; within `scope`
    when given."""
    qs = Besluit.objects.filter(status=BesluitStatus.DEFINITIEF).select_related(
        "zaak", "zaak__client", "proposed_by", "approved_by", "measure"
    )
    if scope is not None:
        qs = qs.filter(zaak__client__in=scope)
    return qs.order_by("-decided_on", "-id")


def beschikking(besluit: Besluit) -> dict:
    """Everything a decision letter (trede.letters) needs, as plain values: the client,
    the facts, the hearing, the decision, its legal ground and the bezwaar term. Only for
    a final decision (a letter is not sent while four eyes are pending)."""
    if besluit.status != BesluitStatus.DEFINITIEF:
        raise ValueError("Alleen bij een definitief besluit hoort een beschikking.")
    zaak = besluit.zaak
    hearings = hearings_of(zaak)
    return {
        "besluit": besluit.number,
        "zaak": zaak.number,
        "client_id": zaak.client_id,
        "client_name": zaak.client.name,
        "kind": besluit.kind,
        "kind_label": besluit.get_kind_display(),
        "obligation": zaak.get_obligation_display(),
        "signal": zaak.get_signal_kind_display(),
        "signal_date": zaak.signal_date,
        "facts": zaak.description,
        "heard_on": hearings[-1].held_on if hearings else None,
        "heard_how": hearings[-1].get_form_display() if hearings else "",
        "client_statement": hearings[-1].statement if hearings else "",
        "legal_ground": besluit.legal_ground,
        "category": besluit.category,
        "category_name": besluit.category_name,
        "offence": besluit.offence,
        "percentage": besluit.percentage,
        "months": besluit.months,
        "hours_per_week": besluit.hours_per_week,
        "benadelingsbedrag": besluit.benadelingsbedrag,
        "amount_eur": besluit.amount_eur,
        "verwijtbaarheid": besluit.get_verwijtbaarheid_display(),
        "dringende_redenen": besluit.dringende_redenen,
        "dringende_redenen_note": besluit.dringende_redenen_note,
        "motivation": besluit.motivation,
        "decided_on": besluit.decided_on,
        "decided_by": str(besluit.proposed_by or ""),
        "approved_by": str(besluit.approved_by or ""),
        "bezwaar_deadline": besluit.bezwaar_deadline,
        "measure_id": besluit.measure.measure_id if besluit.measure else "",
    }
