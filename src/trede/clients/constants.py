from django.db import models
from django.utils.translation import gettext_lazy as _


class Gender(models.TextChoices):
    MAN = "man", _("man")
    VROUW = "vrouw", _("vrouw")
    X = "x", _("x")
    ONBEKEND = "onbekend", _("onbekend")


class Household(models.TextChoices):
    ALLEENSTAAND = "alleenstaand", _("alleenstaand")
    ALLEENSTAANDE_OUDER = "alleenstaande_ouder", _("alleenstaande ouder")
    GEHUWD_SAMENWONEND = "gehuwd_samenwonend", _("gehuwd of samenwonend")
    OVERIG = "overig", _("overig")


class Education(models.TextChoices):
    GEEN = "geen", _("geen")
    BASIS = "basis", _("basisonderwijs")
    VMBO_MBO1 = "vmbo_mbo1", _("vmbo / mbo 1")
    MBO2_4 = "mbo2_4", _("mbo 2-4")
    HAVO_VWO = "havo_vwo", _("havo / vwo")
    HBO_WO = "hbo_wo", _("hbo / wo")
    ONBEKEND = "onbekend", _("onbekend")


class DutchLanguage(models.TextChoices):
    A0 = "a0", "A0"
    A1 = "a1", "A1"
    A2 = "a2", "A2"
    B1 = "b1", "B1"
    B2 = "b2", "B2"
    C1 = "c1", "C1"
    C2 = "c2", "C2"
    MOEDERTAAL = "moedertaal", _("moedertaal")
    ONBEKEND = "onbekend", _("onbekend")
