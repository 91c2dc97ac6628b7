from django.db import models
from django.utils.translation import gettext_lazy as _

# SBI 2008 sections (CBS), the level employers are classified at in the interchange.
SBI_SECTIONS = {
    "A": "Landbouw, bosbouw en visserij",
    "B": "Delfstoffenwinning",
    "C": "Industrie",
    "D": "Energievoorziening",
    "E": "Waterbedrijven en afvalbeheer",
    "F": "Bouwnijverheid",
    "G": "Handel",
    "H": "Vervoer en opslag",
    "I": "Horeca",
    "J": "Informatie en communicatie",
    "K": "Financiële dienstverlening",
    "L": "Verhuur en handel van onroerend goed",
    "M": "Specialistische zakelijke diensten",
    "N": "Verhuur en overige zakelijke diensten",
    "O": "Openbaar bestuur",
    "P": "Onderwijs",
    "Q": "Gezondheids- en welzijnszorg",
    "R": "Cultuur, sport en recreatie",
    "S": "Overige dienstverlening",
    "T": "Huishoudens",
    "U": "Extraterritoriale organisaties",
}


class Sector(models.TextChoices):
    A = "A", SBI_SECTIONS["A"]
    B = "B", SBI_SECTIONS["B"]
    C = "C", SBI_SECTIONS["C"]
    D = "D", SBI_SECTIONS["D"]
    E = "E", SBI_SECTIONS["E"]
    F = "F", SBI_SECTIONS["F"]
    G = "G", SBI_SECTIONS["G"]
    H = "H", SBI_SECTIONS["H"]
    I = "I", SBI_SECTIONS["I"]  # noqa: E741
    J = "J", SBI_SECTIONS["J"]
    K = "K", SBI_SECTIONS["K"]
    L = "L", SBI_SECTIONS["L"]
    M = "M", SBI_SECTIONS["M"]
    N = "N", SBI_SECTIONS["N"]
    O = "O", SBI_SECTIONS["O"]  # noqa: E741
    P = "P", SBI_SECTIONS["P"]
    Q = "Q", SBI_SECTIONS["Q"]
    R = "R", SBI_SECTIONS["R"]
    S = "S", SBI_SECTIONS["S"]
    T = "T", SBI_SECTIONS["T"]
    U = "U", SBI_SECTIONS["U"]


class SizeClass(models.TextChoices):
    XS = "1-9", "1-9"
    S = "10-49", "10-49"
    M = "50-249", "50-249"
    L = "250+", "250+"


class Contract(models.TextChoices):
    VAST = "vast", _("vast")
    TIJDELIJK = "tijdelijk", _("tijdelijk")
    PROEFPLAATSING = "proefplaatsing", _("proefplaatsing")
    DETACHERING = "detachering", _("detachering")
    UITZEND = "uitzend", _("uitzendwerk")


class Subsidy(models.TextChoices):
    GEEN = "geen", _("geen")
    LKS = "lks", _("loonkostensubsidie")
    PROEFPLAATSING = "proefplaatsing", _("proefplaatsing")
    PLAATSINGSSUBSIDIE = "plaatsingssubsidie", _("plaatsingssubsidie")


class VacancyKind(models.TextChoices):
    REGULIER = "regulier", _("reguliere baan")
    LEERWERKPLEK = "leerwerkplek", _("leerwerkplek")
    WERKSTAGE = "werkstage", _("werkstage")
    WERKERVARINGSPLAATS = "werkervaringsplaats", _("werkervaringsplaats")


class VacancyStatus(models.TextChoices):
    # Only an open vacancy gets candidates (with its open and close dates, as imported).
    OPEN = "open", _("open")
    AANGEHOUDEN = "aangehouden", _("aangehouden")
    VERVULD = "vervuld", _("vervuld")
    INGETROKKEN = "ingetrokken", _("ingetrokken")


class VoordrachtStatus(models.TextChoices):
    VOORGESTELD = "voorgesteld", _("voorgesteld, toestemming van de klant gevraagd")
    TOESTEMMING = "toestemming", _("toestemming gegeven")
    GEWEIGERD = "geweigerd", _("toestemming geweigerd")
    BIJ_WERKGEVER = "bij_werkgever", _("voorgesteld aan de werkgever")
    AANGENOMEN = "aangenomen", _("aangenomen")
    AFGEWEZEN = "afgewezen", _("afgewezen")
    # The client withdrew the consent given (AVG art. 7(3): as easy as giving it).
    INGETROKKEN = "ingetrokken", _("toestemming ingetrokken")


# With the client's consent the entry is a relationship: the accountmanager works with
# this client for this employer (accounts.access._candidate_at_own_employers).
CONSENTED = (
    VoordrachtStatus.TOESTEMMING,
    VoordrachtStatus.BIJ_WERKGEVER,
    VoordrachtStatus.AANGENOMEN,
    VoordrachtStatus.AFGEWEZEN,
)
