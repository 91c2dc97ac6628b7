"""Municipal policy presets: the values each municipality ships (data only; the rules that
apply them are in `rules.py`).

Three presets come from the seeds; the beheerder edits them (stored in PolicyPreset.config).
Every preset carries every setting, so Trede works whichever one is active; each preset
puts its own municipality's emphasis first.

- Leidschendam-Voorburg (seed 001 §2.2, Tabel 2): categories by whole months to work
  (1A 0-3, 1B 4-12, 1C 13-24, 2A 25-48, 2B 25-48 for beschut werk and the banenafspraak,
  3A/3B 49 and more); routes: directe bemiddeling at 0 months, re-integratie at 1-24
  months and for 2B, at most two years, participatie above 24 months.
- Steenwijkerland (seed 002 §3-4): six client groups, each with a service level. The seed
  only says "intensief" for the groups nearest to work and "minimaal één keer per jaar"
  for the others; the contact intervals below are our editable defaults (casework/policy/SERVICE_LEVELS.md).
- Hof van Twente (seed 004 §1, §4): the participatieladder, an approach per step, and a
  plan van aanpak for everyone; its uitstroompremie and werkpremie (§4.8) are every
  preset's premium schemes (`premiums`), the only ones the seeds describe.
"""

from __future__ import annotations

import copy

CATEGORY_BANDS_LV = [
    {"code": "1A", "min": 0, "max": 3},
    {"code": "1B", "min": 4, "max": 12},
    {"code": "1C", "min": 13, "max": 24},
    {"code": "2A", "min": 25, "max": 48},
    {"code": "3A", "min": 49, "max": 120},
]

