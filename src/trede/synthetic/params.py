"""Every number that shapes the synthetic municipality, in one place.

The values were tuned so that the generated stock and flows match
/work/shared/reference/calibration.md (CBS, Divosa, seeds 000/002/004); the comments give
the figure each block aims at. Codes are the interchange codes (interchange.md).
"""

from __future__ import annotations

from dataclasses import dataclass

# --- codes, in the order used for the small integer encodings ---------------------------
GENDERS = ("man", "vrouw", "x")
EDUCATIONS = ("geen", "basis", "vmbo_mbo1", "mbo2_4", "havo_vwo", "hbo_wo", "onbekend")
LANGUAGES = ("a0", "a1", "a2", "b1", "b2", "c1", "c2", "moedertaal", "onbekend")
HOUSEHOLDS = ("alleenstaand", "alleenstaande_ouder", "gehuwd_samenwonend", "overig")
END_REASONS = (
    "werk",
    "onderwijs",
    "verhuizing",
    "aow",
    "overlijden",
    "detentie",
    "partner_inkomen",
    "rechtmatigheid",
    "overig",
)
REGULATIONS = ("pw", "ioaw", "ioaz", "bbz")
RESULTS = ("geslaagd", "niet_geslaagd", "voortijdig_gestopt", "lopend")
WERK = 0
AOW = 3
OVERIG = 8

# --- inflow composition (new persons; the stock is older and more female because of
# longer durations: targets stock <27 10 %, 45+ 57 %, women 57 %) -----------------------
ENTRY_AGE_BANDS = (
    (18, 22, 0.16),
    (22, 27, 0.15),
    (27, 35, 0.16),
    (35, 45, 0.2),
    (45, 55, 0.215),
    (55, 63, 0.15),
    (63, 66, 0.035),
)
FEMALE_SHARE = 0.545
X_GENDER_SHARE = 0.002
EDUCATION_SHARES = (0.11, 0.17, 0.31, 0.26, 0.06, 0.06, 0.03)
STATUSHOUDER_SHARE = 0.12
STATUSHOUDER_LANGUAGE = (0.10, 0.28, 0.34, 0.21, 0.07, 0.0, 0.0, 0.0, 0.0)
OTHER_LANGUAGE = (0.0, 0.004, 0.03, 0.06, 0.05, 0.015, 0.005, 0.816, 0.02)
DGR_SHARE = 0.19
# Targets Barneveld's 63/22/15 in the stock (single parents stay longer).
HOUSEHOLD_SHARES_WOMEN = (0.55, 0.25, 0.17, 0.03)
HOUSEHOLD_SHARES_MEN = (0.73, 0.03, 0.21, 0.03)

# --- latent employability E (log-hazard scale); recorded traits are part of it, the rest
# (health, motivation, network) is the unrecorded component eta ------------------------
E_EDUCATION = (-0.55, -0.35, -0.15, 0.15, 0.25, 0.35, -0.2)
E_LANGUAGE = (-0.65, -0.5, -0.3, -0.1, 0.0, 0.05, 0.05, 0.05, -0.15)
E_HOUSEHOLD = (0.0, -0.3, -0.05, -0.1)
E_STATUSHOUDER = -0.2
E_DGR = -1.1
E_FEMALE = -0.12
ETA_SD = 1.25

# --- monthly exit hazards --------------------------------------------------------------
WORK_INTERCEPT = -4.2  # log monthly hazard of exit to work at E = 0, age 30, duration 0
WORK_AGE_SLOPE = -0.018  # per year above 30
WORK_AGE55_SLOPE = -0.09  # extra per year above 55
WORK_YEARLY_DECAY = -0.09  # true duration dependence per year on benefit (skills decay)
WORK_EARLY_BOOST = 0.55  # extra in the first six months (many quick exits)
WORK_PLACED = 0.75  # part-time work is a stepping stone
WORK_PRIOR_SPELL = 0.18  # returners have recent work experience
# Business cycle by calendar year (CBS inflow/outflow 2015-2024): a slump in 2020.
CYCLE_WORK = {2020: -0.25, 2021: 0.05, 2022: 0.12, 2023: 0.05}
# National stock 2015-2024 fell by about 10 % (calibration.md), with the 2020 bump.
CYCLE_INFLOW = {
    2015: 1.04,
    2016: 1.05,
    2017: 0.98,
    2018: 0.95,
    2019: 0.93,
    2020: 1.12,
    2021: 0.92,
    2022: 0.88,
    2023: 0.92,
    2024: 0.95,
    2025: 0.95,
}

