"""The handhaving workflow: signal, horen before any decision, the decision computed from
the verordening, four eyes, the Measure row (measures.csv), the worklist, corrections with
the original kept, double submits, stale edits, permissions and audit."""

from __future__ import annotations

import csv
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from trede.accounts.models import Role
from trede.audit.models import AuditEvent
from trede.benefits.handhaving import selectors, services
from trede.benefits.handhaving.models import Besluit, Handhavingszaak, Horen, ZaakStatus
from trede.benefits.models import Measure
from trede.benefits.tests.factories import BenefitFactory
from trede.casework.tests.factories import ConsultantFactory
from trede.casework.tests.factories_plans import UserFactory
from trede.clients.tests.factories import ClientFactory
from trede.utils.concurrency import StaleEditError, new_submission_key
from trede.utils.dates import add_months

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def world(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    users = {
        "ink": UserFactory(username="ink", role=Role.CONSULENT_INKOMEN, team="Noord"),
        "ink2": UserFactory(username="ink2", role=Role.CONSULENT_INKOMEN, team="Noord"),
        "tl": UserFactory(username="tl", role=Role.TEAMLEIDER, team="Noord"),
        "werk": UserFactory(username="werk", role=Role.CONSULENT_WERK, team="Noord"),
        "beleid": UserFactory(username="beleid", role=Role.BELEID),
        "zuid": UserFactory(username="zuid", role=Role.CONSULENT_INKOMEN, team="Zuid"),
    }
    anna = ConsultantFactory(team="Noord", name="Anna de Vries", user=users["werk"])
    zoe = ConsultantFactory(team="Zuid", name="Zoë Zuid")
    clients = {}
    for cid, consultant in (("HH001", anna), ("HH002", anna), ("HH009", zoe)):
        c = ClientFactory(client_id=cid, given_name="Kees", family_name=f"Klant{cid}", consultant=consultant)
        BenefitFactory(client=c, start_date=add_months(TODAY, -30), end_date=None, end_reason="")
        clients[cid] = c
    return users | clients


def _signal(world, user="ink", client="HH001", kind="afspraak_gemist", days_ago=20, **extra):
    return services.zaak_register(
        user=world[user],
        client=world[client],
        signal_kind=kind,
        signal_date=TODAY - timedelta(days=days_ago),
        description="Niet verschenen op het gesprek van 10 uur.",
        **extra,
    )


def _hear(world, zaak, user="ink"):
    return services.horen_register(
        user=world[user],
        zaak=zaak,
        held_on=min(TODAY, zaak.signal_date + timedelta(days=1)),
        form="gesprek",
        statement="Ik was de brief vergeten.",
    )


def _decide(world, zaak, user="ink", **values):
    args = {
        "kind": "maatregel",
        "category": "1",
        "verwijtbaarheid": "verwijtbaar",
        "motivation": "Niet verschenen zonder bericht; de uitleg is geen geldige reden.",
    } | values
    return services.besluit_take(user=world[user], zaak=zaak, **args)


def test_no_decision_before_the_client_is_heard(world):
    zaak = _signal(world)
    assert zaak.status == ZaakStatus.HOREN and zaak.obligation == "arbeid"
    with pytest.raises(ValidationError, match="nog niet gehoord"):
        _decide(world, zaak)
    assert not Besluit.objects.exists()
    refused = AuditEvent.objects.get(event="handhaving_refused", client_id="HH001")
    assert "nog niet gehoord" in refused.details["reden"]


def test_signal_to_maatregel_with_four_eyes_writes_one_measure(world):
    zaak = _signal(world)
    _hear(world, zaak)
    zaak.refresh_from_db()
    assert zaak.status == ZaakStatus.GEHOORD
    besluit = _decide(world, zaak)
    assert besluit.status == "ter_goedkeuring" and besluit.four_eyes
    assert (besluit.percentage, besluit.months, besluit.offence) == (Decimal("20.00"), 1, 1)
    assert besluit.legal_ground.startswith("art. 18 lid 2 Participatiewet")
    assert not Measure.objects.exists()  # not final yet
    with pytest.raises(ValidationError, match="zelf genomen"):
        services.besluit_approve(user=world["ink"], besluit=besluit)
    approved = services.besluit_approve(user=world["tl"], besluit=besluit)
    assert approved.status == "definitief" and approved.approved_by == world["tl"]
    assert approved.decided_on == TODAY and approved.bezwaar_deadline == TODAY + timedelta(weeks=6)
    measure = Measure.objects.get()
    assert measure.measure_id == f"TREDE-HH-{besluit.pk}" and measure.client_id == "HH001"
    assert (measure.kind, measure.percentage, measure.months) == (
        "maatregel",
        Decimal("20.00"),
        Decimal("1.00"),
    )
    assert zaak.number in measure.reason
    zaak.refresh_from_db()
    assert zaak.status == ZaakStatus.BESLOTEN
    with pytest.raises(ValidationError):
        services.besluit_approve(user=world["ink2"], besluit=besluit)  # approved once
    assert Measure.objects.count() == 1
    events = list(
        AuditEvent.objects.filter(client_id="HH001", purpose="handhaving").values_list("event", flat=True)
    )
    for name in (
        "handhaving_signal_registered",
        "handhaving_heard",
        "handhaving_decided",
        "handhaving_approved",
    ):
        assert name in events


def test_the_database_refuses_an_approver_who_decided(world):
    zaak = _signal(world)
    _hear(world, zaak)
    besluit = _decide(world, zaak)
    with pytest.raises(IntegrityError), transaction.atomic():
        Besluit.objects.filter(pk=besluit.pk).update(approved_by=world["ink"])


def test_recidive_raises_the_step(world):
    for n, expected in ((1, Decimal("20.00")), (2, Decimal("50.00")), (3, Decimal("100.00"))):
        zaak = _signal(world, days_ago=90 - 20 * n)
        _hear(world, zaak)
        besluit = services.besluit_approve(user=world["ink2"], besluit=_decide(world, zaak))
        assert (besluit.offence, besluit.percentage) == (n, expected)


def test_verminderd_verwijtbaar_halves_and_no_blame_refuses(world):
    zaak = _signal(world)
    _hear(world, zaak)
    with pytest.raises(ValidationError, match="Zonder verwijtbaarheid"):
        _decide(world, zaak, verwijtbaarheid="geen")
    with pytest.raises(ValidationError, match="dringende redenen"):
        _decide(world, zaak, dringende_redenen=True, dringende_redenen_note="Mantelzorg voor een ziek kind.")
    besluit = _decide(world, zaak, verwijtbaarheid="verminderd")
    assert besluit.percentage == Decimal("10.00")


def test_a_boete_from_the_benadelingsbedrag_and_a_waarschuwing_below_the_threshold(world):
    small = _signal(world, kind="inkomsten_niet_gemeld", benadelingsbedrag=Decimal("120"))
    _hear(world, small)
    with pytest.raises(ValidationError, match="waarschuwing in plaats van een boete"):
        _decide(world, small, kind="boete", category="")
    warning = _decide(world, small, kind="waarschuwing", category="")
    assert warning.status == "definitief" and not warning.four_eyes  # the preset: no four eyes
    assert warning.legal_ground.startswith("art. 18a Participatiewet jo. art. 2a Boetebesluit")
    assert Measure.objects.get().kind == "waarschuwing"
    # A second one within 24 months: a boete now, even below the threshold.
    second = _signal(world, kind="inkomsten_niet_gemeld", days_ago=2, benadelingsbedrag=Decimal("100"))
    _hear(world, second)
    second.refresh_from_db()
    with pytest.raises(ValidationError, match="alleen bij een benadelingsbedrag"):
        _decide(world, second, kind="waarschuwing", category="")
    besluit = _decide(world, second, kind="boete", category="", verwijtbaarheid="grove_schuld")
    assert besluit.amount_eur == Decimal("75.00") and besluit.status == "ter_goedkeuring"


def test_an_imported_waarschuwing_counts_for_the_lookback(world):
    Measure.objects.create(
        measure_id="M-IMP-1", client=world["HH001"], date=TODAY - timedelta(days=200), kind="waarschuwing"
    )
    zaak = _signal(world, kind="inkomsten_niet_gemeld", benadelingsbedrag=Decimal("50"))
    _hear(world, zaak)
    assert selectors.advice(zaak).waarschuwing is False
    with pytest.raises(ValidationError):
        _decide(world, zaak, kind="waarschuwing", category="")


def test_double_submits_write_once(world):
    key = new_submission_key()
    first = _signal(world, submission_key=key)
    assert _signal(world, submission_key=key).pk == first.pk
    hkey = new_submission_key()
    for _ in range(2):
        services.horen_register(
            user=world["ink"],
            zaak=first,
            held_on=TODAY,
            form="telefonisch",
            statement="Ziek.",
            submission_key=hkey,
        )
    assert Horen.objects.count() == 1
    dkey = new_submission_key()
    a = _decide(world, first, submission_key=dkey)
    b = _decide(world, first, submission_key=dkey)
    assert a.pk == b.pk and Besluit.objects.count() == 1
    with pytest.raises(ValidationError, match="er kan nu geen besluit"):
        _decide(world, first)  # a second decision with a new key


def test_a_correction_keeps_the_original_and_a_stale_edit_is_refused(world):
    zaak = _signal(world)
    token = services.zaak_token(zaak)
    values = {
        "signal_kind": "aanbod_geweigerd",
        "signal_date": zaak.signal_date,
        "description": zaak.description,
        "benadelingsbedrag": None,
    }
    with pytest.raises(ValidationError, match="reden"):
        services.zaak_correct(user=world["ink"], zaak=zaak, token=token, reason="", **values)
    services.zaak_correct(
        user=world["ink"], zaak=zaak, token=token, reason="Verkeerd signaal gekozen.", **values
    )
    with pytest.raises(StaleEditError):
        services.zaak_correct(
            user=world["ink2"],
            zaak=zaak,
            token=token,
            reason="Nog een wijziging.",
            **(values | {"description": "Anders."}),
        )
    kinds = list(zaak.history.order_by("history_date").values_list("signal_kind", flat=True))
    assert kinds == ["afspraak_gemist", "aanbod_geweigerd"]
    hearing = _hear(world, zaak)
    services.horen_correct(
        user=world["ink"],
        hearing=hearing,
        token=services.horen_token(hearing),
        held_on=hearing.held_on,
        form="gesprek",
        statement="Ik had de brief niet ontvangen.",
        reason="Verkeerd opgeschreven.",
    )
    statements = list(hearing.history.order_by("history_date").values_list("statement", flat=True))
    assert statements == ["Ik was de brief vergeten.", "Ik had de brief niet ontvangen."]
    texts = " ".join(r["text"] for r in selectors.history_of(zaak))
    assert "afspraak" in texts and "brief vergeten" in texts


def test_return_and_decide_again(world):
    zaak = _signal(world)
    _hear(world, zaak)
    first = _decide(world, zaak)
    services.besluit_return(user=world["tl"], besluit=first, reason="Categorie 2 past beter.")
    zaak.refresh_from_db()
    assert zaak.status == ZaakStatus.GEHOORD
    second = _decide(world, zaak, category="2")
    assert second.percentage == Decimal("50.00") and Besluit.objects.count() == 2


def test_close_without_decision(world):
    zaak = _signal(world)
    services.zaak_close(user=world["ink"], zaak=zaak, reason="Klant lag in het ziekenhuis.")
    zaak.refresh_from_db()
    assert zaak.status == ZaakStatus.AFGEZIEN and not Measure.objects.exists()


def test_who_may_do_what(world):
    zaak = _signal(world, user="werk")  # the werkconsulent signals about the own caseload
    with pytest.raises(PermissionDenied):
        _hear(world, zaak, user="werk")
    with pytest.raises(PermissionDenied):
        _hear(world, zaak, user="tl")
    with pytest.raises(PermissionDenied):
        _signal(world, user="zuid")  # another team: no relationship
    with pytest.raises(PermissionDenied):
        _signal(world, user="beleid")
    _hear(world, zaak)
    besluit = _decide(world, zaak)
    with pytest.raises(PermissionDenied):
        services.besluit_approve(user=world["werk"], besluit=besluit)
    services.besluit_approve(user=world["ink2"], besluit=besluit)  # another consulent inkomen may


def test_the_worklist_follows_every_step_and_the_bezwaar_term(world, client):
    waiting = _signal(world, client="HH001")
    heard = _signal(world, client="HH002")
    _hear(world, heard)
    pending_zaak = _signal(world, client="HH002", days_ago=3)
    _hear(world, pending_zaak)
    pending = _decide(world, pending_zaak)
    done_zaak = _signal(world, client="HH001", days_ago=60)
    _hear(world, done_zaak)
    done = services.besluit_approve(user=world["tl"], besluit=_decide(world, done_zaak))
    old_zaak = _signal(world, client="HH001", days_ago=300)
    _hear(world, old_zaak)
    old = services.besluit_approve(
        user=world["tl"], besluit=_decide(world, old_zaak, category="2"), today=TODAY - timedelta(days=50)
    )
    other_team = _signal(world, user="zuid", client="HH009")
    from trede.accounts import permissions as perms
    from trede.accounts.access import client_scope

    work = selectors.worklist(
        client_scope(world["ink"], relations=perms.HANDHAVING_READ.relations), today=TODAY
    )
    assert [z.pk for z in work.horen] == [waiting.pk]
    assert [z.pk for z in work.besluiten] == [heard.pk]
    assert [z.pk for z in work.goedkeuring] == [pending.zaak_id]
    assert [z.pk for z in work.bezwaar] == [done.zaak_id]  # the old term (6 weeks) has passed
    assert old.bezwaar_deadline < TODAY
    assert other_team.pk not in [z.pk for _k, _t, zs in work.parts() for z in zs]

    client.force_login(world["ink"])
    page = client.get(reverse("handhaving:list"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Klant HH009" not in html and done.bezwaar_deadline.strftime("%d-%m-%Y") in html
    listed = set(
        AuditEvent.objects.filter(event="client_listed", user=world["ink"]).values_list(
            "client_id", flat=True
        )
    )
    assert listed == {"HH001", "HH002"}


def test_the_measure_of_a_decision_is_exported_in_measures_csv(world, tmp_path):
    from trede.interchange.services import export_folder

    zaak = _signal(world)
    _hear(world, zaak)
    besluit = services.besluit_approve(user=world["tl"], besluit=_decide(world, zaak))
    export_folder(tmp_path)
    with open(tmp_path / "measures.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    row = next(r for r in rows if r["measure_id"] == besluit.planned_measure_id)
    assert (row["client_id"], row["kind"], row["date"]) == ("HH001", "maatregel", TODAY.isoformat())
    assert Decimal(row["percentage"]) == Decimal(20) and Decimal(row["months"]) == Decimal(1)


# ---------------------------------------------------------------------------- the pages


def _post(client, zaak, **data):
    return client.post(reverse("handhaving:zaak", args=[zaak.pk]), data)


def test_the_pages_take_a_signal_to_a_final_maatregel(world, client):
    client.force_login(world["ink"])
    file = client.get(reverse("clients:file", args=["HH001"])).content.decode()
    assert reverse("handhaving:client", args=["HH001"]) in file
    response = client.post(
        reverse("handhaving:client", args=["HH001"]),
        {
            "signal_kind": "afspraak_gemist",
            "signal_date": (TODAY - timedelta(days=7)).isoformat(),
            "description": "Niet verschenen op het gesprek.",
            "submission_key": new_submission_key(),
        },
    )
    assert response.status_code == 302
    zaak = Handhavingszaak.objects.get()
    early = _post(
        client,
        zaak,
        actie="besluiten",
        kind="maatregel",
        category="1",
        verwijtbaarheid="verwijtbaar",
        motivation="Niet verschenen zonder bericht.",
    )
    assert early.status_code == 409 and "nog niet gehoord" in early.content.decode()
    bad = _post(client, zaak, actie="horen", held_on=TODAY.isoformat(), form="gesprek", statement="")
    assert bad.status_code == 400 and "Schrijf op wat de klant zei" in bad.content.decode()
    ok = _post(
        client,
        zaak,
        actie="horen",
        held_on=TODAY.isoformat(),
        form="gesprek",
        statement="Ik was ziek.",
        submission_key=new_submission_key(),
    )
    assert ok.status_code == 302
    page = client.get(reverse("handhaving:zaak", args=[zaak.pk])).content.decode()
    assert "Wat het beleid zegt" in page and "Besluit nemen" in page
    decided = _post(
        client,
        zaak,
        actie="besluiten",
        kind="maatregel",
        category="1",
        verwijtbaarheid="verwijtbaar",
        motivation="Niet verschenen zonder bericht.",
        submission_key=new_submission_key(),
    )
    assert decided.status_code == 302
    page = client.get(reverse("handhaving:zaak", args=[zaak.pk])).content.decode()
    assert "U nam dit besluit zelf" in page and ">Goedkeuren<" not in page
    assert _post(client, zaak, actie="goedkeuren").status_code == 409
    client.force_login(world["tl"])
    page = client.get(reverse("handhaving:zaak", args=[zaak.pk])).content.decode()
    assert ">Goedkeuren<" in page and "Besluit nemen" not in page
    assert _post(client, zaak, actie="goedkeuren").status_code == 302
    page = client.get(reverse("handhaving:zaak", args=[zaak.pk])).content.decode()
    assert (TODAY + timedelta(weeks=6)).strftime("%d-%m-%Y") in page and "definitief" in page


@pytest.mark.parametrize("user", ["beleid", "zuid"])
def test_others_cannot_open_the_pages(world, client, user):
    zaak = _signal(world)
    client.force_login(world[user])
    assert client.get(reverse("handhaving:zaak", args=[zaak.pk])).status_code in (403, 404)
    assert client.get(reverse("handhaving:client", args=["HH001"])).status_code in (403, 404)
    assert _post(client, zaak, actie="afzien", reason="Zomaar gesloten.").status_code in (403, 404)
    zaak.refresh_from_db()
    assert zaak.status == ZaakStatus.HOREN


def test_the_teamleider_reads_but_does_not_decide(world, client):
    zaak = _signal(world)
    client.force_login(world["tl"])
    page = client.get(reverse("handhaving:zaak", args=[zaak.pk]))
    assert page.status_code == 200 and "Horen vastleggen" not in page.content.decode()
    assert (
        _post(
            client, zaak, actie="horen", held_on=TODAY.isoformat(), form="gesprek", statement="Ziek."
        ).status_code
        == 403
    )
    assert not Horen.objects.exists()


def test_the_demo_seed_fills_every_step_of_the_worklist(world):
    from trede.accounts import permissions as perms
    from trede.accounts.access import client_scope
    from trede.benefits.handhaving.demo import PLAN, demo_handhaving_seed

    inkomen = UserFactory(username="inkomen", role=Role.CONSULENT_INKOMEN, team="Noord")
    UserFactory(username="teamleider", role=Role.TEAMLEIDER, team="Noord")
    anna = world["HH001"].consultant
    for n in range(len(PLAN)):
        c = ClientFactory(client_id=f"HD{n:03d}", consultant=anna)
        BenefitFactory(client=c, start_date=add_months(TODAY, -24), end_date=None, end_reason="")
    counts = demo_handhaving_seed(today=TODAY)
    assert sum(counts.values()) == len(PLAN)
    assert demo_handhaving_seed(today=TODAY) == {}  # once
    work = selectors.worklist(client_scope(inkomen, relations=perms.HANDHAVING_READ.relations), today=TODAY)
    assert len(work.horen) == 3 and len(work.besluiten) == 2 and len(work.goedkeuring) == 2
    assert len(work.bezwaar) == 3  # the maatregel, the boete and the waarschuwing; the old one has passed
    assert Measure.objects.filter(measure_id__startswith="TREDE-HH-").count() == 4


def test_a_final_decision_has_everything_a_beschikking_needs(world):
    zaak = _signal(world, kind="inkomsten_niet_gemeld", benadelingsbedrag=Decimal("900"))
    _hear(world, zaak)
    besluit = _decide(world, zaak, kind="boete", category="", verwijtbaarheid="opzet")
    with pytest.raises(ValueError):
        selectors.beschikking(besluit)  # four eyes pending: no letter yet
    besluit = services.besluit_approve(user=world["ink2"], besluit=besluit)
    letter = selectors.beschikking(besluit)
    assert letter["amount_eur"] == Decimal("900.00") and letter["legal_ground"].startswith("art. 18a lid 1")
    assert letter["client_statement"] == "Ik was de brief vergeten."
    assert letter["bezwaar_deadline"] == TODAY + timedelta(weeks=6) and letter["approved_by"]
    assert list(selectors.final_decisions()) == [besluit]


def test_a_measure_of_a_decision_goes_only_with_its_client(world):
    from django.db.models import RestrictedError

    zaak = _signal(world)
    _hear(world, zaak)
    besluit = services.besluit_approve(user=world["tl"], besluit=_decide(world, zaak))
    with pytest.raises(RestrictedError), transaction.atomic():
        besluit.measure.delete()
    world["HH001"].delete()
    assert not Measure.objects.exists() and not Besluit.objects.exists()


def test_retention_destroys_a_client_with_zaken_decisions_and_their_histories(world):
    from trede.retention.destruction import clients_destroy, destruction_plan

    zaak = _signal(world)
    _hear(world, zaak)
    services.besluit_approve(user=world["tl"], besluit=_decide(world, zaak))
    plan = destruction_plan()
    assert {Handhavingszaak, Horen, Besluit} <= set(plan.links)
    clients_destroy(["HH001"])
    assert (
        not Handhavingszaak.objects.exists() and not Besluit.objects.exists() and not Measure.objects.exists()
    )
    assert (
        not Handhavingszaak.history.exists() and not Horen.history.exists() and not Besluit.history.exists()
    )
