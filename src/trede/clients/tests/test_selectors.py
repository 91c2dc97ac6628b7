"""Search, the caseload rows and the timeline (clients.selectors)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from trede.benefits.models import Benefit
from trede.casework.models import Contact, Diagnosis, Plan, RouteDecision
from trede.clients import selectors
from trede.clients.models import Client
from trede.tests_e2e.world import build_world
from trede.utils.dates import age_on


@pytest.fixture
def world(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return build_world()


def _ids(clients):
    return [c.client_id for c in clients]


# --------------------------------------------------------------------------- search


@pytest.mark.parametrize(
    "query, expected",
    [
        ("Vries", ["KA0001"]),
        ("anna vries", ["KA0001"]),  # every word a part of a name, any order, any case
        ("VRIES  Anna", ["KA0001"]),
        ("Anna Bakker", []),  # both words must match
        ("111222333", ["KA0001"]),  # exact BSN
        ("11122233", []),  # no partial BSN
        ("KA00", ["KA0001"]),  # start of a client number
        ("ka0001", ["KA0001"]),
        ("A0001", []),  # not the middle of a client number
        ("", []),
        ("   ", []),
    ],
)
def test_search_for_own_consultant(world, query, expected):
    assert _ids(selectors.client_search(user=world.user("sanne"), query=query)) == expected


def test_search_stays_within_scope(world):
    assert _ids(selectors.client_search(user=world.user("bob"), query="Vries")) == []
    assert _ids(selectors.client_search(user=world.user("bob"), query="Bakker")) == ["KB0002"]
    assert _ids(selectors.client_search(user=world.user("tl_noord"), query="a")) == ["KA0001"]
    # The waarnemer finds the client while the waarneming runs.
    assert _ids(selectors.client_search(user=world.user("wim"), query="Vries")) == ["KA0001"]


def test_provider_finds_only_referred_clients(world):
    assert _ids(selectors.client_search(user=world.user("aanbieder_p"), query="Bakker")) == []
    assert _ids(selectors.client_search(user=world.user("aanbieder_p"), query="Vries")) == ["KA0001"]
    assert _ids(selectors.client_search(user=world.user("aanbieder_q"), query="Bakker")) == ["KB0002"]


def test_bsn_search_only_for_roles_that_may_see_the_bsn(world):
    # The accountmanager may find Anna by name, but not by BSN (no identiteit section).
    assert _ids(selectors.client_search(user=world.user("am"), query="Vries")) == ["KA0001"]
    assert _ids(selectors.client_search(user=world.user("am"), query="111222333")) == []
    assert _ids(selectors.client_search(user=world.user("inkomen"), query="111222333")) == ["KA0001"]
    assert _ids(selectors.client_search(user=world.user("privacy"), query="111222333")) == ["KA0001"]


def test_roles_without_client_files_find_nothing(world):
    for key in ("beleid", "beheerder"):
        assert selectors.client_search(user=world.user(key), query="Vries") == []


# --------------------------------------------------------------------------- caseload


def test_caseload_row_for_a_full_file(world):
    today = timezone.localdate()
    (row,) = selectors.caseload_rows(user=world.user("sanne"))
    assert row.client_id == "KA0001"
    assert row.name == "Anna de Vries"
    assert row.age == age_on(date(1990, 3, 14), today)
    assert (row.route, row.route_label, row.category) == ("re_integratie", "re-integratie", "1C")
    assert (row.client_group, row.client_group_label) == ("werken_en_ervaren", "Werken en ervaren")
    assert row.ladder_step == 3
    assert row.last_contact == today - timedelta(days=10)
    assert row.benefit_status == "lopend"
    assert row.benefit_label == "Participatiewet sinds 01-01-2023"
    assert row.plan_status == "ondertekend"
    assert row.plan_label == "ondertekend (versie 1)"


def test_latest_route_decision_wins_over_the_diagnosis(world):
    a = world.clients["A"]
    RouteDecision.objects.create(
        client=a,
        decided_on=timezone.localdate() - timedelta(days=1),
        route="participatie",
        category="3B",
        client_group="zorg",
        ladder_step=2,
        reason="Heronderzoek: eerst zorg.",
    )
    (row,) = selectors.caseload_rows(user=world.user("sanne"))
    assert (row.route, row.category, row.client_group, row.ladder_step) == ("participatie", "3B", "zorg", 2)


def test_fallbacks_without_route_decision(world):
    sanne = world.consultants["sanne"]
    today = timezone.localdate()
    c = Client.objects.create(
        client_id="KC0003", family_name="Claes", birth_date=date(2000, 1, 1), consultant=sanne
    )
    Diagnosis.objects.create(
        diagnosis_id="DC1",
        client=c,
        date=date(2024, 1, 1),
        months_to_work=3,
        ladder_step=5,
        route="directe_bemiddeling",
    )
    # An imported diagnosis without group: the group is derived from months to work.
    Benefit.objects.create(
        benefit_id="U-C0", client=c, start_date=date(2020, 1, 1), end_date=date(2021, 1, 1), end_reason="werk"
    )
    Contact.objects.create(contact_id="GC-future", client=c, date=today + timedelta(days=3), kind="gesprek")
    Plan.objects.create(client=c, version=1, status="concept", goals="Werk")
    Client.objects.create(
        client_id="KD0004", family_name="Dekker", birth_date=date(1999, 1, 1), consultant=sanne
    )
    rows = {r.client_id: r for r in selectors.caseload_rows(user=world.user("sanne"))}
    c_row, d_row = rows["KC0003"], rows["KD0004"]
    assert (c_row.route, c_row.ladder_step) == ("directe_bemiddeling", 5)
    # The diagnosis has a route but no group or category: the active policy fills them in.
    assert (c_row.client_group, c_row.category, c_row.derived) == ("direct_werk", "1A", True)
    assert c_row.last_contact is None  # a planned contact is not the last contact
    assert (c_row.benefit_status, c_row.benefit_label) == ("beeindigd", "beëindigd per 01-01-2021 (werk)")
    assert c_row.plan_label == "concept, nog niet ondertekend (versie 1)"
    assert (d_row.route, d_row.client_group, d_row.ladder_step) == ("", "", None)
    assert (d_row.benefit_status, d_row.plan_label) == ("geen", "geen plan")


def test_imported_diagnosis_is_classified_by_the_active_policy(world):
    sanne = world.consultants["sanne"]
    c = Client.objects.create(client_id="KF0006", birth_date=date(1970, 1, 1), consultant=sanne)
    Diagnosis.objects.create(
        diagnosis_id="DF1", client=c, date=date(2024, 1, 1), months_to_work=18, ladder_step=3
    )
    rows = {r.client_id: r for r in selectors.caseload_rows(user=world.user("sanne"))}
    row = rows["KF0006"]
    assert (row.route, row.category, row.client_group, row.derived) == (
        "re_integratie",
        "1C",
        "werken_en_ervaren",
        True,
    )
    assert rows["KA0001"].derived is False  # a route decision is a decision
    # The file header says the same.
    file = selectors.client_file(user=world.user("sanne"), client=c, sections={"basis", "diagnose"})
    assert (file.route_label, file.category, file.client_group_label, file.derived) == (
        "re-integratie",
        "1C",
        "Werken en ervaren",
        True,
    )


def test_latest_diagnosis_tie_goes_to_the_highest_id(world):
    sanne = world.consultants["sanne"]
    c = Client.objects.create(client_id="KE0005", birth_date=date(2000, 1, 1), consultant=sanne)
    for diagnosis_id, step in (("D9", 2), ("D10", 4)):
        Diagnosis.objects.create(diagnosis_id=diagnosis_id, client=c, date=date(2024, 1, 1), ladder_step=step)
    rows = {r.client_id: r for r in selectors.caseload_rows(user=world.user("sanne"))}
    assert rows["KE0005"].ladder_step == 4  # D10 is higher than D9


def test_caseload_scope_per_role(world):
    assert _ids(selectors.caseload_rows(user=world.user("bob"))) == ["KB0002"]
    # Wim's waarneming on Anna does not put her on his caseload.
    assert selectors.caseload_rows(user=world.user("wim")) == []
    assert _ids(selectors.caseload_rows(user=world.user("tl_noord"))) == ["KA0001"]
    assert _ids(selectors.caseload_rows(user=world.user("tl_zuid"))) == ["KB0002"]
    assert selectors.caseload_rows(user=world.user("tl_zuid"))[0].consultant == "Bob Jansen"
    for key in ("inkomen", "am", "aanbieder_p", "privacy", "beleid", "inwoner_a"):
        assert selectors.caseload_rows(user=world.user(key)) == [], key


def test_caseload_filter_and_sort(world):
    sanne = world.consultants["sanne"]
    today = timezone.localdate()
    for n, (name, contact_days) in enumerate((("Zwart", 1), ("Aalders", 30), ("Maas", None))):
        c = Client.objects.create(
            client_id=f"KS{n}", family_name=name, birth_date=date(1980 + n, 1, 1), consultant=sanne
        )
        RouteDecision.objects.create(client=c, decided_on=today, route="participatie", reason="r")
        if contact_days is not None:
            Contact.objects.create(contact_id=f"GS{n}", client=c, date=today - timedelta(days=contact_days))
    user = world.user("sanne")
    assert _ids(selectors.caseload_rows(user=user, route="participatie")) == ["KS1", "KS2", "KS0"]  # by name
    assert _ids(selectors.caseload_rows(user=user, route="re_integratie")) == ["KA0001"]
    assert _ids(selectors.caseload_rows(user=user, client_group="werken_en_ervaren")) == ["KA0001"]
    # Longest ago first; no contact at all counts as longest ago.
    assert _ids(selectors.caseload_rows(user=user, route="participatie", sort="contact")) == [
        "KS2",
        "KS1",
        "KS0",
    ]
    assert _ids(selectors.caseload_rows(user=user, route="participatie", sort="-contact")) == [
        "KS0",
        "KS1",
        "KS2",
    ]
    assert _ids(selectors.caseload_rows(user=user, sort="leeftijd"))[0] == "KA0001"  # the youngest
    assert _ids(selectors.caseload_rows(user=user, benefit="geen")) == ["KS1", "KS2", "KS0"]


# --------------------------------------------------------------------------- timeline


def _kinds(entries):
    return {e.kind for e in entries}


def test_timeline_has_everything_newest_first(world):
    a = world.clients["A"]
    entries = selectors.client_timeline(user=world.user("sanne"), client=a)
    days = [e.day for e in entries]
    assert days == sorted(days, reverse=True)
    assert _kinds(entries) == {
        "Uitkering",
        "Handhaving",
        "Diagnose",
        "Route",
        "Contact",
        "Intake",
        "Vragenlijst",
        "Traject",
        "Werk",
        "Plan",
    }
    titles = [e.title for e in entries]
    assert "Participatiewet: uitkering gestart" in titles
    assert "Plan van aanpak versie 1 ondertekend" in titles
    assert "Verwezen naar Werkervaringsplaats bij Werkbedrijf Noord" in titles
    assert entries[-1].title == "Verwezen naar Werkervaringsplaats bij Leerwerkbureau Zuid"  # 1 June 2022
    handhaving = next(e for e in entries if e.kind == "Handhaving")
    assert handhaving.detail == "20 %, 1 maand"


def test_timeline_leaves_out_what_the_role_may_not_see(world):
    a = world.clients["A"]
    am = selectors.client_timeline(user=world.user("am"), client=a)
    assert {e.section for e in am} == {"werkprofiel"}
    assert [e.title for e in am] == ["Aan het werk bij Distributiecentrum Ypenburg"]

    provider = selectors.client_timeline(user=world.user("aanbieder_p"), client=a)
    assert {e.section for e in provider} == {"trajecten"}
    assert not any("Leerwerkbureau Zuid" in e.title for e in provider)  # another provider's referral
    assert len(provider) == 2  # referral and start at Werkbedrijf Noord

    resident = selectors.client_timeline(user=world.user("inwoner_a"), client=a)
    assert {e.section for e in resident} == {"plan", "leefgebieden"}

    income = selectors.client_timeline(user=world.user("inkomen"), client=a)
    assert {e.section for e in income} == {"uitkering", "handhaving"}

    assert selectors.client_timeline(user=world.user("bob"), client=a) == []
    assert selectors.client_timeline(user=world.user("beleid"), client=a) == []


def test_client_file_holds_only_the_given_sections(world):
    a = world.clients["A"]
    file = selectors.client_file(user=world.user("am"), client=a, sections={"basis", "werkprofiel"})
    assert set(file.data) == {"basis", "werkprofiel"}
    assert file.route_label == "" and file.client_group_label == ""
    answers = {
        item["question"].id for group in file.data["werkprofiel"]["answers"] for item in group["items"]
    }
    assert "werk_beroepen" in answers
    assert not answers & {"gezondheid_psychisch", "schulden", "wonen", "zorgtaken", "huishouden"}


def test_sort_name_puts_the_tussenvoegsel_after_the_name():
    assert selectors.sort_name("de Vries", "Anna") == "vries de anna"
    assert selectors.sort_name("van der Berg", "Piet") == "berg van der piet"
    assert selectors.sort_name("Van Dijk", "Joost") == "van dijk joost"  # capitalised: part of the name
    assert selectors.sort_name("", "") == ""


def test_nl_number():
    assert selectors.nl_number(Decimal("24.0")) == "24"
    assert selectors.nl_number(Decimal("24.50")) == "24,5"
    assert selectors.nl_number(None) == ""