OTHER_ETA = 0.25  # the able also leave more for other reasons (partner, moving)
OTHER_DURATION = ((12, 1.35), (60, 1.0), (10**6, 0.75))  # (months on benefit below, factor)
OTHER_RATE = {  # monthly hazards per end reason (aow is a date, not a hazard)
    "onderwijs": 0.0002,
    "verhuizing": 0.0029,
    "overlijden": 0.0,
    "detentie": 0.00012,
    "partner_inkomen": 0.0026,
    "rechtmatigheid": 0.0020,
    "overig": 0.0035,
}
ONDERWIJS_YOUNG = 0.0065  # under 27: back to school
MORTALITY_AT_40 = 0.00012  # monthly, doubling about every 9 years

# Return after an exit ("draaideur"): probability of coming back within a year and
# within one to six years, by end reason (about a quarter of inflow is back within a year).
RETURN_WITHIN_YEAR = (0.30, 0.20, 0.04, 0.0, 0.0, 0.45, 0.20, 0.50, 0.42)
RETURN_LATER = (0.14, 0.15, 0.04, 0.0, 0.0, 0.15, 0.15, 0.14, 0.14)
RETURN_ETA = -0.25  # the less employable come back more often

# Benefit switches inside a spell (new household composition -> new benefit).
SWITCH_RATE = 0.0035

# --- part-time work with a supplementary benefit (client group 'geplaatst') ------------
PLACE_INTERCEPT = -3.6
PLACE_E = 0.65
PLACE_MONTHS = (4, 30)

# --- diagnoses --------------------------------------------------------------------------
MTW_LOG_MEAN = 2.5  # log months to work at E_t = 0
MTW_SLOPE = -1.1
MTW_NOISE_TOOL = 0.7
MTW_NOISE_CONSULTANT = 0.3
CONSULTANT_SHARE = 0.3
LADDER_CUTS = (-5.75, -3.4, -1.45, 1.2, 3.0)  # on E_t + noise + activation bonus
LADDER_DGR = -2.2  # on E_t + noise + activation bonus
LADDER_NOISE = 0.55
DIAG_INTERVAL = {
    "direct_werk": 6,
    "werken_en_ervaren": 6,
    "leren_en_ontwikkelen": 12,
    "zorg": 24,
    "werkvoorzienend": 24,
    "geplaatst": 12,
    "onbekend": 12,
}
OVERRIDE_REASONS = (
    "Medische beperking komt niet uit de tool",
    "Recente werkervaring niet meegewogen",
    "Taalniveau in gesprek hoger dan getoetst",
    "Zorgtaken voor kinderen beperken de beschikbaarheid",
    "Psychische problematiek, advies bedrijfsarts",
    "Problematische schulden vragen eerst aandacht",
    "Motivatie en netwerk sterker dan de tool aangeeft",
    "Mantelzorg beperkt de inzetbaarheid",
)


@dataclass(frozen=True)
class Instrument:
    """One instrument of the municipality's 'mandje' and how it works in the simulation.

    Effects multiply the monthly hazard of exit to work `k` months after the start month:
    `during` while it runs, then (only when completed) `spike` for `spike_months`, `after`
    until `after_months` after its end, and `later` beyond. `group_power` scales the log
    effect by client group at the start (Card, Kluve & Weber 2018: larger for the
    long-term unemployed).
    """

    code: str
    name: str
    type: str
    funding: str
    price_eur: int
    months: tuple[int, int]
    during: float
    after: float
    after_months: int
    later: float = 1.0
    spike: float = 1.0
    spike_months: int = 0
    success: float = 0.5
    dropout: float = 0.15
    ladder_bonus: float = 0.0
    noshow: float = 0.15
    places: int = 0  # 2 = proefplaatsing placement, 3 = LKS placement while it runs
    provider_kinds: tuple[str, ...] = ("reintegratiebedrijf",)


