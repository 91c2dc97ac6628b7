"""README.txt of a research export: every file and column, and what was generalised."""

from __future__ import annotations

from .rules import EFFECTS_COVARIATES

COLUMN_TEXT: dict[str, tuple[str, tuple[tuple[str, str], ...]]] = {
    "clients.csv": (
        "Eén regel per klant.",
        (
            (
                "client_id",
                "pseudoniem van de klant (verschilt per export, gelijk in alle bestanden van deze export)",
            ),
            (
                "birth_year",
                "geboortejaar, of een klasse van jaren (bv. 1980-1984) als de k-anonimiteit dat vroeg",
            ),
            ("gender", "man, vrouw, x, onbekend (leeg = onbekend)"),
            ("household", "alleenstaand, alleenstaande_ouder, gehuwd_samenwonend, overig"),
            ("education", "hoogst afgeronde opleiding (code van het uitwisselformaat)"),
            ("dutch_language", "taalniveau Nederlands (a0 … c2, moedertaal, onbekend)"),
            ("statushouder", "1 of 0 (leeg = onbekend)"),
            ("dgr", "doelgroepregister: 1 of 0 (leeg = onbekend)"),
            ("postcode4", "postcode van vier cijfers als daar minstens k klanten wonen, anders 'overig'"),
            ("municipality", "CBS-code van de gemeente"),
            ("regulation", "regeling van de laatst begonnen uitkering (pw, ioaw, ioaz, bbz; leeg = geen)"),
            ("consultant_id", "pseudoniem van de consulent"),
        ),
    ),
    "benefits.csv": (
        "Eén regel per uitkering.",
        (
            ("benefit_id", "pseudoniem van de uitkering"),
            ("client_id", "pseudoniem van de klant"),
            ("regulation", "pw, ioaw, ioaz, bbz"),
            ("start_date", "eerste dag met uitkering (JJJJ-MM-DD)"),
            ("end_date", "eerste dag zonder uitkering (leeg = loopt nog)"),
            ("end_reason", "reden van beëindiging (werk, onderwijs, verhuizing, …)"),
        ),
    ),
    "diagnoses.csv": (
        "Eén regel per diagnose (zonder de toelichting van de consulent).",
        (
            ("diagnosis_id", "pseudoniem van de diagnose"),
            ("client_id", "pseudoniem van de klant"),
            ("date", "datum van de diagnose"),
            ("months_to_work", "afstand tot werk in maanden (0-120)"),
            ("ladder_step", "trede op de participatieladder (1-6)"),
            ("ladder_target", "doeltrede (1-6)"),
            ("wage_value_pct", "loonwaarde in procenten"),
            ("assessed_by", "tool of consultant"),
        ),
    ),
    "contacts.csv": (
        "Eén regel per contactmoment (ingetrokken contactmomenten niet).",
        (
            ("contact_id", "pseudoniem van het contactmoment"),
            ("client_id", "pseudoniem van de klant"),
            ("date", "datum"),
            ("kind", "gesprek, huisbezoek, telefonisch, digitaal, groep"),
            ("consultant_id", "pseudoniem van de consulent"),
        ),
    ),
    "instruments.csv": (
        "De instrumenten (zonder naam en beschrijving).",
        (
            ("instrument_code", "code van het instrument (geen persoonsgegeven)"),
            ("type", "soort instrument"),
            ("funding", "financiering"),
            ("price_eur", "prijs in euro"),
        ),
    ),
    "providers.csv": (
        "De aanbieders (zonder naam).",
        (("provider_id", "nummer van de aanbieder (een organisatie)"), ("kind", "soort aanbieder")),
    ),
    "trajectories.csv": (
        "Eén regel per traject.",
        (
            ("trajectory_id", "pseudoniem van het traject"),
            ("client_id", "pseudoniem van de klant"),
            ("instrument_code", "code van het instrument"),
            ("provider_id", "nummer van de aanbieder"),
            ("referral_date", "verwijsdatum"),
            ("start_date", "startdatum (leeg = niet gestart)"),
            ("planned_end_date", "geplande einddatum"),
            ("end_date", "einddatum"),
            ("result", "geslaagd, niet_geslaagd, voortijdig_gestopt, lopend"),
            ("cost_eur", "kosten in euro"),
        ),
    ),
    "placements.csv": (
        "Eén regel per plaatsing bij een werkgever.",
        (
            ("placement_id", "pseudoniem van de plaatsing"),
            ("client_id", "pseudoniem van de klant"),
            ("employer_id", "pseudoniem van de werkgever"),
            ("start_date", "begindatum"),
            ("end_date", "einddatum (leeg = loopt nog)"),
            ("hours_per_week", "uren per week"),
            ("contract", "soort contract"),
            ("subsidy", "subsidie"),
            ("wage_value_pct", "loonwaarde in procenten"),
        ),
    ),
    "employers.csv": (
        "De werkgevers (zonder naam, postcode en accountmanager).",
        (
            ("employer_id", "pseudoniem van de werkgever"),
            ("sector", "SBI-sectie (A-U)"),
            ("size_class", "grootteklasse"),
        ),
    ),
    "effects_table.csv": (
        "Eén regel per uitkeringsperiode (regelingen {regelingen}) die {venster} maanden na het begin nog "
        "liep (het peilmoment), als de uitkomst tot {horizon} maanden na het peilmoment is waargenomen "
        "(gegevens tot {tot}).",
        (
            ("client_id", "pseudoniem van de klant (voor geclusterde fouten: --cluster client_id)"),
            ("spell_start_year", "jaar waarin de uitkeringsperiode begon"),
            ("landmark_date", "het peilmoment: begin van de periode plus {venster} maanden"),
            ("treated", "1 als de klant tussen het begin en het peilmoment een traject startte, anders 0"),
            (
                "outflow_work",
                "1 als de periode binnen {horizon} maanden na het peilmoment eindigde met reden werk",
            ),
            ("birth_year", "als in clients.csv"),
            ("gender", "als in clients.csv (onbekend als leeg)"),
            ("household", "als in clients.csv (onbekend als leeg)"),
            ("education", "als in clients.csv (onbekend als leeg)"),
            ("dutch_language", "als in clients.csv (onbekend als leeg)"),
            ("statushouder", "als in clients.csv (onbekend als leeg)"),
            ("dgr", "als in clients.csv (onbekend als leeg)"),
            ("regulation", "regeling waarmee de periode begon"),
            (
                "ladder_step",
                "trede van de laatste diagnose op of voor het peilmoment (onbekend als er geen is)",
            ),
        ),
    ),
    "k_anonymity.csv": (
        "De k-anonimiteit van clients.csv, per combinatie van quasi-identificerende kenmerken.",
        (
            ("quasi_identifiers", "de kenmerken van de combinatie, met + verbonden"),
            ("k", "de kleinste groep die het beleid vraagt"),
            ("records", "aantal klanten"),
            ("classes", "aantal verschillende combinaties van waarden (gelijkheidsklassen)"),
            ("smallest_class", "grootte van de kleinste gelijkheidsklasse"),
            ("classes_below_k", "aantal gelijkheidsklassen kleiner dan k"),
            ("records_below_k", "aantal klanten in een gelijkheidsklasse kleiner dan k"),
            ("share_below_k", "records_below_k gedeeld door records"),
        ),
    ),
    "k_anonymity.json": (
        "Dezelfde cijfers als k_anonymity.csv, plus de generalisatie: welke stappen geprobeerd zijn en welke "
        "gekozen is (generalisation), en het aantal gepubliceerde postcodegebieden.",
        (),
    ),
}


