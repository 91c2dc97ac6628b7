"""Every audit event Trede writes, one small function each (in the style of Open Forms'
`logevent`), with the Dutch text the privacy officer reads.

A view or service never composes an audit row itself: it calls the function of its
event, so the list below is the whole vocabulary of the log. The `text` of an event is a
template over the row's details plus `onderdeel` (section label), `soort` and `nummer`;
`trede.audit.rendering.describe` turns a stored row into that sentence (screens and CSV).
The list below is the declaration itself: `EVENTS` is read from it, so the documentation
and the code cannot drift apart.

Only ids, codes, counts and short texts go into the details, never a copy of a client's
personal data (a search logs the length of what was typed, not the text).

Events (name: action — Dutch text):
    client_section_read: ingezien — Onderdeel {onderdeel} van het dossier ingezien.
    client_listed: ingezien — Zag deze klant (naam, leeftijd) in de lijst "{lijst}".
    list_viewed: ingezien — Opende de lijst "{lijst}" met {aantal} klanten.
    client_search: gezocht — Zocht op naam, BSN of klantnummer ({lengte} tekens); {aantal} klanten gevonden.
    client_search_hit: gezocht — Vond deze klant bij een zoekopdracht ({aantal} gevonden).
    access_denied: geweigerd — Toegang geweigerd: {reden}.
    login_succeeded: ingelogd — Ingelogd (adres {adres}).
    login_failed: inloggen mislukt — Inloggen mislukt met gebruikersnaam "{gebruikersnaam}" (adres {adres}).
    logged_out: uitgelogd — Uitgelogd.
    role_changed: gewijzigd — Rol van gebruiker {account} gewijzigd van {oud} naar {nieuw}.
    account_rights_changed: gewijzigd — Rechten van gebruiker {account} gewijzigd: {wijziging}.
    waarneming_granted: toegang verleend — Waarneming vastgelegd voor {dagen} dagen; reden: {reden}.
    waarneming_deleted: verwijderd — Waarneming van {account} verwijderd (reden was: {reden}).
    import_run: ingelezen — Import van map {map}: {uitkomst}, {regels} regels gelezen, {fouten} fouten.
    export_made: geëxporteerd — {wat} geëxporteerd als {formaat} ({aantal} regels).
    audit_log_read: ingezien — Auditlog van deze klant bekeken (privacycontrole).
    audit_denied_list_read: ingezien — Lijst van {aantal} geweigerde pogingen bekeken (privacycontrole).
    client_transferred: gewijzigd — Klant overgedragen van consulent {van} naar {naar}; reden: {reden}.
    effects_run_stored: ingezien — Effectschatting over alle klanten gemaakt (horizon {horizon} maanden, {instrumenten} instrumenten); alleen totalen bewaard.
    effects_advice_read: ingezien — "Wat werkt voor deze klant" bekeken (op leeftijd, duur, trede en klantgroep).

    Contactmomenten (events of the contact regime)
    contact_registered: aangemaakt — Contactmoment {nummer} vastgelegd: {contactsoort} op {datum}, {uitkomst}.
    contact_corrected: gewijzigd — Contactmoment {nummer} gecorrigeerd ({gewijzigd}); reden: {reden}.
    contact_withdrawn: gewijzigd — Contactmoment {nummer} ingetrokken (telt niet meer als contact); reden: {reden}.

    Plannen van aanpak
    plan_drawn_up: aangemaakt — Plan van aanpak versie {versie} opgesteld als concept, met {afspraken} afspraken; vervallen concepten: {vervallen}.
    plan_agreed_by_consultant: gewijzigd — De consulent ging akkoord met plan van aanpak versie {versie}.
    plan_agreed_by_client_online: gewijzigd — De klant ging online akkoord met plan van aanpak versie {versie}.
    plan_agreed_by_client_in_conversation: gewijzigd — Akkoord van de klant in het gesprek vastgelegd voor plan van aanpak versie {versie}.
    plan_signed: gewijzigd — Plan van aanpak versie {versie} ondertekend door klant en consulent; vervallen ondertekende versies: {vervallen}.
    plan_action_done: gewijzigd — Afspraak {nummer} van plan van aanpak versie {versie} staat op gedaan (op {gedaan_op}).

    Intake, vragenlijst, diagnose en route
    client_registered: aangemaakt — Nieuwe klant {nummer} ingeschreven in de caseload van consulent {consulent}.
    application_registered: aangemaakt — {melding} {nummer} geregistreerd, ontvangen op {ontvangen}.
    route_decided: aangemaakt — Route {route} besloten vanaf {vanaf} op diagnose {diagnose}; advies van het beleid {beleid}: {advies}.
    route_decided_deviating: aangemaakt — Route {route} besloten vanaf {vanaf} op diagnose {diagnose}, afwijkend van het advies {advies} van het beleid {beleid}; de reden staat bij het routebesluit.
    questionnaire_started: aangemaakt — Vragenlijst aangemaakt.
    questionnaire_link_made: aangemaakt — Link voor de vragenlijst gemaakt, geldig tot {geldig_tot}.
    questionnaire_link_replaced: gewijzigd — Nieuwe link voor de vragenlijst gemaakt, geldig tot {geldig_tot}; de vorige link werkt niet meer.
    questionnaire_submitted: gewijzigd — Vragenlijst ingestuurd door de inwoner via de link: {beantwoord} vragen beantwoord, {bespreken} liever in het gesprek.
    questionnaire_completed: gewijzigd — Vragenlijst afgerond in het intakegesprek; {aantal} antwoorden aangepast.
    client_profile_filled: gewijzigd — Gegevens uit de vragenlijst overgenomen in het dossier: {overgenomen}. Niet overgenomen omdat later vastgelegd: {behouden}.
    diagnosis_calculated: aangemaakt — Diagnose {nummer} berekend met het instrument (beleid {beleid}).
    diagnosis_overridden: aangemaakt — Diagnose {nummer} vastgesteld door de consulent in afwijking van diagnose {van} (gewijzigd: {velden}; daaruit afgeleid: {afgeleid}); de reden staat bij de diagnose.

    Catalogus, contracten en declaraties (prestatiefinanciering)
    instrument_saved: gewijzigd — Instrument {nummer} in de catalogus {handeling}: {velden}.
    contract_saved: gewijzigd — Contract {contract} met aanbieder {aanbieder} {handeling}: {velden}.
    catalogue_client_fit_read: ingezien — De catalogus gefilterd op wat bij deze klant past (route, klantgroep, taal, uren).
    claim_submitted: aangemaakt — {wat} van aanbieder {aanbieder} ingediend: {regels} regels, totaal € {totaal}.
    claim_checked: gewijzigd — {wat} van aanbieder {aanbieder} gecontroleerd (eerste paar ogen).
    claim_approved: gewijzigd — {wat} van aanbieder {aanbieder} goedgekeurd en betaald (tweede paar ogen; gecontroleerd door {controleur}).
    claim_rejected: gewijzigd — {wat} van aanbieder {aanbieder} afgewezen; reden: {reden}.
    claim_refused: geweigerd — {wat}: {handeling} geweigerd: {reden}.

    Verwijzingen en het aanbiedersportaal (trajecten)
    referral_created: aangemaakt — Verwezen naar {instrument} bij aanbieder {aanbieder} (traject {traject}), geplande einddatum {einddatum}.
    referral_intake_recorded: gewijzigd — Intake van traject {traject} vastgelegd op {datum}.
    referral_started: gewijzigd — Traject {traject} gestart op {datum}.
    referral_no_show: gewijzigd — Traject {traject} niet gestart: {reden}.
    referral_no_show_handled: gewijzigd — No-show van traject {traject} afgehandeld door de consulent.
    referral_progress_reported: aangemaakt — Voortgangsrapportage {volgnummer} van traject {traject} vastgelegd ({koers}).
    referral_end_reported: aangemaakt — Einde van traject {traject} gemeld: {resultaat} op {datum}, succescriterium {criterium}.
    referral_result_confirmed: gewijzigd — Resultaat van traject {traject} bevestigd: {resultaat}.
    referral_result_disputed: gewijzigd — Resultaat van traject {traject} betwist; reden: {reden}.
    referral_signals_read: ingezien — Signalen over aanbieders bekeken ({aantal} signalen).

    Budget en plafonds
    ceiling_overridden: gewijzigd — Boven het {plafond} van contract {contract} ({aanbieder}) bij {handeling}: gebruik {voor} wordt {na}, plafond {grens}; reden: {reden}.
    ceiling_refused: geweigerd — {handeling} geweigerd: het {plafond} van contract {contract} ({aanbieder}) zou {na} worden, plafond {grens}.
    budget_line_refused: geweigerd — {handeling} geweigerd: begrotingsregel {begrotingsregel} ({financiering}) zou {na} uitgegeven en verplicht hebben, plafond {grens}.
    budget_allowance_made: gewijzigd — Ruimte boven het budget van begrotingsregel {begrotingsregel} ({financiering}) in {jaar}: {ruimte} bij {handeling} (gebruik was {gebruik_ervoor}, plafond {plafond_ervoor}); reden: {reden}.

    Premies (werkpremie en uitstroompremie, trede.finance.premiums)
    premium_proposed: aangemaakt — {wat} voorgesteld ter betaling: € {bedrag}, verdiend op {verdiend_op}.
    premium_checked: gewijzigd — {wat} gecontroleerd (eerste paar ogen).
    premium_approved: gewijzigd — {wat} goedgekeurd en betaald als {betaling} (tweede paar ogen; gecontroleerd door {controleur}).
    premium_rejected: gewijzigd — {wat} afgewezen; reden: {reden}.
    premium_refused: geweigerd — {wat}: {handeling} geweigerd: {reden}.

    Beleidsinstellingen
    preset_updated: gewijzigd — Beleidsinstelling {nummer} gewijzigd: {onderdelen}.
    preset_activated: gewijzigd — Beleidsinstelling {nummer} in gebruik genomen; daarvoor in gebruik: {vorige}.

    Rechtmatigheidsonderzoek (trede.benefits.onderzoek)
    onderzoek_registered: aangemaakt — Rechtmatigheidsonderzoek {nummer} vastgelegd: gehouden op {datum}, uitkomst {uitkomst}.
    onderzoek_corrected: gewijzigd — Rechtmatigheidsonderzoek {nummer} gecorrigeerd ({gewijzigd}); reden: {reden}.
    onderzoek_withdrawn: gewijzigd — Rechtmatigheidsonderzoek {nummer} ingetrokken (telt niet meer mee); reden: {reden}.

    Handhaving (trede.benefits.handhaving)
    handhaving_signal_registered: aangemaakt — Handhavingszaak {nummer} geopend: {signaal} op {datum}.
    handhaving_signal_corrected: gewijzigd — Handhavingszaak {nummer} gecorrigeerd ({gewijzigd}); reden: {reden}.
    handhaving_heard: aangemaakt — Klant gehoord in handhavingszaak {nummer} op {datum} ({hoe}).
    handhaving_hearing_corrected: gewijzigd — Horen in handhavingszaak {nummer} gecorrigeerd ({gewijzigd}); reden: {reden}.
    handhaving_decided: aangemaakt — Handhavingsbesluit {besluit} in zaak {nummer}: {wat}; {stand}.
    handhaving_approved: gewijzigd — Handhavingsbesluit {besluit} in zaak {nummer} goedgekeurd (vier ogen); bezwaar tot en met {bezwaar}.
    handhaving_returned: gewijzigd — Handhavingsbesluit {besluit} in zaak {nummer} teruggestuurd; reden: {reden}.
    handhaving_withdrawal_requested: gewijzigd — Intrekking van handhavingsbesluit {besluit} in zaak {nummer} voorgesteld (vier ogen); reden: {reden}.
    handhaving_withdrawn: gewijzigd — Handhavingsbesluit {besluit} in zaak {nummer} ingetrokken; reden: {reden}.
    handhaving_withdrawal_refused: gewijzigd — Intrekking van handhavingsbesluit {besluit} in zaak {nummer} niet bevestigd (vier ogen; voorgesteld door {voorgesteld_door}: {voorstel}); reden: {reden}.
    handhaving_closed: gewijzigd — Afgezien van een besluit in handhavingszaak {nummer}; reden: {reden}.
    handhaving_refused: geweigerd — Handhavingszaak {nummer}: {handeling} geweigerd: {reden}.

    Prognose (trede.monitor.forecast)
    forecast_scenario_saved: gewijzigd — Scenario {scenario} van de prognose {handeling}: factor op de instroom {instroom}, op de uitstroomkans {uitstroom}.

    Matching (trede.employers.matching)
    match_listed: ingezien — Genoemd bij matching ({wat}, peildatum {peildatum}).
    match_run: ingezien — Matching {wat} op peildatum {peildatum}: {aantal} klanten genoemd.
    vacancy_saved: gewijzigd — Vacature {vacature} van werkgever {werkgever} {handeling}: {velden}.
    employer_relation_saved: gewijzigd — {wat} {nummer} van werkgever {werkgever} {handeling}: {velden}{reden}.
    voordracht_proposed: aangemaakt — Voorgedragen voor vacature {vacature} van werkgever {werkgever} (score {score}); toestemming van de klant gevraagd.
    voordracht_consent_given: gewijzigd — Toestemming gegeven voor de voordracht bij vacature {vacature} van werkgever {werkgever} ({via}).
    voordracht_consent_refused: gewijzigd — Toestemming geweigerd voor de voordracht bij vacature {vacature} van werkgever {werkgever} ({via}).
    voordracht_consent_withdrawn: gewijzigd — Toestemming ingetrokken voor de voordracht bij vacature {vacature} van werkgever {werkgever} ({via}).
    voordracht_presented: gewijzigd — Met toestemming voorgesteld aan werkgever {werkgever} voor vacature {vacature}.
    voordracht_outcome: gewijzigd — Uitkomst van de voordracht bij vacature {vacature} van werkgever {werkgever}: {uitkomst}.
    placement_recorded: aangemaakt — Plaatsing {nummer} vastgelegd bij werkgever {werkgever} vanaf {vanaf}: {contract}, {subsidie}.
    placement_corrected: gewijzigd — Plaatsing {nummer} gecorrigeerd ({gewijzigd}); reden: {reden}.
    nazorg_registered: aangemaakt — Nazorgcontact bij plaatsing {nummer} vastgelegd ({moment}) op {datum}: {uitkomst}.
    placement_signal_seen: gewijzigd — Plaatsing {nummer} bij werkgever {werkgever} als gezien gemarkeerd door de accountmanager.
    matchevent_saved: gewijzigd — Matchingbijeenkomst {bijeenkomst} {handeling}: {velden}.
    matchevent_vacancy_changed: gewijzigd — Vacature {vacature} {handeling} bij matchingbijeenkomst {bijeenkomst} ({plaatsen} plaatsen).
    matchevent_candidate_added: aangemaakt — Uitgenodigd voor matchingbijeenkomst {bijeenkomst}.
    matchevent_candidate_removed: verwijderd — Uitnodiging voor matchingbijeenkomst {bijeenkomst} ingetrokken.
    matchevent_indeling_made: aangemaakt — Indeling van matchingbijeenkomst {bijeenkomst} gemaakt op peildatum {peildatum}: {koppels} nieuwe koppels, totale score {totaal}.
    matchevent_paired: aangemaakt — Bij de indeling van matchingbijeenkomst {bijeenkomst} gekoppeld aan vacature {vacature} (score {score}).
    matchevent_pair_confirmed: gewijzigd — Koppel met vacature {vacature} op matchingbijeenkomst {bijeenkomst} bevestigd; voordracht {voordracht}.
    matchevent_pair_dropped: gewijzigd — Koppel met vacature {vacature} op matchingbijeenkomst {bijeenkomst} laten vallen.

    Onderzoeksexport (trede.interchange.research)
    research_export_made: geëxporteerd — Gepseudonimiseerde onderzoeksexport gemaakt ({bestanden}; {generalisatie}, k = {k}) via {via}; doel: {doel}.

    Vergelijking met andere gemeenten (trede.monitor.peers)
    peers_imported: ingelezen — Referentiecijfers ingelezen uit {bestand}: {uitkomst}; {regels} jaarcijfers van {gemeenten} gemeenten, {fouten} fouten.

    Bewaartermijnen en vernietiging (trede.retention)
    retention_period_changed: gewijzigd — Bewaartermijn van {soort} gewijzigd van {oud} naar {nieuw} jaar; bron of reden: {bron}.
    retention_listed: ingezien — Bekeken wat de bewaartermijn voorbij is ({lijst}): {aantal}.
    destruction_proposed: aangemaakt — Vernietiging {run} voorgesteld: {aantal} ({soort}, bewaartermijn {jaren} jaar, peildatum {peildatum}).
    destruction_executed: verwijderd — Vernietiging {run} goedgekeurd en uitgevoerd (tweede paar ogen; voorgesteld door {voorsteller}): {vernietigd} vernietigd, {overgeslagen} overgeslagen, {regels} regels uit {tabellen} tabellen.
    destruction_rejected: gewijzigd — Vernietiging {run} afgewezen; reden: {reden}.
    destruction_refused: geweigerd — Vernietiging {run}: {handeling} geweigerd: {reden}.

    Brieven en beschikkingen (trede.letters)
    letter_made: aangemaakt — Brief {brief} gemaakt: {soort}, kenmerk {kenmerk}, sjabloon versie {versie}; gegevens in de brief: {gegevens}.
    letter_downloaded: geëxporteerd — Brief {brief} ({soort}, kenmerk {kenmerk}) gedownload als PDF.
    letter_template_saved: gewijzigd — Sjabloon {soort} opgeslagen als versie {versie}: {onderdelen}.

    Applicatietokens en inloggen met het gemeente-account (trede.accounts.tokens, trede.security.oidc)
    token_created: aangemaakt — Applicatietoken {token} ({naam}) aangemaakt voor systeemaccount {account} met rol {rol}; scopes: {scopes}; verloopt: {verloopt}.
    token_revoked: gewijzigd — Applicatietoken {token} ({naam}) van systeemaccount {account} ingetrokken.
    token_refused: geweigerd — Toegang met applicatietoken {token} geweigerd: {reden} (adres {adres}).
    sso_login_succeeded: ingelogd — Ingelogd met het gemeente-account (adres {adres}); rol {rol}, team {team}.
    sso_login_refused: inloggen mislukt — Inloggen met het gemeente-account geweigerd: {reden} (adres {adres}).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from . import events as purposes
from .models import Action, AuditEvent
from .services import audit_read, audit_reads, audit_record, audit_records, audit_records_per_client


@dataclass(frozen=True)
class EventType:
    name: str
    action: str
    text: str
    # Detail key → {code: Dutch label}: the row keeps codes, the sentence shows the labels.
    labels: Mapping[str, Mapping[str, str]] = field(default_factory=dict)


EVENTS: dict[str, EventType] = {}


def _declare(name: str, action: str, text: str) -> EventType:
    EVENTS[name] = EventType(name, action, text)
    return EVENTS[name]


def _docstring_events() -> list[tuple[str, str, str]]:
    """The list in this module's docstring: (name, action label, text)."""
    rows = []
    in_list = False
    for line in (__doc__ or "").splitlines():
        if line.startswith("Events ("):
            in_list = True
            continue
        if in_list and line.startswith("    ") and ":" in line:
            name, rest = line.strip().split(": ", 1)
            label, text = rest.split(" — ", 1)
            rows.append((name, label, text))
    return rows


