"""The letter kinds, declared once: what each letter is about (its source), the fields it
may use (its placeholders: never more than the decision needs), the fields it must use
(the bezwaar clause of a beschikking) and its shipped text in plain Dutch (B1).

A template can only name the placeholders of its own kind; the values are computed from
the source (`sources.py`) only for the placeholders the template uses, so a field that is
declared but not used (the BSN) is never read. The shipped texts are what a new
installation starts with; the beheerder edits them on /brieven/sjablonen/.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models


class LetterKind(models.TextChoices):
    PLAN = "plan_van_aanpak", "Plan van aanpak"
    WAARSCHUWING = "beschikking_waarschuwing", "Beschikking waarschuwing"
    BOETE = "beschikking_boete", "Beschikking boete"
    MAATREGEL = "beschikking_maatregel", "Beschikking maatregel (verlaging)"
    TEGENPRESTATIE = "beschikking_tegenprestatie", "Beschikking tegenprestatie"
    INTREKKING = "intrekkingsbesluit", "Intrekkingsbesluit (een besluit ingetrokken)"
    UITNODIGING_ONDERZOEK = "uitnodiging_rechtmatigheid", "Uitnodiging rechtmatigheidsonderzoek"
    BRIEFHOOFD = "briefhoofd", "Briefhoofd (bij elke brief)"


@dataclass(frozen=True)
class Placeholder:
    name: str
    label: str
    example: object
    # A list placeholder (the plan's agreements): the fields of each item.
    items: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class KindSpec:
    kind: str
    # "plan", "maatregel" (benefits.Measure), "" (the letterhead: no source)
    source: str
    placeholders: tuple[str, ...]
    subject: str
    body: str
    required: tuple[str, ...] = ()
    # The kind of enforcement decision (MeasureKind) a beschikking is for.
    measure_kind: str = ""
    # The legal ground when the source does not carry one (a Measure from the import).
    legal_ground: str = ""
    is_beschikking: bool = field(default=False)


PLACEHOLDERS: dict[str, Placeholder] = {
    p.name: p
    for p in (
        Placeholder("gemeente", "naam van de gemeente (uit de beleidsinstelling)", "Leidschendam-Voorburg"),
        Placeholder("datum_brief", "datum van de brief", "3 december 2026"),
        Placeholder("kenmerk", "kenmerk van de brief", "HH-MA1"),
        Placeholder("naam", "naam van de klant", "Anna de Vries"),
        Placeholder("klantnummer", "klantnummer", "KA0001"),
        Placeholder("bsn", "burgerservicenummer (alleen als de brief het echt nodig heeft)", "999999990"),
        Placeholder("afzender", "naam van wie de brief maakt", "Sanne de Wit"),
        Placeholder("plan_versie", "versie van het plan", "2"),
        Placeholder("plan_datum", "datum waarop het plan is opgesteld", "1 november 2026"),
        Placeholder("plan_status", "stand van het plan (ondertekend of concept)", "ondertekend"),
        Placeholder("doelen", "de doelen van het plan", "Binnen een jaar betaald werk in de logistiek."),
        Placeholder(
            "afspraken",
            "de afspraken van het plan (een lijst)",
            [
                {
                    "omschrijving": "Heftruckcertificaat halen",
                    "wie": "u",
                    "uiterlijk": "1 maart 2027",
                    "gedaan": "",
                }
            ],
            items=(
                ("omschrijving", "wat is afgesproken"),
                ("wie", "wie het doet (u, de consulent of samen)"),
                ("uiterlijk", "uiterlijke datum"),
                ("gedaan", "datum waarop het gedaan is (leeg als het nog open staat)"),
            ),
        ),
        Placeholder("akkoord_consulent", "datum akkoord van de consulent", "2 november 2026"),
        Placeholder("akkoord_klant", "datum akkoord van de klant", "2 november 2026"),
        Placeholder("besluitdatum", "datum van het besluit", "1 december 2026"),
        Placeholder(
            "reden", "waarom: de motivering van het besluit", "U was niet op uw afspraak van 3 november."
        ),
        Placeholder(
            "wettelijke_grondslag", "wettelijke grondslag", "artikel 18, tweede lid, van de Participatiewet"
        ),
        Placeholder("percentage", "percentage van de verlaging", "20%"),
        Placeholder("maanden", "aantal maanden", "1"),
        Placeholder("bedrag", "bedrag van de boete", "€ 150,00"),
        Placeholder("uren_per_week", "uren per week (tegenprestatie)", "8"),
        Placeholder(
            "ingetrokken_besluit",
            "wat is ingetrokken: het soort besluit, in gewone woorden",
            "de verlaging van uw uitkering (maatregel)",
        ),
        Placeholder("ingetrokken_kenmerk", "kenmerk van het besluit dat is ingetrokken", "HH-B12"),
        Placeholder(
            "reden_intrekking",
            "waarom het besluit is ingetrokken",
            "Wij hebben uw uren bij de werkgever verkeerd opgeteld.",
        ),
        Placeholder("intrekkingsdatum", "datum waarop het besluit is ingetrokken", "4 december 2026"),
        Placeholder("bezwaar_uiterlijk", "laatste dag om bezwaar te maken (zes weken)", "14 januari 2027"),
        Placeholder(
            "afspraak_datum", "datum van het gesprek (vult de consulent in)", "dinsdag 15 december 2026"
        ),
        Placeholder("afspraak_tijd", "tijd van het gesprek (vult de consulent in)", "10.30 uur"),
        Placeholder(
            "afspraak_plaats",
            "plaats van het gesprek (vult de consulent in)",
            "Gemeentehuis, Raadhuisplein 1, balie 3",
        ),
        Placeholder(
            "ook_meenemen",
            "wat de klant verder moet meenemen (vult de consulent in; mag leeg zijn)",
            "Het contract van uw nieuwe baan.",
        ),
    )
}

_COMMON = ("gemeente", "datum_brief", "kenmerk", "naam", "klantnummer", "afzender")
_BESCHIKKING = (*_COMMON, "bsn", "besluitdatum", "reden", "wettelijke_grondslag", "bezwaar_uiterlijk")

_CLOSING = """Met vriendelijke groet,

