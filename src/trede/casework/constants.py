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


class ContactOutcome(models.TextChoices):
    GEHOUDEN = "gehouden", _("gehouden")
    NIET_VERSCHENEN = "niet_verschenen", _("niet verschenen")
    AFGEZEGD = "afgezegd", _("afgezegd")


class Route(models.TextChoices):
    DIRECTE_BEMIDDELING = "directe_bemiddeling", _("directe bemiddeling")
    RE_INTEGRATIE = "re_integratie", _("re-integratie")
    PARTICIPATIE = "participatie", _("participatie")


WORK_ROUTES = (Route.DIRECTE_BEMIDDELING, Route.RE_INTEGRATIE)


class Category(models.TextChoices):
    C1A = "1A", _("1A — 0 tot 3 maanden")
    C1B = "1B", _("1B — 4 tot 12 maanden")
    C1C = "1C", _("1C — 13 tot 24 maanden")
    C2A = "2A", _("2A — 25 tot 48 maanden")
    C2B = "2B", _("2B — beschut werk / banenafspraak")
    C3A = "3A", _("3A — tegenprestatie / heronderzoek")
    C3B = "3B", _("3B — dienstverlening op maat")


class ClientGroup(models.TextChoices):
    DIRECT_WERK = "direct_werk", _("direct werk")
    WERKEN_EN_ERVAREN = "werken_en_ervaren", _("werken en ervaren")
    LEREN_EN_ONTWIKKELEN = "leren_en_ontwikkelen", _("leren en ontwikkelen")
    ZORG = "zorg", _("zorg")
    WERKVOORZIENEND = "werkvoorzienend", _("werkvoorzienend")
    GEPLAATST = "geplaatst", _("geplaatst")


class ApplicationKind(models.TextChoices):
    MELDING = "melding", _("melding")
    AANVRAAG = "aanvraag", _("aanvraag")


class ApplicationStatus(models.TextChoices):
    NIEUW = "nieuw", _("nieuw")
    VRAGENLIJST = "vragenlijst", _("vragenlijst uitgezet")
    INTAKE = "intake", _("intakegesprek")
    DIAGNOSE = "diagnose", _("diagnose vastgesteld")
    AFGEROND = "afgerond", _("afgerond")


class PlanStatus(models.TextChoices):
    CONCEPT = "concept", _("concept")
    ONDERTEKEND = "ondertekend", _("ondertekend")
    VERVALLEN = "vervallen", _("vervangen door nieuwe versie")


class ActionOwner(models.TextChoices):
    KLANT = "klant", _("klant")
    CONSULENT = "consulent", _("consulent")
    AANBIEDER = "aanbieder", _("aanbieder")
    WERKGEVER = "werkgever", _("werkgever")
    ANDERS = "anders", _("anders")


# What a consultant may change when overriding the diagnosis tool (form and service).
DIAGNOSIS_OVERRIDABLE = (
    "months_to_work",
    "ladder_step",
    "ladder_target",
    "wage_value_pct",
    "category",
    "route",
    "client_group",
)
