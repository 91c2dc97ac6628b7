"""Every action in Trede, declared once: which roles may do it and which relationship to
the client it needs.

This is the one place where access is decided (in the style of Open Zaak's scopes). Views
use `permission_required` (or `check`), services call `check` at the top, the navigation
shows an item when `allowed` says so, and the access-matrix test is generated from
`PERMISSIONS`. Nothing else in the code names a set of roles.

A permission about one client (`relations` is not None) needs both the role and a
relationship to that client, as `trede.accounts.access.relationship` defines it: own
caseload, own team, waarneming with a recorded reason, referral to the user's provider,
candidate at the user's employer accounts, own file, ... The relationship is decided on
the row level by `client_scope`, so a client outside it is neither listed nor reachable.

Names are `<onderwerp>.<handeling>`; the `label` is the Dutch text shown in the access
overview and in refusals.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404

from .models import Role


class Relation:
    """The relationships a user can have to a client (the values of `access.relationship`)."""

    EIGEN_CASELOAD = "eigen caseload"
    EIGEN_TEAM = "eigen team"
    WAARNEMING = "waarneming"
    TEAM_AANMELDING = "nieuwe aanmelding in uw team"  # werkconsulent: intake still running
    KANDIDAAT = "kandidaat voor bemiddeling"  # accountmanager: proposed, shortlisted or placed
    VERWEZEN = "verwezen naar uw organisatie"  # provider: a referral to them
    EIGEN_DOSSIER = "eigen dossier"  # inwoner
    PRIVACYCONTROLE = "privacycontrole"  # privacy officer: every file, only basis and audit


ANY_RELATION = frozenset(
    {
        Relation.EIGEN_CASELOAD,
        Relation.EIGEN_TEAM,
        Relation.WAARNEMING,
        Relation.TEAM_AANMELDING,
        Relation.KANDIDAAT,
        Relation.VERWEZEN,
        Relation.EIGEN_DOSSIER,
        Relation.PRIVACYCONTROLE,
    }
)
# Who works a client's file themselves (and may change it): their own consultant, or a
# colleague on a recorded waarneming. A teamleider reads the team's files.
WORKING_RELATION = frozenset({Relation.EIGEN_CASELOAD, Relation.WAARNEMING})

STAFF_ROLES = frozenset(r for r in Role.values if r != Role.INWONER)
CASEWORKERS = frozenset({Role.CONSULENT_WERK, Role.TEAMLEIDER})


@dataclass(frozen=True)
class Permission:
    name: str
    label: str
    roles: frozenset[str]
    # None: not about one client. Otherwise the relationships to the client that qualify.
    relations: frozenset[str] | None = None
    # The client-file section this action reads or writes (what the audit row records).
    section: str = ""
    # URL names of the pages this permission guards; the access matrix requests each.
    pages: tuple[str, ...] = ()
    writes: bool = False
    # An action on one record somebody wrote (a contact moment): the record's field naming
    # its author. Then only the author may do it, besides the roles in `for_others`, who may
    # do it on a colleague's record too (always within `relations`).
    author_field: str = ""
    for_others: frozenset[str] = frozenset()

    @property
    def about_client(self) -> bool:
        return self.relations is not None

    @property
    def author_rule(self) -> str:
        """The author condition in the words of the access overview ('' when there is none)."""
        if not self.author_field:
            return ""
        others = ", ".join(sorted(str(Role(r).label) for r in self.for_others))
        return "alleen wie het vastlegde" + (f" (en {others}: ook dat van een ander)" if others else "")


PERMISSIONS: dict[str, Permission] = {}


def _declare(
    name: str,
    label: str,
    roles: Iterable[str],
    *,
    relations: Iterable[str] | None = None,
    section: str = "",
    pages: Iterable[str] = (),
    writes: bool = False,
    author_field: str = "",
    for_others: Iterable[str] = (),
) -> Permission:
    if name in PERMISSIONS:
        raise ValueError(f"permission {name!r} is twice declared")
    perm = Permission(
        name=name,
        label=label,
        roles=frozenset(roles),
        relations=frozenset(relations) if relations is not None else None,
        section=section,
        pages=tuple(pages),
        writes=writes,
        author_field=author_field,
        for_others=frozenset(for_others),
    )
    PERMISSIONS[name] = perm
    return perm


# --------------------------------------------------------------------------- client file

# Reading a section of a client file. The sections a role sees follow from these, and the
# relationship narrows them to the clients of that role's task.
SECTION_READ = {
    "basis": _declare(
        "dossier.basis.lezen",
        "Basisgegevens van een klant inzien (naam, klantnummer, leeftijd, consulent)",
        STAFF_ROLES - {Role.BELEID, Role.BEHEERDER, Role.CONTRACTMANAGER} | {Role.INWONER},
        relations=ANY_RELATION,
        section="basis",
        pages=("clients:file", "clients:section"),
    ),
    "identiteit": _declare(
        "dossier.identiteit.lezen",
        "Het BSN van een klant inzien",
        {Role.CONSULENT_WERK, Role.TEAMLEIDER, Role.CONSULENT_INKOMEN},
        relations=ANY_RELATION,
        section="identiteit",
        pages=("clients:section",),
    ),
    "werkprofiel": _declare(
        "dossier.werkprofiel.lezen",
        "Het werkprofiel inzien (opleiding, taal, werkervaring, wensen, plaatsingen)",
        {Role.CONSULENT_WERK, Role.TEAMLEIDER, Role.ACCOUNTMANAGER},
        relations=ANY_RELATION,
        section="werkprofiel",
        pages=("clients:section",),
    ),
    "diagnose": _declare(
        "dossier.diagnose.lezen",
        "Diagnose, trede, route en klantgroep inzien",
        CASEWORKERS,
        relations=ANY_RELATION,
        section="diagnose",
        pages=("clients:section", "casework:diagnosis_latest", "casework:diagnosis_detail"),
    ),
    "leefgebieden": _declare(
        "dossier.leefgebieden.lezen",
        "Leefgebieden inzien (gezondheid, schulden, zorgtaken, huishouden, wonen)",
        CASEWORKERS | {Role.INWONER},
        relations=ANY_RELATION,
        section="leefgebieden",
        pages=("clients:section",),
    ),
    "uitkering": _declare(
        "dossier.uitkering.lezen",
        "Uitkeringen inzien",
        {Role.CONSULENT_WERK, Role.TEAMLEIDER, Role.CONSULENT_INKOMEN},
        relations=ANY_RELATION,
        section="uitkering",
        pages=("clients:section",),
    ),
    "handhaving": _declare(
        "dossier.handhaving.lezen",
        "Handhaving inzien (waarschuwingen, boetes, maatregelen)",
        {Role.CONSULENT_WERK, Role.TEAMLEIDER, Role.CONSULENT_INKOMEN},
        relations=ANY_RELATION,
        section="handhaving",
        pages=("clients:section",),
    ),
    "plan": _declare(
        "dossier.plan.lezen",
        "Het plan van aanpak inzien",
        CASEWORKERS | {Role.INWONER},
        relations=ANY_RELATION,
        section="plan",
        pages=("clients:section",),
    ),
    "contacten": _declare(
        "dossier.contacten.lezen",
        "Contactmomenten en verslagen inzien",
        CASEWORKERS,
        relations=ANY_RELATION,
        section="contacten",
        # The intake page shows the application's free-text note, casework like a report.
        pages=("clients:section", "casework:intake_detail", "casework:contact_history"),
    ),
    "trajecten": _declare(
        "dossier.trajecten.lezen",
        "Trajecten en hun resultaten inzien",
        CASEWORKERS | {Role.AANBIEDER},
        relations=ANY_RELATION,
        section="trajecten",
        pages=("clients:section",),
    ),
    "audit": _declare(
        "dossier.audit.lezen",
        "Het auditlog van een klant inzien: wie wat heeft ingezien of gewijzigd",
        {Role.PRIVACY},
        relations={Relation.PRIVACYCONTROLE},
        section="audit",
        pages=("audit:client", "audit:client_csv"),
    ),
}

CLIENT_SEARCH = _declare(
    "klanten.zoeken",
    "Klanten zoeken op naam, BSN of klantnummer (binnen het eigen bereik)",
    STAFF_ROLES - {Role.BELEID, Role.BEHEERDER, Role.CONTRACTMANAGER},
    pages=("clients:search",),
)
CLIENT_SEARCH_BSN = _declare(
    "klanten.zoeken_op_bsn",
    "Klanten zoeken op BSN (wie het BSN mag zien, en de privacyfunctionaris voor een inzageverzoek)",
    SECTION_READ["identiteit"].roles | {Role.PRIVACY},
)
CASELOAD_READ = _declare(
    "caseload.lezen",
    "De eigen caseload (Mijn klanten) inzien en exporteren",
    CASEWORKERS,
    pages=("clients:caseload", "clients:caseload_csv"),
)
WAARNEMING_REQUEST = _declare(
    "waarneming.aanvragen",
    "Waarneming vastleggen voor een klant van een collega (met reden)",
    {Role.CONSULENT_WERK, Role.TEAMLEIDER, Role.CONSULENT_INKOMEN},
    # The page takes a client number: it is the way in for a client outside the relationships.
    pages=("clients:waarneming",),
    writes=True,
)

# --------------------------------------------------------------------------- casework

INTAKE_LIST = _declare(
    "intake.lijst",
    "De lijst van meldingen en aanvragen inzien",
    CASEWORKERS,
    pages=("casework:intake_list",),
)
INTAKE_REGISTER = _declare(
    "intake.registreren",
    "Een nieuwe melding of aanvraag registreren (de klant komt in de eigen caseload)",
    {Role.CONSULENT_WERK},
    pages=("casework:intake_new",),
    writes=True,
)
INTAKE_WRITE = _declare(
    "intake.wijzigen",
    "Intake, vragenlijst, diagnose en route van een klant vastleggen of corrigeren",
    {Role.CONSULENT_WERK},
    relations=WORKING_RELATION,
    section="diagnose",
    pages=("casework:intake_new_for_client", "casework:intake_questionnaire"),
    writes=True,
)
CONTACT_WRITE = _declare(
    "contact.schrijven",
    "Een contactmoment vastleggen",
    CASEWORKERS,
    # A colleague of the team takes the call of a new applicant while the intake runs.
    relations={Relation.EIGEN_CASELOAD, Relation.EIGEN_TEAM, Relation.TEAM_AANMELDING, Relation.WAARNEMING},
    section="contacten",
    pages=("casework:contact_new",),
    writes=True,
)
# A verslag is its author's account of a conversation: only the author corrects it (with a
# reason; every version stays in the history). An imported contact has no author in Trede:
# it is corrected in the source system, whose next export overwrites it anyway.
CONTACT_CORRECT = _declare(
    "contact.corrigeren",
    "Een eigen contactmoment corrigeren (datum, soort, uitkomst, verslag), met reden",
    CASEWORKERS,
    relations=CONTACT_WRITE.relations,
    section="contacten",
    pages=("casework:contact_correct",),
    writes=True,
    author_field="created_by",
)
# Withdrawing rewrites nobody's words: the contact stays on file, marked, and stops counting.
# The teamleider answers for the team's files, so may also withdraw a team member's contact
# (one logged in the wrong file, by someone who has left or is away), not correct it.
CONTACT_WITHDRAW = _declare(
    "contact.intrekken",
    "Een contactmoment intrekken, met reden (het eigen; de teamleider ook dat van een teamlid)",
    CASEWORKERS,
    relations=CONTACT_WRITE.relations,
    section="contacten",
    pages=("casework:contact_withdraw",),
    writes=True,
    author_field="created_by",
    for_others={Role.TEAMLEIDER},
)
PLAN_WRITE = _declare(
    "plan.schrijven",
    "Een plan van aanpak opstellen of wijzigen",
    CASEWORKERS,
    relations={Relation.EIGEN_CASELOAD, Relation.EIGEN_TEAM, Relation.WAARNEMING},
    section="plan",
    pages=("casework:plan_new",),
    writes=True,
)
PLAN_AGREE_CONSULTANT = _declare(
    "plan.akkoord_consulent",
    "Akkoord van de consulent (of 'in gesprek' namens de inwoner) op een plan van aanpak",
    CASEWORKERS,
    relations={Relation.EIGEN_CASELOAD, Relation.EIGEN_TEAM, Relation.WAARNEMING},
    section="plan",
    writes=True,
)
PLAN_AGREE_CLIENT = _declare(
    "plan.akkoord_inwoner",
    "Online akkoord geven op het eigen plan van aanpak",
    {Role.INWONER},
    relations={Relation.EIGEN_DOSSIER},
    section="plan",
    writes=True,
)
PLAN_VERSIONS_READ = _declare(
    "plan.versies_lezen",
    "De werkpagina van het plan van aanpak inzien: alle versies, afspraken en akkoorden",
    CASEWORKERS,
    relations=ANY_RELATION,
    section="plan",
    pages=("casework:plan_detail",),
)
OWN_PLAN_READ = _declare(
    "plan.eigen_lezen",
    "Het eigen plan van aanpak inzien (inwoner)",
    {Role.INWONER},
    pages=("casework:my_plan",),
)
WORKLIST_READ = _declare(
    "werklijst.lezen",
    "De werklijst 'niemand uit beeld' inzien",
    CASEWORKERS,
    pages=("casework:worklist",),
)
# How each caseload stands (caseload against the norm, contact on time, open plan items,
# stale diagnoses, no-shows, overdue onderzoeken): counts from the worklists' own rules,
# no client names. The teamleider sees their team per consultant; beleid sees team totals.
EXECUTION_READ = _declare(
    "uitvoering.lezen",
    "Uitvoering per team (en voor de teamleider per consulent) bekijken en downloaden: caseload, contact op tijd, open punten",
    {Role.TEAMLEIDER, Role.BELEID},
    pages=("casework:execution",),
)
CASELOAD_BALANCE = _declare(
    "caseload.verdelen",
    "Caseloads per consulent inzien en klanten overdragen (met reden)",
    {Role.TEAMLEIDER, Role.BEHEERDER},
    pages=("casework:caseload_balance",),
    writes=True,
)
PRESET_EDIT = _declare(
    "beleid.instellingen",
    "Beleidsinstellingen (presets) bewerken en activeren",
    {Role.BEHEERDER},
    pages=("casework:preset_list",),
    writes=True,
)

# --------------------------------------------------------------------------- figures

FIGURES_READ = _declare(
    "cijfers.lezen",
    "Geaggregeerde cijfers inzien en exporteren (startpagina)",
    STAFF_ROLES,
    # The start page itself is for everyone logged in (a resident gets their own start).
    pages=("portal:figures_csv",),
)
# Counts shown to these roles hide small cells (1-4 as '<5').
FIGURES_SUPPRESSED = _declare(
    "cijfers.alleen_afgeschermd",
    "Cijfers alleen met afgeschermde kleine aantallen zien",
    {Role.BELEID},
)
EFFECTS_READ = _declare(
    "effecten.lezen",
    "Wat werkt voor wie: geschatte netto-effecten per instrument en groep",
    {Role.BELEID, Role.CONSULENT_WERK, Role.TEAMLEIDER, Role.BEHEERDER},
    pages=("evaluations:index", "evaluations:export", "evaluations:instrument"),
)
EFFECTS_CLIENT_ADVICE = _declare(
    "effecten.klantadvies",
    "Wat werkt voor deze klant: beslisondersteuning per klant",
    CASEWORKERS,
    relations={Relation.EIGEN_CASELOAD, Relation.EIGEN_TEAM, Relation.WAARNEMING},
    section="diagnose",
    pages=("evaluations:client",),
)

# ---- council report (kwartaalrapportage voor de gemeenteraad, trede.monitor.council)

# Only counts, with small cells and their complements hidden for everyone: the report
# is made to be published.
COUNCIL_REPORT = _declare(
    "raadsrapportage.downloaden",
    "De kwartaalrapportage voor de gemeenteraad (HTML of PDF) maken en downloaden",
    {Role.BELEID, Role.TEAMLEIDER},
    pages=("council:index", "council:download"),
)

# ---- stock forecast (trede.monitor.forecast)

# The forecast is steering information for policy and management: aggregate figures, no
# client. Policy advisors own the scenarios (their assumptions for the council); the
# teamleider reads them.
FORECAST_READ = _declare(
    "prognose.bekijken",
    "De prognose van het bestand met scenario's en backtest bekijken en downloaden",
    {Role.BELEID, Role.TEAMLEIDER},
    pages=("forecast:index",),
)
FORECAST_SCENARIOS = _declare(
    "prognose.scenarios_beheren",
    "Scenario's van de prognose toevoegen en hun factoren op instroom en uitstroom wijzigen",
    {Role.BELEID},
    pages=("forecast:scenario_new", "forecast:scenario_edit"),
    writes=True,
)

# ---- monitor dashboard (trede.monitor.dashboard)

# Steering information: stock, inflow and outflow, outflow to work against the targets, the
# same figures as `trede monitor`. Policy advisors see them with small cells hidden
# (FIGURES_SUPPRESSED); the teamleider exactly. There is no separate management role: the
# teamleider is the manager in Trede's roles.
DASHBOARD_READ = _declare(
    "monitor.bekijken",
    "Het monitordashboard bekijken (bestand, instroom en uitstroom, uitstroom naar werk tegen het doel) en downloaden",
    {Role.BELEID, Role.TEAMLEIDER},
    pages=("dashboard:index",),
)
# The clients behind a figure (drill-down): names and client numbers, so only for the roles
# that work with client lists (Mijn klanten), and the list holds only clients within the
# user's own scope (`access.client_scope`); beleid sees no client at all.
DASHBOARD_CLIENTS = _declare(
    "monitor.klanten_achter_cijfer",
    "De klanten achter een cijfer van de monitor zien (alleen klanten binnen het eigen bereik)",
    CASELOAD_READ.roles,
    pages=("dashboard:clients",),
)

# ---- peers (vergelijkingsgemeenten, trede.monitor.peers)

# Benefits per 1,000 inhabitants and the outflow-to-work rate beside other municipalities:
# aggregate steering information, as the forecast. Policy advisors bring in the reference
# figures (they choose the comparison); the beheerder may load them too (a file from CBS
# or Divosa is a data delivery like any other).
PEERS_READ = _declare(
    "vergelijking.bekijken",
    "De vergelijking met andere gemeenten (uitkeringen per 1.000 inwoners, uitstroom naar werk) bekijken en downloaden",
    {Role.BELEID, Role.TEAMLEIDER},
    pages=("peers:index",),
)
PEERS_IMPORT = _declare(
    "vergelijking.importeren",
    "Referentiecijfers van andere gemeenten inlezen (CSV)",
    {Role.BELEID, Role.BEHEERDER},
    pages=("peers:import",),
    writes=True,
)
# Outflow to work per chain partner (each counted once): aggregate counts for policy,
# management and the contract manager who talks with the providers about their results.
CHAIN_READ = _declare(
    "keten.uitstroom_per_partner",
    "Uitstroom naar werk per ketenpartner bekijken en downloaden (elke uitstroom één keer toegerekend)",
    {Role.BELEID, Role.TEAMLEIDER, Role.CONTRACTMANAGER},
    pages=("chain:index",),
)
# Whether outflow to work lasts, the draaideur and lasting placements: aggregate counts for
# policy, management, the contract manager (providers' results) and the accountmanager
# (placements with employers).
# Enforcement in figures: measures per year and kind, per 1,000 on benefit, how the
# handhavingszaken went; aggregate counts for policy and management.
ENFORCEMENT_FIGURES = _declare(
    "handhaving.cijfers",
    "Handhaving in cijfers bekijken en downloaden (maatregelen, zaken en besluiten per jaar; geen klanten)",
    {Role.BELEID, Role.TEAMLEIDER},
    pages=("handhaving_cijfers:index",),
)
DURABILITY_READ = _declare(
    "monitor.duurzaamheid",
    "Duurzame uitstroom, draaideur en duur van plaatsingen bekijken en downloaden",
    {Role.BELEID, Role.TEAMLEIDER, Role.CONTRACTMANAGER, Role.ACCOUNTMANAGER},
    pages=("duurzaam:index",),
)

# ---- employers, vacancies and the shortlist (trede.employers, decisions 125-129)

# The accountmanager keeps the employer accounts they own (Employer.account_manager) and
# their vacancies; the teamleider and the beheerder see every account (who owns what, how
# the vacancies stand). Candidates for a vacancy are shown to the accountmanager without
# name, age, gender, origin or client number: a label per vacancy, the score and its
# reasons. Not about one client: the accountmanager has no relationship to a candidate
# until the client consents to a voordracht (accounts.access._candidate_at_own_employers).
EMPLOYER_ACCOUNTS = _declare(
    "werkgeversaccounts.lezen",
    "De pagina's van werkgeversaccounts met hun vacatures, voordrachten en plaatsingen inzien (de accountmanager de eigen accounts)",
    {Role.ACCOUNTMANAGER, Role.TEAMLEIDER, Role.BEHEERDER},
    pages=("employers:list", "employers:employer", "employers:vacancy"),
)
EMPLOYERS_ALL = _declare(
    "werkgevers.alle_lezen",
    "Alle werkgeversaccounts inzien, ook die van een andere accountmanager",
    {Role.TEAMLEIDER, Role.BEHEERDER},
)
VACANCY_EDIT = _declare(
    "vacature.bewerken",
    "Vacatures van de eigen werkgeversaccounts invoeren en wijzigen",
    {Role.ACCOUNTMANAGER},
    pages=("employers:vacancy_new", "employers:vacancy_edit"),
    writes=True,
)
# The relationship with an employer (employers/relations): contact persons, agreements
# (SROI, banenafspraak, PSO, werkstages) and the history of contacts. Read on the account's
# page (`EMPLOYER_ACCOUNTS`); written only by the accountmanager who owns the account, like
# its vacancies. The contact history downloads as a table.
EMPLOYER_RELATION_EDIT = _declare(
    "werkgeversrelatie.bewerken",
    "Contactpersonen, afspraken (SROI, banenafspraak, PSO) en contacten van de eigen werkgeversaccounts vastleggen en corrigeren",
    {Role.ACCOUNTMANAGER},
    pages=(
        "employers:relation_contact_new",
        "employers:relation_contact_edit",
        "employers:relation_agreement_new",
        "employers:relation_agreement_edit",
        "employers:relation_moment_new",
        "employers:relation_moment_correct",
    ),
    writes=True,
)
EMPLOYER_RELATION_EXPORT = _declare(
    "werkgeversrelatie.downloaden",
    "De contacthistorie van een werkgeversaccount downloaden (CSV of XLSX)",
    {Role.ACCOUNTMANAGER, Role.TEAMLEIDER, Role.BEHEERDER},
    pages=("employers:relation_moments_export",),
)
VACANCY_CANDIDATES = _declare(
    "vacature.kandidaten",
    "Geanonimiseerde kandidaten voor een vacature van een eigen werkgeversaccount zien, met score en uitleg",
    {Role.ACCOUNTMANAGER},
    pages=("employers:candidates",),
)
VOORDRACHT_FROM_VACANCY = _declare(
    "voordracht.kandidaat_voorstellen",
    "Een geanonimiseerde kandidaat voordragen voor een vacature van een eigen werkgeversaccount",
    {Role.ACCOUNTMANAGER},
    writes=True,
)
# After consent: presented to the employer, hired or rejected with a reason.
VOORDRACHT_OUTCOME = _declare(
    "voordracht.uitkomst",
    "Vastleggen dat een kandidaat (met toestemming) aan de werkgever is voorgesteld, en de uitkomst",
    {Role.ACCOUNTMANAGER},
    relations={Relation.KANDIDAAT},
    section="werkprofiel",
    writes=True,
)
# The consultant who works the file (or the teamleider reading the team's files) sees which
# open vacancies fit, with the engine's reasons; who works the file proposes the client.
CLIENT_VACANCIES = _declare(
    "klant.vacatures",
    "Vacatures voor een klant zien, met score en uitleg per vacature",
    CASEWORKERS,
    relations={Relation.EIGEN_CASELOAD, Relation.EIGEN_TEAM, Relation.WAARNEMING},
    section="werkprofiel",
    pages=("employers:client_vacancies",),
)
VOORDRACHT_FOR_CLIENT = _declare(
    "voordracht.klant_voorstellen",
    "Een klant voordragen voor een vacature (de klant geeft daarna toestemming)",
    {Role.CONSULENT_WERK},
    relations=WORKING_RELATION,
    section="werkprofiel",
    writes=True,
)
VOORDRACHT_CONSENT = _declare(
    "voordracht.toestemming",
    "Toestemming geven of weigeren voor een voordracht bij een werkgever (eigen dossier)",
    {Role.INWONER},
    relations={Relation.EIGEN_DOSSIER},
    section="werkprofiel",
    pages=("employers:my_voordrachten",),
    writes=True,
)

# ---- matching events (trede.matchevents, decisions 160-163)

# A Netwerkcafé or speeddates: the accountmanager who organises it (MatchEvent.organiser)
# brings vacancies of the own employer accounts and invites candidates from the engine's
# anonymised list; a consultant signs up clients of the own caseload (by name: the
# relationship is theirs). The indeling is the engine's optimal assignment; a confirmed
# pair is a voordracht, so the client's consent follows as for every voordracht. Who sees
# an event sees candidates by label only, a consultant their own clients by name.
MATCHEVENT_VIEW = _declare(
    "bijeenkomst.lezen",
    "Matchingbijeenkomsten (Netwerkcafé, speeddates) inzien: vacatures, kandidaten (met een label; de consulent de eigen klanten bij naam) en de indeling met uitleg",
    {Role.ACCOUNTMANAGER, Role.TEAMLEIDER, Role.CONSULENT_WERK},
    pages=("matchevents:list", "matchevents:detail"),
)
MATCHEVENT_MANAGE = _declare(
    "bijeenkomst.beheren",
    "Een matchingbijeenkomst organiseren: aanmaken en wijzigen, vacatures van de eigen werkgeversaccounts en geanonimiseerde kandidaten uitnodigen, de indeling maken en downloaden (de organisator)",
    {Role.ACCOUNTMANAGER},
    pages=("matchevents:new", "matchevents:edit", "matchevents:invite", "matchevents:export"),
    writes=True,
)
MATCHEVENT_CLIENT_ADD = _declare(
    "bijeenkomst.klant_aanmelden",
    "Een klant uit de eigen caseload aanmelden voor een matchingbijeenkomst (of weer afmelden)",
    {Role.CONSULENT_WERK},
    relations=WORKING_RELATION,
    section="werkprofiel",
    writes=True,
)
MATCHEVENT_PAIR_CONFIRM = _declare(
    "bijeenkomst.koppel_bevestigen",
    "Een koppel uit de indeling bevestigen (het wordt een voordracht; de klant geeft toestemming) of laten vallen (de organisator)",
    {Role.ACCOUNTMANAGER},
    writes=True,
)

# ---- placements and nazorg (trede.employers.placements, decisions 174-177)

# The consultant who works the file records a placement (from the file, or from a hired
# voordracht, prefilled), corrects it with a reason and holds the nazorg contacts; the
# teamleider reads the team's placements. The owning accountmanager sees a placement a
# consultant recorded at one of their accounts as a signal (decision 142's mechanism).
PLACEMENT_READ = _declare(
    "plaatsing.lezen",
    "Een plaatsing van een klant inzien, met de nazorgcontacten en de correcties",
    CASEWORKERS,
    relations={Relation.EIGEN_CASELOAD, Relation.EIGEN_TEAM, Relation.WAARNEMING},
    section="werkprofiel",
    pages=("employers:placement",),
)
PLACEMENT_RECORD = _declare(
    "plaatsing.vastleggen",
    "Een plaatsing van een klant vastleggen (contract, uren, subsidie, jobcoach)",
    {Role.CONSULENT_WERK},
    relations=WORKING_RELATION,
    section="werkprofiel",
    pages=("employers:placement_new",),
    writes=True,
)
PLACEMENT_CORRECT = _declare(
    "plaatsing.corrigeren",
    "Een plaatsing corrigeren, met een reden (de vorige versie blijft bewaard)",
    {Role.CONSULENT_WERK},
    relations=WORKING_RELATION,
    section="werkprofiel",
    pages=("employers:placement_correct",),
    writes=True,
)
NAZORG_REGISTER = _declare(
    "nazorg.vastleggen",
    "Een nazorgcontact bij een plaatsing vastleggen (nog aan het werk, opmerkingen), en de afloop van een proefplaatsing",
    {Role.CONSULENT_WERK},
    relations=WORKING_RELATION,
    section="werkprofiel",
    writes=True,
)
PLACEMENT_SIGNAL_SEEN = _declare(
    "plaatsing.signaal_gezien",
    "Een plaatsing die een consulent bij een eigen werkgeversaccount vastlegde als gezien markeren",
    {Role.ACCOUNTMANAGER},
    writes=True,
)

# ---- catalogue, contracts and claims (participatiekaart, prestatiefinanciering)

# The catalogue is for whoever chooses, buys or steers instruments; a provider sees its
# own contracts and claims in its portal, not the other providers' prices.
CATALOGUE_READ = _declare(
    "catalogus.lezen",
    "De instrumentencatalogus (participatiekaart) inzien: instrumenten, aanbieders met contract, gebruik en resultaat",
    {Role.CONSULENT_WERK, Role.TEAMLEIDER, Role.CONTRACTMANAGER, Role.BELEID, Role.BEHEERDER},
    pages=("instruments:catalogue", "instruments:instrument"),
)
CATALOGUE_FOR_CLIENT = _declare(
    "catalogus.past_bij_klant",
    "De catalogus filteren op wat past bij een klant (route, klantgroep, taal, uren)",
    CASEWORKERS,
    relations={Relation.EIGEN_CASELOAD, Relation.EIGEN_TEAM, Relation.WAARNEMING},
    section="diagnose",
    pages=("instruments:catalogue_for_client",),
)
CONTRACT_READ = _declare(
    "contract.lezen",
    "Contracten met aanbieders inzien (prijzen, plafonds, financiering)",
    {Role.CONTRACTMANAGER, Role.TEAMLEIDER, Role.BELEID, Role.BEHEERDER},
    pages=("instruments:contract",),
)
CATALOGUE_EDIT = _declare(
    "catalogus.bewerken",
    "Instrumenten in de catalogus en contracten met aanbieders vastleggen en wijzigen",
    {Role.CONTRACTMANAGER},
    pages=(
        "instruments:instrument_new",
        "instruments:instrument_edit",
        "instruments:contract_new",
        "instruments:contract_edit",
    ),
    writes=True,
)

# ---- claims (prestatiefinanciering with four eyes)

CLAIM_SUBMIT = _declare(
    "declaratie.indienen",
    "Declaraties van de eigen organisatie indienen en hun status zien (aanbieder)",
    {Role.AANBIEDER},
    pages=("instruments:provider_claims",),
    writes=True,
)
# Four eyes: one municipal employee checks a claim, another approves it (the service
# refuses the checker as approver). Both roles may do either step.
CLAIM_CHECK = _declare(
    "declaratie.controleren",
    "Declaraties en terugvorderingen controleren of afwijzen (eerste paar ogen)",
    {Role.CONTRACTMANAGER, Role.TEAMLEIDER},
    pages=("instruments:claims", "instruments:claim"),
    writes=True,
)
CLAIM_APPROVE = _declare(
    "declaratie.goedkeuren",
    "Gecontroleerde declaraties en terugvorderingen goedkeuren en betalen (tweede paar ogen, niet wie controleerde)",
    {Role.CONTRACTMANAGER, Role.TEAMLEIDER},
    writes=True,
)
RECOVERY_CREATE = _declare(
    "terugvordering.aanmaken",
    "Terugvorderingen aanmaken voor trajecten waarvan het resultaat niet gehaald is",
    {Role.CONTRACTMANAGER},
    writes=True,
)
CLAIM_OVERVIEW = _declare(
    "declaratie.overzicht",
    "Per aanbieder zien wat gedeclareerd, goedgekeurd, betaald en terug te vorderen is",
    {Role.CONTRACTMANAGER, Role.TEAMLEIDER, Role.BELEID, Role.BEHEERDER},
    pages=("instruments:provider_money",),
)

# ---- referrals (verwijzingen: consultant, provider portal, contract manager's signals)

# The consultant who works the file refers; a teamleider reads the team's files, not refers.
REFERRAL_CREATE = _declare(
    "verwijzing.aanmaken",
    "Een klant verwijzen naar een instrument bij een aanbieder met een lopend contract",
    {Role.CONSULENT_WERK},
    relations=WORKING_RELATION,
    section="trajecten",
    pages=("instruments:referral_new",),
    writes=True,
)
REFERRAL_READ = _declare(
    "verwijzing.lezen",
    "Een verwijzing met de rapportages van de aanbieder inzien",
    CASEWORKERS,
    relations={Relation.EIGEN_CASELOAD, Relation.EIGEN_TEAM, Relation.WAARNEMING},
    section="trajecten",
)
# Only the consultant who works the file judges the provider's result (it pays a result fee).
REFERRAL_REVIEW = _declare(
    "verwijzing.resultaat_beoordelen",
    "Het gemelde resultaat van een traject bevestigen of betwisten, en een no-show afhandelen",
    {Role.CONSULENT_WERK},
    relations=WORKING_RELATION,
    section="trajecten",
    writes=True,
)
# A provider sees its own participants only: the relationship 'verwezen naar uw organisatie'
# and, per referral, the provider of that referral (another provider's referral of the same
# client is refused in the view).
PARTICIPANTS_READ = _declare(
    "deelnemers.lezen",
    "De eigen deelnemers (verwijzingen naar de eigen organisatie) inzien (aanbieder)",
    {Role.AANBIEDER},
    relations={Relation.VERWEZEN},
    section="trajecten",
    pages=("instruments:participants",),
)
PARTICIPANT_UPDATE = _declare(
    "deelnemers.bijwerken",
    "Intake, start of no-show, voortgang en einde met resultaat van een eigen deelnemer vastleggen (aanbieder)",
    {Role.AANBIEDER},
    relations={Relation.VERWEZEN},
    section="trajecten",
    writes=True,
)
# Signals name providers and trajectory numbers, never clients.
REFERRAL_SIGNALS = _declare(
    "verwijzing.signalen",
    "Signalen over aanbieders zien: te late voortgangsrapportages en niet gemelde resultaten (meldingsplicht)",
    {Role.CONTRACTMANAGER},
    pages=("instruments:referral_signals",),
)

# ---- employers and vacancies (werkgeversdienstverlening, trede.employers)

# Employers and their vacancies are organisations, not people: for whoever brings clients
# to work (the accountmanager who owns the accounts, the werkconsulent who looks for a
# vacancy for a client, the teamleider), in the API (`trede.employers.api`). The pages
# are the accounts' own (`EMPLOYER_ACCOUNTS` above). Placements are people: section
# werkprofiel of the client file.
EMPLOYERS_READ = _declare(
    "werkgevers.lezen",
    "Werkgevers en hun vacatures inzien",
    {Role.ACCOUNTMANAGER, Role.CONSULENT_WERK, Role.TEAMLEIDER},
)

# ---- budget and ceilings (budget per line, BUIG and vangnet, contract and line ceilings)

# Money figures without any client: for whoever buys (contract manager) or steers
# (beleid, teamleider). Going beyond a ceiling is the contract manager's decision alone.
BUDGET_READ = _declare(
    "budget.lezen",
    "Budget, uitgaven, verplichtingen en prognose per begrotingsregel, de BUIG met het vangnet en de plafonds van contracten inzien en downloaden",
    {Role.CONTRACTMANAGER, Role.BELEID, Role.TEAMLEIDER},
    pages=("finance:budget", "finance:budget_export"),
)
CEILING_OVERRIDE = _declare(
    "plafond.overschrijden",
    "Met een reden boven het plafond van een contract of het budget van een begrotingsregel goedkeuren, of ruimte boven het budget toestaan (wordt bewaard en gelogd)",
    {Role.CONTRACTMANAGER},
    writes=True,
)

# ---- premiums (werkpremie, uitstroompremie; trede.finance.premiums)

# Who pays a premium in a municipality: the consulent inkomen, who keeps the benefit file
# the eligibility rests on (the outflow, its reason, the months on benefit), proposes and
# checks; the teamleider (kwaliteitsmedewerker), who holds the mandate over the
# re-integration budget, approves. Not the contractmanager: a premium is a payment to a
# person, and the contract manager is kept out of client files (decision 43). Four eyes:
# who approves neither proposed nor checked (refused in the service and the database).
# About clients: the list and every step stay within the own caseload, team or waarneming.
_PREMIUM_RELATIONS = {Relation.EIGEN_CASELOAD, Relation.EIGEN_TEAM, Relation.WAARNEMING}
PREMIUM_READ = _declare(
    "premie.lezen",
    "Premies inzien: wie een werk- of uitstroompremie verdiend heeft (naam, klantnummer) en wat betaald is",
    {Role.CONSULENT_INKOMEN, Role.TEAMLEIDER},
    relations=_PREMIUM_RELATIONS,
    section="uitkering",
    pages=("premiums:list",),
)
PREMIUM_PROPOSE = _declare(
    "premie.voorstellen",
    "Een verdiend premiedeel voorstellen ter betaling",
    {Role.CONSULENT_INKOMEN, Role.TEAMLEIDER},
    relations=_PREMIUM_RELATIONS,
    section="uitkering",
    writes=True,
)
PREMIUM_CHECK = _declare(
    "premie.controleren",
    "Een voorgesteld premiedeel controleren of afwijzen (eerste paar ogen)",
    {Role.CONSULENT_INKOMEN, Role.TEAMLEIDER},
    relations=_PREMIUM_RELATIONS,
    section="uitkering",
    writes=True,
)
PREMIUM_APPROVE = _declare(
    "premie.goedkeuren",
    "Een gecontroleerd premiedeel goedkeuren en betalen (tweede paar ogen, niet wie voorstelde of controleerde)",
    {Role.TEAMLEIDER},
    relations=_PREMIUM_RELATIONS,
    section="uitkering",
    writes=True,
)


# ---- rechtmatigheidsonderzoek (trede.benefits.onderzoek)

# The consulent inkomen keeps the benefit file, holds the onderzoek and registers it; the
# teamleider follows whether the team's onderzoeken are on time (reads only).
_ONDERZOEK_RELATIONS = {Relation.EIGEN_CASELOAD, Relation.EIGEN_TEAM, Relation.WAARNEMING}
ONDERZOEK_READ = _declare(
    "rechtmatigheid.lezen",
    "Rechtmatigheidsonderzoeken inzien: wie aan de beurt is (naam, klantnummer, datum) en hoeveel op tijd zijn",
    {Role.CONSULENT_INKOMEN, Role.TEAMLEIDER},
    relations=_ONDERZOEK_RELATIONS,
    section="uitkering",
    pages=("onderzoek:list", "onderzoek:client"),
)
ONDERZOEK_REGISTER = _declare(
    "rechtmatigheid.vastleggen",
    "Een gehouden rechtmatigheidsonderzoek vastleggen, corrigeren (met reden) of intrekken",
    {Role.CONSULENT_INKOMEN},
    relations=_ONDERZOEK_RELATIONS,
    section="uitkering",
    writes=True,
)

# ---- handhaving (signal, horen, decision, four eyes; trede.benefits.handhaving)

# The consulent inkomen handles enforcement: records a signal (or gets one from the
# werkconsulent, who sees a missed appointment or a refused offer first: the werkconsulent
# records signals about the own caseload and follows what became of them), hears the
# client and decides. Four eyes: a decision the preset marks is approved by another
# consulent inkomen or the teamleider (who never approves a decision they took: refused
# in the service and by a check constraint). The teamleider reads the team's cases.
_HANDHAVING_RELATIONS = {Relation.EIGEN_CASELOAD, Relation.EIGEN_TEAM, Relation.WAARNEMING}
HANDHAVING_READ = _declare(
    "handhaving.lezen",
    "Handhavingszaken inzien: signaal, horen, besluit, goedkeuring en bezwaartermijn",
    {Role.CONSULENT_INKOMEN, Role.TEAMLEIDER, Role.CONSULENT_WERK},
    relations=_HANDHAVING_RELATIONS,
    section="uitkering",
    pages=("handhaving:list", "handhaving:client"),
)
HANDHAVING_SIGNAL = _declare(
    "handhaving.signaleren",
    "Een signaal vastleggen (niet verschenen, aanbod geweigerd, inkomsten niet gemeld) en corrigeren met een reden",
    {Role.CONSULENT_INKOMEN, Role.CONSULENT_WERK},
    relations=_HANDHAVING_RELATIONS,
    section="uitkering",
    writes=True,
)
HANDHAVING_DECIDE = _declare(
    "handhaving.besluiten",
    "De klant horen en een handhavingsbesluit nemen (waarschuwing, boete, maatregel, tegenprestatie) of ervan afzien",
    {Role.CONSULENT_INKOMEN},
    relations=_HANDHAVING_RELATIONS,
    section="uitkering",
    writes=True,
)
HANDHAVING_APPROVE = _declare(
    "handhaving.goedkeuren",
    "Een handhavingsbesluit goedkeuren of terugsturen (vier ogen, niet wie besloot)",
    {Role.CONSULENT_INKOMEN, Role.TEAMLEIDER},
    relations=_HANDHAVING_RELATIONS,
    section="uitkering",
    writes=True,
)

# ---- letters (brieven: beschikkingen and the plan van aanpak as PDF, trede.letters)

# Who makes a letter is who took the decision in it: the consulent werk who works the file
# (own caseload or waarneming) sends the plan van aanpak; the consulent inkomen, who decides
# on enforcement, sends the beschikking. A letter is read by the roles that may read its
# source in the file (the plan, the handhaving section), within the same relationships; the
# inwoner gets the letter through the post or MijnOverheid, not from Trede.
LETTER_PLAN_MAKE = _declare(
    "brief.plan_maken",
    "Het plan van aanpak als brief (PDF) maken",
    {Role.CONSULENT_WERK},
    relations=WORKING_RELATION,
    section="plan",
    writes=True,
)
LETTER_PLAN_READ = _declare(
    "brief.plan_lezen",
    "Brieven met het plan van aanpak (PDF) inzien en downloaden",
    SECTION_READ["plan"].roles - {Role.INWONER},
    relations=SECTION_READ["plan"].relations,
    section="plan",
)
LETTER_BESCHIKKING_MAKE = _declare(
    "brief.beschikking_maken",
    "Een beschikking bij een handhavingsbesluit (waarschuwing, boete, maatregel, tegenprestatie) als brief (PDF) maken",
    {Role.CONSULENT_INKOMEN},
    relations={Relation.EIGEN_CASELOAD, Relation.EIGEN_TEAM, Relation.WAARNEMING},
    section="handhaving",
    writes=True,
)
LETTER_BESCHIKKING_READ = _declare(
    "brief.beschikking_lezen",
    "Beschikkingen bij handhavingsbesluiten (PDF) inzien en downloaden",
    SECTION_READ["handhaving"].roles,
    relations=SECTION_READ["handhaving"].relations,
    section="handhaving",
)
# The invitation to a rechtmatigheidsonderzoek (decision 169): made by the consulent
# inkomen who holds the onderzoek, read by whoever may read the onderzoeken, in the same
# relationships.
LETTER_ONDERZOEK_MAKE = _declare(
    "brief.uitnodiging_rechtmatigheid_maken",
    "Een uitnodiging voor een rechtmatigheidsonderzoek als brief (PDF) maken",
    ONDERZOEK_REGISTER.roles,
    relations=ONDERZOEK_REGISTER.relations,
    section="uitkering",
    writes=True,
)
LETTER_ONDERZOEK_READ = _declare(
    "brief.uitnodiging_rechtmatigheid_lezen",
    "Uitnodigingen voor een rechtmatigheidsonderzoek (PDF) inzien en downloaden",
    ONDERZOEK_READ.roles,
    relations=ONDERZOEK_READ.relations,
    section="uitkering",
)
# The client's letters on one page: whoever may read one of the kinds; the page shows
# only the kinds the user may read.
LETTER_LIST = _declare(
    "brief.lijst",
    "De brieven van een klant inzien (alleen de soorten die u mag lezen)",
    LETTER_PLAN_READ.roles | LETTER_BESCHIKKING_READ.roles | LETTER_ONDERZOEK_READ.roles,
    relations=ANY_RELATION,
    pages=("letters:client",),
)
# The texts are the municipality's (huisstijl, plain language, the bezwaar clause): the
# functional administrator edits them; every version is kept.
LETTER_TEMPLATES_EDIT = _declare(
    "brief.sjablonen_beheren",
    "De sjablonen van brieven en beschikkingen bewerken (met geschiedenis)",
    {Role.BEHEERDER},
    pages=("letters:templates", "letters:template_edit"),
    writes=True,
)

# --------------------------------------------------------------------------- privacy, beheer

AUDIT_REVIEW = _declare(
    "audit.inzien",
    "Het auditlog doorzoeken en exporteren",
    {Role.PRIVACY},
    pages=("audit:index",),
)
ACCESS_OVERVIEW = _declare(
    "toegang.overzicht",
    "Het toegangsoverzicht inzien en exporteren: welke rol wat mag, bij welke relatie met de klant",
    {Role.PRIVACY, Role.BEHEERDER},
    pages=("accounts:access_overview", "accounts:access_overview_csv"),
)

# ---- application tokens (systems using the API, trede.accounts.tokens)

# The beheerder connects other systems: makes a system account with a role and gives it a
# token with scopes (the secret is shown once), and revokes it. What a token may do is its
# system account's role, narrowed by the scopes; the beheerder cannot give it more than a
# role may, and manages no person's rights here.
TOKENS_MANAGE = _declare(
    "tokens.beheren",
    "Applicatietokens voor koppelingen met andere systemen aanmaken, inzien en intrekken (met systeemaccount en rol)",
    {Role.BEHEERDER},
    pages=("accounts:tokens",),
    writes=True,
)

# ---- research export (pseudonymised copy for research, trede.interchange.research)

# The privacy officer makes the export and answers for it (purpose limitation, the
# k-anonymity report); policy advisors are the ones who commission research and may start
# one too. Both see the past exports from the audit log. Nobody else: the export reads
# every client, even though it writes no directly identifying data (decision 82).
RESEARCH_EXPORT = _declare(
    "onderzoek.exporteren",
    "Een gepseudonimiseerde onderzoeksexport maken en de eerdere onderzoeksexports inzien",
    {Role.PRIVACY, Role.BELEID},
    pages=("research:index",),
    writes=True,
)

# ---- algorithm register (trede.algorithms, decisions 94-96)

# The register says how the diagnosis, the matching and the effects engine work, with the
# fairness figures (aggregates, small groups suppressed): for the privacy officer who
# answers for it, policy advisors who publish it, the beheerder who keeps the settings it
# quotes, and team leaders whose consultants work with the tools. No personal data.
ALGORITHM_REGISTER = _declare(
    "algoritmeregister.bekijken",
    "Het algoritmeregister inzien en downloaden: werking, gebruikte data, menselijke tussenkomst en eerlijkheid",
    {Role.PRIVACY, Role.BELEID, Role.BEHEERDER, Role.TEAMLEIDER},
    pages=("algorithms:index", "algorithms:export"),
)


# ---- retention and destruction (bewaartermijnen, trede.retention)

# The beheerder keeps the retention periods (with their source) and the privacy officer
# answers for destruction; both may propose a run and both may approve one, but never
# their own (four eyes: refused in the service and by a check constraint). The list of
# individual client numbers is for the privacy officer only; the beheerder sees counts.
# Not about one client: the run reads every client, as the research export does.
RETENTION_READ = _declare(
    "bewaartermijn.lezen",
    "Bewaartermijnen inzien, hoeveel gegevens hun termijn voorbij zijn en het vernietigingslog",
    {Role.BEHEERDER, Role.PRIVACY},
    pages=("retention:index", "retention:log"),
)
RETENTION_LIST_CLIENTS = _declare(
    "bewaartermijn.klanten_inzien",
    "De klantnummers inzien van de dossiers die hun bewaartermijn voorbij zijn",
    {Role.PRIVACY},
)
RETENTION_EDIT = _declare(
    "bewaartermijn.wijzigen",
    "Een bewaartermijn wijzigen (met bron of reden; de vorige blijft in de geschiedenis)",
    {Role.BEHEERDER},
    pages=("retention:periods",),
    writes=True,
)
DESTRUCTION_PROPOSE = _declare(
    "vernietiging.voorstellen",
    "Vernietiging voorstellen van wat de bewaartermijn voorbij is",
    {Role.BEHEERDER, Role.PRIVACY},
    writes=True,
)
DESTRUCTION_APPROVE = _declare(
    "vernietiging.goedkeuren",
    "Een voorgestelde vernietiging goedkeuren (en daarmee uitvoeren) of afwijzen; niet wie voorstelde",
    {Role.BEHEERDER, Role.PRIVACY},
    writes=True,
)


# --------------------------------------------------------------------------- checks


def get(name: str) -> Permission:
    return PERMISSIONS[name]


def _resolve(permission: Permission | str) -> Permission:
    return PERMISSIONS[permission] if isinstance(permission, str) else permission


def role_may(user, permission: Permission | str) -> bool:
    """Whether the user's role may do this at all (no client involved yet)."""
    perm = _resolve(permission)
    return bool(getattr(user, "is_authenticated", False)) and getattr(user, "role", None) in perm.roles