{{ afzender }}
namens het college van burgemeester en wethouders van {{ gemeente }}"""

# The bezwaar clause of every beschikking (Awb 6:7: six weeks; 3:45: the clause is in the
# letter). Short sentences, 'u', what to do, how and where.
_BEZWAAR = """# Bent u het niet eens met dit besluit?
Dan kunt u bezwaar maken. Dat moet binnen zes weken. Uw bezwaar moet uiterlijk op {{ bezwaar_uiterlijk }} bij ons zijn.

Zo maakt u bezwaar:
- Schrijf een brief. Zet daarin uw naam, uw adres en de datum.
- Schrijf op over welk besluit het gaat. Noem het kenmerk {{ kenmerk }}.
- Schrijf op waarom u het niet eens bent met het besluit.
- Zet uw handtekening onder de brief.
- Stuur de brief naar het college van burgemeester en wethouders van {{ gemeente }}. Het adres staat bovenaan deze brief.

Het besluit geldt ook als u bezwaar maakt. Is het dringend? Dan kunt u de rechtbank vragen om een voorlopige voorziening. Dat kost geld (griffierecht).

Wilt u eerst praten over het besluit? Bel of mail ons. Dat mag ook als u al bezwaar heeft gemaakt."""

_HELP = """# Heeft u vragen?
Neem dan contact op met {{ afzender }}. Noem het kenmerk {{ kenmerk }}."""

_MONEY_HELP = """Heeft u hierdoor problemen met betalen? Neem dan snel contact met ons op. Misschien kunnen wij u helpen."""


def _beschikking(kind, measure_kind, legal_ground, subject, decided, means, extra=()):
    body = f"""Beste {{{{ naam }}}},

{decided}

# Waarom hebben wij dit besloten?
{{{{ reden }}}}

Wij hebben dit besloten op grond van {{{{ wettelijke_grondslag }}}}.

# Wat betekent dit voor u?
{means}

{_BEZWAAR}

{_HELP}

{_CLOSING}"""
    return KindSpec(
        kind=kind,
        source="maatregel",
        placeholders=(*_BESCHIKKING, *extra),
        subject=subject,
        body=body,
        required=("bezwaar_uiterlijk",),
        measure_kind=measure_kind,
        legal_ground=legal_ground,
        is_beschikking=True,
    )


KINDS: dict[str, KindSpec] = {
    LetterKind.PLAN: KindSpec(
        kind=LetterKind.PLAN,
        source="plan",
        placeholders=(
            *_COMMON,
            "plan_versie",
            "plan_datum",
            "plan_status",
            "doelen",
            "afspraken",
            "akkoord_consulent",
            "akkoord_klant",
        ),
        subject="Uw plan van aanpak (versie {{ plan_versie }})",
        body="""Beste {{ naam }},

In deze brief staat uw plan van aanpak. Dit plan hebben wij samen met u gemaakt. Er staat in wat uw doel is en wat wij hebben afgesproken.

# Uw doel
{{ doelen }}