INSTRUMENTS: tuple[Instrument, ...] = (
    Instrument(
        "LKS",
        "Loonkostensubsidie (BUIG, doelgroepregister)",
        "loonkostensubsidie",
        "buig",
        9600,
        (9, 24),
        during=1.5,
        after=1.25,
        after_months=12,
        success=0.7,
        dropout=0.12,
        noshow=0.05,
        places=3,
        provider_kinds=("gemeente",),
    ),
    Instrument(
        "LKS-RIB",
        "Loonkostensubsidie (re-integratiebudget)",
        "loonkostensubsidie",
        "reintegratiebudget",
        6000,
        (6, 12),
        during=0.95,
        after=1.25,
        after_months=12,
        success=0.65,
        dropout=0.12,
        noshow=0.05,
        places=3,
        provider_kinds=("gemeente",),
    ),
    Instrument(
        "JOBCOACH",
        "Jobcoaching",
        "jobcoaching",
        "reintegratiebudget",
        3200,
        (6, 12),
        during=1.5,
        after=1.1,
        after_months=6,
        success=0.6,
        noshow=0.08,
        provider_kinds=("reintegratiebedrijf", "sw_bedrijf"),
    ),
    Instrument(
        "WEP",
        "Werkervaringsplaats",
        "werkervaringsplaats",
        "reintegratiebudget",
        2400,
        (4, 9),
        during=0.75,
        after=1.0,
        after_months=6,
        success=0.55,
        ladder_bonus=0.35,
        noshow=0.2,
        provider_kinds=("sw_bedrijf", "gemeente"),
    ),
    Instrument(
        "WERKSTAGE",
        "Werkstage",
        "werkstage",
        "reintegratiebudget",
        1200,
        (2, 4),
        during=0.85,
        after=1.3,
        after_months=12,
        success=0.6,
        ladder_bonus=0.3,
        noshow=0.2,
        provider_kinds=("wsp", "sw_bedrijf"),
    ),
    Instrument(
        "TAALSTAGE",
        "Taalstage",
        "taalstage",
        "reintegratiebudget",
        1500,
        (4, 8),
        during=0.8,
        after=1.3,
        after_months=18,
        success=0.55,
        ladder_bonus=0.3,
        noshow=0.2,
        provider_kinds=("onderwijs", "maatschappelijk"),
    ),
    Instrument(
        "VRIJWILLIG",
        "(Begeleid) vrijwilligerswerk",
        "vrijwilligerswerk",
        "reintegratiebudget",
        650,
        (6, 12),
        during=0.95,
        after=1.05,
        after_months=12,
        success=0.6,
        ladder_bonus=0.45,
        noshow=0.25,
        provider_kinds=("maatschappelijk",),
    ),
    Instrument(
        "AMA",
        "Arbeidsmedisch advies",
        "arbeidsmedisch_advies",
        "reintegratiebudget",
        850,
        (1, 2),
        during=1.0,
        after=1.1,
        after_months=12,
        success=0.8,
        dropout=0.03,
        noshow=0.12,
        provider_kinds=("reintegratiebedrijf",),
    ),
    Instrument(
        "SCHOLING",
        "Scholing (traject richting startkwalificatie of vak)",
        "scholing",
        "reintegratiebudget",
        3600,
        (8, 12),
        during=0.25,
        spike=1.3,
        spike_months=2,
        after=3.8,
        after_months=30,
        later=1.6,
        success=0.55,
        dropout=0.2,
        ladder_bonus=0.25,
        noshow=0.15,
        provider_kinds=("onderwijs",),
    ),
    Instrument(
        "MAATWERK",
        "Individueel maatwerktraject",
        "maatwerktraject",
        "reintegratiebudget",
        4200,
        (4, 9),
        during=1.0,
        after=1.35,
        after_months=12,
        success=0.5,
        ladder_bonus=0.3,
        noshow=0.1,
        provider_kinds=("reintegratiebedrijf",),
    ),
    Instrument(
        "PROEFPL",
        "Proefplaatsing",
        "proefplaatsing",
        "reintegratiebudget",
        900,
        (2, 4),
        during=0.9,
        spike=4.5,
        spike_months=2,
        after=1.25,
        after_months=12,
        success=0.6,
        dropout=0.1,
        noshow=0.06,
        places=2,
        provider_kinds=("wsp",),
    ),
    Instrument(
        "SOLL",
        "Sollicitatietraining",
        "sollicitatietraining",
        "reintegratiebudget",
        950,
        (1, 3),
        during=2.0,
        after=1.3,
        after_months=4,
        success=0.65,
        dropout=0.12,
        noshow=0.25,
        provider_kinds=("reintegratiebedrijf",),
    ),
    Instrument(
        "SOCACT",
        "Sociale activering",
        "sociale_activering",
        "reintegratiebudget",
        1800,
        (6, 12),
        during=0.95,
        after=1.05,
        after_months=12,
        success=0.55,
        ladder_bonus=0.45,
        noshow=0.3,
        provider_kinds=("maatschappelijk", "gemeente"),
    ),
)
INSTRUMENT_INDEX = {ins.code: i for i, ins in enumerate(INSTRUMENTS)}