_COMMON = {
    "categories": CATEGORY_BANDS_LV,
    # 25-48 months with an indication for beschut werk or the banenafspraak: 2B.
    "category_2b": {"min": 25, "max": 48},
    # 49+ months: 3B (dienstverlening op maat) when the ladder step is at most this, else 3A.
    "category_3b_max_ladder_step": 2,
    "routes": {"directe_bemiddeling_max_months": 0, "re_integratie_max_months": 24},
    # Client groups (seed 002 §3-4): direct werk up to 6 months to work, werken en ervaren up
    # to 24; beyond that a ladder step at most zorg_max_ladder_step means zorg.
    "client_groups": {
        "direct_werk_max_months": 6,
        "werken_en_ervaren_max_months": 24,
        "zorg_max_ladder_step": 2,
    },
    # The diagnosis tool's target step: paid work (step 6) up to work_max_months, at least
    # step 5 up to step_5_max_months, one step up to one_step_max_months; farther, one step
    # up below hold_from_step and hold the current step from it.
    "ladder_target": {
        "work_max_months": 6,
        "step_5_max_months": 24,
        "one_step_max_months": 48,
        "hold_from_step": 4,
    },
    "route_limit_months": {"re_integratie": 24},
    "contact_basis": "client_group",
    "contact_interval_days": {
        "client_group": {
            "direct_werk": 14,
            "werken_en_ervaren": 28,
            "leren_en_ontwikkelen": 91,
            "zorg": 182,
            "werkvoorzienend": 365,
            "geplaatst": 182,
        },
        "ladder_step": {"1": 91, "2": 91, "3": 42, "4": 42, "5": 14, "6": 28},
        "route": {"directe_bemiddeling": 14, "re_integratie": 42, "participatie": 182},
    },
    "rechtmatigheid_months": {
        "direct_werk": 12,
        "werken_en_ervaren": 12,
        "leren_en_ontwikkelen": 12,
        "zorg": 24,
        "werkvoorzienend": 24,
        "geplaatst": 24,
    },
    # A rechtmatigheidsonderzoek joins the inkomen worklist this many days before it is due
    # (six weeks: time to invite the client and have the documents sent; our editable
    # default, the seeds name only the yearly or two-yearly interval).
    "rechtmatigheid_due_soon_days": 42,
    "plan_required": "under_27",
    # Under this age a plan van aanpak is required (Participatiewet: 27).
    "plan_required_under_age": 27,
    "plan_sign_days": 14,
    "caseload": {"min": 70, "max": 90},
    "stale_diagnosis_months": 12,
    "no_show_days": 28,
    # A contact moment the client did not show up for stays on the worklist this many days.
    "no_show_contact_days": 30,
    # "Huidige klanten": a client whose benefit ended at most this many days ago (nazorg;
    # sustained outflow is checked up to 12 months after it).
    "nazorg_days": 365,
    # Referrals to providers (instruments.referrals): a progress report is due every
    # report_interval_weeks after the start and signalled to the contract manager
    # report_grace_days after its due date; a started trajectory whose planned end passed
    # result_report_days ago without an end report breaks the meldingsplicht.
    "referrals": {"report_interval_weeks": 8, "report_grace_days": 14, "result_report_days": 30},
    # ---- budget and ceilings (finance: trede.finance.ceilings, trede.finance.buig)
    # Ceilings of contracts (volume, money) and budget lines: a warning from warn_pct of the
    # ceiling, a block from block_pct that only a contract manager may pass, with a reason
    # (issue 9 point 4: "a warning at 90 % and a block ... at 100 %").
    "ceilings": {"warn_pct": 90, "block_pct": 100},
    # The BUIG vangnet. The seeds name the deficit but no percentages (seed 003: "moet zelf
    # geld bijpassen"); these are the national rule for the vangnetuitkering from 2019 on:
    # the municipality bears a deficit up to 7,5 % of its BUIG budget itself, half of the
    # deficit between 7,5 % and 12,5 % is compensated, all of it above 12,5 %.
    "buig_vangnet": {
        "own_risk_pct": 7.5,
        "band_to_pct": 12.5,
        "band_share": 0.5,
        "source": "Besluit Participatiewet, hoofdstuk 3 (vangnetuitkering), regeling vanaf 2019: "
        "eigen risico 7,5 % van het BUIG-budget; van het tekort tussen 7,5 % en 12,5 % wordt de helft "
        "vergoed, daarboven alles",
    },
    "ladder_approach": {
        "1": "Zorg en welzijn eerst: contact via de wijkteams, doel is contact buiten de deur.",
        "2": "Sociale activering en vrijwilligerswerk in de buurt.",
        "3": "Georganiseerde activiteiten, dagbesteding of participatieplaats.",
        "4": "Onbetaald werk met perspectief: werkervaringsplaats, leerwerkplek.",
        "5": "Betaald werk met ondersteuning: loonkostensubsidie, jobcoach, proefplaatsing.",
        "6": "Betaald werk: bemiddeling naar regulier werk en nazorg.",
    },
}

