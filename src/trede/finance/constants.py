from django.db import models
from django.utils.translation import gettext_lazy as _

from trede.instruments.constants import Funding

__all__ = ["Funding", "PaymentKind"]


class PaymentKind(models.TextChoices):
    UITKERING = "uitkering", _("uitkering")
    LOONKOSTENSUBSIDIE = "loonkostensubsidie", _("loonkostensubsidie")
    PREMIE = "premie", _("premie")
    TRAJECT = "traject", _("traject")
    OVERIG = "overig", _("overig")
