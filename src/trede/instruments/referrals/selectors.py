"""Reads of the referral flow: what a consultant can refer to (instrument × provider with a
running contract), a provider's own participants with their state and next step, one
referral with its reports, and the contract manager's signals per provider (progress
reports overdue, results not reported: meldingsplicht)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch, Q

from ..constants import ReviewStatus
from ..models import Contract, EndReport, Instrument, ProgressReport, Provider, Referral
from .rules import ReferralSettings, latest_planned_end, next_report, overdue_reports, result_report_overdue


@dataclass(frozen=True)
class ReferralOption:
    """One choice on the referral form: an instrument at a provider with a running contract."""

    instrument: Instrument
    provider: Provider
    contract: Contract
    latest_end: date | None

    @property
    def value(self) -> str:
        return f"{self.instrument.pk}|{self.provider.pk}"

    @property
    def label(self) -> str:
        text = f"{self.instrument} bij {self.provider}"
        if self.instrument.max_duration_months:
            text += f" (ten hoogste {self.instrument.max_duration_months} maanden)"
        return text


def referral_options(*, today: date) -> list[ReferralOption]:
    contracts = (
        Contract.objects.filter(start_date__lte=today)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .select_related("provider")
        .prefetch_related("instruments")
        .order_by("-start_date", "-pk")
    )
    seen: dict[tuple[str, str], ReferralOption] = {}
    for contract in contracts:
        for instrument in contract.instruments.all():
            key = (instrument.pk, contract.provider_id)
            if not instrument.active or key in seen:
                continue
            seen[key] = ReferralOption(
                instrument=instrument,
                provider=contract.provider,
                contract=contract,
                latest_end=latest_planned_end(today, instrument.max_duration_months),
            )
    return sorted(seen.values(), key=lambda o: (str(o.instrument).lower(), str(o.provider).lower()))


# --------------------------------------------------------------------------- state


STAGES = {
    "verwezen": "verwezen, intake nog niet gehouden",
    "intake": "intake gehouden, nog niet gestart",
    "niet_gestart": "niet gestart (no-show)",
    "loopt": "loopt",
    "beoordelen": "beëindigd, wacht op de consulent",
    "betwist": "resultaat betwist, correctie nodig",
    "afgerond": "afgerond, resultaat bevestigd",
}


@dataclass
class ReferralState:
    referral: Referral
    stage: str
    progress: list[ProgressReport] = field(default_factory=list)
    end_reports: list[EndReport] = field(default_factory=list)
    next_report: tuple[int, date] | None = None
    overdue: list[tuple[int, date]] = field(default_factory=list)
    result_overdue_since: date | None = None

    @property
    def trajectory(self):
        return self.referral.trajectory

    @property
    def stage_label(self) -> str:
        return STAGES[self.stage]

    @property
    def standing_report(self) -> EndReport | None:
        standing = [r for r in self.end_reports if r.review != ReviewStatus.BETWIST]
        return standing[-1] if standing else None

    @property
    def disputed_report(self) -> EndReport | None:
        disputed = [r for r in self.end_reports if r.review == ReviewStatus.BETWIST]
        return disputed[-1] if disputed else None


def referral_state(referral: Referral, *, today: date, settings: ReferralSettings) -> ReferralState:
    """Where a referral stands and what is due (reports prefetched or read here)."""
    trajectory = referral.trajectory
    progress = sorted(referral.progress_reports.all(), key=lambda r: r.number)
    ends = sorted(referral.end_reports.all(), key=lambda r: (r.reported_at, r.pk))
    standing = [r for r in ends if r.review != ReviewStatus.BETWIST]
    if referral.is_no_show:
        stage = "niet_gestart"
    elif standing and standing[-1].review == ReviewStatus.BEVESTIGD:
        stage = "afgerond"
    elif standing:
        stage = "beoordelen"
    elif ends:
        stage = "betwist"
    elif trajectory.start_date is not None:
        stage = "loopt"
    elif referral.intake_date is not None:
        stage = "intake"
    else:
        stage = "verwezen"
    state = ReferralState(referral=referral, stage=stage, progress=progress, end_reports=ends)
    if trajectory.start_date is not None and not referral.is_no_show:
        reported = {r.number for r in progress}
        state.overdue = overdue_reports(
            start=trajectory.start_date,
            end=trajectory.end_date,
            today=today,
            settings=settings,
            reported=reported,
        )
        if trajectory.end_date is None:
            state.next_report = next_report(trajectory.start_date, settings.report_interval_weeks, reported)
        state.result_overdue_since = result_report_overdue(
            start=trajectory.start_date,
            planned_end=trajectory.planned_end_date,
            end_reported=bool(ends) or trajectory.end_date is not None,
            today=today,
            settings=settings,
        )
    return state


def _with_reports(queryset):
    return queryset.select_related(
        "trajectory__client", "trajectory__instrument", "trajectory__provider", "referred_by"
    ).prefetch_related(
        Prefetch("progress_reports", queryset=ProgressReport.objects.order_by("number")),
        Prefetch(
            "end_reports", queryset=EndReport.objects.select_related("reviewed_by").order_by("reported_at")
        ),
    )


def participants_of(provider: Provider, *, today: date, settings: ReferralSettings) -> list[ReferralState]:
    """The provider's own participants (its referrals only), open ones first."""
    referrals = _with_reports(Referral.objects.filter(trajectory__provider=provider)).order_by(
        "-trajectory__referral_date", "-pk"
    )
    states = [referral_state(r, today=today, settings=settings) for r in referrals]
    done = {"afgerond", "niet_gestart"}
    return sorted(states, key=lambda s: s.stage in done)