# Premiums as rules (trede/finance/premiums/rules.py). Source: Hof van Twente, seed 004
# §4.8: an uitstroompremie of €750 for sustained outflow to work (longer than 6 months) of
# someone who had a benefit (PW, IOAW, IOAZ) for more than a year, paid in two parts,
# after 3 and after 6 months; booked on the re-integration budget's line `uitstroompremie`
# (seed 004 §6). The seed names no start date: `outflow_from` is our editable default,
# the first year of the budget table in seed 004 §6 (outflow before it earns nothing).
#
# The werkpremie, same seed §4.8 (decision 73): "cliënten op het moment dat zij
# vrijwilligerswerk verrichten of deelnemen aan een re-integratietraject een werkpremie
# toekennen, die per kalenderjaar wordt vastgesteld", and the proposal to pay it monthly.
# A calendar month counts when on at least one of its days a trajectory of one of
# `instrument_types` runs while the client has a benefit (rules.participation_months); it
# is earned on the first of the next month, booked on the line `werkpremies` (seed 004 §6)
# of the re-integration budget. The seed names no amount: `monthly_amount_eur` €50 is OUR
# EDITABLE DEFAULT (the beheerder sets the year's amount on the preset page; €600 a year,
# well under the Participatiewet's yearly limit for a premium that does not count as
# income, art. 31 lid 2 onder j). `instrument_types` (our reading of "vrijwilligerswerk of
# een re-integratietraject": the participation instruments, not paid work with
# loonkostensubsidie, jobcoaching at work or a medical assessment) and `months_from` (the
# first year of the plan, 2018-2021, as `outflow_from`) are editable defaults too.
WERKPREMIE_TYPES = [
    "vrijwilligerswerk",
    "sociale_activering",
    "werkervaringsplaats",
    "werkstage",
    "taalstage",
    "scholing",
    "maatwerktraject",
    "sollicitatietraining",
    "proefplaatsing",
]
WERKPREMIE_HVT = {
    "code": "werkpremie",
    "name": "Werkpremie",
    "trigger": "deelname_traject",
    "regulations": ["pw", "ioaw", "ioaz"],
    "instrument_types": WERKPREMIE_TYPES,
    "monthly_amount_eur": 50,
    "months_from": "2018-01-01",
    "funding": "reintegratiebudget",
    "line": "werkpremies",
}
PREMIUMS_HVT = {
    "source": "Hof van Twente, beleidsplan participatie (seed 004 §4.8)",
    "outflow_from": "2018-01-01",
    "schemes": [
        {
            "code": "uitstroompremie",
            "name": "Uitstroompremie",
            "trigger": "uitstroom_werk",
            "min_benefit_months": 12,
            "regulations": ["pw", "ioaw", "ioaz"],
            "parts": [{"after_months": 3, "amount_eur": 375}, {"after_months": 6, "amount_eur": 375}],
            "total_eur": 750,
            "funding": "reintegratiebudget",
            "line": "uitstroompremie",
        },
        WERKPREMIE_HVT,
    ],
}
_COMMON["premiums"] = PREMIUMS_HVT

# ---- matching (trede.employers.matching, decisions 68-70): the weights of the fit score
# (they need not sum to 1: the score divides by the weights of the parts that are known),
# the credit for a near occupation in the ISCO-08 hierarchy, the travel limit when the
# client's own is unknown (a client's own limit is a hard constraint when travel_hard), and
# the Dutch level a vacancy asks by ISCO major group (the interchange carries none per vacancy).
_COMMON["matching"] = {
    "weights": {"occupation": 0.35, "skills": 0.30, "hours": 0.15, "distance": 0.15, "language": 0.05},
    "occupation_credit": {"unit": 1.0, "minor": 0.6, "sub_major": 0.35, "major": 0.1},
    "default_max_travel_km": 25,
    "travel_hard": True,
    "language_by_major_group": {
        "0": "b1",
        "1": "b2",
        "2": "b2",
        "3": "b1",
        "4": "b1",
        "5": "a2",
        "6": "a2",
        "7": "a2",
        "8": "a2",
        "9": "a1",
    },
}

# ---- stock forecast (trede.monitor.forecast, decisions 60-62): the duration bands of the
# exit hazards in months (a band runs from its edge to the next; the last holds everything
# longer), the windows the rates are estimated over, the interval, the simulation, the
# yearly size of the random walk when the history is too short to measure it, and the
# backtest (its horizon is min(months, max_horizon_months); origins are month ends
# step_months apart, each with min_history_months of complete data before it). Data count
# as complete from the first `months`-month sum of exits that reaches `share` of the median
# of those sums over the last `window_months` (an export thins out into the past).
_COMMON["forecast"] = {
    "duration_band_edges_months": [0, 1, 2, 3, 6, 9, 12, 18, 24, 36, 48, 60],
    "hazard_window_months": 36,
    "inflow_window_months": 36,
    "interval": 0.8,
    "simulations": 2000,
    "seed": 20201,
    "default_yearly_sigma": 0.1,
    "volatility_years": 5,
    "max_months": 120,
    "completeness": {"months": 3, "window_months": 36, "share": 0.5},
    "backtest": {"max_horizon_months": 12, "origins": 8, "step_months": 3, "min_history_months": 24},
}