# The declarations are read from the docstring above, so the documented list and the code
# cannot drift apart; the action label must name one of Action's choices.
_ACTION_BY_LABEL = {str(label): value for value, label in Action.choices}
for _name, _label, _text in _docstring_events():
    _declare(_name, _ACTION_BY_LABEL[_label], _text)


def _write(name: str, *, user, **fields) -> AuditEvent:
    return audit_record(user=user, action=EVENTS[name].action, event=name, **fields)


# --------------------------------------------------------------------------- client files


def client_section_read(user, client_id: str, section: str, *, purpose: str = purposes.CLIENT_FILE):
    """Written with the request's other section reads, in one INSERT (`services.audit_reads`)."""
    return audit_read(user=user, client_id=client_id, section=section, purpose=purpose)


def client_sections_read(
    user, client_id: str, sections: Iterable[str], *, purpose: str = purposes.CLIENT_FILE
):
    """One row per section a page showed; all the request's reads in one INSERT."""
    return audit_reads(
        {
            "user": user,
            "action": Action.READ,
            "event": "client_section_read",
            "client_id": client_id,
            "section": section,
            "purpose": purpose,
        }
        for section in sections
    )


def clients_listed(
    user, client_ids: Iterable[str], *, list_name: str, purpose: str, object_type: str = "", object_id=""
) -> int:
    """A page listed clients by name (and age or birth date): one row per client shown, so
    each client's own log says who saw them in which list (NEN 7513), plus one row for the
    page itself; one INSERT."""
    ids = list(dict.fromkeys(str(c) for c in client_ids))
    return audit_records_per_client(
        user=user,
        action=Action.READ,
        client_ids=ids,
        client_event="client_listed",
        client_details={"lijst": list_name},
        client_section="basis",
        summary_event="list_viewed",
        summary_details={"lijst": list_name, "aantal": len(ids)},
        purpose=purpose,
        object_type=object_type,
        object_id=object_id,
    )


