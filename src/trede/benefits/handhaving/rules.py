"""The handhaving rules (pure functions, no Django): the maatregel from the verordening,
the boete from the benadelingsbedrag, a waarschuwing instead of a boete, recidive, four
eyes and the bezwaar term. The settings are the policy preset's `handhaving` section.

Kinds of decision: waarschuwing, boete, maatregel, tegenprestatie (the interchange's
`measures.csv` codes). Obligations: `arbeid` (arbeidsverplichtingen, art. 9 Pw: maatregel,
waarschuwing or tegenprestatie) and `inlichtingen` (inlichtingenplicht, art. 17 Pw: boete
or waarschuwing).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from trede.utils.dates import add_months

WAARSCHUWING, BOETE, MAATREGEL, TEGENPRESTATIE = "waarschuwing", "boete", "maatregel", "tegenprestatie"
KINDS = (WAARSCHUWING, BOETE, MAATREGEL, TEGENPRESTATIE)
ARBEID, INLICHTINGEN = "arbeid", "inlichtingen"
KINDS_BY_OBLIGATION = {ARBEID: (WAARSCHUWING, MAATREGEL, TEGENPRESTATIE), INLICHTINGEN: (WAARSCHUWING, BOETE)}
# Degree of blame, most to least. `geen`: no maatregel and no boete may follow.
OPZET, GROVE_SCHULD, VERWIJTBAAR, VERMINDERD, GEEN = (
    "opzet",
    "grove_schuld",
    "verwijtbaar",
    "verminderd",
    "geen",
)
VERWIJTBAARHEID = (OPZET, GROVE_SCHULD, VERWIJTBAAR, VERMINDERD, GEEN)
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Step:
    percentage: Decimal
    months: int


@dataclass(frozen=True)
class Category:
    code: str
    name: str
    steps: tuple[Step, ...]


@dataclass(frozen=True)
class Policy:
    categories: tuple[Category, ...]
    recidive_months: int
    verminderd_pct: Decimal
    max_percentage: Decimal
    max_months: int
    boete_pct: Mapping[str, Decimal]
    waarschuwing_max_benadeling: Decimal
    waarschuwing_lookback_months: int
    tegenprestatie_max_months: int
    tegenprestatie_max_hours: int
    four_eyes: Mapping[str, bool]
    bezwaar_weeks: int
    legal_grounds: Mapping[str, str]
    source: str = ""

    def category(self, code: str) -> Category | None:
        return next((c for c in self.categories if c.code == code), None)


def _dec(value) -> Decimal:
    return Decimal(str(value))


def policy_from(config: Mapping) -> Policy:
    """The `handhaving` section of a preset as a Policy (call `config_problems` first)."""
    boete = config["boete"]
    return Policy(
        categories=tuple(
            Category(
                code=str(c["code"]),
                name=str(c["name"]),
                steps=tuple(Step(_dec(s["percentage"]), int(s["months"])) for s in c["steps"]),
            )
            for c in config["categories"]
        ),
        recidive_months=int(config["recidive_months"]),
        verminderd_pct=_dec(config["verminderd_pct"]),
        max_percentage=_dec(config["max_percentage"]),
        max_months=int(config["max_months"]),
        boete_pct={k: _dec(v) for k, v in boete["pct_by_verwijtbaarheid"].items()},
        waarschuwing_max_benadeling=_dec(boete["waarschuwing_max_benadeling_eur"]),
        waarschuwing_lookback_months=int(boete["waarschuwing_lookback_months"]),
        tegenprestatie_max_months=int(config["tegenprestatie_max_months"]),
        tegenprestatie_max_hours=int(config["tegenprestatie_max_hours_per_week"]),
        four_eyes={k: bool(config["four_eyes"].get(k)) for k in KINDS},
        bezwaar_weeks=int(config["bezwaar_weeks"]),
        legal_grounds=dict(config["legal_grounds"]),
        source=str(config.get("source", "")),
    )


def _number(value, low, high) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and low <= value <= high


def config_problems(config: Mapping) -> list[str]:
    """What is wrong with a preset's `handhaving` section, in Dutch (empty when usable; a
    preset without the section uses the default preset's)."""
    section = config.get("handhaving")
    if section is None:
        return []
    if not isinstance(section, Mapping):
        return ["Handhaving: de instellingen zijn onleesbaar."]
    problems = []
    max_pct = section.get("max_percentage")
    max_months = section.get("max_months")
    if not _number(max_pct, 1, 100):
        problems.append("Handhaving: het hoogste percentage van een maatregel ligt tussen 1 en 100.")
    if not (isinstance(max_months, int) and _number(max_months, 1, 12)):
        problems.append("Handhaving: de langste maatregel duurt 1 tot 12 maanden.")
    categories = section.get("categories")
    if not isinstance(categories, list) or not categories:
        problems.append("Handhaving: geef ten minste één categorie gedragingen.")
        categories = []
    codes = [c.get("code") for c in categories if isinstance(c, Mapping)]
    if len(set(codes)) != len(categories):
        problems.append("Handhaving: elke categorie heeft een eigen code.")
    for cat in categories:
        if not isinstance(cat, Mapping):
            continue
        steps = cat.get("steps")
        label = f"Handhaving, categorie {cat.get('code')}"
        if not str(cat.get("name") or "").strip():
            problems.append(f"{label}: geef de gedraging een naam.")
        if not isinstance(steps, list) or not steps:
            problems.append(f"{label}: geef ten minste één stap (eerste keer).")
            continue
        previous = (0, 0)
        for n, step in enumerate(steps, start=1):
            pct, months = (
                (step.get("percentage"), step.get("months")) if isinstance(step, Mapping) else (None, None)
            )
            if not _number(pct, 1, 100) or not (isinstance(months, int) and _number(months, 1, 12)):
                problems.append(f"{label}, {n}e keer: een percentage van 1 tot 100 en 1 tot 12 maanden.")
                continue
            if _number(max_pct, 1, 100) and pct > max_pct:
                problems.append(
                    f"{label}, {n}e keer: {pct} % ligt boven het hoogste percentage ({max_pct} %)."
                )
            if isinstance(max_months, int) and months > max_months:
                problems.append(
                    f"{label}, {n}e keer: {months} maanden is langer dan de langste ({max_months})."
                )
            if pct < previous[0] or months < previous[1]:
                problems.append(f"{label}, {n}e keer: bij herhaling wordt de maatregel niet lichter.")
            previous = (pct, months)
    if not (
        isinstance(section.get("recidive_months"), int) and _number(section.get("recidive_months"), 1, 60)
    ):
        problems.append("Handhaving: herhaling telt over 1 tot 60 maanden.")
    if not _number(section.get("verminderd_pct"), 0, 100):
        problems.append("Handhaving: bij verminderde verwijtbaarheid blijft 0 tot 100 % van de maatregel.")
    boete = section.get("boete")
    if not isinstance(boete, Mapping):
        problems.append("Handhaving: de boeteregels ontbreken.")
    else:
        pcts = boete.get("pct_by_verwijtbaarheid") or {}
        levels = [OPZET, GROVE_SCHULD, VERWIJTBAAR, VERMINDERD]
        if not all(_number(pcts.get(k), 0, 100) for k in levels):
            problems.append(
                "Handhaving: geef per mate van verwijtbaarheid een boete van 0 tot 100 % van het benadelingsbedrag."
            )
        elif any(pcts[a] < pcts[b] for a, b in zip(levels, levels[1:], strict=False)):
            problems.append("Handhaving: een boete bij minder verwijtbaarheid is niet hoger dan bij meer.")
        if not _number(boete.get("waarschuwing_max_benadeling_eur"), 0, 100_000):
            problems.append(
                "Handhaving: het benadelingsbedrag tot waar een waarschuwing volstaat ligt tussen € 0 en € 100.000."
            )
        if not (
            isinstance(boete.get("waarschuwing_lookback_months"), int)
            and _number(boete.get("waarschuwing_lookback_months"), 0, 120)
        ):
            problems.append(
                "Handhaving: kijk 0 tot 120 maanden terug naar een eerdere waarschuwing of boete."
            )
    if not (
        isinstance(section.get("tegenprestatie_max_months"), int)
        and _number(section.get("tegenprestatie_max_months"), 1, 24)
    ):
        problems.append("Handhaving: een tegenprestatie duurt hoogstens 1 tot 24 maanden.")
    if not (
        isinstance(section.get("tegenprestatie_max_hours_per_week"), int)
        and _number(section.get("tegenprestatie_max_hours_per_week"), 1, 40)
    ):
        problems.append("Handhaving: een tegenprestatie is hoogstens 1 tot 40 uur per week.")
    if not isinstance(section.get("four_eyes"), Mapping):
        problems.append("Handhaving: geef per soort besluit aan of een collega het goedkeurt.")
    if not (isinstance(section.get("bezwaar_weeks"), int) and _number(section.get("bezwaar_weeks"), 1, 26)):
        problems.append("Handhaving: de bezwaartermijn is 1 tot 26 weken (de Awb: 6).")
    grounds = section.get("legal_grounds")
    needed = (MAATREGEL, BOETE, "waarschuwing_inlichtingen", "waarschuwing_arbeid", TEGENPRESTATIE)
    if not isinstance(grounds, Mapping) or any(not str(grounds.get(k) or "").strip() for k in needed):
        problems.append("Handhaving: noem de wettelijke grondslag van elke soort besluit.")
    return problems


