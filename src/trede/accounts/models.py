from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CONSULENT_WERK = "consulent_werk", _("consulent werk")
    CONSULENT_INKOMEN = "consulent_inkomen", _("consulent inkomen")
    ACCOUNTMANAGER = "accountmanager", _("accountmanager")
    AANBIEDER = "aanbieder", _("aanbieder")
    TEAMLEIDER = "teamleider", _("kwaliteitsmedewerker / teamleider")
    BELEID = "beleid", _("beleid")
    PRIVACY = "privacy", _("privacyfunctionaris")
    BEHEERDER = "beheerder", _("beheerder")
    INWONER = "inwoner", _("inwoner")


class User(AbstractUser):
    """A person who logs in; what they may see follows from `role` and relationships."""

    role = models.CharField(_("rol"), max_length=20, choices=Role.choices, default=Role.BELEID)

    class Meta:
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")