def is_author(user, permission: Permission | str, record) -> bool:
    """Whether the author rule of this permission lets the user act on this record."""
    perm = _resolve(permission)
    if not perm.author_field:
        return True
    if record is None:
        raise ValueError(f"{perm.name} is about one record: pass the record")
    if getattr(user, "role", None) in perm.for_others:
        return True
    author_id = getattr(record, f"{perm.author_field}_id")
    return author_id is not None and author_id == getattr(user, "pk", None)


def allowed(user, permission: Permission | str, client=None, *, record=None, relation=None) -> bool:
    """Whether this user may do this (for this client, when it is about one; on this
    record, when only its author may). `relation`: the user's relationship to the client
    when the caller already has it (one lookup for a list of that client's records)."""
    perm = _resolve(permission)
    if not role_may(user, perm):
        return False
    if not perm.about_client:
        return True
    if client is None:
        raise ValueError(f"{perm.name} is about one client: pass the client")
    if relation is None:
        from .access import relationship

        relation = relationship(user, client)
    return relation in perm.relations and is_author(user, perm, record)


def _denied_record(user, perm: Permission, *, client_id: str, purpose: str, reason: str) -> None:
    from trede.audit import logevent

    logevent.access_denied(
        user, client_id=str(client_id or ""), section=perm.section, purpose=purpose, reason=reason
    )


