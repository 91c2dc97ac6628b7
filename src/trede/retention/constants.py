"""Record types with a retention period, their shipped defaults (with the reason), and the
statuses of a destruction run (decisions 91-93)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class RecordType(models.TextChoices):
    KLANTDOSSIER = "klantdossier", _("klantdossier")
    AUDITLOG = "auditlog", _("auditlog")


class RunStatus(models.TextChoices):
    VOORGESTELD = "voorgesteld", _("voorgesteld")
    GOEDGEKEURD = "goedgekeurd", _("goedgekeurd, wordt uitgevoerd")
    UITGEVOERD = "uitgevoerd", _("uitgevoerd: vernietigd")
    AFGEWEZEN = "afgewezen", _("afgewezen")


@dataclass(frozen=True)
class DefaultPeriod:
    record_type: str
    years: int
    counted_from: str  # what the period is counted from, in Dutch
    basis: str  # the source or the reason, in Dutch


# The shipped defaults. The beheerder edits them (with history); a period is never shorter
# than MIN_YEARS and never longer than MAX_YEARS. Sources: decision 91.
DEFAULT_PERIODS: dict[str, DefaultPeriod] = {
    RecordType.KLANTDOSSIER: DefaultPeriod(
        record_type=RecordType.KLANTDOSSIER,
        years=10,
        counted_from=(
            "het einde van de laatste uitkering of, als die later is, de laatste activiteit in het "
            "dossier (traject, plaatsing, contact, diagnose, betaling, ...)"
        ),
        basis=(
            "Beleidskeuze van de gemeente binnen de Archiefwet 1995 en de Selectielijst gemeenten en "
            "intergemeentelijke organen 2020 (de categorie en termijn daar controleert de gemeente zelf "
            "voordat zij deze termijn vaststelt). Reden voor 10 jaar: het dossier draagt het recht op "
            "uitkering en de betalingen; de fiscale bewaarplicht is 7 jaar (art. 52 AWR) en een "
            "terugvordering of verhaal kan jaren na het einde nog lopen (verjaring art. 4:104 Awb, "
            "5 jaar na het besluit, te stuiten). Na 10 jaar zonder uitkering of activiteit is er geen "
            "taak meer waarvoor de gegevens nodig zijn (AVG art. 5 lid 1 onder e)."
        ),
    ),
    RecordType.AUDITLOG: DefaultPeriod(
        record_type=RecordType.AUDITLOG,
        years=5,
        counted_from="het moment van de gebeurtenis (elke auditregel afzonderlijk)",
        basis=(
            "Beleidskeuze van de gemeente: het auditlog is het bewijs wie welk dossier inzag of "
            "wijzigde (AVG art. 5 lid 2 en art. 32) en beantwoordt inzageverzoeken en klachten; 5 jaar "
            "dekt een inzage- of klachtprocedure en de controle over eerdere jaren, en sluit aan bij "
            "wat NEN 7513 in de zorg als minimum voor logging noemt. De Selectielijst noemt geen "
            "auditlog; de regels van een vernietigde klant blijven tot hun eigen termijn verstreken is."
        ),
    ),
}

MIN_YEARS, MAX_YEARS = 1, 100
