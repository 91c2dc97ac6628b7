"""The form of a policy preset: every setting the beheerder can edit."""

from __future__ import annotations

import copy

from django import forms

from trede.utils.concurrency import EditTokenField

from ..classification import CLIENT_GROUP_LABELS
from ..constants import LADDER_STEPS, ClientGroup, Route

BASIS_CHOICES = [
    ("client_group", "per klantgroep (Steenwijkerland)"),
    ("ladder_step", "per trede van de participatieladder (Hof van Twente)"),
    ("route", "per route (Leidschendam-Voorburg)"),
]

PLAN_CHOICES = [
    ("under_27", "verplicht voor jongeren (onder de leeftijd hieronder)"),
    ("everyone", "voor iedereen"),
]
RECHTMATIGHEID_CHOICES = [(12, "jaarlijks"), (24, "tweejaarlijks")]
LADDER_KEYS = [str(step) for step in range(1, 7)]
HH_BOETE_LEVELS = [
    ("opzet", "opzet"),
    ("grove_schuld", "grove schuld"),
    ("verwijtbaar", "verwijtbaarheid"),
    ("verminderd", "verminderde verwijtbaarheid"),
]
HH_KINDS = [
    ("waarschuwing", "waarschuwing"),
    ("boete", "boete"),
    ("maatregel", "maatregel"),
    ("tegenprestatie", "tegenprestatie"),
]
HH_GROUNDS = [
    ("maatregel", "maatregel"),
    ("boete", "boete"),
    ("waarschuwing_inlichtingen", "waarschuwing (inlichtingenplicht)"),
    ("waarschuwing_arbeid", "waarschuwing (arbeidsverplichting)"),
    ("tegenprestatie", "tegenprestatie"),
]


def _months(label, **kwargs):
    return forms.IntegerField(label=label, min_value=0, max_value=240, **kwargs)