# --------------------------------------------------------------------------- the rules


def offence_number(earlier: Iterable[date], *, on: date, months: int) -> int:
    """1 for a first gedraging; one more for every earlier one of the same category within
    `months` before `on` (`on` itself excluded, dates after it ignored)."""
    since = add_months(on, -months)
    return 1 + sum(1 for d in earlier if since <= d < on)


@dataclass(frozen=True)
class Maatregel:
    category: str
    offence: int
    step: int  # the verordening's step applied (the last step for any later offence)
    percentage: Decimal
    months: int


def maatregel(policy: Policy, *, category: str, offence: int, verwijtbaarheid: str) -> Maatregel | None:
    """The maatregel of the verordening, or None when none may follow (no blame)."""
    cat = policy.category(category)
    if cat is None:
        raise ValueError(f"onbekende categorie {category!r}")
    if verwijtbaarheid == GEEN:
        return None
    step = min(max(offence, 1), len(cat.steps))
    chosen = cat.steps[step - 1]
    percentage = chosen.percentage
    if verwijtbaarheid == VERMINDERD:
        percentage = percentage * policy.verminderd_pct / 100
    percentage = min(percentage, policy.max_percentage).quantize(CENT, rounding=ROUND_HALF_UP)
    return Maatregel(
        category=cat.code,
        offence=offence,
        step=step,
        percentage=percentage,
        months=min(chosen.months, policy.max_months),
    )


