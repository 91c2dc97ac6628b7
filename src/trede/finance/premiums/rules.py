"""Premiums as rules (pure functions, no Django): which parts of a premium a person has
earned on a day, from their benefits (and, for the werkpremie, their trajectories).

The schemes are data, from the policy preset (`casework/policy/presets.py`, key `premiums`),
both from Hof van Twente (seed 004 §4.8):
- the uitstroompremie (trigger `uitstroom_werk`) rewards sustained outflow to work of
  someone who had a benefit (PW, IOAW or IOAZ) for more than a year, with €750 in two
  parts, after 3 and after 6 months;
- the werkpremie (trigger `deelname_traject`, decision 73) rewards taking part in
  volunteer work or a re-integration trajectory with a fixed amount per calendar month,
  paid monthly. A calendar month M counts when on at least one day D of M both a
  trajectory of one of the scheme's instrument types runs (interchange: `start_date <= D
  < end_date`, `planned_end_date` while `end_date` is empty, never without `start_date`;
  with neither end it runs on) and a benefit of the scheme's regulations runs (`start_date
  <= D < end_date`; the premium is for clients). The month is earned on the first day of
  the next month (a month is paid once it is over), from the scheme's `months_from`; each
  part is one month (`DuePart.period`, its first day), so a client-month is paid once.

Definitions, none of them new:
- spell: the benefits of one client whose ranges overlap or touch, merged; its end reason
  is that of the benefit ending last (of two ending on one day the one that started last,
  then the highest id as decision 4 compares ids) — interchange.md "Meaning of the core
  figures", the same as the monitor and the effects panel;
- outflow to work: a spell that ends with reason `werk`, on its `end_date` (the first day
  without benefit);
- sustained for M months: no new spell of the client starts before the end date plus M
  months — the effects engine's `werk_duurzaam` (`trede.effects.panel._spells`, "no new
  spell of the client starts within `sustained_months` after the end"), written here for
  one person's benefits because the engine's version works on whole-population arrays;
- "more than a year on benefit": the spell's end lies after its start plus
  `min_benefit_months` months (the spell covered more than that many months).

Once per person and scheme: the outflow that counts is the first qualifying outflow (to
work, long enough on benefit, on or after the scheme's `outflow_from`) that stays
sustained until its first part is due; later outflows never earn the premium again, and a
part whose sustained period is broken by a new spell is not earned (nor any later part).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from trede.utils.dates import add_months

FAR = date(9999, 12, 31)  # the end of a spell still running
OUTFLOW_TO_WORK = "werk"
OUTFLOW, PARTICIPATION = "uitstroom_werk", "deelname_traject"
TRIGGERS = (OUTFLOW, PARTICIPATION)  # decisions 50 and 73
# The instrument types (interchange `instruments.csv`) a werkpremie may name.
INSTRUMENT_TYPES = (
    "jobcoaching",
    "werkervaringsplaats",
    "werkstage",
    "taalstage",
    "vrijwilligerswerk",
    "arbeidsmedisch_advies",
    "scholing",
    "maatwerktraject",
    "proefplaatsing",
    "loonkostensubsidie",
    "sollicitatietraining",
    "sociale_activering",
    "overig",
)
REGULATIONS = ("pw", "ioaw", "ioaz", "bbz")
FUNDINGS = ("reintegratiebudget", "buig", "overig")


@dataclass(frozen=True)
class BenefitRow:
    benefit_id: str
    start_date: date
    end_date: date | None
    end_reason: str = ""
    regulation: str = "pw"


@dataclass(frozen=True)
class TrajectoryRow:
    trajectory_id: str
    start_date: date | None  # None: never started (a no-show)
    end_date: date | None
    planned_end_date: date | None = None
    instrument_type: str = ""


@dataclass(frozen=True)
class Spell:
    start: date
    end: date | None  # None: still running
    end_reason: str  # '' while running
    last_benefit_id: str  # the benefit that ends last (gives the reason)


@dataclass(frozen=True)
class Part:
    number: int
    after_months: int
    amount: Decimal


@dataclass(frozen=True)
class Scheme:
    code: str
    name: str
    trigger: str
    min_benefit_months: int
    regulations: tuple[str, ...]
    parts: tuple[Part, ...]
    total: Decimal
    funding: str
    line: str
    outflow_from: date
    source: str = ""
    # The werkpremie (trigger `deelname_traject`): the amount per month, the instrument
    # types that count, and the first month that can be earned.
    monthly_amount: Decimal = Decimal(0)
    instrument_types: tuple[str, ...] = ()
    months_from: date | None = None

    @property
    def monthly(self) -> bool:
        return self.trigger == PARTICIPATION

    def part(self, number: int) -> Part:
        for part in self.parts:
            if part.number == number:
                return part
        raise KeyError(number)


@dataclass(frozen=True)
class DuePart:
    """One part of a premium that a person has earned by `due_date`."""

    scheme: str
    part: int
    due_date: date
    amount: Decimal
    outflow_date: date | None  # the spell's end date (first day without benefit); None for a month
    spell_start: date | None
    benefit_id: str  # the benefit whose end was the outflow ('' for a month)
    period: date | None = None  # a monthly part: the first day of its calendar month
    trajectory_id: str = ""  # a monthly part: the trajectory that ran in it (the first to start)


def _id_key(benefit_id: str) -> tuple[int, str]:
    return (len(benefit_id), benefit_id)  # decision 4: ids by length, then as text


def spells(benefits: Iterable[BenefitRow]) -> list[Spell]:
    """The spells of one client's benefits, oldest first."""
    rows = sorted(benefits, key=lambda b: (b.start_date, b.end_date or FAR, _id_key(b.benefit_id)))
    out: list[Spell] = []
    members: list[BenefitRow] = []
    reach = None

    def close():
        last = max(members, key=lambda b: (b.end_date or FAR, b.start_date, _id_key(b.benefit_id)))
        end = None if reach == FAR else reach
        out.append(
            Spell(
                start=members[0].start_date,
                end=end,
                end_reason="" if end is None else last.end_reason,
                last_benefit_id=last.benefit_id,
            )
        )

    for b in rows:
        end = b.end_date or FAR
        if members and b.start_date <= reach:
            members.append(b)
            reach = max(reach, end)
            continue
        if members:
            close()
        members, reach = [b], end
    if members:
        close()
    return out