def refuse(user, perm: Permission, *, client_id: str = "", purpose: str = ""):
    """Write the DENIED audit row for a refusal and return the exception to raise."""
    _denied_record(user, perm, client_id=client_id, purpose=purpose, reason=f"geen recht: {perm.name}")
    return PermissionDenied(f"U heeft geen recht om dit te doen: {perm.label[0].lower()}{perm.label[1:]}.")


class ClientNotFound(Http404):
    """A client number that does not exist or is outside the user's relationships (one
    answer for both, so a guessed number confirms nothing)."""


class WaarnemingRequired(PermissionDenied):
    """A client outside the relationships of someone who may ask for a waarneming: the 403
    page offers the waarneming form. Raised whether or not the client exists; that is only
    said after a reason is given (and logged)."""

    def __init__(self, client_id: str):
        super().__init__("Deze klant hoort niet bij uw caseload of team.")
        self.client_id = client_id


def open_client(user, permission: Permission | str, client_id, *, queryset=None, purpose: str = ""):
    """The client, when the user may do this for them; for views taking a client number.

    Role refused: 403. A client outside the user's relationships (or one that does not
    exist): 404, or for a role that may ask for a waarneming `WaarnemingRequired` (403
    with the form). A relationship that does not qualify for this action: 403. Every
    refusal is written to the audit log.
    """
    from .access import client_with_relationship

    perm = _resolve(permission)
    if not role_may(user, perm):
        raise refuse(user, perm, client_id=client_id, purpose=purpose)
    # In scope and why, in one query (client_scope is the union of the relationships).
    client, relation = client_with_relationship(user, client_id, queryset=queryset)
    if client is None:
        if role_may(user, WAARNEMING_REQUEST):
            _denied_record(user, perm, client_id=client_id, purpose=purpose, reason="geen relatie")
            raise WaarnemingRequired(str(client_id))
        _denied_record(user, perm, client_id=client_id, purpose=purpose, reason="buiten bereik")
        raise ClientNotFound("Dit dossier bestaat niet of valt buiten uw werk.")
    if perm.about_client and relation not in perm.relations:
        raise refuse(user, perm, client_id=client.pk, purpose=purpose)
    return client