# ---- monitor targets (trede.monitor.dashboard, decision 76): the yearly goals the
# dashboard draws the figures against. Outflow to work per year: Eindhoven aims at 800 a
# year (issue 11); the net stock reduction per year: Leidschendam-Voorburg aims at 30-50
# (the lower end here). Municipal policy, so edited per preset; 0 = no target shown.
_COMMON["targets"] = {
    "outflow_to_work_per_year": 800,
    "net_stock_reduction_per_year": 30,
    # Hof van Twente: 60 % of the clients with development potential climb at least one
    # step of the participatieladder a year (issue 11; seed 004). Development potential:
    # a client group below that can still move towards work, on a step below 6.
    "ladder_progression_share": 0.6,
    "ladder_progression_groups": ["direct_werk", "werken_en_ervaren", "leren_en_ontwikkelen"],
}

# ---- research export (`trede export research`, decisions 81-83): k is the smallest group
# a published postcode4 area (and the k-anonymity report) must reach; the quasi-identifiers
# the report checks in every combination; the ladder of birth-year bands tried in turn
# (then without postcode4) until at most max_share_below_k of the records sit in a class
# smaller than k over all quasi-identifiers together; the landmark design of the effects
# table (treated: a trajectory started within window months of the spell's start; outcome:
# outflow to work within horizon months of that landmark).
_COMMON["research_export"] = {
    "k": 10,
    "quasi_identifiers": ["birth_year", "gender", "household", "postcode4", "regulation"],
    "birth_band_years": [1, 5, 10],
    "max_share_below_k": 0.05,
    "effects": {"regulations": ["pw"], "treatment_window_months": 6, "outcome_horizon_months": 12},
}

# ---- peers (trede.monitor.peers, decision 79): the municipality's own inhabitants, the
# denominator of its benefits per 1,000 inhabitants beside other municipalities (one figure
# for every year; about the shipped municipalities' size), and how many complete years the
# comparison shows by default when no reference file covers them.
_COMMON["peers"] = {"population": 78_000, "years": 10}

# ---- chain attribution (trede.monitor.chain, decision 80): an outflow to work is credited
# to the provider of a trajectory running on its day or ended at most this many months
# before it; else to the municipality itself.
_COMMON["chain"] = {"window_months": 3}

# ---- sustained outflow and the draaideur (trede.monitor.duurzaam, decision 120): the
# months after an outflow to work (or a placement's start) at which the monitor asks
# whether it held (issue 11: 1, 6 and 12 months), and how recent a previous spell must
# have ended for a new one to count as herinstroom (draaideur): a year, the horizon the
# seeds use for "terugval" after seasonal work (seed 001 par. 3.1).
_COMMON["duurzaamheid"] = {"horizons_months": [1, 6, 12], "draaideur_months": 12}

# ---- placements and nazorg (trede.employers.placements, decisions 174-176): the months
# after a placement's start at which the consultant has an aftercare contact (issue 10:
# 1, 3, 6 and 12), how long the last one stays asked for; a proefplaatsing lasts at most
# `proefplaatsing_max_months` (OUR EDITABLE DEFAULT: two months, the usual length in the
# municipalities' verordeningen; the seeds name none) and must be followed, at the same
# employer within `proefplaatsing_follow_days`, by a contract of at least
# `proefplaatsing_contract_min_months` (seed 000 ch. 3: "eindigt in een contract van
# minimaal zes maanden").
_COMMON["plaatsingen"] = {
    "nazorg_months": [1, 3, 6, 12],
    "nazorg_last_open_months": 3,
    "proefplaatsing_max_months": 2,
    "proefplaatsing_contract_min_months": 6,
    "proefplaatsing_follow_days": 14,
}