def sustained(spell_list: Sequence[Spell], index: int, months: int) -> bool:
    """Whether the outflow at the end of spell `index` stays out of benefit for `months`
    months: no later spell starts before end + months (effects `werk_duurzaam`)."""
    spell = spell_list[index]
    if spell.end is None:
        return False
    limit = add_months(spell.end, months)
    return all(later.start >= limit for later in spell_list[index + 1 :])


def long_enough(spell: Spell, min_months: int) -> bool:
    """More than `min_months` months on benefit before the outflow."""
    return spell.end is not None and spell.end > add_months(spell.start, min_months)


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(day: date) -> date:
    return date(day.year + (day.month == 12), day.month % 12 + 1, 1)


def trajectory_range(t: TrajectoryRow) -> tuple[date, date] | None:
    """The half-open range [start, end) of days the trajectory runs, None if it never does."""
    if t.start_date is None:
        return None
    end = t.end_date or t.planned_end_date or FAR
    return (t.start_date, end) if end > t.start_date else None


def participation_months(
    benefits: Iterable[BenefitRow], trajectories: Iterable[TrajectoryRow], scheme: Scheme, *, as_of: date
) -> list[tuple[date, str]]:
    """(month, trajectory id) for every calendar month the person earned the werkpremie
    by `as_of`: a day of the month with a running trajectory of the scheme's types and a
    running benefit of its regulations; the month over (its next month has begun by
    `as_of`) and not before `months_from`. The trajectory named is the first to start of
    those running on such a day."""
    ranges = sorted(
        (r, t.trajectory_id)
        for t in trajectories
        if t.instrument_type in scheme.instrument_types and (r := trajectory_range(t)) is not None
    )
    on_benefit = [
        (b.start_date, b.end_date or FAR)
        for b in benefits
        if b.regulation in scheme.regulations and (b.end_date is None or b.end_date > b.start_date)
    ]
    first = month_start(scheme.months_from or date(1900, 1, 1))
    found: dict[date, str] = {}
    for (t_start, t_end), tid in ranges:
        for b_start, b_end in on_benefit:
            low, high = max(t_start, b_start, first), min(t_end, b_end)  # common days [low, high)
            if low >= high:
                continue
            month = month_start(low)
            while month < high and next_month(month) <= as_of:
                found.setdefault(month, tid)
                month = next_month(month)
    return sorted(found.items())


