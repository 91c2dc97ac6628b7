from django.db import models
from django.utils.translation import gettext_lazy as _

from trede.instruments.constants import Funding

__all__ = ["CeilingMeasure", "Funding", "OverrideSubject", "PaymentKind"]


class PaymentKind(models.TextChoices):
    UITKERING = "uitkering", _("uitkering")
    LOONKOSTENSUBSIDIE = "loonkostensubsidie", _("loonkostensubsidie")
    PREMIE = "premie", _("premie")
    TRAJECT = "traject", _("traject")
    OVERIG = "overig", _("overig")


class OverrideSubject(models.TextChoices):
    GOEDKEURING = "goedkeuring", _("goedkeuring van een declaratie")
    VERWIJZING = "verwijzing", _("verwijzing naar een traject")


class CeilingMeasure(models.TextChoices):
    GELD = "geld", _("geldplafond")
    VOLUME = "volume", _("volumeplafond (aantal trajecten)")
