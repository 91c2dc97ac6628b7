from django.db import models
from django.utils.translation import gettext_lazy as _


class ProviderKind(models.TextChoices):
    GEMEENTE = "gemeente", _("gemeente")
    SW_BEDRIJF = "sw_bedrijf", _("SW-bedrijf")
    WSP = "wsp", _("werkgeversservicepunt")
    REINTEGRATIEBEDRIJF = "reintegratiebedrijf", _("re-integratiebedrijf")
    ONDERWIJS = "onderwijs", _("onderwijs")
    MAATSCHAPPELIJK = "maatschappelijk", _("maatschappelijke organisatie")


class InstrumentType(models.TextChoices):
    JOBCOACHING = "jobcoaching", _("jobcoaching")
    WERKERVARINGSPLAATS = "werkervaringsplaats", _("werkervaringsplaats")
    WERKSTAGE = "werkstage", _("werkstage")
    TAALSTAGE = "taalstage", _("taalstage")
    VRIJWILLIGERSWERK = "vrijwilligerswerk", _("(begeleid) vrijwilligerswerk")
    ARBEIDSMEDISCH_ADVIES = "arbeidsmedisch_advies", _("arbeidsmedisch advies")
    SCHOLING = "scholing", _("scholing")
    MAATWERKTRAJECT = "maatwerktraject", _("individueel maatwerktraject")
    PROEFPLAATSING = "proefplaatsing", _("proefplaatsing")
    LOONKOSTENSUBSIDIE = "loonkostensubsidie", _("loonkostensubsidie")
    SOLLICITATIETRAINING = "sollicitatietraining", _("sollicitatietraining")
    SOCIALE_ACTIVERING = "sociale_activering", _("sociale activering")
    OVERIG = "overig", _("overig")


class Funding(models.TextChoices):
    REINTEGRATIEBUDGET = "reintegratiebudget", _("re-integratiebudget")
    BUIG = "buig", _("BUIG")
    OVERIG = "overig", _("overig")


class TrajectoryResult(models.TextChoices):
    GESLAAGD = "geslaagd", _("geslaagd")
    NIET_GESLAAGD = "niet_geslaagd", _("niet geslaagd")
    VOORTIJDIG_GESTOPT = "voortijdig_gestopt", _("voortijdig gestopt")
    LOPEND = "lopend", _("lopend")


# --------------------------------------------------------------------------- catalogue, contracts, claims


class SuccessKind(models.TextChoices):
    """How an instrument's success criterion is judged."""

    WORK_HOURS = "werkuren", _("werk: minstens N uur per week gedurende minstens M maanden")
    LANGUAGE_LEVEL = "taalniveau", _("taalniveau: minstens een niveau")
    FREE_TEXT = "vrije_tekst", _("anders (omschrijving)")


class PriceModel(models.TextChoices):
    PER_TRAJECT = "per_traject", _("per traject")
    PER_MAAND = "per_maand", _("per maand")
    PER_RESULTAAT = "per_resultaat", _("per resultaat")
    GEMENGD = "gemengd", _("gemengd")


class Repayment(models.TextChoices):
    """What the provider repays when the result is not reached."""

    GEEN = "geen", _("geen terugbetaling")
    BEDRAG = "bedrag", _("een vast bedrag")
    AANDEEL = "aandeel", _("een percentage van wat betaald is")


class LineKind(models.TextChoices):
    TRAJECTPRIJS = "trajectprijs", _("trajectprijs")
    TERMIJN = "termijn", _("maandtermijn")
    RESULTAAT = "resultaat", _("resultaatbonus")
    TERUGVORDERING = "terugvordering", _("terugvordering")


class ClaimKind(models.TextChoices):
    DECLARATIE = "declaratie", _("declaratie van de aanbieder")
    TERUGVORDERING = "terugvordering", _("terugvordering door de gemeente")


class ClaimStatus(models.TextChoices):
    INGEDIEND = "ingediend", _("ingediend")
    GECONTROLEERD = "gecontroleerd", _("gecontroleerd")
    GOEDGEKEURD = "goedgekeurd", _("goedgekeurd en betaald")
    AFGEWEZEN = "afgewezen", _("afgewezen")


# --------------------------------------------------------------------------- referrals


class NoShowReason(models.TextChoices):
    """Why a referred client did not start (what the provider may say: no health details)."""

    NIET_VERSCHENEN = "niet_verschenen", _("niet verschenen op de intake of de start")
    NIET_BEREIKBAAR = "niet_bereikbaar", _("niet bereikbaar voor een afspraak")
    AFGEMELD = "afgemeld", _("afgemeld door de klant")
    NIET_GESCHIKT = "niet_geschikt", _("na de intake niet passend bij het instrument")
    ANDERS = "anders", _("anders (zie toelichting)")


class ReviewStatus(models.TextChoices):
    """The consultant's judgement of a provider's end report."""

    OPEN = "open", _("wacht op de consulent")
    BEVESTIGD = "bevestigd", _("bevestigd door de consulent")
    BETWIST = "betwist", _("betwist door de consulent")


# The results a provider can report at the end (`lopend` is no end).
END_RESULTS = (
    TrajectoryResult.GESLAAGD,
    TrajectoryResult.NIET_GESLAAGD,
    TrajectoryResult.VOORTIJDIG_GESTOPT,
)
