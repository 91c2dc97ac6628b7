"""The fit of a client to a vacancy: a score in [0, 1] and its explanation in Dutch.

Pure functions over plain records (no Django, no database), so the CLI, the screens and
the tests call the same thing (decisions 68-70). The score is a weighted mean of five
parts, each in [0, 1]:

- occupation: the best of the client's desired occupations against the vacancy's ISCO-08
  code: the same unit group (4 digits) gets `unit`, the same minor group (3 digits)
  `minor`, the same sub-major group (2) `sub_major`, the same major group (1) `major`,
  otherwise 0 (also when either side names no occupation);
- skills: the share of the vacancy's skills the client has (compared without case and
  surrounding spaces); not weighed when the vacancy asks none;
- hours: the share of the vacancy's hours the client is available, at most 1; not weighed
  when either is unknown;
- distance: 1 - km / limit between the centroids of the client's and the employer's
  postcode4 (haversine), the limit being the client's `max_travel_km` or the policy's
  default; beyond the client's own limit the pair is left out (a hard constraint, when
  the policy says so); not weighed when a postcode has no centroid;
- language: 1 when the client's Dutch level meets the level the vacancy asks (by its
  ISCO major group, from the policy), 0.5 one level below, else 0; not weighed when the
  client's level is unknown.

score = sum(weight * part) / sum(weight) over the parts weighed, rounded half up to
SCORE_DECIMALS decimals. Scores are carried as integers of 1/SCORE_SCALE from here on
(`units`), so that sorting, ties, the assignment and its total use exactly what is printed.

Not features, by contract and by construction: a client's gender, birth date (age),
statushouder status, household, names, BSN, and everything else not named above (the
records below have no field for them).
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from functools import cache
from importlib import resources

from trede.algorithms.declaration import DataItem, Declaration, LegalBasis, NotUsed, Threshold

SCORE_DECIMALS = 4
SCORE_SCALE = 10**SCORE_DECIMALS
EARTH_RADIUS_KM = 6371.0088  # the mean Earth radius (IUGG), for the haversine distance

PARTS = ("occupation", "skills", "hours", "distance", "language")
# Dutch levels in order; `moedertaal` above every CEFR level.
LANGUAGE_LEVELS = ("a0", "a1", "a2", "b1", "b2", "c1", "c2", "moedertaal")
_LANGUAGE_RANK = {code: rank for rank, code in enumerate(LANGUAGE_LEVELS)}
_LEVEL_BY_PREFIX = {4: "unit", 3: "minor", 2: "sub_major", 1: "major"}


def norm_skill(text: str) -> str:
    return " ".join(text.split()).casefold()


def isco_code(text: str | None) -> str:
    """A four-digit ISCO-08 unit group code, or '' for anything else."""
    text = (text or "").strip()
    return text if len(text) == 4 and text.isascii() and text.isdigit() else ""


@dataclass(frozen=True, slots=True)
class ClientRecord:
    """What the engine knows of a candidate: only the features (decision 70)."""

    client_id: str
    occupations: tuple[str, ...] = ()  # valid four-digit ISCO-08 codes, in the profile's order
    skills: frozenset[str] = frozenset()  # normalised (norm_skill)
    hours: float | None = None
    max_travel_km: float | None = None
    postcode4: str = ""
    point: tuple[float, float] | None = None  # (lat, lon) of the postcode's centroid
    language: str = ""  # a code of LANGUAGE_LEVELS, '' when unknown


@dataclass(frozen=True, slots=True)
class VacancyRecord:
    vacancy_id: str
    title: str = ""
    occupation: str = ""  # a valid four-digit ISCO-08 code or ''
    skills: tuple[tuple[str, str], ...] = ()  # (normalised, as written), unique by normalised
    hours: float | None = None
    postcode4: str = ""  # the employer's
    point: tuple[float, float] | None = None
    positions: int = 1


@dataclass(frozen=True)
class Settings:
    weights: dict[str, float]
    occupation_credit: dict[str, float]
    default_max_travel_km: float
    travel_hard: bool
    language_by_major_group: dict[str, str]

    @classmethod
    def from_config(cls, matching: dict) -> Settings:
        return cls(
            weights={p: float(matching["weights"][p]) for p in PARTS},
            occupation_credit={k: float(v) for k, v in matching["occupation_credit"].items()},
            default_max_travel_km=float(matching["default_max_travel_km"]),
            travel_hard=bool(matching["travel_hard"]),
            language_by_major_group=dict(matching["language_by_major_group"]),
        )

    def language_required(self, vacancy: VacancyRecord) -> str:
        major = vacancy.occupation[:1]
        return self.language_by_major_group.get(major, "") if major else ""


# --------------------------------------------------------------------------- the parts


def occupation_part(vacancy: VacancyRecord, client: ClientRecord, settings: Settings):
    """(value, level, the client's best code): level one of unit/minor/sub_major/major/''."""
    target = vacancy.occupation
    best, level, code = 0.0, "", ""
    if not target:
        return best, level, code
    for wish in client.occupations:
        shared = 0
        while shared < 4 and wish[shared] == target[shared]:
            shared += 1
        if shared:
            value = settings.occupation_credit[_LEVEL_BY_PREFIX[shared]]
            if value > best:
                best, level, code = value, _LEVEL_BY_PREFIX[shared], wish
    return best, level, code


def skills_part(vacancy: VacancyRecord, client: ClientRecord) -> float | None:
    if not vacancy.skills:
        return None
    have = client.skills
    return sum(1 for key, _ in vacancy.skills if key in have) / len(vacancy.skills)


def hours_part(vacancy: VacancyRecord, client: ClientRecord) -> float | None:
    if vacancy.hours is None or client.hours is None:
        return None
    if vacancy.hours <= 0:
        return 1.0
    return min(1.0, max(0.0, client.hours) / vacancy.hours)


def haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def travel_limit(client: ClientRecord, settings: Settings) -> float:
    return client.max_travel_km if client.max_travel_km is not None else settings.default_max_travel_km


def distance_part(km: float | None, client: ClientRecord, settings: Settings) -> float | None:
    """None: not weighed (no centroid); -1.0: beyond the client's own limit (left out)."""
    if km is None:
        return None
    limit = travel_limit(client, settings)
    if km > limit:
        return -1.0 if settings.travel_hard and client.max_travel_km is not None else 0.0
    return 1.0 if limit <= 0 else 1.0 - km / limit


def language_part(required: str, client: ClientRecord) -> float | None:
    if not client.language or not required:
        return None
    gap = _LANGUAGE_RANK[required] - _LANGUAGE_RANK[client.language]
    return 1.0 if gap <= 0 else (0.5 if gap == 1 else 0.0)


# --------------------------------------------------------------------------- the score


class Scorer:
    """Scores pairs with one policy; caches the distances between postcode centroids, so a
    pair's distance is the same number whichever direction it is asked from."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self._km: dict[tuple[str, str], float] = {}

    def km(self, vacancy: VacancyRecord, client: ClientRecord) -> float | None:
        if vacancy.point is None or client.point is None:
            return None
        key = (vacancy.postcode4, client.postcode4)
        km = self._km.get(key)
        if km is None:
            km = self._km[key] = haversine_km(vacancy.point, client.point)
        return km

    def units(self, vacancy: VacancyRecord, client: ClientRecord) -> int | None:
        """The score in 1/SCORE_SCALE, or None when a hard constraint leaves the pair out."""
        s = self.settings
        w = s.weights
        distance = distance_part(self.km(vacancy, client), client, s)
        if distance is not None and distance < 0:
            return None
        occupation = occupation_part(vacancy, client, s)[0]
        total, weight = w["occupation"] * occupation, w["occupation"]
        for name, value in (
            ("skills", skills_part(vacancy, client)),
            ("hours", hours_part(vacancy, client)),
            ("distance", distance),
            ("language", language_part(s.language_required(vacancy), client)),
        ):
            if value is not None:
                total += w[name] * value
                weight += w[name]
        if weight <= 0:
            return 0
        return min(SCORE_SCALE, max(0, int(total / weight * SCORE_SCALE + 0.5)))

    def reasons(self, vacancy: VacancyRecord, client: ClientRecord) -> list[str]:
        """Dutch sentences: what matched and what is missing, one per part."""
        s = self.settings
        out = [_occupation_reason(vacancy, client, occupation_part(vacancy, client, s))]
        out.append(_skills_reason(vacancy, client))
        out.append(_hours_reason(vacancy, client))
        out.append(_distance_reason(vacancy, client, self.km(vacancy, client), s))
        out.append(_language_reason(s.language_required(vacancy), client))
        return out


def score_value(units: int) -> float:
    """The printed score: the units as a JSON number with SCORE_DECIMALS decimals at most."""
    return units / SCORE_SCALE


def total_value(units: list[int]) -> float:
    """A sum of printed scores, exact (added as integers, then scaled once)."""
    return sum(units) / SCORE_SCALE


# --------------------------------------------------------------------------- reasons


@cache
def isco_labels() -> dict[str, str]:
    text = (
        resources.files("trede.employers.matching").joinpath("data/isco08_nl.csv").read_text(encoding="utf-8")
    )
    return {row["isco_code"]: row["label_nl"] for row in csv.DictReader(text.splitlines())}


def occupation_name(code: str) -> str:
    label = isco_labels().get(code)
    return f"{label} ({code})" if label else f"beroepscode {code}"


def _number(value: float, decimals: int = 1) -> str:
    text = f"{value:.{decimals}f}".rstrip("0").rstrip(".") if decimals else f"{value:.0f}"
    return text.replace(".", ",")


_LEVEL_TEXT = {
    "minor": "dezelfde beroepsgroep",
    "sub_major": "dezelfde subhoofdgroep",
    "major": "dezelfde hoofdgroep",
}
_LEVEL_DIGITS = {"minor": 3, "sub_major": 2, "major": 1}


def _occupation_reason(vacancy, client, part) -> str:
    _value, level, code = part
    if not vacancy.occupation:
        return "Beroep: de vacature noemt geen beroep (ISCO-08), dus er is geen beroep te vergelijken."
    wanted = occupation_name(vacancy.occupation)
    if not client.occupations:
        return f"Beroep: geen gewenst beroep bekend; de vacature is voor {wanted}."
    if level == "unit":
        return f"Beroep: {wanted} is een gewenst beroep van de kandidaat."
    if level:
        group = vacancy.occupation[: _LEVEL_DIGITS[level]]
        group_name = isco_labels().get(group, group)
        return (
            f"Beroep: gewenst beroep {occupation_name(code)} valt in {_LEVEL_TEXT[level]} "
            f"({group_name}) als {wanted}, maar is niet hetzelfde beroep."
        )
    wishes = ", ".join(occupation_name(c) for c in client.occupations)
    return f"Beroep ontbreekt: geen van de gewenste beroepen ({wishes}) lijkt op {wanted}."


def _skills_reason(vacancy, client) -> str:
    if not vacancy.skills:
        return "Vaardigheden: de vacature vraagt geen vaardigheden (niet meegewogen)."
    have = [shown for key, shown in vacancy.skills if key in client.skills]
    missing = [shown for key, shown in vacancy.skills if key not in client.skills]
    text = f"Vaardigheden: {len(have)} van de {len(vacancy.skills)} gevraagde aanwezig"
    if have:
        text += f" ({', '.join(have)})"
    if missing:
        text += f"; ontbreekt: {', '.join(missing)}"
    return text + "."


def _hours_reason(vacancy, client) -> str:
    if vacancy.hours is None:
        return "Uren: de vacature noemt geen uren per week (niet meegewogen)."
    if client.hours is None:
        return f"Uren: de vacature vraagt {_number(vacancy.hours)} uur per week; beschikbare uren onbekend (niet meegewogen)."
    part = hours_part(vacancy, client)
    if part is not None and part >= 1:
        return (
            f"Uren passen: {_number(client.hours)} uur per week beschikbaar, "
            f"de vacature vraagt {_number(vacancy.hours)}."
        )
    return (
        f"Uren te weinig: {_number(client.hours)} uur per week beschikbaar, de vacature vraagt "
        f"{_number(vacancy.hours)} ({_number(100 * (part or 0), 0)} %)."
    )


def _distance_reason(vacancy, client, km, settings) -> str:
    if km is None:
        missing = []
        for who, record in (("de kandidaat", client), ("de werkgever", vacancy)):
            if record.point is None:
                missing.append(
                    f"postcode {record.postcode4} van {who}"
                    if record.postcode4
                    else f"geen postcode van {who}"
                )
        return (
            "Afstand: niet meegewogen, want er is geen centrum bekend voor "
            + " en ".join(missing)
            + "; de score is zonder afstand berekend."
        )
    limit = travel_limit(client, settings)
    whose = (
        "de maximale reisafstand van de kandidaat"
        if client.max_travel_km is not None
        else "de standaard reisafstand"
    )
    if km > limit:
        return f"Afstand te groot: {_number(km)} km, meer dan {whose} ({_number(limit)} km)."
    return f"Afstand: {_number(km)} km, binnen {whose} ({_number(limit)} km)."


def _language_label(code: str) -> str:
    return "moedertaal" if code == "moedertaal" else code.upper()


def _language_reason(required: str, client) -> str:
    if not required:
        return "Taal: geen taaleis bekend voor dit beroep (niet meegewogen)."
    if not client.language:
        return f"Taal: de vacature vraagt Nederlands op {_language_label(required)}; taalniveau van de kandidaat onbekend (niet meegewogen)."
    part = language_part(required, client)
    if part == 1.0:
        return f"Taal: Nederlands {_language_label(client.language)}, voldoet aan het gevraagde {_language_label(required)}."
    return (
        f"Taal ontbreekt: Nederlands {_language_label(client.language)}, de vacature vraagt "
        f"{_language_label(required)}" + (" (één niveau lager)." if part == 0.5 else ".")
    )


# --------------------------------------------------------------------------- register entry
# What the matching engine says about itself in the algorithm register (trede.algorithms,
# decision 94). trede/algorithms/tests/ checks it against the records above, the parts the
# score weighs and the columns `selectors.candidates` and `selectors.open_vacancies` read.
REGISTER = Declaration(
    key="trede-matching",
    name="Matching kandidaten en vacatures",
    description_short=(
        "Een score van 0 tot 1 per kandidaat en vacature uit beroep (ISCO-08), vaardigheden, uren, "
        "reisafstand en taalniveau, met per onderdeel een uitleg; daarmee stelt Trede kandidaten voor "
        "een vacature en vacatures voor een kandidaat voor, en een verdeling over vacatures met "
        "meerdere plaatsen. De accountmanager beslist wie wordt voorgedragen."
    ),
    goal=(
        "Werkgevers beter passende kandidaten bieden en kandidaten vacatures laten zien die bij hun "
        "wensen, vaardigheden en beschikbaarheid passen, in twee richtingen, met redenen die een mens "
        "kan controleren (seeds 001 §2.4, 003 §2.5)."
    ),
    impact=(
        "De lijst bepaalt mee welke kandidaten een accountmanager het eerst ziet. Een match is alleen "
        "een voorstel: voordragen, een shortlist en een plaatsing zijn handelingen van mensen, en een "
        "kandidaat buiten de lijst kan ook worden voorgedragen."
    ),
    proportionality=(
        "Een gewogen gemiddelde van vijf uitlegbare onderdelen, geen lerend model. Alleen het werkprofiel "
        "(gewenst beroep, vaardigheden, uren, reisafstand, woonplaats op postcode4-niveau, taalniveau) "
        "telt; gezondheid, schulden en persoonskenmerken zijn voor de accountmanager niet eens zichtbaar."
    ),
    human_intervention=(
        "De accountmanager ziet per kandidaat de score en per onderdeel wat paste en wat ontbreekt, en "
        "beslist zelf wie wordt voorgedragen of op de shortlist komt.",
        "De voorgestelde verdeling over vacatures (trede match assign) is een voorstel; er wordt niets "
        "automatisch voorgedragen of geplaatst.",
        "De consulent en de kandidaat houden het werkprofiel bij; een onjuist profiel wordt daar "
        "gecorrigeerd.",
    ),
    data_used=(
        DataItem("occupations", "Gewenste beroepen (ISCO-08)", "ClientProfile.desired_occupations"),
        DataItem("skills", "Vaardigheden", "ClientProfile.skills"),
        DataItem("hours", "Beschikbare uren per week", "ClientProfile.hours_available"),
        DataItem("max_travel_km", "Maximale reisafstand", "ClientProfile.max_travel_km"),
        DataItem("postcode4", "Postcode (4 cijfers) van de kandidaat", "Client.postcode4"),
        DataItem("language", "Taalniveau Nederlands", "Client.dutch_language"),
        DataItem("vacancy.occupation", "Beroep van de vacature (ISCO-08)", "Vacancy.occupation_code"),
        DataItem("vacancy.skills", "Gevraagde vaardigheden", "Vacancy.skills"),
        DataItem("vacancy.hours", "Uren per week van de vacature", "Vacancy.hours_per_week"),
        DataItem(
            "vacancy.postcode4",
            "Postcode (4 cijfers) van de werkplek, anders van de werkgever",
            "Vacancy.postcode4, Employer.postcode4",
        ),
        DataItem("vacancy.positions", "Aantal plaatsen (voor de verdeling)", "Vacancy.positions"),
        DataItem("vacancy.title", "Titel van de vacature (alleen getoond, niet gewogen)", "Vacancy.title"),
    ),
    data_not_used=(
        NotUsed("nationaliteit", "Nationaliteit", "Wordt in Trede niet geregistreerd."),
        NotUsed("etniciteit", "Etniciteit", "Wordt in Trede niet geregistreerd."),
        NotUsed("herkomst", "Herkomst of geboorteland", "Wordt in Trede niet geregistreerd."),
        NotUsed("geslacht", "Geslacht", "Wordt niet gelezen (getest: wijzigen verandert geen score)."),
        NotUsed("leeftijd", "Leeftijd en geboortedatum", "Wordt niet gelezen (getest)."),
        NotUsed(
            "statushouder", "Statushouderschap", "Wordt niet gelezen (getest); taal telt via het taalniveau."
        ),
        NotUsed("huishouden", "Samenstelling huishouden", "Wordt niet gelezen (getest)."),
        NotUsed("naam_bsn", "Naam, BSN, adres", "Wordt niet gelezen (getest)."),
        NotUsed(
            "gezondheid_schulden",
            "Gezondheid, schulden, diagnose",
            "Niet nodig en niet zichtbaar voor de accountmanager.",
        ),
    ),
    thresholds=(
        Threshold("matching.weights", "Gewichten van de onderdelen"),
        Threshold("matching.occupation_credit", "Score voor een verwant beroep"),
        Threshold("matching.default_max_travel_km", "Standaard reisafstand (km)"),
        Threshold("matching.travel_hard", "Eigen reisafstand is een harde grens"),
        Threshold("matching.language_by_major_group", "Gevraagd taalniveau per beroepshoofdgroep"),
    ),
    constants=(
        ("Onderdelen", PARTS),
        ("Decimalen van de score", SCORE_DECIMALS),
        ("Taalniveaus (laag naar hoog)", LANGUAGE_LEVELS),
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
        "Persoonskenmerken worden niet gelezen: de records hebben er geen veld voor, de selectors "
        "lezen de kolommen niet, en een test wijzigt ze zonder dat een score verandert.",
        "Indirecte ongelijkheid (bijvoorbeeld via taalniveau of reisafstand) wordt gemeten met het "
        "eerlijkheidsrapport van de matching per geslacht, leeftijd en statushouderschap (trede "
        "fairness matching: beste score en aandeel op een kandidatenlijst), met de vier-vijfderegel als "
        "signaal; dat rapport leest die kenmerken achteraf, de matching zelf niet.",
        "Gewichten en grenzen staan in het beleid van de gemeente; scores worden als gehele getallen "
        "gerekend, zodat sortering, gelijke scores en de verdeling precies zijn wat getoond wordt.",
    ),
    methods_and_models=(
        "Regelgebaseerd. Score = gewogen gemiddelde van beroep (zelfde ISCO-eenheid, -groep, -subhoofdgroep "
        "of -hoofdgroep), vaardigheden (aandeel gevraagde aanwezig), uren (aandeel beschikbaar), afstand "
        "(1 min km / grens, tussen de middelpunten van de postcodes) en taal (voldoet, één niveau lager, "
        "lager); een onderdeel zonder gegevens telt niet mee. De verdeling over vacatures is een exacte "
        "maximale gewogen b-matching (Hongaarse methode of lineair programma)."
    ),
    publiccode=(
        "trede/employers/matching/rules.py",
        "trede/employers/matching/assignment.py",
        "trede/employers/matching/selectors.py",
    ),
    fairness="matching",
)