def referral_with_reports(pk) -> Referral | None:
    return _with_reports(Referral.objects.filter(pk=pk)).first()


def open_no_show_condition(prefix: str = "") -> Q:
    """A no-show the provider registered that the consultant has not handled yet (the
    worklist's rule; `prefix` to apply it from a related model, e.g. 'referral__')."""
    return Q(**{f"{prefix}no_show_on__isnull": False, f"{prefix}no_show_handled_at__isnull": True})


# --------------------------------------------------------------------------- signals


@dataclass(frozen=True)
class Signal:
    kind: str  # "rapportage" or "resultaat"
    trajectory_id: str
    instrument: str
    due: date
    detail: str

    @property
    def kind_label(self) -> str:
        return "Voortgangsrapportage te laat" if self.kind == "rapportage" else "Resultaat niet gemeld"


@dataclass
class ProviderSignals:
    provider: Provider
    signals: list[Signal] = field(default_factory=list)

    @property
    def reports(self) -> int:
        return sum(1 for s in self.signals if s.kind == "rapportage")

    @property
    def results(self) -> int:
        return sum(1 for s in self.signals if s.kind == "resultaat")


def provider_signals(*, today: date, settings: ReferralSettings) -> list[ProviderSignals]:
    """Per provider: progress reports past their due date plus the grace period, and
    started trajectories whose planned end passed result_report_days ago without an end
    report (meldingsplicht). Trajectory numbers only, never clients."""
    referrals = _with_reports(
        Referral.objects.filter(trajectory__start_date__isnull=False, no_show_reason="")
    ).order_by("trajectory__provider_id", "trajectory__start_date", "pk")
    rows: dict[str, ProviderSignals] = {}
    signals: dict[str, list[Signal]] = defaultdict(list)
    for referral in referrals:
        state = referral_state(referral, today=today, settings=settings)
        trajectory = referral.trajectory
        what = str(trajectory.instrument) if trajectory.instrument_id else ""
        for number, due in state.overdue:
            signals[trajectory.provider_id].append(
                Signal(
                    "rapportage",
                    trajectory.pk,
                    what,
                    due,
                    f"rapportage {number} verwacht op {due:%d-%m-%Y} (gestart {trajectory.start_date:%d-%m-%Y})",
                )
            )
        if state.result_overdue_since is not None:
            signals[trajectory.provider_id].append(
                Signal(
                    "resultaat",
                    trajectory.pk,
                    what,
                    state.result_overdue_since,
                    f"gepland einde {trajectory.planned_end_date:%d-%m-%Y}, geen einde met resultaat gemeld",
                )
            )
        if trajectory.provider_id not in rows:
            rows[trajectory.provider_id] = ProviderSignals(provider=trajectory.provider)
    out = []
    for provider_id, row in rows.items():
        row.signals = sorted(signals.get(provider_id, []), key=lambda s: (s.due, s.trajectory_id, s.kind))
        if row.signals:
            out.append(row)
    return sorted(out, key=lambda r: (-len(r.signals), str(r.provider).lower()))
