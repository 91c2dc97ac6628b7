"""The effects engine in the algorithm register (trede.algorithms, decision 94): what it
says about itself, as data next to the code. Pure Python, like the rest of the package.

Written out by hand: trede/algorithms/tests/ checks it against the covariates the panel
builds (`panel.CATEGORICAL_COVARIATES`, `panel.NUMERIC_COVARIATES`) and the columns it
reads (`frames.COLUMNS`), so a covariate added to the code and not here fails the tests.
"""

from __future__ import annotations

from trede.algorithms.declaration import DataItem, Declaration, LegalBasis, NotUsed

from .bands import SEGMENT_DIMENSIONS

REGISTER = Declaration(
    key="trede-effecten",
    name="Netto-effect van re-integratie-instrumenten (wat werkt voor wie)",
    description_short=(
        "Schat per instrument hoeveel vaker inwoners uitstromen naar werk doordat zij dat instrument "
        "startten, vergeleken met vergelijkbare inwoners die in dezelfde maand niet startten, met "
        "onzekerheid en uitsplitsing per groep. Gebruikt voor beleid en als achtergrond bij advies; er "
        "wordt over geen enkele inwoner iets besloten."
    ),
    goal=(
        "De gemeente laten zien welke instrumenten voor welke groepen werken, netto, dus gecorrigeerd "
        'voor wat er zonder instrument ook was gebeurd (seed 003: "over deze netto '
        'effectiviteitsvraag is geen informatie beschikbaar").'
    ),
    impact=(
        "Uitkomsten sturen de inkoop en de inzet van instrumenten en verschijnen als achtergrond bij "
        "de instrumenten die bij een klant passen. Een verkeerde schatting kan een werkzaam instrument "
        "onterecht laten afvallen of andersom; daarom staan er altijd een interval en waarschuwingen bij."
    ),
    proportionality=(
        "Statistische schatting op groepsniveau (doubly robust AIPW) in plaats van een voorspelling per "
        "persoon: de uitkomst gaat over instrumenten, niet over mensen. Kenmerken als leeftijd, "
        "geslacht en statushouderschap zijn hier correctievariabelen, zodat een verschil in wie een "
        "instrument krijgt niet als effect wordt gelezen; ze worden niet gebruikt om iemand te beoordelen."
    ),
    human_intervention=(
        "Beleidsmedewerkers lezen de schattingen met hun interval, het aantal starts en de "
        "waarschuwingen (weinig starts, slechte overlap) en besluiten zelf over inkoop en inzet.",
        "De consulent ziet een schatting alleen als achtergrond bij instrumenten die passen; de "
        "verwijzing is altijd een keuze van de consulent met de inwoner.",
        "Een schatting op minder dan 10 starts wordt aan beleidsmedewerkers niet getoond.",
    ),
    data_used=(
        DataItem("behandeling", "Start van een traject van het instrument in de maand", "trajecten"),
        DataItem(
            "uitkomst", "Einde van de uitkeringsperiode met reden werk binnen de horizon", "uitkeringen"
        ),
        DataItem("age", "Leeftijd op de eerste dag van de maand", "klantgegevens (geboortedatum)"),
        DataItem("age_bin", "Leeftijdsklasse (grenzen van het beleid)", "klantgegevens (geboortedatum)"),
        DataItem("age_over_55", "Jaren boven 55", "klantgegevens (geboortedatum)"),
        DataItem("gender", "Geslacht (correctievariabele)", "klantgegevens"),
        DataItem("household", "Huishouden (correctievariabele)", "klantgegevens"),
        DataItem("education", "Opleiding", "klantgegevens"),
        DataItem("dutch_language", "Taalniveau Nederlands", "klantgegevens"),
        DataItem("statushouder", "Statushouder (correctievariabele en uitsplitsing)", "klantgegevens"),
        DataItem("dgr", "Doelgroepregister", "klantgegevens"),
        DataItem("ladder_step", "Trede op de participatieladder", "laatste diagnose"),
        DataItem("months_to_work", "Afstand tot werk in maanden", "laatste diagnose"),
        DataItem("wage_value_pct", "Loonwaarde", "laatste diagnose"),
        DataItem("wage_value_bin", "Loonwaardeklasse (30, 55, 80 %)", "laatste diagnose"),
        DataItem("client_group", "Klantgroep", "laatste diagnose en plaatsingen"),
        DataItem("duration_years", "Duur van de uitkering in jaren", "uitkeringen"),
        DataItem("duration_bin", "Duurklasse van de uitkering", "uitkeringen"),
        DataItem("prior_spells_max3", "Eerdere uitkeringsperioden (hoogstens 3)", "uitkeringen"),
        DataItem("prior_trajectories", "Eerdere trajecten", "trajecten"),
        DataItem("placed", "Plaatsing loopt", "plaatsingen"),
        DataItem("year", "Kalenderjaar", "startmaand"),
        DataItem("month_index", "Maandnummer", "startmaand"),
    ),
    data_not_used=(
        NotUsed("nationaliteit", "Nationaliteit", "Wordt in Trede niet geregistreerd."),
        NotUsed("etniciteit", "Etniciteit", "Wordt in Trede niet geregistreerd."),
        NotUsed("herkomst", "Herkomst of geboorteland", "Wordt in Trede niet geregistreerd."),
        NotUsed(
            "naam_bsn",
            "Naam, BSN, adres en postcode",
            "Niet nodig; de engine leest alleen de kolommen hierboven.",
        ),
        NotUsed(
            "vragenlijst",
            "Antwoorden op de intakevragenlijst (gezondheid, schulden, zorgtaken)",
            "Alleen de uitkomst van de diagnose telt mee, niet de afzonderlijke antwoorden.",
        ),
    ),
    thresholds=(),
    constants=(
        ("Methode", "AIPW met kruisvalidatie, vergelijking binnen de startmaand"),
        ("Propensitygrens (ATT), hoogstens te verwijderen aandeel starts", (0.9, 0.05)),
        ("Segment met weinig starts onder", 30),
        ("Uitsplitsingen", SEGMENT_DIMENSIONS),
    ),
    lawful_basis=(
        LegalBasis(
            "Gemeentewet, artikel 213a (onderzoek naar doelmatigheid en doeltreffendheid)",
            "https://wetten.overheid.nl/BWBR0005416",
        ),
        LegalBasis(
            "Participatiewet, artikel 7 (ondersteuning bij arbeidsinschakeling)",
            "https://wetten.overheid.nl/BWBR0015703",
        ),
        LegalBasis(
            "AVG, artikel 6 lid 1 onder e en artikel 89 (waarborgen bij onderzoek en statistiek)",
            "https://eur-lex.europa.eu/eli/reg/2016/679/oj",
        ),
    ),
    risks=(
        "Getoetst tegen een synthetische gemeente met bekende echte effecten: dekking van de "
        "95 %-intervallen ongeveer 93 % (trede/effects/README.md).",
        "Overlap wordt bewaakt: starters zonder vergelijkbare niet-starters worden weggelaten (hoogstens "
        "5 %) en gemeld; segmenten met weinig starts of slechte overlap krijgen een waarschuwing.",
        "Er worden alleen totalen bewaard, geen klantnummers; kleine aantallen worden voor "
        "beleidsmedewerkers afgeschermd.",
        "Resterende vertekening door wat niet geregistreerd is, staat als E-waarde bij elke schatting.",
    ),
    methods_and_models=(
        "Per instrument en startmaand worden starters vergeleken met inwoners die die maand een "
        "uitkering hadden en niet startten. Doubly robust AIPW-schatter (logistische regressie met "
        "L2-regularisatie, kruisvalidatie), gewichten voor de steekproef van controles, standaardfouten "
        "geclusterd per inwoner, uitsplitsing per groep met een DR-learner."
    ),
    publiccode=(
        "trede/effects/panel.py",
        "trede/effects/estimators.py",
        "trede/effects/instruments.py",
        "trede/evaluations/services.py",
    ),
    fairness="effects",
)
