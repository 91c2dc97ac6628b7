from django.db import models
from django.db.models import Q
from django.db.models.functions import Cast, Length, Mod, Substr
from django.db.models.lookups import Exact
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from trede.utils.models import choice_constraint

from .constants import DutchLanguage, Education, Gender, Household
from .validators import BSN_WEIGHTS, validate_bsn


def _bsn_elfproef() -> Q:
    """The 11-proef as a database check, so no write path can store an invalid BSN."""
    weighted = sum(
        (Cast(Substr("bsn", i + 1, 1), models.IntegerField()) * w for i, w in enumerate(BSN_WEIGHTS)),
        start=models.Value(0),
    )
    return Q(bsn="") | (Q(Exact(Length("bsn"), 9)) & Q(Exact(Mod(weighted, 11), 0)))


class Client(models.Model):
    """A person in the Participatiewet chain (inwoner, klant)."""

    client_id = models.CharField(_("klantnummer"), max_length=64, primary_key=True)
    bsn = models.CharField(_("BSN"), max_length=9, blank=True, db_index=True, validators=[validate_bsn])
    given_name = models.CharField(_("voornaam"), max_length=100, blank=True)
    family_name = models.CharField(_("achternaam"), max_length=150, blank=True)
    birth_date = models.DateField(_("geboortedatum"))
    gender = models.CharField(_("geslacht"), max_length=10, choices=Gender.choices, blank=True)
    household = models.CharField(_("huishouden"), max_length=24, choices=Household.choices, blank=True)
    education = models.CharField(_("opleiding"), max_length=12, choices=Education.choices, blank=True)
    dutch_language = models.CharField(
        _("Nederlandse taal"), max_length=12, choices=DutchLanguage.choices, blank=True
    )
    statushouder = models.BooleanField(_("statushouder"), null=True)
    dgr = models.BooleanField(_("doelgroepregister"), null=True)
    postcode4 = models.CharField(_("postcode (4 cijfers)"), max_length=4, blank=True)
    municipality = models.CharField(_("gemeente (CBS-code)"), max_length=6, blank=True)
    consultant = models.ForeignKey(
        "casework.Consultant",
        verbose_name=_("consulent"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="clients",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("klant")
        verbose_name_plural = _("klanten")
        ordering = ["client_id"]
        indexes = [models.Index(fields=["family_name", "given_name"], name="client_name_idx")]
        constraints = [
            choice_constraint("gender", Gender, name="client_gender_code"),
            choice_constraint("household", Household, name="client_household_code"),
            choice_constraint("education", Education, name="client_education_code"),
            choice_constraint("dutch_language", DutchLanguage, name="client_dutch_language_code"),
            models.CheckConstraint(condition=_bsn_elfproef(), name="client_bsn_elfproef"),
        ]

    def __str__(self) -> str:
        name = " ".join(p for p in (self.given_name, self.family_name) if p)
        return f"{name} ({self.client_id})" if name else self.client_id

    @property
    def name(self) -> str:
        return " ".join(p for p in (self.given_name, self.family_name) if p) or self.client_id


class ClientProfile(models.Model):
    """The work profile used for matching: what an accountmanager may see."""

    client = models.OneToOneField(
        Client, primary_key=True, on_delete=models.CASCADE, related_name="profile", verbose_name=_("klant")
    )
    desired_occupations = models.JSONField(_("gewenste beroepen (ISCO-08)"), default=list, blank=True)
    skills = models.JSONField(_("vaardigheden"), default=list, blank=True)
    hours_available = models.DecimalField(
        _("beschikbare uren per week"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    max_travel_km = models.DecimalField(
        _("maximale reisafstand (km)"), max_digits=6, decimal_places=1, null=True, blank=True
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("werkprofiel")
        verbose_name_plural = _("werkprofielen")

    def __str__(self) -> str:
        return f"werkprofiel {self.client_id}"


class Postcode(models.Model):
    """The centroid of a four-digit postcode area (postcodes.csv), for travel distances."""

    postcode4 = models.CharField(_("postcode (4 cijfers)"), max_length=4, primary_key=True)
    lat = models.DecimalField(_("breedtegraad"), max_digits=10, decimal_places=7, null=True, blank=True)
    lon = models.DecimalField(_("lengtegraad"), max_digits=11, decimal_places=7, null=True, blank=True)

    class Meta:
        verbose_name = _("postcodegebied")
        verbose_name_plural = _("postcodegebieden")
        ordering = ["postcode4"]
        constraints = [
            models.CheckConstraint(
                condition=Q(lat__isnull=True) | Q(lat__gte=-90, lat__lte=90), name="postcode_lat_range"
            ),
            models.CheckConstraint(
                condition=Q(lon__isnull=True) | Q(lon__gte=-180, lon__lte=180), name="postcode_lon_range"
            ),
        ]

    def __str__(self) -> str:
        return self.postcode4