# Wat hebben wij afgesproken?
{% for afspraak in afspraken %}- {{ afspraak.omschrijving }}. Wie: {{ afspraak.wie }}. Uiterlijk: {{ afspraak.uiterlijk }}.{% if afspraak.gedaan %} Gedaan op {{ afspraak.gedaan }}.{% endif %}
{% empty %}Er zijn nog geen afspraken.
{% endfor %}
# Wat betekent dit voor u?
U doet wat bij u staat. Lukt iets niet? Vertel het ons op tijd. Dan zoeken wij samen een oplossing.
{% if plan_status == "ondertekend" %}
U en uw consulent zijn akkoord met dit plan. Uw consulent gaf akkoord op {{ akkoord_consulent }}. U gaf akkoord op {{ akkoord_klant }}.{% else %}
Dit plan is nog niet door u en uw consulent allebei goedgekeurd. Het geldt pas als u allebei akkoord geeft.{% endif %}

# Bent u het niet eens met het plan?
Praat er eerst over met uw consulent. Samen kunnen wij het plan aanpassen. Krijgt u een besluit over uw uitkering dat met dit plan te maken heeft? Dan staat in dat besluit hoe u bezwaar kunt maken.

"""
        + _HELP
        + """

Met vriendelijke groet,

{{ afzender }}
Gemeente {{ gemeente }}""",
    ),
    LetterKind.WAARSCHUWING: _beschikking(
        LetterKind.WAARSCHUWING,
        "waarschuwing",
        "artikel 18a van de Participatiewet en artikel 2a van het Boetebesluit socialezekerheidswetten",
        "Besluit: u krijgt een waarschuwing",
        "Wij hebben besloten u een schriftelijke waarschuwing te geven. U heeft zich niet aan een regel gehouden. Deze keer krijgt u geen verlaging en geen boete.",
        """Uw uitkering blijft hetzelfde. Wij houden deze waarschuwing bij. Houdt u zich nog een keer niet aan deze regel? Dan kunnen wij uw uitkering verlagen of u een boete geven.""",
    ),
    LetterKind.BOETE: _beschikking(
        LetterKind.BOETE,
        "boete",
        "artikel 18a van de Participatiewet",
        "Besluit: u krijgt een boete",
        "Wij hebben besloten u een boete te geven{% if bedrag %} van {{ bedrag }}{% endif %}. U heeft ons iets niet of niet op tijd verteld dat belangrijk is voor uw uitkering.",
        """U moet de boete betalen. Hoe en wanneer dat moet, sturen wij u in een aparte brief. U kunt ook vragen of u de boete in delen mag betalen.

"""
        + _MONEY_HELP,
        extra=("bedrag",),
    ),
    LetterKind.MAATREGEL: _beschikking(
        LetterKind.MAATREGEL,
        "maatregel",
        "artikel 18, tweede lid, van de Participatiewet en de verordening maatregelen van de gemeente",
        "Besluit: wij verlagen uw uitkering",
        "Wij hebben besloten uw uitkering te verlagen. Dat heet een maatregel.{% if percentage %} Wij verlagen uw uitkering met {{ percentage }}{% if maanden %}, {% if maanden == '1' %}1 maand{% else %}{{ maanden }} maanden{% endif %} lang{% endif %}.{% endif %}",
        """U krijgt minder uitkering. Daarna krijgt u weer het bedrag van nu.

"""
        + _MONEY_HELP,
        extra=("percentage", "maanden"),
    ),
    LetterKind.TEGENPRESTATIE: _beschikking(
        LetterKind.TEGENPRESTATIE,
        "tegenprestatie",
        "artikel 9, eerste lid, onderdeel c, van de Participatiewet",
        "Besluit: u doet een tegenprestatie",
        "Wij hebben besloten dat u een tegenprestatie doet. Dat is nuttig onbetaald werk naast uw uitkering.{% if uren_per_week %} U doet dit {{ uren_per_week }} uur per week{% if maanden %}, {% if maanden == '1' %}1 maand{% else %}{{ maanden }} maanden{% endif %} lang{% endif %}.{% endif %}",
        """Uw uitkering blijft hetzelfde. U krijgt geen loon voor de tegenprestatie. Doet u de tegenprestatie niet? Dan kunnen wij uw uitkering verlagen.""",
        extra=("uren_per_week", "maanden"),
    ),
    LetterKind.BRIEFHOOFD: KindSpec(
        kind=LetterKind.BRIEFHOOFD,
        source="",
        placeholders=("gemeente",),
        subject="Gemeente {{ gemeente }}",
        body="""Afdeling Werk en Inkomen
Vul hier het postadres, het telefoonnummer en de website van de gemeente in.""",
    ),
}

# The withdrawal of a final decision (decision 167): a beschikking of its own (Awb 1:3), so
# it has the bezwaar clause; it names the decision it withdraws by its kenmerk and kind,
# not by its facts (no amounts, no health or other details of the original).
KINDS[LetterKind.INTREKKING] = KindSpec(
    kind=LetterKind.INTREKKING,
    source="intrekking",
    placeholders=(
        *_COMMON,
        "besluitdatum",
        "ingetrokken_besluit",
        "ingetrokken_kenmerk",
        "reden_intrekking",
        "intrekkingsdatum",
        "bezwaar_uiterlijk",
    ),
    subject="Besluit: wij trekken ons besluit van {{ besluitdatum }} in",
    body=f"""Beste {{{{ naam }}}},