def client_search_results(
    user, query: str, client_ids: Iterable[str], *, purpose: str = purposes.CLIENT_SEARCH
) -> int:
    """A search and every client it showed (the query itself may be a name or a BSN: only
    its length is kept); one INSERT."""
    ids = list(dict.fromkeys(str(c) for c in client_ids))
    return audit_records_per_client(
        user=user,
        action=Action.SEARCH,
        client_ids=ids,
        client_event="client_search_hit",
        client_details={"aantal": len(ids)},
        client_section="basis",
        summary_event="client_search",
        summary_details={"lengte": len(query), "aantal": len(ids)},
        purpose=purpose,
    )


def access_denied(
    user,
    *,
    client_id: str = "",
    section: str = "",
    purpose: str = "",
    reason: str = "",
    object_type: str = "",
):
    return _write(
        "access_denied",
        user=user,
        client_id=client_id,
        section=section,
        purpose=purpose,
        object_type=object_type,
        details={"reden": reason} if reason else None,
    )


# --------------------------------------------------------------------------- accounts


def _address(request) -> str:
    return (request.META.get("REMOTE_ADDR", "") if request is not None else "") or "onbekend"


def login_succeeded(user, request):
    return _write(
        "login_succeeded", user=user, purpose=purposes.ACCOUNT, details={"adres": _address(request)}
    )


def login_failed(username: str, request):
    username = (username or "")[:150]
    return _write(
        "login_failed",
        user=None,
        username=username,
        purpose=purposes.ACCOUNT,
        details={"gebruikersnaam": username, "adres": _address(request)},
    )


def logged_out(user, request):
    return _write("logged_out", user=user, purpose=purposes.ACCOUNT)


def role_changed(actor, account, old: str, new: str):
    return _write(
        "role_changed",
        user=actor,
        object_type="gebruiker",
        object_id=account.pk,
        purpose=purposes.ACCOUNT,
        details={"account": account.get_username(), "oud": old, "nieuw": new},
    )


def account_rights_changed(actor, account, changes: dict[str, list]):
    return _write(
        "account_rights_changed",
        user=actor,
        object_type="gebruiker",
        object_id=account.pk,
        purpose=purposes.ACCOUNT,
        details={"account": account.get_username(), "wijziging": changes},
    )


def waarneming_granted(user, waarneming, *, days: int):
    return _write(
        "waarneming_granted",
        user=user,
        client_id=waarneming.client_id,
        object_type="waarneming",
        object_id=waarneming.pk,
        purpose=purposes.WAARNEMING,
        details={"dagen": int(days), "reden": waarneming.reason},
    )


def waarneming_deleted(actor, waarneming):
    return _write(
        "waarneming_deleted",
        user=actor,
        client_id=waarneming.client_id,
        object_type="waarneming",
        object_id=waarneming.pk,
        purpose=purposes.WAARNEMING,
        details={
            "account": getattr(waarneming.user, "username", ""),
            "reden": waarneming.reason,
            "tot": waarneming.valid_until.isoformat(timespec="minutes") if waarneming.valid_until else "",
        },
    )


# --------------------------------------------------------------------------- data in and out


def import_run(user, *, folder: str, outcome: str, rows: int, errors: int, run_id=""):
    return _write(
        "import_run",
        user=user,
        object_type="importrun",
        object_id=run_id,
        purpose=purposes.IMPORT,
        details={"map": str(folder), "uitkomst": outcome, "regels": rows, "fouten": errors},
    )


def export_made(
    user,
    *,
    what: str,
    count: int,
    purpose: str,
    fmt: str = "CSV",
    client_id: str = "",
    object_type: str = "",
    object_id="",
):
    return _write(
        "export_made",
        user=user,
        client_id=client_id,
        object_type=object_type,
        object_id=object_id,
        section="audit" if purpose == purposes.AUDIT_REVIEW else "",
        purpose=purpose,
        details={"wat": what, "formaat": fmt, "aantal": count},
    )


