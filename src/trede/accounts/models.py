from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CONSULENT_WERK = "consulent_werk", _("consulent werk")
    CONSULENT_INKOMEN = "consulent_inkomen", _("consulent inkomen")
    ACCOUNTMANAGER = "accountmanager", _("accountmanager")
    AANBIEDER = "aanbieder", _("aanbieder")
    TEAMLEIDER = "teamleider", _("kwaliteitsmedewerker / teamleider")
    CONTRACTMANAGER = "contractmanager", _("contractmanager")
    BELEID = "beleid", _("beleid")
    PRIVACY = "privacy", _("privacyfunctionaris")
    BEHEERDER = "beheerder", _("beheerder")
    INWONER = "inwoner", _("inwoner")


class User(AbstractUser):
    """A person who logs in; what they may see follows from `role` and relationships."""

    role = models.CharField(_("rol"), max_length=20, choices=Role.choices, default=Role.BELEID)
    # `trede createsuperuser` asks for the role too (or takes --role), so the first account
    # of a new installation is a beheerder, not the default role.
    REQUIRED_FIELDS = ["email", "role"]
    team = models.CharField(
        _("team"), max_length=100, blank=True, help_text=_("Voor teamleiders: het team waarvoor zij werken.")
    )
    provider = models.ForeignKey(
        "instruments.Provider",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("aanbieder"),
        help_text=_("Voor medewerkers van een aanbieder."),
    )
    client = models.OneToOneField(
        "clients.Client",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="user",
        verbose_name=_("eigen klantdossier"),
        help_text=_("Voor inwoners: hun eigen dossier."),
    )
    # A system (BI tool, another municipal system) that uses the API with application
    # tokens: it has a role like a person, but no password and no interactive login.
    system_account = models.BooleanField(
        _("systeemaccount"),
        default=False,
        help_text=_("Voor een koppeling met een ander systeem: alleen applicatietokens, nooit inloggen."),
    )

    # Who this person is at the municipality's identity provider (the OpenID Connect `sub`),
    # once they logged in with single sign-on; empty for local accounts.
    sso_subject = models.CharField(_("SSO-kenmerk"), max_length=255, blank=True, editable=False)

    class Meta:
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")
        constraints = [
            models.UniqueConstraint(
                fields=["sso_subject"], condition=~models.Q(sso_subject=""), name="user_sso_subject_unique"
            ),
            # A system account never has a password (it cannot log in, only use tokens).
            models.CheckConstraint(
                condition=models.Q(system_account=False) | models.Q(password__startswith="!"),
                name="user_system_account_no_password",
            ),
        ]


class Waarneming(models.Model):
    """Access to a colleague's client, with a recorded reason, for a limited time."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="waarnemingen", verbose_name=_("gebruiker")
    )
    client = models.ForeignKey(
        "clients.Client", on_delete=models.CASCADE, related_name="waarnemingen", verbose_name=_("klant")
    )
    reason = models.CharField(_("reden"), max_length=300)
    granted_at = models.DateTimeField(_("vanaf"), auto_now_add=True)
    valid_until = models.DateTimeField(_("tot"))

    class Meta:
        verbose_name = _("waarneming")
        verbose_name_plural = _("waarnemingen")
        indexes = [models.Index(fields=["user", "client", "valid_until"], name="waarneming_lookup_idx")]
        constraints = [
            models.CheckConstraint(condition=~models.Q(reason=""), name="waarneming_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.client_id} ({self.reason})"


# Models of the accounts app kept in subpackages (one set of migrations, label "accounts").
from .tokens.models import ApplicationToken  # noqa: E402, F401