def _monthly_parts(benefits, trajectories, scheme: Scheme, *, as_of: date) -> list[DuePart]:
    return [
        DuePart(
            scheme=scheme.code,
            part=1,
            due_date=next_month(month),
            amount=scheme.monthly_amount,
            outflow_date=None,
            spell_start=None,
            benefit_id="",
            period=month,
            trajectory_id=tid,
        )
        for month, tid in participation_months(benefits, trajectories, scheme, as_of=as_of)
    ]


def due_parts(
    benefits: Iterable[BenefitRow],
    scheme: Scheme,
    *,
    as_of: date,
    trajectories: Iterable[TrajectoryRow] = (),
) -> list[DuePart]:
    """The parts of this scheme one person has earned on `as_of` (paid or not)."""
    if scheme.trigger == PARTICIPATION:
        return _monthly_parts(benefits, trajectories, scheme, as_of=as_of)
    if scheme.trigger != OUTFLOW or not scheme.parts:
        return []
    spell_list = spells(b for b in benefits if b.regulation in scheme.regulations)
    first = scheme.parts[0]
    for index, spell in enumerate(spell_list):
        if spell.end is None or spell.end_reason != OUTFLOW_TO_WORK:
            continue
        if spell.end < scheme.outflow_from or not long_enough(spell, scheme.min_benefit_months):
            continue
        if not sustained(spell_list, index, first.after_months):
            continue  # fell back before the first part: a later outflow may still count
        earned = []
        for part in scheme.parts:
            due = add_months(spell.end, part.after_months)
            if due > as_of or not sustained(spell_list, index, part.after_months):
                break
            earned.append(
                DuePart(
                    scheme=scheme.code,
                    part=part.number,
                    due_date=due,
                    amount=part.amount,
                    outflow_date=spell.end,
                    spell_start=spell.start,
                    benefit_id=spell.last_benefit_id,
                )
            )
        # This is the outflow that counts (sustained to its first part, or still running
        # towards it): no later outflow earns the premium again.
        return earned
    return []


# --------------------------------------------------------------------------- the preset