# --------------------------------------------------------------------------- privacy review


def audit_log_read(user, client_id: str):
    return _write(
        "audit_log_read", user=user, client_id=client_id, section="audit", purpose=purposes.AUDIT_REVIEW
    )


def audit_denied_list_read(user, *, count: int):
    return _write(
        "audit_denied_list_read",
        user=user,
        section="audit",
        object_type="geweigerd",
        purpose=purposes.AUDIT_REVIEW,
        details={"aantal": count},
    )


# --------------------------------------------------------------------------- wat werkt voor wie


def effects_run_stored(user, run, *, instruments: int, estimates: int, data_until: str):
    """An estimation read every client's history to store totals only."""
    return _write(
        "effects_run_stored",
        user=user,
        object_type="effect_run",
        object_id=str(run.pk),
        purpose=purposes.EFFECTS,
        details={
            "horizon": run.horizon_months,
            "instrumenten": instruments,
            "schattingen": estimates,
            "gegevens_tot": data_until,
        },
    )


def effects_advice_read(user, client_id: str):
    return _write(
        "effects_advice_read", user=user, client_id=client_id, section="diagnose", purpose=purposes.EFFECTS
    )


# --------------------------------------------------------------------------- casework


def client_transferred(user, transfer, *, from_consultant: str, to_consultant: str, reason: str):
    return _write(
        "client_transferred",
        user=user,
        client_id=transfer.client_id,
        object_type="caseload_transfer",
        object_id=transfer.pk,
        section="basis",
        purpose=purposes.REBALANCE,
        details={"van": from_consultant or "geen", "naar": to_consultant, "reden": reason},
    )


# --- Contactmomenten -------------------------------------------------------------------
# (events of trede.casework.contacts)
# Details hold the number, codes, dates and the reason the author gave, never the verslag.


def _sentence_part(reason: str) -> str:
    """A reason inside the event's sentence, which ends with its own full stop."""
    return reason.strip().rstrip(".").rstrip()


def _contact_fields(contact) -> dict:
    return {
        "datum": contact.date.isoformat(),
        "kind": contact.kind,
        "contactsoort": contact.get_kind_display() or "contact",
        "outcome": contact.outcome,
        "uitkomst": contact.get_outcome_display() or "uitkomst onbekend",
    }


def contact_registered(user, contact):
    return _write(
        "contact_registered",
        user=user,
        client_id=contact.client_id,
        object_type="contact",
        object_id=contact.pk,
        section="contacten",
        purpose=purposes.CONTACT,
        details=_contact_fields(contact),
    )


def contact_corrected(user, contact, *, changed: list[str], reason: str):
    """`changed`: the Dutch labels of the fields the correction changed."""
    return _write(
        "contact_corrected",
        user=user,
        client_id=contact.client_id,
        object_type="contact",
        object_id=contact.pk,
        section="contacten",
        purpose=purposes.CONTACT,
        details={
            **_contact_fields(contact),
            "gewijzigd": list(changed),
            "versie": contact.lock_version,
            "reden": _sentence_part(reason),
        },
    )


def contact_withdrawn(user, contact, *, reason: str):
    return _write(
        "contact_withdrawn",
        user=user,
        client_id=contact.client_id,
        object_type="contact",
        object_id=contact.pk,
        section="contacten",
        purpose=purposes.CONTACT,
        details={**_contact_fields(contact), "versie": contact.lock_version, "reden": _sentence_part(reason)},
    )


# --- Plannen van aanpak ----------------------------------------------------------------
# (events of trede.casework.plans)


def _plan_event(name: str, user, plan, **details):
    return _write(
        name,
        user=user,
        client_id=plan.client_id,
        object_type="plan",
        object_id=plan.pk,
        section="plan",
        purpose=purposes.PLAN,
        details={"versie": plan.version, **details},
    )


def plan_drawn_up(user, plan, *, actions: int, replaced_concepts: Iterable[int]):
    return _plan_event("plan_drawn_up", user, plan, afspraken=actions, vervallen=list(replaced_concepts))


def plan_agreed_by_consultant(user, plan):
    return _plan_event("plan_agreed_by_consultant", user, plan)


def plan_agreed_by_client(user, plan, *, online: bool):
    """Online by the resident themselves, or recorded by the consultant in a conversation."""
    if online:
        return _plan_event("plan_agreed_by_client_online", user, plan, via="online")
    return _plan_event("plan_agreed_by_client_in_conversation", user, plan, via="in_gesprek")


def plan_signed(user, plan, *, replaced_signed: Iterable[int]):
    return _plan_event("plan_signed", user, plan, vervallen=list(replaced_signed))


def plan_action_done(user, action):
    return _write(
        "plan_action_done",
        user=user,
        client_id=action.plan.client_id,
        object_type="plan_action",
        object_id=action.pk,
        section="plan",
        purpose=purposes.PLAN,
        details={"versie": action.plan.version, "gedaan_op": action.done_on.isoformat()},
    )


# --- Intake, vragenlijst, diagnose en route --------------------------------------------
# (events of trede.casework.intake)


def client_registered(user, client, *, consultant_id):
    return _write(
        "client_registered",
        user=user,
        client_id=client.pk,
        object_type="client",
        object_id=client.pk,
        section="basis",
        purpose=purposes.INTAKE,
        details={"consulent": consultant_id},
    )


def application_registered(user, application):
    return _write(
        "application_registered",
        user=user,
        client_id=application.client_id,
        object_type="application",
        object_id=application.pk,
        section="basis",
        purpose=purposes.INTAKE,
        details={
            "melding": application.get_kind_display().capitalize(),
            "soort_code": application.kind,
            "ontvangen": application.received_on.isoformat(),
        },
    )


def questionnaire_started(user, questionnaire):
    return _write(
        "questionnaire_started",
        user=user,
        client_id=questionnaire.client_id,
        object_type="questionnaire",
        object_id=questionnaire.pk,
        purpose=purposes.QUESTIONNAIRE,
    )


def questionnaire_link_made(user, questionnaire, *, replaced: bool):
    """A self-service link; `replaced`: an earlier link of this questionnaire stopped working."""
    return _write(
        "questionnaire_link_replaced" if replaced else "questionnaire_link_made",
        user=user,
        client_id=questionnaire.client_id,
        object_type="questionnaire",
        object_id=questionnaire.pk,
        purpose=purposes.QUESTIONNAIRE,
        details={"geldig_tot": questionnaire.token_valid_until.isoformat(timespec="minutes")},
    )


def questionnaire_submitted(questionnaire, *, answered: int, deferred: int):
    """The applicant sent the questionnaire through the link (no login: no user)."""
    return _write(
        "questionnaire_submitted",
        user=None,
        client_id=questionnaire.client_id,
        object_type="questionnaire",
        object_id=questionnaire.pk,
        purpose=purposes.QUESTIONNAIRE,
        details={"beantwoord": answered, "bespreken": deferred, "via": "zelfinvullink"},
    )


def questionnaire_completed(user, questionnaire, *, changed_questions: list[str]):
    return _write(
        "questionnaire_completed",
        user=user,
        client_id=questionnaire.client_id,
        object_type="questionnaire",
        object_id=questionnaire.pk,
        purpose=purposes.QUESTIONNAIRE,
        details={"aantal": len(changed_questions), "vragen": list(changed_questions)},
    )


def client_profile_filled(user, questionnaire, *, filled: list[str], kept: list[str]):
    """Which profile fields (their Dutch names, never their values) an answer filled, and
    which kept a value recorded after the answer."""
    return _write(
        "client_profile_filled",
        user=user,
        client_id=questionnaire.client_id,
        object_type="client",
        object_id=questionnaire.client_id,
        section="werkprofiel",
        purpose=purposes.QUESTIONNAIRE,
        details={
            "overgenomen": list(filled) or "niets",
            "behouden": list(kept) or "niets",
            "vragenlijst": questionnaire.pk,
        },
    )


def route_decided(user, decision):
    """A route decision; the deviation reason itself stays on the decision (free text)."""
    name = "route_decided_deviating" if decision.deviates else "route_decided"
    details = {
        "route": decision.get_route_display(),
        "route_code": decision.route,
        "vanaf": decision.decided_on.isoformat(),
        "diagnose": decision.diagnosis_id or "",
        "beleid": decision.preset_key,
    }
    if decision.advised_route:
        details |= {"advies": decision.get_advised_route_display(), "advies_code": decision.advised_route}
    else:
        details["advies"] = "geen (de diagnose heeft geen afstand tot werk)"
    return _write(
        name,
        user=user,
        client_id=decision.client_id,
        object_type="route_decision",
        object_id=decision.pk,
        section="diagnose",
        purpose=purposes.ROUTE,
        details=details,
    )


