from django.db import models
from django.utils.translation import gettext_lazy as _


class Regulation(models.TextChoices):
    PW = "pw", _("Participatiewet")
    IOAW = "ioaw", _("IOAW")
    IOAZ = "ioaz", _("IOAZ")
    BBZ = "bbz", _("Bbz")


class EndReason(models.TextChoices):
    WERK = "werk", _("werk")
    ONDERWIJS = "onderwijs", _("onderwijs")
    VERHUIZING = "verhuizing", _("verhuizing")
    AOW = "aow", _("AOW-leeftijd")
    OVERLIJDEN = "overlijden", _("overlijden")
    DETENTIE = "detentie", _("detentie")
    PARTNER_INKOMEN = "partner_inkomen", _("inkomen partner")
    RECHTMATIGHEID = "rechtmatigheid", _("rechtmatigheid")
    OVERIG = "overig", _("overig")


class MeasureKind(models.TextChoices):
    WAARSCHUWING = "waarschuwing", _("waarschuwing")
    BOETE = "boete", _("boete")
    MAATREGEL = "maatregel", _("maatregel")
    TEGENPRESTATIE = "tegenprestatie", _("tegenprestatie")
