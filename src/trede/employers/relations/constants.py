from django.db import models
from django.utils.translation import gettext_lazy as _


class AgreementKind(models.TextChoices):
    # Social return: a share of a municipal contract's value spent on jobs for people at a
    # distance from the labour market, agreed in the tender (seed 003 §3.3, seed 000 ch. 4).
    SROI = "sroi", _("SROI-verplichting")
    # Banenafspraak (Wet banenafspraak): extra jobs for people in the doelgroepregister.
    BANENAFSPRAAK = "banenafspraak", _("Banenafspraak")
    # Prestatieladder Socialer Ondernemen: a certified level of social entrepreneurship.
    PSO = "pso", _("PSO (Prestatieladder Socialer Ondernemen)")
    WERKSTAGE = "werkstage", _("Structureel aanbod werkstages of leerwerkplekken")
    ANDERS = "anders", _("Andere afspraak")


class PsoLevel(models.IntegerChoices):
    AANLOOP = 0, _("Aanloopniveau")
    TREDE_1 = 1, _("Trede 1")
    TREDE_2 = 2, _("Trede 2")
    TREDE_3 = 3, _("Trede 3")


class MomentKind(models.TextChoices):
    BEZOEK = "bezoek", _("Bedrijfsbezoek")
    TELEFOON = "telefoon", _("Telefoongesprek")
    EMAIL = "email", _("E-mail")
    OVERLEG = "overleg", _("Overleg of evaluatie")
    EVENEMENT = "evenement", _("Netwerkbijeenkomst")