def diagnosis_calculated(user, diagnosis, *, preset_key: str):
    return _write(
        "diagnosis_calculated",
        user=user,
        client_id=diagnosis.client_id,
        object_type="diagnosis",
        object_id=diagnosis.pk,
        section="diagnose",
        purpose=purposes.DIAGNOSIS,
        details={"assessed_by": diagnosis.assessed_by, "beleid": preset_key},
    )


def diagnosis_overridden(user, diagnosis, *, override_of: str, fields: Iterable[str], derived: Iterable[str]):
    """`fields`, `derived`: field names (the reason itself stays on the diagnosis)."""
    return _write(
        "diagnosis_overridden",
        user=user,
        client_id=diagnosis.client_id,
        object_type="diagnosis",
        object_id=diagnosis.pk,
        section="diagnose",
        purpose=purposes.DIAGNOSIS,
        details={
            "van": override_of,
            "velden": ", ".join(sorted(fields)) or "geen",
            "afgeleid": ", ".join(sorted(derived)) or "geen",
        },
    )


# --- Beleidsinstellingen ---------------------------------------------------------------
# (events of trede.casework.policy)

# The parts of a preset's settings (the top-level keys of PolicyPreset.config), as the
# beheerder's form names them.
PRESET_PARTS = {
    "categories": "categorieën naar afstand tot werk",
    "category_2b": "categorie 2B",
    "category_3b_max_ladder_step": "categorie 3B",
    "routes": "routes",
    "route_limit_months": "maximale duur re-integratie",
    "client_groups": "klantgroepen",
    "ladder_target": "doeltrede van het diagnose-instrument",
    "contact_basis": "waarop de contactfrequentie geldt",
    "contact_interval_days": "contactfrequentie",
    "rechtmatigheid_months": "rechtmatigheidsonderzoek",
    "plan_required": "plan van aanpak verplicht",
    "plan_required_under_age": "leeftijd plan van aanpak verplicht",
    "plan_sign_days": "termijn ondertekenen plan",
    "caseload": "caseloadnorm",
    "stale_diagnosis_months": "diagnose verouderd na",
    "no_show_days": "niet gestart na verwijzing",
    "no_show_contact_days": "niet verschenen op de werklijst",
    "nazorg_days": "nazorg na einde uitkering",
    "ladder_approach": "aanpak per trede",
    "referrals": "rapportages van aanbieders",
}
EVENTS["preset_updated"] = replace(EVENTS["preset_updated"], labels={"onderdelen": PRESET_PARTS})


def preset_updated(user, preset, *, parts: Iterable[str]):
    """`parts`: the top-level keys of the settings that changed (codes; labels above)."""
    return _write(
        "preset_updated",
        user=user,
        object_type="policy_preset",
        object_id=preset.key,
        purpose=purposes.PRESETS,
        details={"onderdelen": sorted(parts)},
    )


def preset_activated(user, preset, *, previous: Iterable[str]):
    return _write(
        "preset_activated",
        user=user,
        object_type="policy_preset",
        object_id=preset.key,
        purpose=purposes.PRESETS,
        details={"vorige": list(previous)},
    )


# --- Catalogus, contracten en declaraties ----------------------------------------------
# (events of trede.instruments.catalogue, .contracts and .claims; no client's personal data)


def instrument_saved(user, instrument, *, created: bool, fields: Iterable[str]):
    return _write(
        "instrument_saved",
        user=user,
        object_type="instrument",
        object_id=instrument.pk,
        purpose=purposes.CATALOGUE,
        details={
            "handeling": "aangemaakt" if created else "gewijzigd",
            "velden": ", ".join(fields) or "geen",
        },
    )


def contract_saved(user, contract, *, created: bool, fields: Iterable[str]):
    return _write(
        "contract_saved",
        user=user,
        object_type="contract",
        object_id=contract.pk,
        purpose=purposes.CATALOGUE,
        details={
            "contract": contract.reference,
            "aanbieder": contract.provider_id,
            "handeling": "aangemaakt" if created else "gewijzigd",
            "velden": ", ".join(fields) or "geen",
        },
    )


def catalogue_client_fit_read(user, client_id: str):
    return _write(
        "catalogue_client_fit_read",
        user=user,
        client_id=client_id,
        section="diagnose",
        purpose=purposes.CATALOGUE,
        details={},
    )


def _claim_details(claim) -> dict:
    return {
        "wat": f"{str(claim.get_kind_display()).capitalize()} {claim.number}",
        "soort_code": claim.kind,
        "aanbieder": claim.provider_id,
    }


def _claim_event(name: str, user, claim, **details):
    return _write(
        name,
        user=user,
        object_type="claim",
        object_id=claim.pk,
        purpose=purposes.CLAIMS,
        details=_claim_details(claim) | details,
    )


def claim_submitted(user, claim, *, lines: int):
    from trede.utils.dutch import format_number

    return _claim_event(
        "claim_submitted", user, claim, regels=lines, totaal=format_number(claim.total_eur, 2)
    )


def claim_checked(user, claim):
    return _claim_event("claim_checked", user, claim)


def claim_approved(user, claim):
    checker = claim.checked_by.username if claim.checked_by_id else ""
    return _claim_event("claim_approved", user, claim, controleur=checker)


def claim_rejected(user, claim, *, reason: str):
    return _claim_event("claim_rejected", user, claim, reden=reason)


def claim_refused(user, claim, *, step: str, reason: str):
    """A refused step on a claim (the checker approving their own check, a claim in the
    wrong status): written outside the refused transaction."""
    return _claim_event("claim_refused", user, claim, handeling=step, reden=reason)


# --- Verwijzingen en het aanbiedersportaal ----------------------------------------------
# (events of trede.instruments.referrals; details hold numbers, codes and dates, the
# reason of a dispute, never the goal, the note for the provider or a report's text)


def _referral_event(name: str, user, referral, **details):
    trajectory = referral.trajectory
    return _write(
        name,
        user=user,
        client_id=trajectory.client_id,
        object_type="referral",
        object_id=referral.pk,
        section="trajecten",
        purpose=purposes.REFERRALS,
        # 'traject', not 'nummer': describe() fills 'nummer' with the row's object id.
        details={"traject": trajectory.pk, "aanbieder": trajectory.provider_id or ""} | details,
    )


def referral_created(user, referral):
    trajectory = referral.trajectory
    end = trajectory.planned_end_date
    return _referral_event(
        "referral_created",
        user,
        referral,
        instrument=trajectory.instrument_id or "",
        einddatum=f"{end:%d-%m-%Y}" if end else "geen",
    )


def referral_intake_recorded(user, referral):
    return _referral_event(
        "referral_intake_recorded", user, referral, datum=f"{referral.intake_date:%d-%m-%Y}"
    )


def referral_started(user, referral):
    return _referral_event(
        "referral_started", user, referral, datum=f"{referral.trajectory.start_date:%d-%m-%Y}"
    )


def referral_no_show(user, referral):
    return _referral_event(
        "referral_no_show",
        user,
        referral,
        reden=str(referral.get_no_show_reason_display()),
        reden_code=referral.no_show_reason,
    )


def referral_no_show_handled(user, referral):
    return _referral_event("referral_no_show_handled", user, referral)


def referral_progress_reported(user, report):
    return _referral_event(
        "referral_progress_reported",
        user,
        report.referral,
        volgnummer=report.number,
        koers="op koers" if report.on_track else "niet op koers",
    )


def referral_end_reported(user, report):
    return _referral_event(
        "referral_end_reported",
        user,
        report.referral,
        resultaat=str(report.get_result_display()),
        datum=f"{report.end_date:%d-%m-%Y}",
        criterium="gehaald" if report.criterion_met else "niet gehaald",
        correctie=bool(report.corrects_id),
    )


def referral_result_confirmed(user, report):
    return _referral_event(
        "referral_result_confirmed", user, report.referral, resultaat=str(report.get_result_display())
    )


def referral_result_disputed(user, report):
    return _referral_event(
        "referral_result_disputed", user, report.referral, reden=_sentence_part(report.dispute_reason)
    )


