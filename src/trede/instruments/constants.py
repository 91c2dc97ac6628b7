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
