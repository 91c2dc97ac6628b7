"""The diagnosis tool: an explainable additive model from the intake answers (no Django).

Every answer adds a fixed number of months to the distance to work and may lower the
loonwaarde indication; the current activity sets the step on the participatieladder now,
and the distance sets the target step. The result lists each answer with its effect
("Wat bepaalde de uitkomst"), so a consultant and the applicant can check it, and the
consultant overrides it when their judgement differs (seed 001 §2.2: "de tool is niet
leidend").

Inputs are the answers to the questionnaire (`questionnaire.py`) and, when known, the
months on benefit in the current spell. Nothing else: the function has no parameter for
nationality, country of origin, ethnicity, statushouder status, gender or age, so it
cannot use them (test_scoring.py checks the signature and the questions).

The weights are editable defaults, chosen so that someone who works a few hours a week
with no barriers gets 0 months (directe bemiddeling) and one with several heavy barriers
lands beyond 48 months; they are documented in the model card below (`MODEL`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field

from trede.algorithms.declaration import DataItem, Declaration, LegalBasis, NotUsed, Threshold

from ..policy.presets import DEFAULT_PRESET, PRESETS
from .questionnaire import QUESTION_BY_ID

MODEL = "trede-vragenlijst-1"
MONTHS_MAX = 120
WAGE_MAX = 100

# Months added per answer (question id -> choice value -> months). Open answers add 0.
MONTHS: dict[str, dict[str, int]] = {
    "werk_laatst": {"nu": 0, "minder_1j": 1, "1_3j": 4, "3_5j": 8, "meer_5j": 12, "nooit": 12},
    "werk_ervaring": {"meer_5": 0, "1_5": 1, "minder_1": 3, "geen": 4},
    "bezigheid": {
        "betaald": 0,
        "betaald_steun": 0,
        "onbetaald": 1,
        "activiteit": 3,
        "contact": 6,
        "weinig": 10,
    },
    "opleiding": {"hbo_wo": 0, "mbo2_4": 0, "havo_vwo": 0, "vmbo_mbo1": 2, "basis": 4, "geen": 5},
    "taal_spreken": {"goed": 0, "redelijk": 1, "matig": 4, "weinig": 8},
    "taal_lezen": {"goed": 0, "moeite": 1, "hulp": 3, "nee": 4},
    "digitaal": {"goed": 0, "basis": 1, "hulp": 2, "nee": 4},
    "gezondheid_lichamelijk": {"nee": 0, "licht": 2, "matig": 10, "ernstig": 24},
    "gezondheid_psychisch": {"nee": 0, "licht": 2, "matig": 10, "ernstig": 24},
    "zorgtaken": {"nee": 0, "geregeld": 0, "deels": 3, "veel": 10},
    "schulden": {"nee": 0, "geregeld": 1, "zorgen": 4, "oplopend": 8},
    "wonen": {"vast": 0, "tijdelijk": 2, "onzeker": 6, "geen": 12},
    "motivatie": {"graag": 0, "eerst": 2, "twijfel": 4, "niet": 8},
    "mobiliteit": {"auto": 0, "ov": 0, "dichtbij": 2, "lastig": 4},
    "uren": {"32_plus": 0, "24_32": 0, "12_24": 2, "minder_12": 6, "nu_niet": 12},
}

# Percentage points off the loonwaarde indication (100 % of the minimum wage).
WAGE: dict[str, dict[str, int]] = {
    "gezondheid_lichamelijk": {"nee": 0, "licht": 5, "matig": 30, "ernstig": 50},
    "gezondheid_psychisch": {"nee": 0, "licht": 5, "matig": 30, "ernstig": 50},
    "werk_ervaring": {"meer_5": 0, "1_5": 0, "minder_1": 5, "geen": 10},
}

# The step on the participatieladder now, from the current activity (Hof van Twente, seed 004 §1).
LADDER_NOW: dict[str, int] = {
    "betaald": 6,
    "betaald_steun": 5,
    "onbetaald": 4,
    "activiteit": 3,
    "contact": 2,
    "weinig": 1,
}

# Months on benefit in the current spell: (at least months, months added).
SPELL_MONTHS: tuple[tuple[int, int], ...] = ((0, 0), (12, 3), (36, 6), (60, 10))

WAGE_BANDS: tuple[tuple[int, str, str], ...] = (
    (80, "80-100", "80 tot 100 %: werk"),
    (30, "30-80", "30 tot 80 %: ontwikkelen, mogelijk loonkostensubsidie"),
    (0, "<30", "minder dan 30 %: activering (ongeveer 4 uur per week)"),
)


@dataclass(frozen=True)
class Contribution:
    """One answer and what it did to the outcome."""

    question_id: str
    question: str
    answer: str
    answer_label: str
    months: int = 0
    wage_points: int = 0  # percentage points taken off the loonwaarde indication
    ladder: str = ""  # what the answer did to the ladder, in words


@dataclass(frozen=True)
class ScoreResult:
    months_to_work: int
    months_total: int  # before capping at MONTHS_MAX
    ladder_step: int | None
    ladder_target: int | None
    wage_value_pct: int
    wage_value_band: str
    wage_value_band_label: str
    contributions: tuple[Contribution, ...]
    notes: tuple[str, ...]
    missing: tuple[str, ...]  # scored questions without a usable answer
    model: str = field(default=MODEL)

    def as_dict(self) -> dict:
        data = asdict(self)
        data["contributions"] = [asdict(c) for c in self.contributions]
        data["notes"] = list(self.notes)
        data["missing"] = list(self.missing)
        return data


def spell_months_effect(benefit_months: int | None) -> int:
    if benefit_months is None:
        return 0
    effect = 0
    for threshold, months in SPELL_MONTHS:
        if benefit_months >= threshold:
            effect = months
    return effect


def ladder_target_for(
    *, ladder_step: int | None, months_to_work: int, config: dict | None = None
) -> tuple[int | None, str]:
    """The target step and the rule that set it (never below the current step).

    The bounds are the preset's `ladder_target` (the default preset's without one).
    """
    if ladder_step is None:
        return None, "Geen doeltrede: de huidige trede is nog niet bekend."
    bounds = (config if config is not None else PRESETS[DEFAULT_PRESET]["config"])["ladder_target"]
    work, step_5, one_step = (
        bounds["work_max_months"],
        bounds["step_5_max_months"],
        bounds["one_step_max_months"],
    )
    if months_to_work <= work:
        target, rule = 6, f"afstand tot werk hooguit {work} maanden: doel is betaald werk (trede 6)"
    elif months_to_work <= step_5:
        target, rule = (
            max(ladder_step + 1, 5),
            f"afstand tot werk {work + 1} tot {step_5} maanden: doel is minstens trede 5",
        )
    elif months_to_work <= one_step:
        target, rule = (
            ladder_step + 1,
            f"afstand tot werk {step_5 + 1} tot {one_step} maanden: doel is één trede hoger",
        )
    elif ladder_step < bounds["hold_from_step"]:
        target, rule = (
            ladder_step + 1,
            f"afstand tot werk meer dan {one_step} maanden: doel is één trede hoger",
        )
    else:
        target, rule = (
            ladder_step,
            f"afstand tot werk meer dan {one_step} maanden: doel is de huidige trede vasthouden",
        )
    return min(6, max(target, ladder_step)), rule


def wage_band(pct: int) -> tuple[str, str]:
    for low, code, label in WAGE_BANDS:
        if pct >= low:
            return code, label
    return WAGE_BANDS[-1][1], WAGE_BANDS[-1][2]


def score(
    answers: Mapping[str, str], benefit_months: int | None = None, config: dict | None = None
) -> ScoreResult:
    """The tool's outcome from the answers (and the months on benefit, when known).

    `config` is the policy preset (for the target step's bounds), not a fact about the person.
    """
    contributions: list[Contribution] = []
    missing: list[str] = []
    months = 0
    wage_off = 0
    ladder_step: int | None = None
    for question_id in MONTHS:
        question = QUESTION_BY_ID[question_id]
        value = answers.get(question_id, "")
        choice = question.choice(value) if value else None
        if choice is None or choice.rank is None:
            missing.append(question_id)
            continue
        effect = MONTHS[question_id][value]
        wage = WAGE.get(question_id, {}).get(value, 0)
        ladder = ""
        if question_id == "bezigheid":
            ladder_step = LADDER_NOW[value]
            ladder = f"trede nu {ladder_step}"
        months += effect
        wage_off += wage
        contributions.append(
            Contribution(
                question_id=question_id,
                question=question.label,
                answer=value,
                answer_label=choice.label,
                months=effect,
                wage_points=wage,
                ladder=ladder,
            )
        )
    spell_effect = spell_months_effect(benefit_months)
    months += spell_effect
    contributions.append(
        Contribution(
            question_id="uitkeringsduur",
            question="Hoe lang heeft de inwoner nu een uitkering?",
            answer="" if benefit_months is None else str(benefit_months),
            answer_label="onbekend" if benefit_months is None else f"{benefit_months} maanden",
            months=spell_effect,
        )
    )
    months_to_work = max(0, min(MONTHS_MAX, months))
    target, rule = ladder_target_for(ladder_step=ladder_step, months_to_work=months_to_work, config=config)
    wage_pct = max(0, WAGE_MAX - wage_off)
    band, band_label = wage_band(wage_pct)
    notes = [f"Afstand tot werk: de som van de maanden hierboven ({months})"]
    if months > MONTHS_MAX:
        notes[0] += f", begrensd op {MONTHS_MAX}"
    notes.append(f"Doeltrede: {rule}.")
    notes.append(f"Loonwaarde-indicatie: 100 % min {wage_off} procentpunt = {wage_pct} % ({band_label}).")
    if missing:
        notes.append(
            "Nog niet beantwoord of liever in het gesprek besproken: "
            + ", ".join(QUESTION_BY_ID[m].label for m in missing)
            + " Deze vragen tellen nu niet mee."
        )
    return ScoreResult(
        months_to_work=months_to_work,
        months_total=months,
        ladder_step=ladder_step,
        ladder_target=target,
        wage_value_pct=wage_pct,
        wage_value_band=band,
        wage_value_band_label=band_label,
        contributions=tuple(contributions),
        notes=tuple(notes),
        missing=tuple(missing),
    )


# --------------------------------------------------------------------------- register entry
# What this tool says about itself in the algorithm register (trede.algorithms, decision
# 94). Written out by hand, not derived from MONTHS: trede/algorithms/tests/ checks it
# against what `score` and the classification really read, so a change here or there that
# is not made in both fails.
_SCORED_QUESTIONS = (
    "werk_laatst",
    "werk_ervaring",
    "bezigheid",
    "opleiding",
    "taal_spreken",
    "taal_lezen",
    "digitaal",
    "gezondheid_lichamelijk",
    "gezondheid_psychisch",
    "zorgtaken",
    "schulden",
    "wonen",
    "motivatie",
    "mobiliteit",
    "uren",
)

REGISTER = Declaration(
    key="trede-diagnose",
    name="Diagnose afstand tot werk (Trede-vragenlijst)",
    description_short=(
        "Een rekenregel telt per antwoord op de intakevragenlijst een vast aantal maanden op tot een "
        "afstand tot werk, met trede op de participatieladder, doeltrede en loonwaarde-indicatie. De "
        "consulent bespreekt de uitkomst en wijkt ervan af met een reden; categorie, route en klantgroep "
        "volgen uit het beleid van de gemeente."
    ),
    goal=(
        "De consulent een controleerbaar, voor iedereen gelijk startpunt geven voor het gesprek over de "
        "afstand tot werk en de route (directe bemiddeling, re-integratie of participatie), zodat "
        "inwoners met dezelfde antwoorden hetzelfde advies krijgen."
    ),
    impact=(
        "Het advies bepaalt mee welke route, klantgroep en welk contactritme een inwoner krijgt, en "
        "daarmee welke instrumenten passen. Het is geen besluit: de consulent stelt de diagnose vast "
        "en het routebesluit wordt apart genomen, met een reden als het van het advies afwijkt."
    ),
    proportionality=(
        "Een optelsom van vaste gewichten in plaats van een lerend model: elke uitkomst is per antwoord "
        'te volgen ("Wat bepaalde de uitkomst") en te betwisten. Alleen wat de inwoner zelf in de '
        "vragenlijst antwoordt en de duur van de uitkering tellen mee; persoonskenmerken niet."
    ),
    human_intervention=(
        "De inwoner vult de vragenlijst zelf in of samen met de consulent en kan vragen overslaan om ze "
        "in het gesprek te bespreken; overgeslagen vragen tellen niet mee.",
        "De consulent ziet per antwoord wat het deed en stelt de diagnose vast of wijkt af met een "
        'verplichte reden ("de tool is niet leidend", seed 001 §2.2); de afwijking wordt bewaard.',
        "Het routebesluit is een apart besluit van de consulent; een andere route dan het advies kan, "
        "met een reden.",
    ),
    data_used=(
        *(DataItem(q, QUESTION_BY_ID[q].label, "intakevragenlijst") for q in _SCORED_QUESTIONS),
        DataItem("uitkeringsduur", "Maanden met een uitkering in de huidige periode", "uitkeringen"),
        DataItem(
            "indicatie",
            "Indicatie banenafspraak of beschut werk (antwoord), voor categorie 2B en klantgroep",
            "intakevragenlijst",
        ),
        DataItem("dgr", "Doelgroepregister (geregistreerd), als het antwoord ontbreekt", "klantgegevens"),
    ),
    data_not_used=(
        NotUsed("nationaliteit", "Nationaliteit", "Wordt in Trede niet geregistreerd."),
        NotUsed("etniciteit", "Etniciteit", "Wordt in Trede niet geregistreerd."),
        NotUsed("herkomst", "Herkomst of geboorteland", "Wordt in Trede niet geregistreerd."),
        NotUsed("geslacht", "Geslacht", "Geen reden om mee te wegen; wel in het eerlijkheidsrapport."),
        NotUsed(
            "leeftijd",
            "Leeftijd en geboortedatum",
            "Geen reden om mee te wegen; wel in het eerlijkheidsrapport.",
        ),
        NotUsed(
            "statushouder",
            "Statushouderschap",
            "Taal telt via de taalvragen; wel in het eerlijkheidsrapport.",
        ),
        NotUsed(
            "huishouden", "Samenstelling huishouden (vraag 'Met wie woont u?')", "Telt niet mee in de score."
        ),
        NotUsed("werk_wens", "Gewenst werk en eerdere beroepen", "Voor de matching, niet voor de afstand."),
        NotUsed("naam_bsn", "Naam, BSN, adres", "Niet nodig voor de uitkomst."),
    ),
    thresholds=(
        Threshold("categories", "Categorieën naar maanden tot werk"),
        Threshold("category_2b", "Categorie 2B (beschut werk, banenafspraak)"),
        Threshold("category_3b_max_ladder_step", "Categorie 3B tot en met trede"),
        Threshold("routes", "Routes naar maanden tot werk"),
        Threshold("client_groups", "Klantgroepen"),
        Threshold("ladder_target", "Doeltrede"),
    ),
    constants=(
        ("Model", MODEL),
        ("Afstand tot werk hoogstens (maanden)", MONTHS_MAX),
        ("Uitkeringsduur: vanaf maanden, maanden erbij", SPELL_MONTHS),
    ),
    lawful_basis=(
        LegalBasis(
            "Participatiewet, artikel 7 (ondersteuning bij arbeidsinschakeling)",
            "https://wetten.overheid.nl/BWBR0015703",
        ),
        LegalBasis(
            "AVG, artikel 6 lid 1 onder e (taak van algemeen belang); artikel 22: geen uitsluitend "
            "geautomatiseerd besluit",
            "https://eur-lex.europa.eu/eli/reg/2016/679/oj",
        ),
    ),
    risks=(
        "Gewichten zijn vaste, gedocumenteerde standaardwaarden; de grenzen van categorie, route, "
        "klantgroep en doeltrede stelt de gemeente in het beleid in (beheerder, met historie).",
        "Persoonskenmerken kunnen niet meetellen: de functie heeft er geen invoer voor (getest).",
        "Indirecte ongelijkheid via andere antwoorden (bijvoorbeeld taal) wordt gemeten met het "
        "eerlijkheidsrapport per geslacht, leeftijd en statushouderschap (trede fairness diagnosis), "
        "met de vier-vijfderegel als signaal.",
        "Elke afwijking door de consulent wordt bewaard en telt in het eerlijkheidsrapport mee.",
    ),
    methods_and_models=(
        "Regelgebaseerd, geen machine learning. Afstand tot werk = som van de maanden per antwoord plus "
        "maanden voor de uitkeringsduur, begrensd op 0 tot 120. Trede nu volgt uit de dagbesteding, de "
        "doeltrede uit de afstand (grenzen uit het beleid), de loonwaarde-indicatie is 100 % min "
        "procentpunten voor gezondheid en werkervaring. Categorie, route en klantgroep volgen uit de "
        "afstand, de trede en de indicatie met de grenzen uit het actieve beleid."
    ),
    publiccode=(
        "trede/casework/intake/scoring.py",
        "trede/casework/intake/questionnaire.py",
        "trede/casework/policy/rules.py",
        "trede/casework/classification.py",
    ),
    fairness="diagnosis",
)