def referral_signals_read(user, *, count: int):
    return _write(
        "referral_signals_read",
        user=user,
        object_type="referral_signals",
        purpose=purposes.REFERRALS,
        details={"aantal": count},
    )


# --- Budget en plafonds -----------------------------------------------------------------
# (events of trede.finance: going beyond a ceiling, or being refused at it; no personal data)


def _ceiling_details(figures, *, subject: str) -> dict:
    from trede.utils.dutch import format_number

    money = figures.measure == "geld"

    def shown(value):
        return ("€ " if money else "") + format_number(value, 2 if money else 0)

    if figures.contract_pk is None:  # a budget line (trede.finance.selectors.line_ceilings)
        where = {"plafond": "budget", "begrotingsregel": figures.subject, "financiering": figures.provider}
    else:
        where = {
            "plafond": "geldplafond" if money else "volumeplafond",
            "contract": figures.subject,
            "aanbieder": figures.provider,
        }
    return where | {
        "handeling": subject,
        "voor": shown(figures.use),
        "na": shown(figures.use_after),
        "grens": shown(figures.ceiling),
    }


def ceiling_overridden(user, figures, *, subject: str, reason: str, override_pk=None):
    return _write(
        "ceiling_overridden",
        user=user,
        object_type="contract",
        object_id=figures.contract_pk,
        purpose=purposes.BUDGET,
        details=_ceiling_details(figures, subject=subject) | {"reden": reason, "vastgelegd": override_pk},
    )


def ceiling_refused(user, figures, *, subject: str):
    """Written outside the refused transaction."""
    line = figures.contract_pk is None
    return _write(
        "budget_line_refused" if line else "ceiling_refused",
        user=user,
        object_type="begrotingsregel" if line else "contract",
        object_id=f"{figures.subject} {figures.year}" if line else figures.contract_pk,
        purpose=purposes.BUDGET,
        details=_ceiling_details(figures, subject=subject),
    )


def budget_allowance_made(user, allowance, *, subject: str):
    """Room beyond a budget line's budget, allowed with a reason (no personal data)."""
    from trede.utils.dutch import format_number

    return _write(
        "budget_allowance_made",
        user=user,
        object_type="begrotingsregel",
        object_id=f"{allowance.line} {allowance.year}",
        purpose=purposes.BUDGET,
        details={
            "begrotingsregel": allowance.line,
            "financiering": allowance.funding,
            "jaar": allowance.year,
            "ruimte": "€ " + format_number(allowance.amount_eur, 2),
            "gebruik_ervoor": "€ " + format_number(allowance.use_before, 2),
            "plafond_ervoor": "€ " + format_number(allowance.ceiling_before, 2),
            "handeling": subject,
            "declaratie": allowance.claim_id,
            "reden": allowance.reason,
            "vastgelegd": allowance.pk,
        },
    )


# --- Premies ---------------------------------------------------------------------------
# (events of trede.finance.premiums: who proposed, checked, approved or rejected which part
# of whose premium; the list of people to pay is a read of each person listed)


def premiums_listed(user, client_ids: Iterable[str]) -> int:
    """The premiums page named these people (name and client number): one row each."""
    return clients_listed(user, client_ids, list_name="Premies ter betaling", purpose=purposes.PREMIUMS)


def _premium_event(name: str, user, part, **details):
    return _write(
        name,
        user=user,
        client_id=part.client_id,
        section="uitkering",
        object_type="premiedeel",
        object_id=part.pk,
        purpose=purposes.PREMIUMS,
        details={"wat": f"{part.scheme_name} deel {part.part} ({part.number})", "regeling": part.scheme}
        | details,
    )


def premium_proposed(user, part):
    from trede.utils.dutch import format_number

    return _premium_event(
        "premium_proposed",
        user,
        part,
        bedrag=format_number(part.amount_eur, 2),
        verdiend_op=part.due_date.strftime("%d-%m-%Y"),
    )


def premium_checked(user, part):
    return _premium_event("premium_checked", user, part)


def premium_approved(user, part):
    checker = part.checked_by.username if part.checked_by_id else ""
    return _premium_event("premium_approved", user, part, betaling=part.payment_id, controleur=checker)


def premium_rejected(user, part, *, reason: str):
    return _premium_event("premium_rejected", user, part, reden=reason)


def premium_refused(user, part, *, step: str, reason: str):
    """A refused step (approving one's own check or proposal, a part no longer earned):
    written outside the refused transaction."""
    return _premium_event("premium_refused", user, part, handeling=step, reden=reason)


# --- Matching ---------------------------------------------------------------------------
# (trede match vacancy|client|assign and the screens that show matches: every client a
# result names, with scores and reasons from the work profile, is a read of that client)


def match_listed(user, client_ids: Iterable[str], *, what: str, as_of: str) -> int:
    """A matching result named these clients: one row each plus one for the run; one INSERT."""
    ids = list(dict.fromkeys(str(c) for c in client_ids))
    return audit_records_per_client(
        user=user,
        action=Action.READ,
        client_ids=ids,
        client_event="match_listed",
        client_details={"wat": what, "peildatum": as_of},
        client_section="werkprofiel",
        summary_event="match_run",
        summary_details={"wat": what, "peildatum": as_of, "aantal": len(ids)},
        purpose=purposes.MATCHING,
    )


def vacancy_saved(user, vacancy, *, created: bool, fields: Iterable[str]):
    """A vacancy is no personal data: one row without a client (who changed which fields)."""
    return _write(
        "vacancy_saved",
        user=user,
        object_type="vacancy",
        object_id=vacancy.pk,
        purpose=purposes.MATCHING,
        details={
            "vacature": vacancy.pk,
            "werkgever": vacancy.employer_id or "",
            "handeling": "aangemaakt" if created else "gewijzigd",
            "velden": ", ".join(fields) or "geen",
        },
    )


def employer_relation_saved(
    user, record, *, what: str, created: bool, fields: Iterable[str], reason: str = ""
):
    """A contact person, agreement or contact with an employer: no client, one row naming
    the record and the fields changed (a correction also its reason)."""
    return _write(
        "employer_relation_saved",
        user=user,
        object_type=record._meta.model_name,
        object_id=record.pk,
        purpose=purposes.MATCHING,
        details={
            "wat": what.capitalize(),
            "nummer": record.pk,
            "werkgever": record.employer_id,
            "handeling": "aangemaakt" if created else ("gecorrigeerd" if reason else "gewijzigd"),
            "velden": ", ".join(fields) or "alle",
            "reden": f"; reden: {reason}" if reason else "",
        },
    )


def _voordracht_event(name: str, user, voordracht, **details):
    vacancy = voordracht.vacancy
    return _write(
        name,
        user=user,
        client_id=voordracht.client_id,
        object_type="voordracht",
        object_id=voordracht.pk,
        section="werkprofiel",
        purpose=purposes.MATCHING,
        details={"vacature": vacancy.pk, "werkgever": vacancy.employer_id or ""} | details,
    )


def voordracht_proposed(user, voordracht):
    score = voordracht.score
    return _voordracht_event(
        "voordracht_proposed",
        user,
        voordracht,
        score=f"{score:.4f}".replace(".", ",") if score is not None else "onbekend",
    )


def voordracht_consent(user, voordracht, *, given: bool, via: str):
    name = "voordracht_consent_given" if given else "voordracht_consent_refused"
    return _voordracht_event(name, user, voordracht, via=via)


def voordracht_consent_withdrawn(user, voordracht, *, via: str):
    return _voordracht_event("voordracht_consent_withdrawn", user, voordracht, via=via)


def voordracht_presented(user, voordracht):
    return _voordracht_event("voordracht_presented", user, voordracht)


def voordracht_outcome(user, voordracht):
    return _voordracht_event("voordracht_outcome", user, voordracht, uitkomst=voordracht.get_status_display())


# --- Matchingbijeenkomsten (trede.matchevents) ------------------------------------------


def _score_text(units: int) -> str:
    from trede.employers.matching.rules import SCORE_SCALE

    return f"{units / SCORE_SCALE:.4f}".replace(".", ",")


def matchevent_saved(user, event, *, created: bool, fields: Iterable[str]):
    """An event is no personal data: one row without a client."""
    return _write(
        "matchevent_saved",
        user=user,
        object_type="matchevent",
        object_id=event.pk,
        purpose=purposes.MATCHING,
        details={
            "bijeenkomst": event.pk,
            "handeling": "aangemaakt" if created else "gewijzigd",
            "velden": ", ".join(fields) or "geen",
        },
    )


