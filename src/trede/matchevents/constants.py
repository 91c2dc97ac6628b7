from django.db import models
from django.utils.translation import gettext_lazy as _


class EventKind(models.TextChoices):
    NETWERKCAFE = "netwerkcafe", _("Netwerkcafé")
    SPEEDDATE = "speeddate", _("speeddates")
    BANENMARKT = "banenmarkt", _("banenmarkt")
    ANDERS = "anders", _("andere bijeenkomst")


class EventStatus(models.TextChoices):
    CONCEPT = "concept", _("concept")  # participants being gathered, no indeling yet
    INGEDEELD = "ingedeeld", _("ingedeeld")  # an indeling was made (and may be remade)
    AFGESLOTEN = "afgesloten", _("afgesloten")  # nothing changes any more


class PairStatus(models.TextChoices):
    VOORGESTELD = "voorgesteld", _("voorgesteld door de indeling")
    BEVESTIGD = "bevestigd", _("bevestigd (voorgedragen)")
    VERVALLEN = "vervallen", _("laten vallen")


# The number of candidates one vacancy meets at an event (a plausibility bound, not policy).
PLACES_MAX = 50
NAME_MAX = 200
LOCATION_MAX = 200
# How many of the engine's best candidates per vacancy the organiser is offered to invite.
POOL_PER_VACANCY = 20