def waarschuwing_instead_of_boete(policy: Policy, *, benadeling: Decimal, earlier_in_lookback: int) -> bool:
    """A waarschuwing, not a boete: the benadelingsbedrag is at most the threshold and no
    waarschuwing or boete was given in the lookback period."""
    return benadeling <= policy.waarschuwing_max_benadeling and earlier_in_lookback == 0


def boete_amount(policy: Policy, *, benadeling: Decimal, verwijtbaarheid: str) -> Decimal:
    """The boete: the degree of blame's share of the benadelingsbedrag, in cents (half up),
    never above the benadelingsbedrag; 0 without blame."""
    if verwijtbaarheid == GEEN or benadeling <= 0:
        return Decimal("0.00")
    pct = policy.boete_pct.get(verwijtbaarheid, Decimal(0))
    amount = (benadeling * pct / 100).quantize(CENT, rounding=ROUND_HALF_UP)
    return min(amount, benadeling.quantize(CENT, rounding=ROUND_HALF_UP))


def bezwaar_deadline(decided_on: date, weeks: int) -> date:
    """The last day to object: the decision's date plus the term (six weeks by the Awb)."""
    return decided_on + timedelta(weeks=weeks)


def legal_ground(policy: Policy, *, kind: str, obligation: str) -> str:
    if kind == WAARSCHUWING:
        return policy.legal_grounds[f"waarschuwing_{obligation}"]
    return policy.legal_grounds[kind]