def matchevent_vacancy_changed(user, event, vacancy_id: str, *, change: str, places: int):
    return _write(
        "matchevent_vacancy_changed",
        user=user,
        object_type="matchevent",
        object_id=event.pk,
        purpose=purposes.MATCHING,
        details={"bijeenkomst": event.pk, "vacature": vacancy_id, "handeling": change, "plaatsen": places},
    )


def _matchevent_client_event(name: str, user, event, client_id: str, **details):
    return _write(
        name,
        user=user,
        client_id=client_id,
        object_type="matchevent",
        object_id=event.pk,
        section="werkprofiel",
        purpose=purposes.MATCHING,
        details={"bijeenkomst": event.pk} | details,
    )


def matchevent_candidate_added(user, event, client_id: str):
    return _matchevent_client_event("matchevent_candidate_added", user, event, client_id)


def matchevent_candidate_removed(user, event, client_id: str):
    return _matchevent_client_event("matchevent_candidate_removed", user, event, client_id)


def matchevent_indeling_made(user, indeling, pairs) -> int:
    """The run (no client) and one row per new pair in that client's log; one INSERT."""
    event_pk = indeling.event_id
    common = {
        "user": user,
        "object_type": "matchevent",
        "object_id": event_pk,
        "purpose": purposes.MATCHING,
    }
    rows = [
        common
        | {
            "action": EVENTS["matchevent_indeling_made"].action,
            "event": "matchevent_indeling_made",
            "details": {
                "bijeenkomst": event_pk,
                "peildatum": indeling.as_of.isoformat(),
                "koppels": indeling.pairs,
                "totaal": _score_text(indeling.total_units),
            },
        }
    ]
    rows += [
        common
        | {
            "action": EVENTS["matchevent_paired"].action,
            "event": "matchevent_paired",
            "client_id": pair.client_id,
            "section": "werkprofiel",
            "details": {
                "bijeenkomst": event_pk,
                "vacature": pair.vacancy_id,
                "score": _score_text(pair.units),
            },
        }
        for pair in pairs
    ]
    return len(audit_records(rows))


def matchevent_pair_confirmed(user, pair):
    return _matchevent_client_event(
        "matchevent_pair_confirmed",
        user,
        pair.event,
        pair.client_id,
        vacature=pair.vacancy_id,
        voordracht=pair.voordracht_id or "",
    )


def matchevent_pair_dropped(user, pair):
    return _matchevent_client_event(
        "matchevent_pair_dropped", user, pair.event, pair.client_id, vacature=pair.vacancy_id
    )


# --- Plaatsingen en nazorg (trede.employers.placements) -------------------------------


def _placement_event(name: str, user, placement, **details):
    return _write(
        name,
        user=user,
        client_id=placement.client_id,
        object_type="placement",
        object_id=placement.pk,
        section="werkprofiel",
        purpose=purposes.PLACEMENTS,
        details={"nummer": placement.pk, "werkgever": placement.employer_id or ""} | details,
    )


def placement_recorded(user, placement):
    return _placement_event(
        "placement_recorded",
        user,
        placement,
        vanaf=placement.start_date.isoformat(),
        contract=placement.get_contract_display() or "geen contractsoort",
        subsidie=placement.get_subsidy_display() or "geen subsidie",
    )


def placement_corrected(user, placement, *, changed: list[str], reason: str):
    return _placement_event(
        "placement_corrected", user, placement, gewijzigd=", ".join(changed), reden=_sentence_part(reason)
    )


def nazorg_registered(user, contact, *, moment: str):
    return _placement_event(
        "nazorg_registered",
        user,
        contact.placement,
        moment=moment,
        datum=contact.date.isoformat(),
        uitkomst="nog aan het werk" if contact.still_at_work else "niet meer aan het werk",
    )


def placement_signal_seen(user, placement):
    return _placement_event("placement_signal_seen", user, placement)


# --- Prognose ----------------------------------------------------------------------------
# (trede.monitor.forecast: scenarios are assumptions of policy, no personal data)


def forecast_scenario_saved(user, scenario, *, created: bool):
    return _write(
        "forecast_scenario_saved",
        user=user,
        object_type="forecast_scenario",
        object_id=scenario.code,
        purpose=purposes.FORECAST,
        details={
            "scenario": scenario.name,
            "handeling": "toegevoegd" if created else "gewijzigd",
            "instroom": str(scenario.inflow_multiplier).replace(".", ","),
            "uitstroom": str(scenario.outflow_multiplier).replace(".", ","),
        },
    )


# --- Rechtmatigheidsonderzoek ------------------------------------------------------------
# (events of trede.benefits.onderzoek: who registered, corrected or withdrew which onderzoek
# of whom; the list of who is due is a read of each person listed)


def onderzoeken_listed(user, client_ids: Iterable[str], *, list_name: str) -> int:
    """The rechtmatigheid page named these people (name, client number, due date): one row each."""
    return clients_listed(user, client_ids, list_name=list_name, purpose=purposes.RECHTMATIGHEID)


def _onderzoek_event(name: str, user, onderzoek, **details):
    return _write(
        name,
        user=user,
        client_id=onderzoek.client_id,
        section="uitkering",
        object_type="rechtmatigheidsonderzoek",
        object_id=onderzoek.pk,
        purpose=purposes.RECHTMATIGHEID,
        details={"nummer": onderzoek.number} | details,
    )


def onderzoek_registered(user, onderzoek):
    return _onderzoek_event(
        "onderzoek_registered",
        user,
        onderzoek,
        datum=onderzoek.held_on.strftime("%d-%m-%Y"),
        uitkomst=onderzoek.get_outcome_display(),
    )


def onderzoek_corrected(user, onderzoek, *, changed: str, reason: str):
    return _onderzoek_event("onderzoek_corrected", user, onderzoek, gewijzigd=changed, reden=reason)


def onderzoek_withdrawn(user, onderzoek, *, reason: str):
    return _onderzoek_event("onderzoek_withdrawn", user, onderzoek, reden=reason)


# --- Handhaving ---------------------------------------------------------------------------
# (events of trede.benefits.handhaving: each step of a zaak of one client; the worklist is a
# read of each person listed)


def handhaving_listed(user, client_ids: Iterable[str], *, list_name: str) -> int:
    """The handhaving worklist named these people: one row each."""
    return clients_listed(user, client_ids, list_name=list_name, purpose=purposes.HANDHAVING)


def _handhaving_event(name: str, user, zaak, **details):
    return _write(
        name,
        user=user,
        client_id=zaak.client_id,
        section="uitkering",
        object_type="handhavingszaak",
        object_id=zaak.pk,
        purpose=purposes.HANDHAVING,
        details={"nummer": zaak.number} | details,
    )


def handhaving_signal_registered(user, zaak):
    return _handhaving_event(
        "handhaving_signal_registered",
        user,
        zaak,
        signaal=zaak.get_signal_kind_display(),
        datum=zaak.signal_date.strftime("%d-%m-%Y"),
    )


def handhaving_signal_corrected(user, zaak, *, changed: str, reason: str):
    return _handhaving_event("handhaving_signal_corrected", user, zaak, gewijzigd=changed, reden=reason)


def handhaving_heard(user, hearing):
    return _handhaving_event(
        "handhaving_heard",
        user,
        hearing.zaak,
        datum=hearing.held_on.strftime("%d-%m-%Y"),
        hoe=hearing.get_form_display(),
    )


def handhaving_hearing_corrected(user, hearing, *, changed: str, reason: str):
    return _handhaving_event(
        "handhaving_hearing_corrected", user, hearing.zaak, gewijzigd=changed, reden=reason
    )


def handhaving_decided(user, besluit, *, what: str):
    return _handhaving_event(
        "handhaving_decided",
        user,
        besluit.zaak,
        besluit=besluit.number,
        wat=what,
        stand=besluit.get_status_display(),
    )


def handhaving_approved(user, besluit):
    return _handhaving_event(
        "handhaving_approved",
        user,
        besluit.zaak,
        besluit=besluit.number,
        bezwaar=besluit.bezwaar_deadline.strftime("%d-%m-%Y"),
    )


def handhaving_returned(user, besluit, *, reason: str):
    return _handhaving_event("handhaving_returned", user, besluit.zaak, besluit=besluit.number, reden=reason)


def handhaving_withdrawal_requested(user, besluit, *, reason: str):
    return _handhaving_event(
        "handhaving_withdrawal_requested", user, besluit.zaak, besluit=besluit.number, reden=reason
    )