Op {{{{ besluitdatum }}}} hebben wij een besluit over u genomen: {{{{ ingetrokken_besluit }}}}. Dat besluit had het kenmerk {{{{ ingetrokken_kenmerk }}}}. Wij trekken dat besluit nu in. Dat betekent: het besluit geldt niet meer.

# Waarom trekken wij het besluit in?
{{{{ reden_intrekking }}}}

Wij hebben dit besloten op {{{{ intrekkingsdatum }}}}.

# Wat betekent dit voor u?
Het oude besluit geldt niet meer. Heeft u door dat besluit minder uitkering gekregen of een boete betaald? Dan krijgt u dat geld terug. Wij laten u weten wanneer.

Misschien nemen wij later een nieuw besluit over dezelfde zaak, met de juiste gegevens. Dan krijgt u daarover een aparte brief. In die brief staat ook hoe u bezwaar kunt maken.

U hoeft nu niets te doen.

{_BEZWAAR}

{_HELP}

{_CLOSING}""",
    required=("bezwaar_uiterlijk",),
    is_beschikking=True,
)

# The invitation to a rechtmatigheidsonderzoek (decision 169): not a beschikking (no
# bezwaar clause), so it says what the law asks (art. 17 Pw: inlichtingen- en
# medewerkingsplicht) and what follows from not coming (art. 54 Pw: opschorten after a
# hersteltermijn, then possibly ending the benefit), and nothing of the client's file: no
# BSN, no amounts, no earlier onderzoeken or other cases.
KINDS[LetterKind.UITNODIGING_ONDERZOEK] = KindSpec(
    kind=LetterKind.UITNODIGING_ONDERZOEK,
    source="onderzoek",
    placeholders=(*_COMMON, "afspraak_datum", "afspraak_tijd", "afspraak_plaats", "ook_meenemen"),
    subject="Uitnodiging: gesprek over uw uitkering op {{ afspraak_datum }}",
    body=f"""Beste {{{{ naam }}}},

Wij nodigen u uit voor een gesprek over uw uitkering. In dat gesprek kijken wij samen of uw uitkering nog klopt. Dat heet een rechtmatigheidsonderzoek.

# Waarom dit gesprek?
Wij doen dit onderzoek bij iedereen met een bijstandsuitkering, om de zoveel tijd. Het is dus geen straf. Wij kijken of uw situatie nog hetzelfde is: waar en met wie u woont, uw inkomen en uw geld op de bank.

# Wanneer en waar?
- Datum: {{{{ afspraak_datum }}}}
- Tijd: {{{{ afspraak_tijd }}}}
- Plaats: {{{{ afspraak_plaats }}}}

Kunt u niet op deze dag of tijd? Bel of mail ons dan vóór de afspraak. Dan maken wij een nieuwe afspraak.

# Wat neemt u mee?
- Uw paspoort, identiteitskaart of verblijfsdocument.
- De afschriften van al uw bankrekeningen en spaarrekeningen van de laatste 3 maanden.
- Uw huurcontract en de laatste brief over uw huur, of de gegevens van uw hypotheek.
- Loonstroken of andere papieren over inkomen, als u die heeft.
{{% if ook_meenemen %}}- {{{{ ook_meenemen }}}}
{{% endif %}}
# U moet ons alles vertellen wat belangrijk is
Dat staat in de wet (artikel 17 van de Participatiewet). Vertel ons alles wat invloed kan hebben op uw uitkering. Bijvoorbeeld: werk, ander inkomen, geld of spullen van waarde, of wie er bij u woont. U moet ook meewerken aan dit onderzoek. Daarom vragen wij u te komen en de papieren mee te nemen.

# Wat gebeurt er als u niet komt?
Komt u niet, en laat u ons niet weten waarom? Dan kunnen wij niet nagaan of u recht heeft op uw uitkering. Dan krijgt u eerst een brief met een nieuwe termijn. Komt u dan nog niet, of krijgen wij de papieren niet? Dan kunnen wij uw uitkering stopzetten. Daarna kunnen wij de uitkering ook beëindigen.

{_HELP}

{_CLOSING}""",
    required=("afspraak_datum", "afspraak_tijd", "afspraak_plaats"),
)

BESCHIKKING_FOR_MEASURE = {spec.measure_kind: kind for kind, spec in KINDS.items() if spec.measure_kind}


def spec_of(kind: str) -> KindSpec:
    return KINDS[kind]