def needs_four_eyes(policy: Policy, kind: str) -> bool:
    return bool(policy.four_eyes.get(kind))


@dataclass(frozen=True)
class Outcome:
    """What a decision comes to, or why it may not be taken (`refusal`, Dutch)."""

    kind: str
    legal_ground: str = ""
    percentage: Decimal | None = None
    months: int | None = None
    amount: Decimal | None = None
    offence: int | None = None
    refusal: str = ""


def decide(
    policy: Policy,
    *,
    kind: str,
    obligation: str,
    verwijtbaarheid: str,
    dringende_redenen: bool,
    category: str = "",
    offence: int = 1,
    benadeling: Decimal | None = None,
    earlier_in_lookback: int = 0,
    tegenprestatie_months: int | None = None,
) -> Outcome:
    """The outcome of a decision of `kind`, or the reason it may not be taken."""
    if kind not in KINDS_BY_OBLIGATION.get(obligation, ()):
        allowed = " of ".join(KINDS_BY_OBLIGATION.get(obligation, ()))
        return Outcome(kind, refusal=f"Bij deze verplichting past een {allowed}, geen {kind}.")
    ground = legal_ground(policy, kind=kind, obligation=obligation)
    if kind in (MAATREGEL, BOETE) and verwijtbaarheid == GEEN:
        return Outcome(kind, refusal=f"Zonder verwijtbaarheid volgt geen {kind}: zie af van een besluit.")
    if kind in (MAATREGEL, BOETE) and dringende_redenen:
        return Outcome(
            kind,
            refusal=f"Er zijn dringende redenen vastgelegd: zie af van een {kind} of geef een waarschuwing.",
        )
    if obligation == INLICHTINGEN:
        if benadeling is None or benadeling < 0:
            return Outcome(kind, refusal="Vul het benadelingsbedrag in (€ 0 als er geen nadeel is).")
        warn = waarschuwing_instead_of_boete(
            policy, benadeling=benadeling, earlier_in_lookback=earlier_in_lookback
        )
        if kind == BOETE and warn:
            return Outcome(
                kind,
                refusal=(
                    f"Het benadelingsbedrag is niet hoger dan € {policy.waarschuwing_max_benadeling} en er was "
                    f"geen waarschuwing of boete in de {policy.waarschuwing_lookback_months} maanden ervoor: "
                    "het beleid geeft dan een waarschuwing in plaats van een boete."
                ),
            )
        if kind == WAARSCHUWING and not warn and not dringende_redenen:
            return Outcome(
                kind,
                refusal=(
                    "Een waarschuwing in plaats van een boete kan alleen bij een benadelingsbedrag tot "
                    f"€ {policy.waarschuwing_max_benadeling} zonder eerdere waarschuwing of boete in de "
                    f"{policy.waarschuwing_lookback_months} maanden ervoor, of bij dringende redenen."
                ),
            )
        if kind == BOETE:
            amount = boete_amount(policy, benadeling=benadeling, verwijtbaarheid=verwijtbaarheid)
            if amount <= 0:
                return Outcome(kind, refusal="Zonder benadelingsbedrag volgt geen boete op deze grond.")
            return Outcome(kind, legal_ground=ground, amount=amount)
        return Outcome(kind, legal_ground=ground)
    if kind == MAATREGEL:
        if policy.category(category) is None:
            return Outcome(kind, refusal="Kies de categorie van de gedraging uit de verordening.")
        m = maatregel(policy, category=category, offence=offence, verwijtbaarheid=verwijtbaarheid)
        return Outcome(kind, legal_ground=ground, percentage=m.percentage, months=m.months, offence=offence)
    if kind == TEGENPRESTATIE:
        if not tegenprestatie_months or not 1 <= tegenprestatie_months <= policy.tegenprestatie_max_months:
            return Outcome(
                kind,
                refusal=f"Een tegenprestatie duurt 1 tot {policy.tegenprestatie_max_months} maanden.",
            )
        return Outcome(kind, legal_ground=ground, months=tegenprestatie_months)
    return Outcome(kind, legal_ground=ground)