def _whole(value, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def schemes_from_config(config: Mapping) -> list[Scheme]:
    """The schemes of a preset's `premiums` settings (call `config_problems` first)."""
    premiums = config.get("premiums") or {}
    outflow_from = date.fromisoformat(premiums.get("outflow_from") or "1900-01-01")
    schemes = []
    for raw in premiums.get("schemes") or []:
        trigger = raw.get("trigger", OUTFLOW)
        common = dict(
            code=raw["code"],
            name=raw.get("name") or raw["code"],
            trigger=trigger,
            regulations=tuple(raw.get("regulations") or ("pw",)),
            funding=raw.get("funding", ""),
            line=raw.get("line", ""),
            outflow_from=outflow_from,
            source=premiums.get("source", ""),
        )
        if trigger == PARTICIPATION:
            amount = Decimal(str(raw["monthly_amount_eur"]))
            schemes.append(
                Scheme(
                    **common,
                    min_benefit_months=0,
                    parts=(),
                    total=amount,
                    monthly_amount=amount,
                    instrument_types=tuple(raw.get("instrument_types") or ()),
                    months_from=date.fromisoformat(raw.get("months_from") or "1900-01-01"),
                )
            )
            continue
        parts = tuple(
            Part(number=n, after_months=int(p["after_months"]), amount=Decimal(str(p["amount_eur"])))
            for n, p in enumerate(raw.get("parts") or [], start=1)
        )
        schemes.append(
            Scheme(
                **common,
                min_benefit_months=int(raw["min_benefit_months"]),
                parts=parts,
                total=Decimal(str(raw["total_eur"])),
            )
        )
    return schemes


def _participation_problems(raw: Mapping, name: str) -> list[str]:
    problems = []
    if not _whole(raw.get("monthly_amount_eur"), 1, 10_000):
        problems.append(f"{name}: geef het bedrag per maand in hele euro's (1 tot 10.000).")
    types = raw.get("instrument_types")
    if not isinstance(types, list) or not types or any(t not in INSTRUMENT_TYPES for t in types):
        problems.append(f"{name}: kies ten minste één soort traject die meetelt.")
    try:
        date.fromisoformat(str(raw.get("months_from")))
    except ValueError:
        problems.append(f"{name}: geef de eerste maand waarover de premie telt (JJJJ-MM-DD).")
    return problems


def config_problems(config: Mapping) -> list[str]:
    """What is wrong with a preset's premium settings, in Dutch (empty when usable)."""
    premiums = config.get("premiums")
    if not isinstance(premiums, Mapping):
        return ["Premies: de instellingen ontbreken."]
    problems = []
    try:
        date.fromisoformat(str(premiums.get("outflow_from")))
    except ValueError:
        problems.append("Premies: geef de datum vanaf wanneer uitstroom telt (JJJJ-MM-DD).")
    schemes = premiums.get("schemes")
    if not isinstance(schemes, list):
        return problems + ["Premies: de regelingen ontbreken."]
    codes = [s.get("code") for s in schemes if isinstance(s, Mapping)]
    if len(codes) != len(set(codes)) or len(codes) != len(schemes):
        problems.append("Premies: elke regeling heeft een eigen code.")
    for raw in schemes:
        if not isinstance(raw, Mapping):
            continue
        name = raw.get("name") or raw.get("code") or "?"
        if raw.get("trigger") not in TRIGGERS:
            problems.append(f"{name}: onbekende aanleiding.")
        if not raw.get("regulations") or any(r not in REGULATIONS for r in raw.get("regulations")):
            problems.append(f"{name}: kies de regelingen (pw, ioaw, ioaz, bbz).")
        if raw.get("funding") not in FUNDINGS:
            problems.append(f"{name}: kies de financiering (re-integratiebudget, BUIG of overig).")
        if raw.get("trigger") == PARTICIPATION:
            problems += _participation_problems(raw, name)
            continue
        if not _whole(raw.get("min_benefit_months"), 0, 240):
            problems.append(f"{name}: geef de minimale duur van de uitkering in hele maanden (0 tot 240).")
        parts = raw.get("parts")
        if not isinstance(parts, list) or not parts:
            problems.append(f"{name}: geef ten minste één deel.")
            continue
        months = [p.get("after_months") for p in parts]
        amounts = [p.get("amount_eur") for p in parts]
        if not all(_whole(m, 1, 60) for m in months):
            problems.append(f"{name}: elk deel na 1 tot 60 maanden duurzame uitstroom.")
        elif any(b <= a for a, b in zip(months, months[1:], strict=False)):
            problems.append(f"{name}: elk volgend deel komt later dan het vorige.")
        if not all(_whole(a, 0, 100_000) for a in amounts):
            problems.append(f"{name}: geef de bedragen in hele euro's (0 tot 100.000).")
        elif not _whole(raw.get("total_eur"), 0, 100_000) or sum(amounts) != raw.get("total_eur"):
            problems.append(f"{name}: de delen ({sum(amounts)}) tellen niet op tot het totaal.")
    return problems