def handhaving_withdrawn(user, besluit, *, reason: str):
    return _handhaving_event("handhaving_withdrawn", user, besluit.zaak, besluit=besluit.number, reden=reason)


def handhaving_withdrawal_refused(user, besluit, *, asked_by, asked_reason: str, reason: str):
    """A colleague did not confirm the withdrawal: the decision stays final."""
    return _handhaving_event(
        "handhaving_withdrawal_refused",
        user,
        besluit.zaak,
        besluit=besluit.number,
        voorgesteld_door=asked_by.get_username() if asked_by is not None else "",
        voorstel=asked_reason,
        reden=reason,
    )


def handhaving_closed(user, zaak, *, reason: str):
    return _handhaving_event("handhaving_closed", user, zaak, reden=reason)


def handhaving_refused(user, zaak, *, step: str, reason: str):
    """A refused step (deciding before horen, approving one's own decision): written
    outside the refused transaction."""
    return _handhaving_event("handhaving_refused", user, zaak, handeling=step, reden=reason)


# --- Onderzoeksexport --------------------------------------------------------------------
# (trede.interchange.research: pseudonymised, no client id in the row; the details hold
# file names and row counts, the generalisation chosen and the purpose as typed)


def research_export_made(
    user, *, purpose_text: str, files: Mapping[str, int], level: str, k: int, via: str, account: str = ""
):
    """`via`: "opdrachtregel" or "webpagina"; `account`: the system account that ran the
    command when no Trede user was named."""
    via = f"de {via}" + (f" (systeemaccount {account})" if account else "")
    return _write(
        "research_export_made",
        user=user,
        object_type="research_export",
        purpose=purposes.RESEARCH,
        details={
            "bestanden": ", ".join(f"{name} {count} regels" for name, count in files.items()),
            "regels": dict(files),
            "generalisatie": level,
            "k": k,
            "via": via,
            "doel": purpose_text[:500],
        },
    )


# --- Vergelijking ----------------------------------------------------------------------
# (trede.monitor.peers: figures of other municipalities, no personal data)


def peers_imported(
    user, *, filename: str, outcome: str, rows: int, municipalities: int, errors: int, import_id=""
):
    return _write(
        "peers_imported",
        user=user,
        object_type="peer_import",
        object_id=import_id,
        purpose=purposes.PEERS,
        details={
            "bestand": filename,
            "uitkomst": outcome,
            "regels": rows,
            "gemeenten": municipalities,
            "fouten": errors,
        },
    )


# --- Bewaartermijnen en vernietiging ----------------------------------------------------
# (trede.retention: run numbers, counts and record types; never a client number, so the
# log of a destruction does not bring back who was destroyed. The privacy officer's list
# of client numbers is logged per client with `clients_listed`.)


def retention_period_changed(user, period, *, old: int):
    return _write(
        "retention_period_changed",
        user=user,
        object_type="retention_period",
        object_id=str(period.pk),
        purpose=purposes.RETENTION,
        details={
            "soort": str(period.get_record_type_display()),
            "code": period.record_type,
            "oud": old,
            "nieuw": period.years,
            "bron": period.basis[:300],
        },
    )


def retention_listed(user, *, what: str, count: int, via: str = "webpagina"):
    return _write(
        "retention_listed",
        user=user,
        object_type="retention",
        purpose=purposes.RETENTION,
        details={"lijst": what, "aantal": count, "via": via},
    )


def _run_details(run) -> dict:
    return {"run": run.pk, "soort": str(run.get_record_type_display()), "code": run.record_type}


def destruction_proposed(user, run):
    what = (
        f"{run.proposed_count} klantdossiers"
        if run.record_type == "klantdossier"
        else f"{run.proposed_count} auditregels van vóór {run.cutoff:%d-%m-%Y}"
    )
    return _write(
        "destruction_proposed",
        user=user,
        object_type="destruction_run",
        object_id=str(run.pk),
        purpose=purposes.RETENTION,
        details={
            **_run_details(run),
            "aantal": what,
            "jaren": run.period_years,
            "peildatum": run.as_of.isoformat(),
        },
    )


def destruction_executed(user, run):
    return _write(
        "destruction_executed",
        user=user,
        object_type="destruction_run",
        object_id=str(run.pk),
        purpose=purposes.RETENTION,
        details={
            **_run_details(run),
            "voorsteller": run.proposed_by.username,
            "vernietigd": run.destroyed_count,
            "overgeslagen": run.skipped_count,
            "regels": sum(run.counts.values()),
            "tabellen": len(run.counts),
            "per_tabel": dict(run.counts),
        },
    )


def destruction_rejected(user, run):
    return _write(
        "destruction_rejected",
        user=user,
        object_type="destruction_run",
        object_id=str(run.pk),
        purpose=purposes.RETENTION,
        details={**_run_details(run), "reden": run.reason},
    )


def destruction_refused(user, run, *, step: str, reason: str):
    return _write(
        "destruction_refused",
        user=user,
        object_type="destruction_run",
        object_id=str(getattr(run, "pk", "") or ""),
        purpose=purposes.RETENTION,
        details={"run": getattr(run, "pk", "-") or "-", "handeling": step, "reden": reason},
    )


# --- Brieven en beschikkingen ------------------------------------------------------------
# (trede.letters: which letter was made or downloaded, of which client; the details name the
# placeholders filled in, never their values)


# The file section a letter's kind belongs to (its read permission's section); every other
# kind (the beschikkingen, the intrekkingsbesluit) is handhaving.
LETTER_SECTIONS = {"plan_van_aanpak": "plan", "uitnodiging_rechtmatigheid": "uitkering"}


def _letter_event(name: str, user, letter, **details):
    return _write(
        name,
        user=user,
        client_id=letter.client_id,
        section=LETTER_SECTIONS.get(letter.kind, "handhaving"),
        object_type="brief",
        object_id=letter.pk,
        purpose=purposes.LETTERS,
        details={"brief": letter.number, "soort": letter.get_kind_display(), "kenmerk": letter.reference}
        | details,
    )


def letter_made(user, letter):
    return _letter_event(
        "letter_made",
        user,
        letter,
        versie=letter.template_version,
        gegevens=", ".join(letter.fields_used) or "geen",
    )


def letter_downloaded(user, letter):
    return _letter_event("letter_downloaded", user, letter)


def letter_template_saved(user, template, *, parts: str):
    return _write(
        "letter_template_saved",
        user=user,
        object_type="briefsjabloon",
        object_id=template.pk,
        purpose=purposes.LETTERS,
        details={"soort": template.get_kind_display(), "versie": template.version, "onderdelen": parts},
    )


# --- Applicatietokens en inloggen met het gemeente-account -------------------------------
# (the token's prefix names it, never its secret)


def _token_details(token) -> dict:
    return {"token": token.prefix, "naam": token.name, "account": token.user.get_username()}


def token_created(user, token):
    return _write(
        "token_created",
        user=user,
        object_type="applicatietoken",
        object_id=token.pk,
        purpose=purposes.ACCOUNT,
        details={
            **_token_details(token),
            "rol": token.user.role,
            "scopes": list(token.scopes),
            "verloopt": token.expires_at.isoformat(timespec="minutes") if token.expires_at else "nooit",
        },
    )


def token_revoked(user, token):
    return _write(
        "token_revoked",
        user=user,
        object_type="applicatietoken",
        object_id=token.pk,
        purpose=purposes.ACCOUNT,
        details=_token_details(token),
    )


def token_refused(request, *, token=None, prefix: str = "", reason: str):
    """A request with a token that is unknown, expired or revoked (no secret is logged)."""
    return _write(
        "token_refused",
        user=None,
        username=token.user.get_username() if token is not None else "",
        object_type="applicatietoken",
        object_id=token.pk if token is not None else "",
        purpose=purposes.ACCOUNT,
        details={
            "token": token.prefix if token is not None else (prefix or "onbekend"),
            "reden": reason,
            "adres": _address(request),
        },
    )


def sso_login_succeeded(user, request):
    return _write(
        "sso_login_succeeded",
        user=user,
        purpose=purposes.ACCOUNT,
        details={"adres": _address(request), "rol": user.role, "team": user.team or "geen"},
    )


def sso_login_refused(request, *, username: str = "", reason: str):
    username = (username or "")[:150]
    return _write(
        "sso_login_refused",
        user=None,
        username=username,
        purpose=purposes.ACCOUNT,
        details={"gebruikersnaam": username, "reden": reason, "adres": _address(request)},
    )
