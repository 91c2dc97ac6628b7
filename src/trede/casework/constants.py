from django.db import models
from django.utils.translation import gettext_lazy as _


class ContactKind(models.TextChoices):
    GESPREK = "gesprek", _("gesprek")
    HUISBEZOEK = "huisbezoek", _("huisbezoek")
    TELEFONISCH = "telefonisch", _("telefonisch")
    DIGITAAL = "digitaal", _("digitaal")
    GROEP = "groep", _("groepsbijeenkomst")


class AssessedBy(models.TextChoices):
    TOOL = "tool", _("diagnose-instrument")
    CONSULTANT = "consultant", _("consulent")


LADDER_STEPS = {
    1: _("geïsoleerd"),
    2: _("sociale contacten buiten de deur"),
    3: _("deelname georganiseerde activiteiten"),
    4: _("onbetaald werk"),
    5: _("betaald werk met ondersteuning"),
    6: _("betaald werk"),
}