# ---- handhaving (trede.benefits.handhaving, decisions 84-87): the municipality's
# maatregelenverordening and boete rules as policy. A maatregel (art. 18 lid 2 Pw) is a
# percentage of the norm for a number of months per category of gedraging, one step per
# earlier maatregel of that category within `recidive_months` (recidive); verminderde
# verwijtbaarheid multiplies it by `verminderd_pct`; `max_percentage` and `max_months`
# cap every outcome. The shipped steps follow the structure of the VNG model verordening
# (three categories, heavier on recidive) and are OUR EDITABLE DEFAULTS: the seeds name no
# percentages. A boete (art. 18a Pw, schending van de inlichtingenplicht) is a share of the
# benadelingsbedrag by the degree of blame (the Boetebesluit's 100/75/50/25 %); a
# waarschuwing instead of a boete when the benadelingsbedrag is at most
# `waarschuwing_max_benadeling_eur` and no waarschuwing or boete was given in the
# `waarschuwing_lookback_months` before. Four eyes per kind of decision; the bezwaar term
# (Awb art. 6:7) six weeks; the legal ground each decision states.
_COMMON["handhaving"] = {
    "source": "Maatregelenverordening Participatiewet (naar het VNG-model); standaardwaarden van Trede",
    "categories": [
        {
            "code": "1",
            "name": "Niet verschijnen op een afspraak of niet meewerken aan een onderzoek",
            "steps": [
                {"percentage": 20, "months": 1},
                {"percentage": 50, "months": 1},
                {"percentage": 100, "months": 1},
            ],
        },
        {
            "code": "2",
            "name": "Onvoldoende meewerken aan re-integratie of een aanbod weigeren",
            "steps": [
                {"percentage": 50, "months": 1},
                {"percentage": 100, "months": 1},
                {"percentage": 100, "months": 2},
            ],
        },
        {
            "code": "3",
            "name": "Algemeen geaccepteerde arbeid niet aanvaarden of behouden",
            "steps": [
                {"percentage": 100, "months": 1},
                {"percentage": 100, "months": 2},
                {"percentage": 100, "months": 3},
            ],
        },
    ],
    "recidive_months": 12,
    "verminderd_pct": 50,
    "max_percentage": 100,
    "max_months": 3,
    "boete": {
        "pct_by_verwijtbaarheid": {"opzet": 100, "grove_schuld": 75, "verwijtbaar": 50, "verminderd": 25},
        "waarschuwing_max_benadeling_eur": 150,
        "waarschuwing_lookback_months": 24,
    },
    "tegenprestatie_max_months": 12,
    "tegenprestatie_max_hours_per_week": 8,
    "four_eyes": {"waarschuwing": False, "boete": True, "maatregel": True, "tegenprestatie": False},
    "bezwaar_weeks": 6,
    "legal_grounds": {
        "maatregel": "art. 18 lid 2 Participatiewet jo. de Maatregelenverordening Participatiewet",
        "boete": "art. 18a lid 1 Participatiewet (schending van de inlichtingenplicht, art. 17 lid 1)",
        "waarschuwing_inlichtingen": (
            "art. 18a Participatiewet jo. art. 2a Boetebesluit socialezekerheidswetten "
            "(schriftelijke waarschuwing in plaats van een boete)"
        ),
        "waarschuwing_arbeid": "art. 18 lid 2 Participatiewet jo. de Maatregelenverordening (schriftelijke waarschuwing)",
        "tegenprestatie": "art. 9 lid 1 onder c Participatiewet (tegenprestatie naar vermogen)",
    },
}

PRESETS: dict[str, dict] = {
    "leidschendam_voorburg": {
        "name": "Leidschendam-Voorburg",
        "description": "Categorieën 1A-3B op afstand tot werk in maanden; routes directe bemiddeling, "
        "re-integratie (maximaal twee jaar) en participatie.",
        "config": {**copy.deepcopy(_COMMON), "contact_basis": "route"},
    },
    "steenwijkerland": {
        "name": "Steenwijkerland",
        "description": "Zes klantgroepen, elk met een eigen dienstverleningsniveau (contactfrequentie en "
        "rechtmatigheidsonderzoek jaarlijks of tweejaarlijks).",
        "config": {
            **copy.deepcopy(_COMMON),
            "contact_basis": "client_group",
            "peers": {**_COMMON["peers"], "population": 45_000},
        },
    },
    "hof_van_twente": {
        "name": "Hof van Twente",
        "description": "De participatieladder: een aanpak per trede en een plan van aanpak voor iedereen.",
        "config": {
            **copy.deepcopy(_COMMON),
            "contact_basis": "ladder_step",
            "plan_required": "everyone",
            "peers": {**_COMMON["peers"], "population": 35_000},
        },
    },
}

DEFAULT_PRESET = "leidschendam_voorburg"