# Log-effect scale by client group at the start, in CLIENT_GROUPS order
# (direct_werk, werken_en_ervaren, leren_en_ontwikkelen, zorg, werkvoorzienend, geplaatst, onbekend).
GROUP_POWER = (0.6, 1.0, 1.25, 0.8, 1.0, 0.8, 1.0)

# Referral propensities per eligible client-month: base rate per instrument times a factor
# by client group (same order as above) and trait factors in policy.py.
REFERRAL_BASE = {
    "LKS": 0.0062,
    "LKS-RIB": 0.0012,
    "JOBCOACH": 0.0022,
    "WEP": 0.0036,
    "WERKSTAGE": 0.0022,
    "TAALSTAGE": 0.014,
    "VRIJWILLIG": 0.0028,
    "AMA": 0.0018,
    "SCHOLING": 0.006,
    "MAATWERK": 0.0022,
    "PROEFPL": 0.0042,
    "SOLL": 0.009,
    "SOCACT": 0.0042,
}
REFERRAL_GROUP = {
    "LKS": (2.5, 2.5, 0.0, 0.0, 1.0, 0.6, 0.0),
    "LKS-RIB": (3.0, 2.0, 0.25, 0.0, 0.0, 0.3, 0.0),
    "JOBCOACH": (1.0, 1.2, 0.4, 0.0, 1.5, 2.5, 0.0),
    "WEP": (0.3, 2.0, 1.3, 0.1, 0.6, 0.2, 0.0),
    "WERKSTAGE": (0.8, 2.0, 1.0, 0.0, 0.4, 0.1, 0.0),
    "TAALSTAGE": (1.0, 1.0, 1.0, 0.3, 0.6, 0.8, 0.0),
    "VRIJWILLIG": (0.1, 0.3, 1.0, 1.8, 0.8, 0.1, 0.0),
    "AMA": (0.2, 0.5, 1.0, 3.0, 1.5, 0.2, 0.0),
    "SCHOLING": (0.5, 1.6, 1.2, 0.0, 0.3, 0.6, 0.0),
    "MAATWERK": (0.5, 1.2, 1.3, 0.5, 0.5, 0.3, 0.0),
    "PROEFPL": (3.5, 2.5, 0.35, 0.0, 0.4, 0.0, 0.0),
    "SOLL": (3.5, 2.0, 0.45, 0.0, 0.1, 0.4, 0.0),
    "SOCACT": (0.0, 0.1, 0.9, 3.0, 0.9, 0.0, 0.0),
}
MAX_REFERRAL = 0.25

# Contacts per month on benefit by client group (Steenwijkerland's service levels:
# intensive for direct werk, at least yearly for zorg and werkvoorzienend).
CONTACT_RATE = (0.9, 0.55, 0.22, 0.09, 0.09, 0.18, 1.0)
# Contacts per month for the regulations outside the simulation (IOAW, IOAZ: a few talks a
# year about participation; Bbz: the bedrijfsadviseur about once a year).
EXTRA_CONTACT_RATE = (0.25, 0.2, 0.08)
CONTACT_KINDS = ("gesprek", "huisbezoek", "telefonisch", "digitaal", "groep")
CONTACT_KIND_SHARES = (0.45, 0.08, 0.27, 0.15, 0.05)

# Enforcement per month on benefit: (kind, rate, typical percentage, months, reasons).
MEASURES = (
    (
        "waarschuwing",
        0.0032,
        "",
        "",
        (
            "Te laat verschenen op afspraak",
            "Geen sollicitaties ingeleverd",
            "Inlichtingenplicht: wijziging te laat doorgegeven",
        ),
    ),
    (
        "maatregel",
        0.0022,
        "100",
        "1",
        (
            "Niet verschenen op afspraak zonder bericht",
            "Onvoldoende meegewerkt aan re-integratietraject",
            "Passende arbeid geweigerd",
        ),
    ),
    (
        "boete",
        0.0009,
        "",
        "",
        ("Inkomsten niet gemeld", "Woonsituatie niet gemeld", "Vermogen niet opgegeven"),
    ),
    (
        "tegenprestatie",
        0.0012,
        "",
        "6",
        ("Vrijwilligerswerk in de buurt", "Ondersteuning bij voedselbank", "Hulp in wijkcentrum"),
    ),
)

# Simulation frame.
BURN_IN_YEARS = 25
MAX_HORIZON = 24
HORIZONS = (12, 24)
