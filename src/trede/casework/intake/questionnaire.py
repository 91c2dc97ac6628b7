"""The intake questionnaire as data: questions, answers and life domains (no Django).

The applicant may fill it in online before the intake (self-service link); the consultant
completes it in the intake conversation. Forms are generated from these definitions
(`forms.py`) and the diagnosis tool (`scoring.py`) reads the answers.

The life domains follow the seeds: work history, education and diplomas, Dutch language,
digital skills, self-reported health, care duties, debts, housing, motivation, mobility and
availability (seed 004 §1 lists medical and psychological barriers, care for children,
mantelzorg and debts; seed 001 §2.2 the diagnosis tool on work, language and computer skills).

Each question is either part of the *werkprofiel* (what an accountmanager may see for
matching) or of the *leefgebieden* (health, psychological, debt, care, household and housing
details: only the consultant and the applicant). See `trede.accounts.access`.

Nothing here asks for nationality, country of origin, ethnicity, statushouder status or
gender, and the scoring never reads them (test_scoring.py checks both).

Choices of a scored question carry a `rank`: 0 is the answer closest to work, a higher
rank is never closer to work. A choice without rank ("dat bespreek ik liever in het
gesprek") is an open answer: it counts as unknown and the consultant fills it in later.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

WERKPROFIEL = "werkprofiel"
LEEFGEBIEDEN = "leefgebieden"
TEXT_MAX_LENGTH = 300


@dataclass(frozen=True)
class Domain:
    key: str
    title: str
    intro: str


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    rank: int | None = None  # None: an open answer (unknown for the scoring)


@dataclass(frozen=True)
class Question:
    id: str
    label: str
    help_text: str
    domain: str
    sensitivity: str  # WERKPROFIEL or LEEFGEBIEDEN
    choices: tuple[Choice, ...] = ()  # empty: a short free-text answer
    scored: bool = True

    @property
    def is_text(self) -> bool:
        return not self.choices

    def choice(self, value: str) -> Choice | None:
        return next((c for c in self.choices if c.value == value), None)

    def label_for(self, value: str) -> str:
        choice = self.choice(value)
        return choice.label if choice else str(value)

    @property
    def required(self) -> bool:
        """Every choice question needs an answer before the questionnaire counts as filled in;
        the free-text questions are optional."""
        return not self.is_text

    def is_open(self, value: str) -> bool:
        """Whether `value` defers the question to the conversation ("bespreek ik liever")."""
        choice = self.choice(value)
        return choice is not None and (choice == DISCUSS or (self.scored and choice.rank is None))

    def choices_for(self, *, for_applicant: bool) -> tuple[Choice, ...]:
        """The applicant may defer a question to the conversation; the consultant, in that
        conversation, may not."""
        if for_applicant:
            return self.choices
        return tuple(c for c in self.choices if not self.is_open(c.value))


class AnswerError(ValueError):
    """An answer that does not belong to the questionnaire."""


DISCUSS = Choice("bespreken", "Dat bespreek ik liever in het gesprek")

DOMAINS: tuple[Domain, ...] = (
    Domain("werk", "Werk en ervaring", "Over het werk dat u gedaan heeft."),
    Domain("dagbesteding", "Wat u nu doet", "Over wat u op dit moment overdag doet."),
    Domain("opleiding", "Opleiding en diploma's", "Over school, opleidingen en diploma's."),
    Domain("taal", "Nederlandse taal", "Over spreken, lezen en schrijven in het Nederlands."),
    Domain("digitaal", "Computer en telefoon", "Over werken met een computer of smartphone."),
    Domain("gezondheid", "Gezondheid", "U hoeft geen medische details te geven."),
    Domain("zorg", "Zorg voor anderen", "Over zorg voor kinderen of voor iemand in uw omgeving."),
    Domain("geld", "Geld en schulden", "Hulp bij schulden is mogelijk. Het is goed als wij dat weten."),
    Domain("wonen", "Wonen", "Over uw woonsituatie."),
    Domain("motivatie", "Wat wilt u?", "Over uw wensen voor werk."),
    Domain("reizen", "Reizen", "Over hoe u naar uw werk kunt komen."),
    Domain("tijd", "Tijd voor werk", "Over hoeveel tijd u heeft voor werk."),
)

DOMAIN_BY_KEY = {d.key: d for d in DOMAINS}

QUESTIONS: tuple[Question, ...] = (
    Question(
        id="werk_laatst",
        label="Wanneer had u voor het laatst betaald werk?",
        help_text="Ook kort werk, uitzendwerk of werk als zelfstandige telt mee.",
        domain="werk",
        sensitivity=WERKPROFIEL,
        choices=(
            Choice("nu", "Ik werk nu, een paar uur per week", 0),
            Choice("minder_1j", "Minder dan 1 jaar geleden", 1),
            Choice("1_3j", "1 tot 3 jaar geleden", 2),
            Choice("3_5j", "3 tot 5 jaar geleden", 3),
            Choice("meer_5j", "Meer dan 5 jaar geleden", 4),
            Choice("nooit", "Ik heb nog nooit betaald werk gehad", 5),
        ),
    ),
    Question(
        id="werk_ervaring",
        label="Hoeveel jaar werkervaring heeft u in totaal?",
        help_text="Tel alle banen bij elkaar op. Vrijwilligerswerk met vaste taken telt ook mee.",
        domain="werk",
        sensitivity=WERKPROFIEL,
        choices=(
            Choice("meer_5", "Meer dan 5 jaar", 0),
            Choice("1_5", "1 tot 5 jaar", 1),
            Choice("minder_1", "Minder dan 1 jaar", 2),
            Choice("geen", "Geen werkervaring", 3),
        ),
    ),
    Question(
        id="werk_beroepen",
        label="In welk werk heeft u ervaring?",
        help_text="Bijvoorbeeld: kassa, magazijn, schoonmaak, zorg, bouw. Dit telt niet mee in de uitkomst.",
        domain="werk",
        sensitivity=WERKPROFIEL,
        scored=False,
    ),
    Question(
        id="bezigheid",
        label="Wat doet u op dit moment overdag?",
        help_text="Kies wat het meest bij u past.",
        domain="dagbesteding",
        sensitivity=LEEFGEBIEDEN,
        choices=(
            Choice("betaald", "Betaald werk, zonder begeleiding", 0),
            Choice("betaald_steun", "Betaald werk met begeleiding, of een paar uur per week", 1),
            Choice("onbetaald", "Vrijwilligerswerk, een werkervaringsplaats of een stage", 2),
            Choice("activiteit", "Een cursus, taalles, opleiding of dagbesteding", 3),
            Choice(
                "contact", "Ik zie mensen buiten de deur, bijvoorbeeld bij sport, familie of in de buurt", 4
            ),
            Choice("weinig", "Ik kom weinig buiten de deur", 5),
        ),
    ),
    Question(
        id="opleiding",
        label="Wat is uw hoogste diploma?",
        help_text="Een diploma uit een ander land telt ook. Kies het niveau dat er het meest op lijkt.",
        domain="opleiding",
        sensitivity=WERKPROFIEL,
        choices=(
            Choice("hbo_wo", "Hbo of universiteit", 0),
            Choice("mbo2_4", "Mbo 2, 3 of 4", 1),
            Choice("havo_vwo", "Havo of vwo", 1),
            Choice("vmbo_mbo1", "Vmbo of mbo 1", 2),
            Choice("basis", "Basisschool", 3),
            Choice("geen", "Geen diploma", 4),
        ),
    ),
    Question(
        id="taal_spreken",
        label="Hoe goed spreekt en begrijpt u Nederlands?",
        help_text="Denk aan een gesprek met een collega of een klant.",
        domain="taal",
        sensitivity=WERKPROFIEL,
        choices=(
            Choice("goed", "Goed, ook als het gesprek moeilijk is", 0),
            Choice("redelijk", "Redelijk: gewone gesprekken lukken", 1),
            Choice("matig", "Een beetje: korte, eenvoudige zinnen", 2),
            Choice("weinig", "Nog bijna niet", 3),
        ),
    ),
    Question(
        id="taal_lezen",
        label="Kunt u een brief of formulier in het Nederlands lezen en invullen?",
        help_text="Bijvoorbeeld een brief van de gemeente of een werkrooster.",
        domain="taal",
        sensitivity=WERKPROFIEL,
        choices=(
            Choice("goed", "Ja, dat gaat goed", 0),
            Choice("moeite", "Ja, met wat moeite", 1),
            Choice("hulp", "Alleen met hulp", 2),
            Choice("nee", "Nee", 3),
        ),
    ),
    Question(
        id="digitaal",
        label="Kunt u omgaan met een computer of smartphone?",
        help_text="Bijvoorbeeld e-mail lezen, online solliciteren of een rooster in een app bekijken.",
        domain="digitaal",
        sensitivity=WERKPROFIEL,
        choices=(
            Choice("goed", "Ja, goed", 0),
            Choice("basis", "Ja, de basis", 1),
            Choice("hulp", "Alleen met hulp", 2),
            Choice("nee", "Nee", 3),
        ),
    ),
    Question(
        id="gezondheid_lichamelijk",
        label="Heeft u lichamelijke klachten die werken moeilijker maken?",
        help_text="U hoeft niet te zeggen welke klachten. Dat bespreekt u als u wilt met uw consulent.",
        domain="gezondheid",
        sensitivity=LEEFGEBIEDEN,
        choices=(
            Choice("nee", "Nee", 0),
            Choice("licht", "Een beetje", 1),
            Choice("matig", "Ja, ik kan maar een deel van het werk doen", 2),
            Choice("ernstig", "Ja, ik kan nu niet werken", 3),
            DISCUSS,
        ),
    ),
    Question(
        id="gezondheid_psychisch",
        label="Heeft u last van spanning, somberheid of andere psychische klachten die werken moeilijker maken?",
        help_text="U hoeft niet te zeggen welke klachten. Dat bespreekt u als u wilt met uw consulent.",
        domain="gezondheid",
        sensitivity=LEEFGEBIEDEN,
        choices=(
            Choice("nee", "Nee", 0),
            Choice("licht", "Een beetje", 1),
            Choice("matig", "Ja, ik kan maar een deel van het werk doen", 2),
            Choice("ernstig", "Ja, ik kan nu niet werken", 3),
            DISCUSS,
        ),
    ),
    Question(
        id="indicatie",
        label="Heeft u een indicatie voor de banenafspraak (doelgroepregister) of voor beschut werk?",
        help_text="Dat staat in een brief van UWV. Weet u het niet? Kies dan 'Weet ik niet'.",
        domain="gezondheid",
        sensitivity=LEEFGEBIEDEN,
        choices=(
            Choice("ja", "Ja"),
            Choice("nee", "Nee"),
            Choice("weet_niet", "Weet ik niet"),
        ),
        scored=False,
    ),
    Question(
        id="zorgtaken",
        label="Zorgt u voor kinderen of voor iemand in uw omgeving (mantelzorg)?",
        help_text="Het gaat erom of deze zorg bepaalt wanneer u kunt werken.",
        domain="zorg",
        sensitivity=LEEFGEBIEDEN,
        choices=(
            Choice("nee", "Nee", 0),
            Choice("geregeld", "Ja, maar de opvang of hulp is geregeld", 1),
            Choice("deels", "Ja, daardoor kan ik alleen op vaste tijden of minder uren werken", 2),
            Choice("veel", "Ja, daardoor kan ik nu niet werken", 3),
            DISCUSS,
        ),
    ),
    Question(
        id="schulden",
        label="Heeft u schulden of betalingsachterstanden?",
        help_text="Bijvoorbeeld voor huur, energie of de zorgverzekering.",
        domain="geld",
        sensitivity=LEEFGEBIEDEN,
        choices=(
            Choice("nee", "Nee", 0),
            Choice("geregeld", "Ja, maar er is een regeling of schuldhulp", 1),
            Choice("zorgen", "Ja, en dat geeft mij zorgen", 2),
            Choice("oplopend", "Ja, de schulden worden groter of er is beslag", 3),
            DISCUSS,
        ),
    ),
    Question(
        id="wonen",
        label="Hoe woont u nu?",
        help_text="Kies wat het meest bij u past.",
        domain="wonen",
        sensitivity=LEEFGEBIEDEN,
        choices=(
            Choice("vast", "In een eigen huis of een huurhuis", 0),
            Choice("tijdelijk", "Tijdelijk: bij familie of vrienden, of in een tijdelijke woning", 1),
            Choice("onzeker", "Ik moet binnenkort weg en heb nog geen nieuwe woning", 2),
            Choice("geen", "Ik heb geen vaste plek om te wonen of te slapen", 3),
            DISCUSS,
        ),
    ),
    Question(
        id="huishouden",
        label="Met wie woont u?",
        help_text="Dit telt niet mee in de uitkomst.",
        domain="wonen",
        sensitivity=LEEFGEBIEDEN,
        choices=(
            Choice("alleen", "Alleen"),
            Choice("alleen_kinderen", "Alleen met mijn kind of kinderen"),
            Choice("partner", "Met een partner, met of zonder kinderen"),
            Choice("anders", "Anders, bijvoorbeeld bij ouders of met huisgenoten"),
            DISCUSS,
        ),
        scored=False,
    ),
    Question(
        id="motivatie",
        label="Hoe graag wilt u (weer) aan het werk?",
        help_text="Er is geen goed of fout antwoord.",
        domain="motivatie",
        sensitivity=WERKPROFIEL,
        choices=(
            Choice("graag", "Zo snel mogelijk", 0),
            Choice("eerst", "Graag, maar eerst moet er iets anders geregeld worden", 1),
            Choice("twijfel", "Dat weet ik nog niet", 2),
            Choice("niet", "Ik zie werken nu niet zitten", 3),
        ),
    ),
    Question(
        id="werk_wens",
        label="Welk werk zou u graag doen?",
        help_text="Schrijf het op in uw eigen woorden. Dit telt niet mee in de uitkomst.",
        domain="motivatie",
        sensitivity=WERKPROFIEL,
        scored=False,
    ),
    Question(
        id="mobiliteit",
        label="Hoe kunt u naar uw werk komen?",
        help_text="Kies wat het beste past.",
        domain="reizen",
        sensitivity=WERKPROFIEL,
        choices=(
            Choice("auto", "Met een eigen auto of scooter", 0),
            Choice("ov", "Met de fiets of het openbaar vervoer, ook verder weg", 1),
            Choice("dichtbij", "Alleen naar werk dicht bij huis", 2),
            Choice("lastig", "Reizen is voor mij heel moeilijk", 3),
        ),
    ),
    Question(
        id="uren",
        label="Hoeveel uur per week kunt u werken?",
        help_text="Denk aan uw zorg voor anderen en uw gezondheid.",
        domain="tijd",
        sensitivity=WERKPROFIEL,
        choices=(
            Choice("32_plus", "32 uur of meer", 0),
            Choice("24_32", "24 tot 32 uur", 1),
            Choice("12_24", "12 tot 24 uur", 2),
            Choice("minder_12", "Minder dan 12 uur", 3),
            Choice("nu_niet", "Op dit moment niet", 4),
        ),
    ),
)

QUESTION_BY_ID = {q.id: q for q in QUESTIONS}


def questions_by_domain() -> list[tuple[Domain, list[Question]]]:
    """The questions grouped per life domain, in questionnaire order."""
    return [(d, [q for q in QUESTIONS if q.domain == d.key]) for d in DOMAINS]


def answers_clean(answers: Mapping[str, object], *, allow_open: bool = True) -> dict[str, str]:
    """Only known questions, valid choices and short texts; empty answers dropped.

    `allow_open`: whether "dat bespreek ik liever in het gesprek" is accepted (the
    applicant may choose it; a consultant completing the intake must not).
    """
    clean: dict[str, str] = {}
    for key, raw in answers.items():
        question = QUESTION_BY_ID.get(key)
        if question is None:
            raise AnswerError(f"Onbekende vraag: {key}.")
        value = "" if raw is None else str(raw).strip()
        if not value:
            continue
        if question.is_text:
            clean[key] = value[:TEXT_MAX_LENGTH]
            continue
        choice = question.choice(value)
        if choice is None:
            raise AnswerError(f"'{value}' is geen antwoord op de vraag '{question.label}'.")
        if not allow_open and question.is_open(value):
            raise AnswerError(f"Vul bij '{question.label}' het antwoord in dat u samen heeft vastgesteld.")
        clean[key] = value
    return clean


def answer_rows(answers: Mapping[str, str], *, sensitivities: frozenset[str] | set[str]) -> list[dict]:
    """Questions with their answer labels, per domain, for display (only the allowed sensitivities)."""
    rows = []
    for domain, questions in questions_by_domain():
        items = [
            {
                "question": q,
                "answer": answers.get(q.id, ""),
                "label": q.label_for(answers[q.id]) if q.id in answers else "",
            }
            for q in questions
            if q.sensitivity in sensitivities
        ]
        if items:
            rows.append({"domain": domain, "items": items})
    return rows


# --------------------------------------------------------------------------- completeness

ANSWERED = "beantwoord"
NOT_ANSWERED = "niet beantwoord"
DEFERRED = "liever in het gesprek"
STATUS_LABELS = {
    ANSWERED: "beantwoord",
    NOT_ANSWERED: "niet beantwoord",
    DEFERRED: "wil dit liever in het gesprek bespreken",
}


def answer_status(question: Question, answers: Mapping[str, str]) -> str:
    value = answers.get(question.id, "")
    if not value:
        return NOT_ANSWERED
    return DEFERRED if question.is_open(value) else ANSWERED


def missing_by_domain(answers: Mapping[str, str], *, allow_open: bool) -> list[tuple[Domain, list[Question]]]:
    """The required questions still without an answer, per life domain (empty: complete).

    One rule for the applicant's online form and the consultant's entry: every required
    question of every domain has an answer. For the applicant "dat bespreek ik liever in
    het gesprek" is an answer (the conversation is where it is discussed); in the
    conversation itself (`allow_open=False`) it is not.
    """
    missing = []
    for domain, questions in questions_by_domain():
        open_here = []
        for question in questions:
            if not question.required:
                continue
            status = answer_status(question, answers)
            if status == NOT_ANSWERED or (status == DEFERRED and not allow_open):
                open_here.append(question)
        if open_here:
            missing.append((domain, open_here))
    return missing


def missing_message(missing: list[tuple[Domain, list[Question]]], *, for_applicant: bool) -> str:
    """'… Beantwoord ook deze vragen — Werk en ervaring: …; Gezondheid: …' in plain Dutch."""
    parts = [f"{domain.title}: " + " ".join(q.label for q in questions) for domain, questions in missing]
    opening = (
        "U heeft nog niet alle vragen beantwoord. Beantwoord ook deze vragen"
        if for_applicant
        else "De vragenlijst is nog niet compleet. Beantwoord ook deze vragen"
    )
    return f"{opening} — " + "; ".join(parts)


def domain_statuses(answers: Mapping[str, str], *, sensitivities: frozenset[str] | set[str]) -> list[dict]:
    """Per life domain which questions were answered, not answered, or kept for the
    conversation (the consultant's overview on the intake page; no answer values)."""
    rows = []
    for domain, questions in questions_by_domain():
        items = [
            {
                "question": q,
                "status": answer_status(q, answers),
                "label": STATUS_LABELS[answer_status(q, answers)],
            }
            for q in questions
            if q.sensitivity in sensitivities
        ]
        if not items:
            continue
        required = [i for i in items if i["question"].required]
        rows.append(
            {
                "domain": domain,
                "items": items,
                "answered": sum(1 for i in required if i["status"] == ANSWERED),
                "deferred": sum(1 for i in required if i["status"] == DEFERRED),
                "required": len(required),
            }
        )
    return rows


# --------------------------------------------------------------------------- the work profile

# The client's profile fields that answers fill (trede.clients.Client), with the Dutch
# name the consultant and the audit log read. "Dat bespreek ik liever" and "weet ik niet"
# fill nothing.
PROFILE_FIELD_LABELS = {
    "education": "opleiding",
    "dutch_language": "Nederlandse taal",
    "dgr": "doelgroepregister",
    "household": "huishouden",
}
_EDUCATION = {v: v for v in ("hbo_wo", "mbo2_4", "havo_vwo", "vmbo_mbo1", "basis", "geen")}
_HOUSEHOLD = {
    "alleen": "alleenstaand",
    "alleen_kinderen": "alleenstaande_ouder",
    "partner": "gehuwd_samenwonend",
    "anders": "overig",
}
# The applicant's own estimate as an indicative level of the reference framework (ERK);
# the lower of speaking and reading counts. A language test recorded later stays.
_LANGUAGE_ORDER = ("a0", "a1", "a2", "b1", "b2")
_SPEAKING = {"goed": "b2", "redelijk": "b1", "matig": "a2", "weinig": "a1"}
_READING = {"goed": "b2", "moeite": "b1", "hulp": "a2", "nee": "a0"}
# Which questions a profile field comes from (for the moment the answer was given).
PROFILE_SOURCES = {
    "education": ("opleiding",),
    "dutch_language": ("taal_spreken", "taal_lezen"),
    "dgr": ("indicatie",),
    "household": ("huishouden",),
}


def profile_values(answers: Mapping[str, str]) -> dict[str, object]:
    """The profile values the answers give (pure); a field without a usable answer is absent."""
    values: dict[str, object] = {}
    if answers.get("opleiding") in _EDUCATION:
        values["education"] = _EDUCATION[answers["opleiding"]]
    speaking, reading = (
        _SPEAKING.get(answers.get("taal_spreken", "")),
        _READING.get(answers.get("taal_lezen", "")),
    )
    levels = [level for level in (speaking, reading) if level]
    if levels:
        values["dutch_language"] = min(levels, key=_LANGUAGE_ORDER.index)
    if answers.get("indicatie") in ("ja", "nee"):
        values["dgr"] = answers["indicatie"] == "ja"
    if answers.get("huishouden") in _HOUSEHOLD:
        values["household"] = _HOUSEHOLD[answers["huishouden"]]
    return values