def check(user, permission: Permission | str, client=None, *, purpose: str = "", record=None) -> None:
    """Raise PermissionDenied unless allowed; the refusal is written to the audit log.

    Call it at the top of a service, before its transaction opens, so the DENIED row is
    not rolled back with the refused change.
    """
    perm = _resolve(permission)
    if not allowed(user, perm, client, record=record):
        raise refuse(user, perm, client_id=getattr(client, "pk", "") or "", purpose=purpose)


def permission_required(permission: Permission | str) -> Callable:
    """View decorator: login first, then the role check (403, audited). A permission about
    one client is checked again, with the client, once the view has looked it up in
    `client_scope` (out of scope: 404, so nobody learns whether the client exists)."""
    perm = _resolve(permission)

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not role_may(request.user, perm):
                raise refuse(request.user, perm, client_id=kwargs.get("client_id", ""))
            return view(request, *args, **kwargs)

        wrapped.permission = perm
        return wrapped

    return decorator


def sections_for_role(role: str) -> frozenset[str]:
    """The client-file sections a role may read (given a qualifying relationship)."""
    return frozenset(key for key, perm in SECTION_READ.items() if role in perm.roles)


def sections_for_relation(role: str, relation: str) -> frozenset[str]:
    return frozenset(
        key
        for key, perm in SECTION_READ.items()
        if role in perm.roles and perm.relations is not None and relation in perm.relations
    )


@dataclass(frozen=True)
class MatrixRow:
    """One row of the access overview: a permission and, per role, whether it is granted."""

    permission: Permission
    granted: dict[str, bool] = field(default_factory=dict)


def matrix() -> list[MatrixRow]:
    """The whole declaration as a table (the access overview page and the docs)."""
    return [
        MatrixRow(permission=perm, granted={role: role in perm.roles for role in Role.values})
        for perm in PERMISSIONS.values()
    ]