def readme_text(result, quasi) -> str:
    s = result.settings
    fill = {
        "regelingen": ", ".join(s.effects_regulations),
        "venster": s.treatment_window_months,
        "horizon": s.outcome_horizon_months,
        "tot": result.until.isoformat() if result.until else "",
    }
    full = result.combinations[-1] if result.combinations else None
    lines = [
        "Gepseudonimiseerde onderzoeksexport van Trede",
        "=============================================",
        "",
        "Deze map is een gepseudonimiseerde kopie voor onderzoek. Er staan geen namen, BSN's, adressen,",
        "telefoonnummers, e-mailadressen, geboortedata of vrije tekst (notities, redenen) in. Elk nummer",
        "van een persoon (klant, consulent, werkgever) en van een gegeven over een persoon is vervangen",
        "door een pseudoniem: een HMAC-SHA256 met een sleutel die alleen voor deze export is gemaakt en",
        "nergens is bewaard. Binnen deze export horen dezelfde pseudoniemen bij elkaar; een volgende",
        "export heeft andere pseudoniemen, zodat exports niet aan elkaar te koppelen zijn.",
        "Data van gebeurtenissen (uitkeringen, trajecten, diagnoses, contacten) staan er wel in: zonder",
        "die data zijn duur, instroom en uitstroom niet te onderzoeken.",
        "",
        "Bestanden: UTF-8, komma als scheidingsteken, standaard CSV-aanhalingstekens, een kopregel,",
        "datums als JJJJ-MM-DD, leeg = onbekend (het uitwisselformaat van Trede).",
        "",
        "Generalisatie en k-anonimiteit",
        "------------------------------",
        f"k = {s.k}. Quasi-identificerende kenmerken: {', '.join(quasi)}.",
        f"Postcode4 staat er alleen in voor gebieden met minstens {s.k} klanten; de andere heten 'overig'.",
        f"Gekozen generalisatie: {result.level.label}.",
        f"Doel: hoogstens {s.max_share_below_k:.0%} van de klanten in een gelijkheidsklasse kleiner dan k",
        "over alle kenmerken samen. Geprobeerd, in deze volgorde:",
    ]
    for t in result.trail:
        verdict = "voldoet" if t.meets_target else "voldoet niet"
        lines.append(
            f"  - {t.level.label}: kleinste klasse {t.smallest_class}, "
            f"{t.records_below_k} van {t.records} klanten in een klasse kleiner dan k ({verdict})"
        )
    if full is not None:
        lines.append(
            f"Resultaat over alle kenmerken samen: kleinste klasse {full.smallest_class}, "
            f"{full.records_below_k} klanten in een klasse kleiner dan k."
        )
        if full.records_below_k:
            lines.append(
                "Let op: er blijven klanten in kleine klassen. Koppel deze gegevens niet aan andere bronnen"
                " en publiceer geen tabellen met aantallen onder k."
            )
    lines += [
        "Per combinatie van kenmerken: k_anonymity.csv en k_anonymity.json.",
        "",
        "Effectschatting",
        "---------------",
        "effects_table.csv is een landmark-opzet: behandeling en uitkomst liggen na elkaar, zodat een",
        "traject dat pas begint na werk niet als behandeling telt. Bijvoorbeeld:",
        "  trede effects table --csv effects_table.csv --treatment treated --outcome outflow_work \\",
        f"    --covariates {','.join(EFFECTS_COVARIATES)} --cluster client_id --estimand att --json",
        "",
        "Bestanden en kolommen",
        "---------------------",
    ]
    for name in sorted(result.files) + ["k_anonymity.csv", "k_anonymity.json"]:
        text, columns = COLUMN_TEXT[name]
        rows = result.files.get(name)
        count = f" ({rows} regels)" if rows is not None else ""
        lines += ["", f"{name}{count}: {text.format(**fill)}"]
        for column, meaning in columns:
            lines.append(f"  {column}: {meaning.format(**fill)}")
    lines += ["", "README.txt: dit bestand.", ""]
    return "\n".join(lines)
