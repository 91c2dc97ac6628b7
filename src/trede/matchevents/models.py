"""A matching event (Netwerkcafé, speeddates): the vacancies taking part with their places,
the invited candidates, each indeling made and its pairs (decision 160)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from trede.utils.concurrency import LockVersioned, SubmissionKeyed
from trede.utils.models import choice_constraint

from .constants import EventKind, EventStatus, PairStatus


class MatchEvent(LockVersioned, SubmissionKeyed):
    name = models.CharField(_("naam"), max_length=200)
    kind = models.CharField(
        _("soort"), max_length=16, choices=EventKind.choices, default=EventKind.NETWERKCAFE
    )
    date = models.DateField(_("datum"))
    location = models.CharField(_("locatie"), max_length=200, blank=True)
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="match_events",
        verbose_name=_("organisator"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=EventStatus.choices, default=EventStatus.CONCEPT
    )
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("matchingbijeenkomst")
        verbose_name_plural = _("matchingbijeenkomsten")
        ordering = ["-date", "pk"]
        constraints = [
            choice_constraint("kind", EventKind, name="matchevent_kind_code"),
            choice_constraint("status", EventStatus, name="matchevent_status_code"),
        ]

    def __str__(self) -> str:
        return self.name


class EventVacancy(models.Model):
    event = models.ForeignKey(
        MatchEvent, on_delete=models.CASCADE, related_name="vacancies", verbose_name=_("bijeenkomst")
    )
    vacancy = models.ForeignKey(
        "employers.Vacancy", on_delete=models.CASCADE, related_name="match_events", verbose_name=_("vacature")
    )
    places = models.PositiveSmallIntegerField(_("plaatsen op de bijeenkomst"), default=1)

    class Meta:
        verbose_name = _("vacature op een bijeenkomst")
        verbose_name_plural = _("vacatures op een bijeenkomst")
        ordering = ["vacancy_id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "vacancy"], name="eventvacancy_once"),
            models.CheckConstraint(
                condition=models.Q(places__gte=1), name="eventvacancy_places_at_least_one"
            ),
        ]

    def __str__(self) -> str:
        return f"vacature {self.vacancy_id} op bijeenkomst {self.event_id}"


class EventCandidate(models.Model):
    event = models.ForeignKey(
        MatchEvent, on_delete=models.CASCADE, related_name="candidates", verbose_name=_("bijeenkomst")
    )
    client = models.ForeignKey(
        "clients.Client", on_delete=models.CASCADE, related_name="match_events", verbose_name=_("klant")
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("uitgenodigd door"),
    )
    added_at = models.DateTimeField(_("uitgenodigd op"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("uitgenodigde kandidaat")
        verbose_name_plural = _("uitgenodigde kandidaten")
        ordering = ["added_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["event", "client"], name="eventcandidate_once")]

    def __str__(self) -> str:
        return f"uitnodiging {self.pk} voor bijeenkomst {self.event_id}"


class Indeling(SubmissionKeyed):
    """One run of 'Indeling maken' (a double submit is the same run)."""

    event = models.ForeignKey(
        MatchEvent, on_delete=models.CASCADE, related_name="indelingen", verbose_name=_("bijeenkomst")
    )
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("gemaakt door"),
    )
    made_at = models.DateTimeField(_("gemaakt op"), auto_now_add=True)
    as_of = models.DateField(_("peildatum"))
    pairs = models.PositiveIntegerField(_("nieuwe koppels"), default=0)
    total_units = models.PositiveIntegerField(_("totale score (eenheden)"), default=0)

    class Meta:
        verbose_name = _("indeling")
        verbose_name_plural = _("indelingen")
        ordering = ["-made_at", "-pk"]

    def __str__(self) -> str:
        return f"indeling {self.pk} van bijeenkomst {self.event_id}"


class EventPair(models.Model):
    """A candidate paired with a vacancy by an indeling, with the engine's score (in units)
    and its Dutch reasons; confirmed it becomes a voordracht."""

    event = models.ForeignKey(
        MatchEvent, on_delete=models.CASCADE, related_name="pairs", verbose_name=_("bijeenkomst")
    )
    indeling = models.ForeignKey(
        Indeling, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("indeling")
    )
    vacancy = models.ForeignKey(
        "employers.Vacancy", on_delete=models.CASCADE, related_name="+", verbose_name=_("vacature")
    )
    client = models.ForeignKey(
        "clients.Client", on_delete=models.CASCADE, related_name="+", verbose_name=_("klant")
    )
    units = models.PositiveIntegerField(_("score (eenheden)"))
    reasons = models.JSONField(_("uitleg"), default=list)
    status = models.CharField(
        _("stand"), max_length=12, choices=PairStatus.choices, default=PairStatus.VOORGESTELD
    )
    voordracht = models.ForeignKey(
        "employers.Voordracht",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("voordracht"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("besloten door"),
    )
    decided_at = models.DateTimeField(_("besloten op"), null=True, blank=True)
    # The confirm form's key: a second submit of it is the same confirmation.
    confirm_key = models.UUIDField(
        _("formuliersleutel van de bevestiging"), null=True, blank=True, unique=True, editable=False
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("koppel")
        verbose_name_plural = _("koppels")
        ordering = ["vacancy_id", "-units", "pk"]
        constraints = [
            choice_constraint("status", PairStatus, name="eventpair_status_code"),
            models.UniqueConstraint(fields=["event", "vacancy", "client"], name="eventpair_once"),
            # A candidate is confirmed for at most one vacancy of an event.
            models.UniqueConstraint(
                fields=["event", "client"],
                condition=models.Q(status="bevestigd"),
                name="eventpair_confirmed_once",
            ),
        ]

    def __str__(self) -> str:
        return f"koppel {self.pk} op bijeenkomst {self.event_id}"