class PercentField(forms.DecimalField):
    """A percentage as a Dutch beheerder writes it: `7,5`, `7.5` or `7,5 %`."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 6)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "size": 6}))
        kwargs.setdefault(
            "error_messages",
            {
                "required": "Vul een percentage in.",
                "invalid": "Vul een percentage in als getal, zoals 90 of 7,5.",
                "max_digits": "Vul een percentage in met hoogstens vier cijfers voor de komma.",
                "max_decimal_places": "Gebruik hoogstens twee cijfers na de komma.",
                "max_whole_digits": "Vul een percentage in met hoogstens vier cijfers voor de komma.",
            },
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace("%", "").replace(" ", "").replace("\u00a0", "").replace(",", ".").strip()
        return super().to_python(value)


def _json_number(value):
    """A form's Decimal as the preset's JSON keeps it: a whole number as int, else float."""
    return int(value) if value == value.to_integral_value() else float(value)


def _shown_percent(value) -> str | None:
    """A stored percentage on the form, the Dutch way (7,5)."""
    if value is None:
        return None
    text = f"{value:g}" if isinstance(value, float) else str(value)
    return text.replace(".", ",")


def _instrument_type_choices():
    from trede.instruments.constants import InstrumentType

    return [(t.value, str(t.label)) for t in InstrumentType]


class PresetForm(forms.Form):
    """The settings of a preset as a structured form; `config()` builds the JSON back.

    Field names follow the config: `band_<code>_min`, `interval_<basis>_<key>` ...
    Settings the form does not show are kept as they were.
    """

    category_2b_min = _months("2B vanaf (maanden)")
    category_2b_max = _months("2B tot en met (maanden)")
    category_3b_max_ladder_step = forms.TypedChoiceField(
        label="3B (dienstverlening op maat) bij trede",
        coerce=int,
        choices=[(s, f"{s} of lager") for s in range(1, 7)],
        help_text="Boven de laatste grens: 3B als de trede zo laag of lager is, anders 3A.",
    )
    directe_bemiddeling_max_months = _months("Directe bemiddeling tot en met (maanden)")
    re_integratie_max_months = _months("Re-integratie tot en met (maanden)")
    re_integratie_limit_months = forms.IntegerField(
        label="Maximale duur re-integratie (maanden)", min_value=1, max_value=120
    )
    direct_werk_max_months = _months("Direct werk tot en met (maanden)")
    werken_en_ervaren_max_months = _months("Werken en ervaren tot en met (maanden)")
    zorg_max_ladder_step = forms.TypedChoiceField(
        label="Daarboven zorg bij trede",
        coerce=int,
        choices=[(s, f"{s} of lager") for s in range(1, 7)],
        help_text="Anders leren en ontwikkelen; met een indicatie doelgroepregister werkvoorzienend.",
    )
    target_work_max_months = _months("Doel betaald werk (trede 6) tot en met (maanden)")
    target_step_5_max_months = _months("Doel minstens trede 5 tot en met (maanden)")
    target_one_step_max_months = _months("Doel één trede hoger tot en met (maanden)")
    target_hold_from_step = forms.TypedChoiceField(
        label="Daarboven de huidige trede vasthouden vanaf",
        coerce=int,
        choices=[(s, f"trede {s}") for s in range(1, 7)],
        help_text="Lager dan deze trede: doel is één trede hoger.",
    )
    contact_basis = forms.ChoiceField(
        label="Contactfrequentie geldt", choices=BASIS_CHOICES, widget=forms.RadioSelect
    )
    plan_required = forms.ChoiceField(label="Plan van aanpak", choices=PLAN_CHOICES, widget=forms.RadioSelect)
    plan_required_under_age = forms.IntegerField(
        label="Verplicht onder de leeftijd (jaren)",
        min_value=16,
        max_value=67,
        help_text="De Participatiewet: 27.",
    )
    plan_sign_days = forms.IntegerField(
        label="Ondertekenen binnen (dagen)",
        min_value=1,
        max_value=90,
        help_text="Daarna staat het plan op de werklijst.",
    )
    caseload_min = forms.IntegerField(label="Caseload minimaal", min_value=1, max_value=500)
    caseload_max = forms.IntegerField(label="Caseload maximaal", min_value=1, max_value=500)
    stale_diagnosis_months = forms.IntegerField(
        label="Diagnose verouderd na (maanden)", min_value=1, max_value=60
    )
    no_show_days = forms.IntegerField(
        label="Niet gestart na verwijzing (dagen)",
        min_value=1,
        max_value=180,
        help_text="Een verwezen klant die na zoveel dagen niet is gestart, staat op de werklijst.",
    )

    no_show_contact_days = forms.IntegerField(
        label="Niet verschenen blijft op de werklijst (dagen)",
        min_value=1,
        max_value=180,
        help_text="Een afspraak waarvoor de klant niet verscheen, zoveel dagen lang.",
    )
    nazorg_days = forms.IntegerField(
        label="Nazorg na einde uitkering (dagen)",
        min_value=1,
        max_value=1095,
        help_text="Zo lang na het einde van de uitkering hoort een klant bij de huidige klanten.",
    )

    # Referrals to providers (instruments.referrals).
    referral_report_weeks = forms.IntegerField(
        label="Voortgangsrapportage van de aanbieder elke (weken)",
        min_value=1,
        max_value=52,
        help_text="Gerekend vanaf de start van het traject.",
    )
    referral_report_grace_days = forms.IntegerField(
        label="Rapportage te laat na (dagen)",
        min_value=0,
        max_value=90,
        help_text="Daarna ziet de contractmanager een signaal.",
    )
    referral_result_days = forms.IntegerField(
        label="Resultaat melden binnen (dagen na het geplande einde)",
        min_value=1,
        max_value=180,
        help_text="Meldingsplicht: daarna ziet de contractmanager een signaal.",
    )

    # Ceilings of contracts and budget lines (trede.finance.ceilings) and the BUIG vangnet
    # (trede.finance.buig), decision 74. The range checks with their Dutch messages are in
    # services.config_problems, so the JSON and the form are refused alike.
    ceiling_warn_pct = PercentField(
        label="Waarschuwing vanaf (% van het plafond)",
        help_text="De contractmanager ziet een signaal zodra het gebruik dit deel van een plafond of begrotingspost bereikt.",
    )
    ceiling_block_pct = PercentField(
        label="Blokkade boven (% van het plafond)",
        help_text="Daarboven wordt een goedkeuring geweigerd, tenzij de contractmanager met een reden ruimte geeft.",
    )
    vangnet_own_risk_pct = PercentField(
        label="BUIG: eigen risico tot (% van het BUIG-budget)",
        help_text="Een tekort tot dit deel van het budget draagt de gemeente zelf.",
    )
    vangnet_band_to_pct = PercentField(
        label="BUIG: gedeeltelijke vergoeding tot (% van het BUIG-budget)",
        help_text="Van het tekort tussen het eigen risico en deze grens wordt een deel vergoed; daarboven alles.",
    )
    vangnet_band_share_pct = PercentField(
        label="BUIG: vergoed deel van het tekort in die band (%)",
        help_text="De regeling vanaf 2019: 50.",
    )
    vangnet_source = forms.CharField(
        label="BUIG: bron van de vangnetregeling",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Het besluit waar deze percentages uit komen; pas het aan als de regeling wijzigt.",
    )

    peers_population = forms.IntegerField(
        label="Aantal inwoners van de gemeente",
        min_value=1,
        max_value=20_000_000,
        help_text="Voor de uitkeringen per 1.000 inwoners in de vergelijking met andere gemeenten.",
    )
    peers_years = forms.IntegerField(
        label="Vergelijking: aantal jaren terug",
        min_value=1,
        max_value=30,
        help_text="Zoveel afgesloten jaren toont de vergelijking met andere gemeenten standaard.",
    )

    edit_token = EditTokenField()

    def __init__(self, *args, preset, edit_token: str = "", **kwargs):
        self.preset = preset
        config = preset.config
        self.band_codes = [band["code"] for band in config.get("categories", [])]
        self.premium_schemes = list((config.get("premiums") or {}).get("schemes") or [])
        self.handhaving = copy.deepcopy(_handhaving_settings(config))
        initial = self._initial(config)
        initial["edit_token"] = edit_token
        super().__init__(*args, initial=initial, **kwargs)
        for code in self.band_codes:
            self.fields[f"band_{code}_min"] = _months(f"{code} vanaf (maanden)")
            self.fields[f"band_{code}_max"] = _months(f"{code} tot en met (maanden)")
        for key, label in self.interval_rows():
            self.fields[key] = forms.IntegerField(label=label, min_value=1, max_value=730)
        for group in ClientGroup.values:
            self.fields[f"rechtmatigheid_{group}"] = forms.TypedChoiceField(
                label=f"Rechtmatigheidsonderzoek {CLIENT_GROUP_LABELS[group].lower()}",
                coerce=int,
                choices=RECHTMATIGHEID_CHOICES,
            )
        # Premiums (seed 004 §4.8): per scheme the benefit duration and each part's months
        # and amount; the total is the sum of the parts, so they cannot disagree.
        self.fields["premium_outflow_from"] = forms.DateField(
            label="Premies: uitstroom telt vanaf",
            help_text="Wie eerder uitstroomde, krijgt geen premie (datum als 2018-01-01 of 01-01-2018).",
            input_formats=["%Y-%m-%d", "%d-%m-%Y"],
        )
        for scheme in self.premium_schemes:
            code = scheme["code"]
            if scheme.get("trigger") == "deelname_traject":
                self._monthly_scheme_fields(scheme)
                continue
            self.fields[f"premium_{code}_min_benefit_months"] = forms.IntegerField(
                label=f"{scheme['name']}: uitkering langer dan (maanden)", min_value=0, max_value=240
            )
            for n, _part in enumerate(scheme.get("parts") or [], start=1):
                self.fields[f"premium_{code}_part_{n}_months"] = forms.IntegerField(
                    label=f"{scheme['name']}: deel {n} na (maanden duurzame uitstroom)",
                    min_value=1,
                    max_value=60,
                )
                self.fields[f"premium_{code}_part_{n}_amount"] = forms.IntegerField(
                    label=f"{scheme['name']}: deel {n} bedrag (euro)", min_value=0, max_value=100_000
                )
        self._handhaving_fields(self.handhaving)
        for step in LADDER_KEYS:
            self.fields[f"approach_{step}"] = forms.CharField(
                label=f"Aanpak trede {step} ({LADDER_STEPS[int(step)]})",
                max_length=400,
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def _handhaving_fields(self, section: dict) -> None:
        """The maatregelenverordening and the boete rules (trede.benefits.handhaving,
        decisions 84-86); the checks with their Dutch messages are in its rules.config_problems."""
        for cat in section.get("categories") or []:
            code = cat["code"]
            for n, _step in enumerate(cat.get("steps") or [], start=1):
                self.fields[f"hh_cat_{code}_{n}_pct"] = PercentField(
                    label=f"Categorie {code}, {n}e keer: percentage van de norm"
                )
                self.fields[f"hh_cat_{code}_{n}_months"] = forms.IntegerField(
                    label=f"Categorie {code}, {n}e keer: maanden", min_value=1, max_value=12
                )
        self.fields["hh_recidive_months"] = forms.IntegerField(
            label="Herhaling telt binnen (maanden)",
            min_value=1,
            max_value=60,
            help_text="Een eerdere maatregel in dezelfde categorie binnen deze termijn maakt de volgende zwaarder.",
        )
        self.fields["hh_verminderd_pct"] = PercentField(
            label="Bij verminderde verwijtbaarheid blijft (% van de maatregel)"
        )
        self.fields["hh_max_percentage"] = PercentField(label="Hoogste percentage van een maatregel")
        self.fields["hh_max_months"] = forms.IntegerField(
            label="Langste duur van een maatregel (maanden)", min_value=1, max_value=12
        )
        for level, label in HH_BOETE_LEVELS:
            self.fields[f"hh_boete_{level}_pct"] = PercentField(
                label=f"Boete bij {label} (% van het benadelingsbedrag)"
            )
        self.fields["hh_waarschuwing_max_eur"] = forms.IntegerField(
            label="Waarschuwing in plaats van een boete tot een benadelingsbedrag van (euro)",
            min_value=0,
            max_value=100_000,
        )
        self.fields["hh_waarschuwing_lookback_months"] = forms.IntegerField(
            label="… als er geen waarschuwing of boete was in de (maanden) ervoor", min_value=0, max_value=120
        )
        self.fields["hh_tegenprestatie_max_months"] = forms.IntegerField(
            label="Tegenprestatie hoogstens (maanden)", min_value=1, max_value=24
        )
        self.fields["hh_tegenprestatie_max_hours"] = forms.IntegerField(
            label="Tegenprestatie hoogstens (uren per week)", min_value=1, max_value=40
        )
        self.fields["hh_bezwaar_weeks"] = forms.IntegerField(
            label="Bezwaartermijn (weken)", min_value=1, max_value=26, help_text="De Awb: zes weken."
        )
        for kind, label in HH_KINDS:
            self.fields[f"hh_four_eyes_{kind}"] = forms.BooleanField(
                label=f"Vier ogen: een collega keurt een {label} goed", required=False
            )
        for key, label in HH_GROUNDS:
            self.fields[f"hh_ground_{key}"] = forms.CharField(label=f"Grondslag {label}", max_length=500)

    def handhaving_fields(self):
        """For the template: per category its name and step rows, then the other settings."""
        return {
            "categories": [
                {
                    "category": cat,
                    "steps": [
                        (n, self[f"hh_cat_{cat['code']}_{n}_pct"], self[f"hh_cat_{cat['code']}_{n}_months"])
                        for n in range(1, len(cat.get("steps") or []) + 1)
                    ],
                }
                for cat in self.handhaving.get("categories") or []
            ],
            "other": [
                self[name]
                for name in self.fields
                if name.startswith("hh_") and not name.startswith(("hh_cat_", "hh_four_eyes_", "hh_ground_"))
            ],
            "four_eyes": [self[f"hh_four_eyes_{kind}"] for kind, _label in HH_KINDS],
            "grounds": [self[f"hh_ground_{key}"] for key, _label in HH_GROUNDS],
        }

    def _monthly_scheme_fields(self, scheme: dict) -> None:
        """The werkpremie (decision 73): its amount per month, the first month and the
        trajectory types that count."""
        code, name = scheme["code"], scheme["name"]
        self.fields[f"premium_{code}_monthly_amount"] = forms.IntegerField(
            label=f"{name}: bedrag per maand (euro)",
            help_text="Per kalendermaand waarin de klant deelnam; de gemeente stelt het per kalenderjaar vast.",
        )
        self.fields[f"premium_{code}_months_from"] = forms.DateField(
            label=f"{name}: telt vanaf de maand van",
            help_text="Eerdere maanden leveren geen premie op (datum als 2018-01-01 of 01-01-2018).",
            input_formats=["%Y-%m-%d", "%d-%m-%Y"],
        )
        self.fields[f"premium_{code}_types"] = forms.MultipleChoiceField(
            label=f"{name}: soorten traject die meetellen",
            choices=_instrument_type_choices(),
            widget=forms.CheckboxSelectMultiple,
            required=False,
        )

    @staticmethod
    def interval_rows() -> list[tuple[str, str]]:
        rows = [(f"interval_client_group_{g}", str(CLIENT_GROUP_LABELS[g])) for g in ClientGroup.values]
        rows += [(f"interval_ladder_step_{s}", f"trede {s}: {LADDER_STEPS[int(s)]}") for s in LADDER_KEYS]
        rows += [(f"interval_route_{r.value}", str(r.label)) for r in Route]
        return rows

    def _initial(self, config: dict) -> dict:
        initial = {
            "category_2b_min": config.get("category_2b", {}).get("min"),
            "category_2b_max": config.get("category_2b", {}).get("max"),
            "category_3b_max_ladder_step": config.get("category_3b_max_ladder_step"),
            "directe_bemiddeling_max_months": config.get("routes", {}).get("directe_bemiddeling_max_months"),
            "re_integratie_max_months": config.get("routes", {}).get("re_integratie_max_months"),
            "re_integratie_limit_months": config.get("route_limit_months", {}).get("re_integratie"),
            "contact_basis": config.get("contact_basis"),
            "plan_required": config.get("plan_required"),
            "plan_sign_days": config.get("plan_sign_days"),
            "caseload_min": config.get("caseload", {}).get("min"),
            "caseload_max": config.get("caseload", {}).get("max"),
            "stale_diagnosis_months": config.get("stale_diagnosis_months"),
            "no_show_days": config.get("no_show_days"),
            "direct_werk_max_months": config.get("client_groups", {}).get("direct_werk_max_months"),
            "werken_en_ervaren_max_months": config.get("client_groups", {}).get(
                "werken_en_ervaren_max_months"
            ),
            "zorg_max_ladder_step": config.get("client_groups", {}).get("zorg_max_ladder_step"),
            "target_work_max_months": config.get("ladder_target", {}).get("work_max_months"),
            "target_step_5_max_months": config.get("ladder_target", {}).get("step_5_max_months"),
            "target_one_step_max_months": config.get("ladder_target", {}).get("one_step_max_months"),
            "target_hold_from_step": config.get("ladder_target", {}).get("hold_from_step"),
            "plan_required_under_age": config.get("plan_required_under_age"),
            "no_show_contact_days": config.get("no_show_contact_days"),
            "nazorg_days": config.get("nazorg_days"),
            "referral_report_weeks": config.get("referrals", {}).get("report_interval_weeks"),
            "referral_report_grace_days": config.get("referrals", {}).get("report_grace_days"),
            "referral_result_days": config.get("referrals", {}).get("result_report_days"),
        }
        peers = _peers_settings(config, self.preset.key)
        initial["peers_population"] = peers.get("population")
        initial["peers_years"] = peers.get("years")
        ceilings, vangnet = _finance_settings(config)
        initial["ceiling_warn_pct"] = _shown_percent(ceilings.get("warn_pct"))
        initial["ceiling_block_pct"] = _shown_percent(ceilings.get("block_pct"))
        initial["vangnet_own_risk_pct"] = _shown_percent(vangnet.get("own_risk_pct"))
        initial["vangnet_band_to_pct"] = _shown_percent(vangnet.get("band_to_pct"))
        share = vangnet.get("band_share")
        initial["vangnet_band_share_pct"] = None if share is None else _shown_percent(round(share * 100, 4))
        initial["vangnet_source"] = vangnet.get("source", "")
        for band in config.get("categories", []):
            initial[f"band_{band['code']}_min"] = band["min"]
            initial[f"band_{band['code']}_max"] = band["max"]
        for basis, table in config.get("contact_interval_days", {}).items():
            for key, days in table.items():
                initial[f"interval_{basis}_{key}"] = days
        for group, months in config.get("rechtmatigheid_months", {}).items():
            initial[f"rechtmatigheid_{group}"] = months
        for step, text in config.get("ladder_approach", {}).items():
            initial[f"approach_{step}"] = text
        hh = _handhaving_settings(config)
        for cat in hh.get("categories") or []:
            for n, step in enumerate(cat.get("steps") or [], start=1):
                initial[f"hh_cat_{cat['code']}_{n}_pct"] = _shown_percent(step.get("percentage"))
                initial[f"hh_cat_{cat['code']}_{n}_months"] = step.get("months")
        boete = hh.get("boete") or {}
        initial |= {
            "hh_recidive_months": hh.get("recidive_months"),
            "hh_verminderd_pct": _shown_percent(hh.get("verminderd_pct")),
            "hh_max_percentage": _shown_percent(hh.get("max_percentage")),
            "hh_max_months": hh.get("max_months"),
            "hh_waarschuwing_max_eur": boete.get("waarschuwing_max_benadeling_eur"),
            "hh_waarschuwing_lookback_months": boete.get("waarschuwing_lookback_months"),
            "hh_tegenprestatie_max_months": hh.get("tegenprestatie_max_months"),
            "hh_tegenprestatie_max_hours": hh.get("tegenprestatie_max_hours_per_week"),
            "hh_bezwaar_weeks": hh.get("bezwaar_weeks"),
        }
        for level, _label in HH_BOETE_LEVELS:
            initial[f"hh_boete_{level}_pct"] = _shown_percent(
                (boete.get("pct_by_verwijtbaarheid") or {}).get(level)
            )
        for kind, _label in HH_KINDS:
            initial[f"hh_four_eyes_{kind}"] = bool((hh.get("four_eyes") or {}).get(kind))
        for key, _label in HH_GROUNDS:
            initial[f"hh_ground_{key}"] = (hh.get("legal_grounds") or {}).get(key, "")
        premiums = config.get("premiums") or {}
        initial["premium_outflow_from"] = premiums.get("outflow_from")
        for scheme in premiums.get("schemes") or []:
            code = scheme["code"]
            if scheme.get("trigger") == "deelname_traject":
                initial[f"premium_{code}_monthly_amount"] = scheme.get("monthly_amount_eur")
                initial[f"premium_{code}_months_from"] = scheme.get("months_from")
                initial[f"premium_{code}_types"] = list(scheme.get("instrument_types") or [])
                continue
            initial[f"premium_{code}_min_benefit_months"] = scheme.get("min_benefit_months")
            for n, part in enumerate(scheme.get("parts") or [], start=1):
                initial[f"premium_{code}_part_{n}_months"] = part.get("after_months")
                initial[f"premium_{code}_part_{n}_amount"] = part.get("amount_eur")
        return initial

    def premium_fields(self):
        """Per scheme: its name, source fields and the rows of its parts (for the template);
        a monthly scheme has its amount, first month and types instead."""
        return [
            {
                "scheme": scheme,
                "monthly": True,
                "amount": self[f"premium_{scheme['code']}_monthly_amount"],
                "months_from": self[f"premium_{scheme['code']}_months_from"],
                "types": self[f"premium_{scheme['code']}_types"],
            }
            if scheme.get("trigger") == "deelname_traject"
            else {
                "scheme": scheme,
                "min_months": self[f"premium_{scheme['code']}_min_benefit_months"],
                "parts": [
                    (
                        n,
                        self[f"premium_{scheme['code']}_part_{n}_months"],
                        self[f"premium_{scheme['code']}_part_{n}_amount"],
                    )
                    for n in range(1, len(scheme.get("parts") or []) + 1)
                ],
            }
            for scheme in self.premium_schemes
        ]

    # Groups of fields for the template (fieldsets with a legend each).
    def band_fields(self):
        return [(code, self[f"band_{code}_min"], self[f"band_{code}_max"]) for code in self.band_codes]

    def interval_fields(self):
        sections = [
            ("client_group", "Per klantgroep", ClientGroup.values),
            ("ladder_step", "Per trede", LADDER_KEYS),
            ("route", "Per route", Route.values),
        ]
        return [
            {"basis": basis, "legend": legend, "fields": [self[f"interval_{basis}_{key}"] for key in keys]}
            for basis, legend, keys in sections
        ]

    def rechtmatigheid_fields(self):
        return [self[f"rechtmatigheid_{group}"] for group in ClientGroup.values]

    def approach_fields(self):
        return [self[f"approach_{step}"] for step in LADDER_KEYS]

    def config(self) -> dict:
        """The edited settings (call after is_valid); settings not on the form are kept."""
        data = self.cleaned_data
        config = copy.deepcopy(self.preset.config)
        config["categories"] = [
            {"code": code, "min": data[f"band_{code}_min"], "max": data[f"band_{code}_max"]}
            for code in self.band_codes
        ]
        config["category_2b"] = {"min": data["category_2b_min"], "max": data["category_2b_max"]}
        config["category_3b_max_ladder_step"] = data["category_3b_max_ladder_step"]
        config["routes"] = {
            "directe_bemiddeling_max_months": data["directe_bemiddeling_max_months"],
            "re_integratie_max_months": data["re_integratie_max_months"],
        }
        config.setdefault("route_limit_months", {})["re_integratie"] = data["re_integratie_limit_months"]
        config["contact_basis"] = data["contact_basis"]
        config["contact_interval_days"] = {
            "client_group": {g: data[f"interval_client_group_{g}"] for g in ClientGroup.values},
            "ladder_step": {s: data[f"interval_ladder_step_{s}"] for s in LADDER_KEYS},
            "route": {r: data[f"interval_route_{r}"] for r in Route.values},
        }
        config["rechtmatigheid_months"] = {g: data[f"rechtmatigheid_{g}"] for g in ClientGroup.values}
        config["plan_required"] = data["plan_required"]
        config["peers"] = {
            **_peers_settings(config, self.preset.key),
            "population": data["peers_population"],
            "years": data["peers_years"],
        }
        config["plan_sign_days"] = data["plan_sign_days"]
        config["caseload"] = {"min": data["caseload_min"], "max": data["caseload_max"]}
        config["stale_diagnosis_months"] = data["stale_diagnosis_months"]
        config["no_show_days"] = data["no_show_days"]
        config["client_groups"] = {
            "direct_werk_max_months": data["direct_werk_max_months"],
            "werken_en_ervaren_max_months": data["werken_en_ervaren_max_months"],
            "zorg_max_ladder_step": data["zorg_max_ladder_step"],
        }
        config["ladder_target"] = {
            "work_max_months": data["target_work_max_months"],
            "step_5_max_months": data["target_step_5_max_months"],
            "one_step_max_months": data["target_one_step_max_months"],
            "hold_from_step": data["target_hold_from_step"],
        }
        config["plan_required_under_age"] = data["plan_required_under_age"]
        config["no_show_contact_days"] = data["no_show_contact_days"]
        config["nazorg_days"] = data["nazorg_days"]
        config["referrals"] = {
            "report_interval_weeks": data["referral_report_weeks"],
            "report_grace_days": data["referral_report_grace_days"],
            "result_report_days": data["referral_result_days"],
        }
        config["ladder_approach"] = {s: data[f"approach_{s}"].strip() for s in LADDER_KEYS}
        config["ceilings"] = {
            "warn_pct": _json_number(data["ceiling_warn_pct"]),
            "block_pct": _json_number(data["ceiling_block_pct"]),
        }
        config["buig_vangnet"] = {
            "own_risk_pct": _json_number(data["vangnet_own_risk_pct"]),
            "band_to_pct": _json_number(data["vangnet_band_to_pct"]),
            "band_share": _json_number(data["vangnet_band_share_pct"] / 100),
            "source": data["vangnet_source"].strip(),
        }
        hh = copy.deepcopy(self.handhaving)
        for cat in hh.get("categories") or []:
            for n, step in enumerate(cat.get("steps") or [], start=1):
                step["percentage"] = _json_number(data[f"hh_cat_{cat['code']}_{n}_pct"])
                step["months"] = data[f"hh_cat_{cat['code']}_{n}_months"]
        hh["recidive_months"] = data["hh_recidive_months"]
        hh["verminderd_pct"] = _json_number(data["hh_verminderd_pct"])
        hh["max_percentage"] = _json_number(data["hh_max_percentage"])
        hh["max_months"] = data["hh_max_months"]
        hh["boete"] = {
            "pct_by_verwijtbaarheid": {
                level: _json_number(data[f"hh_boete_{level}_pct"]) for level, _label in HH_BOETE_LEVELS
            },
            "waarschuwing_max_benadeling_eur": data["hh_waarschuwing_max_eur"],
            "waarschuwing_lookback_months": data["hh_waarschuwing_lookback_months"],
        }
        hh["tegenprestatie_max_months"] = data["hh_tegenprestatie_max_months"]
        hh["tegenprestatie_max_hours_per_week"] = data["hh_tegenprestatie_max_hours"]
        hh["bezwaar_weeks"] = data["hh_bezwaar_weeks"]
        hh["four_eyes"] = {kind: bool(data[f"hh_four_eyes_{kind}"]) for kind, _label in HH_KINDS}
        hh["legal_grounds"] = {key: data[f"hh_ground_{key}"].strip() for key, _label in HH_GROUNDS}
        config["handhaving"] = hh
        if self.premium_schemes:
            premiums = config.setdefault("premiums", {})
            premiums["outflow_from"] = data["premium_outflow_from"].isoformat()
            for scheme in premiums.get("schemes") or []:
                code = scheme["code"]
                if scheme.get("trigger") == "deelname_traject":
                    scheme["monthly_amount_eur"] = data[f"premium_{code}_monthly_amount"]
                    scheme["months_from"] = data[f"premium_{code}_months_from"].isoformat()
                    scheme["instrument_types"] = list(data[f"premium_{code}_types"])
                    continue
                scheme["min_benefit_months"] = data[f"premium_{code}_min_benefit_months"]
                for n, part in enumerate(scheme.get("parts") or [], start=1):
                    part["after_months"] = data[f"premium_{code}_part_{n}_months"]
                    part["amount_eur"] = data[f"premium_{code}_part_{n}_amount"]
                scheme["total_eur"] = sum(part["amount_eur"] for part in scheme.get("parts") or [])
        return config


def _handhaving_settings(config: dict) -> dict:
    """The maatregelenverordening and boete rules; a preset stored before they existed
    shows the default preset's (as trede.benefits.handhaving.selectors uses them)."""
    from .presets import DEFAULT_PRESET, PRESETS

    return config.get("handhaving") or PRESETS[DEFAULT_PRESET]["config"]["handhaving"]


def _peers_settings(config: dict, key: str) -> dict:
    """The comparison with other municipalities, each setting over its shipped preset's
    (as trede.monitor.peers.selectors.peers_settings reads them)."""
    from .presets import DEFAULT_PRESET, PRESETS

    shipped = PRESETS.get(key, PRESETS[DEFAULT_PRESET])["config"]["peers"]
    return {**shipped, **(config.get("peers") or {})}


def _finance_settings(config: dict) -> tuple[dict, dict]:
    """The ceiling and vangnet settings; a preset stored before they existed shows the
    default preset's (as trede.finance.selectors.finance_policy uses them)."""
    from .presets import DEFAULT_PRESET, PRESETS

    default = PRESETS[DEFAULT_PRESET]["config"]
    return (
        config.get("ceilings") or default["ceilings"],
        config.get("buig_vangnet") or default["buig_vangnet"],
    )


def settings_shown(preset) -> dict[str, tuple[str, str]]:
    """Every setting the form shows, as {field: (Dutch label, value as shown)}: what a
    colleague's newer save is compared with (trede.utils.concurrency, `described`)."""
    form = PresetForm(preset=preset)
    sections = {
        f"interval_{row['basis']}_": f"Contactfrequentie {row['legend'].lower()}, "
        for row in form.interval_fields()
    }
    shown = {}
    for name, field in form.fields.items():
        if name == "edit_token":
            continue
        label = str(field.label)
        prefix = next((text for start, text in sections.items() if name.startswith(start)), "")
        if prefix:
            label = prefix + label.lower()
        elif name.startswith("band_"):
            label = f"Categorie {label}"
        value = form.initial.get(name)
        if isinstance(value, list):
            texts = dict((str(code), text) for code, text in getattr(field, "choices", []))
            value = ", ".join(texts.get(str(v), str(v)) for v in value)
        elif value is not None and getattr(field, "choices", None):
            value = next((text for code, text in field.choices if str(code) == str(value)), value)
        shown[name] = (label, "" if value is None else str(value))
    return shown
