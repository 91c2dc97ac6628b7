"""The rechtmatigheid pages and services: who may, what is due, register once, correct with
the original kept, withdraw, compliance per consultant, audit."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from trede.accounts.models import Role
from trede.audit.models import AuditEvent
from trede.benefits.models import Rechtmatigheidsonderzoek
from trede.benefits.onderzoek import rules, selectors, services
from trede.benefits.tests.factories import BenefitFactory
from trede.casework.tests.factories import ConsultantFactory, DiagnosisFactory
from trede.casework.tests.factories_plans import UserFactory
from trede.clients.tests.factories import ClientFactory
from trede.utils.concurrency import StaleEditError, new_submission_key

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _months_ago(months: int, days: int = 0) -> date:
    from trede.utils.dates import add_months

    return add_months(TODAY, -months) - timedelta(days=days)


@pytest.fixture
def world(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    anna = ConsultantFactory(team="Noord", name="Anna de Vries")
    bart = ConsultantFactory(team="Noord", name="Bart Jansen")
    zuid = ConsultantFactory(team="Zuid", name="Zoë Zuid")

    def person(client_id, consultant, since, group=""):
        client = ClientFactory(client_id=client_id, family_name=f"Fam{client_id}", consultant=consultant)
        BenefitFactory(client=client, start_date=since, end_date=None, end_reason="")
        if group:
            DiagnosisFactory(client=client, date=since, client_group=group)
        return client

    people = {
        # 14 months on benefit, group direct werk (12 months): overdue by about 2 months.
        "late": person("RO001", anna, _months_ago(14), "direct_werk"),
        # 11 months and 3 weeks on benefit: due within 42 days.
        "soon": person("RO002", anna, _months_ago(11, 21), "direct_werk"),
        # zorg (24 months), 14 months on benefit: later.
        "zorg": person("RO003", bart, _months_ago(14), "zorg"),
        # no group yet: the shortest interval (12), 13 months: overdue.
        "unknown": person("RO004", bart, _months_ago(13)),
        # other team: never in Noord's list.
        "zuid": person("RO005", zuid, _months_ago(30), "direct_werk"),
    }
    ended = ClientFactory(client_id="RO006", consultant=anna)
    BenefitFactory(client=ended, start_date=_months_ago(30), end_date=_months_ago(2), end_reason="werk")
    people["ended"] = ended
    users = {
        "inkomen": UserFactory(username="ink", role=Role.CONSULENT_INKOMEN, team="Noord"),
        "inkomen2": UserFactory(username="ink2", role=Role.CONSULENT_INKOMEN, team="Noord"),
        "tl": UserFactory(username="tl", role=Role.TEAMLEIDER, team="Noord"),
        "werk": UserFactory(username="werk", role=Role.CONSULENT_WERK, team="Noord"),
        "beleid": UserFactory(username="beleid", role=Role.BELEID),
    }
    return people | users


def _list(client, user):
    client.force_login(user)
    return client.get(reverse("onderzoek:list"))


def test_the_worklist_shows_overdue_and_due_soon_of_the_own_team(client, world):
    response = _list(client, world["inkomen"])
    assert response.status_code == 200
    page = response.content.decode()
    table = page[page.index('id="tabel-beurt"') : page.index("</table>", page.index('id="tabel-beurt"'))]
    for key in ("late", "soon", "unknown"):
        assert world[key].client_id in table
    for key in ("zorg", "zuid", "ended"):
        assert world[key].client_id not in table
    # Most overdue first: the unknown group (13 months, 12-month term) before 'late' (14)?
    # No: 'late' is due 2 months ago, 'unknown' 1 month ago.
    assert table.index("RO001") < table.index("RO004") < table.index("RO002")
    assert "Aan de beurt (3, waarvan 2 te laat)" in page
    listed = AuditEvent.objects.filter(event="client_listed", user=world["inkomen"])
    assert sorted(listed.values_list("client_id", flat=True)) == ["RO001", "RO002", "RO004"]
    assert all(e.purpose == "rechtmatigheidsonderzoek" for e in listed)


def test_compliance_per_consultant_counts_what_the_rules_say(world):
    from trede.accounts import permissions as perms
    from trede.accounts.access import client_scope

    scope = client_scope(world["tl"], relations=perms.ONDERZOEK_READ.relations)
    rows = selectors.overview(scope, today=TODAY)
    figures = {c.consultant: c for c in selectors.compliance(rows)}
    anna, bart, total = figures["Anna de Vries"], figures["Bart Jansen"], figures["Totaal"]
    assert (anna.on_benefit, anna.overdue, anna.due_soon, anna.on_time) == (2, 1, 1, 1)
    assert (bart.on_benefit, bart.overdue, bart.due_soon) == (2, 1, 0)
    assert (total.on_benefit, total.overdue, total.on_time_share) == (4, 2, 0.5)
    assert "Zoë Zuid" not in figures


def test_the_compliance_table_downloads_as_csv_and_is_audited(client, world):
    client.force_login(world["tl"])
    response = client.get(reverse("onderzoek:list"), {"formaat": "csv"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:4] == ["consulent", "klanten met uitkering", "op tijd", "te laat"]
    assert rows[-1][:4] == ["Totaal", "4", "2", "2"]
    assert AuditEvent.objects.filter(event="export_made", user=world["tl"]).count() == 1
    assert not AuditEvent.objects.filter(event="client_listed", user=world["tl"]).exists()  # no names


@pytest.mark.parametrize("role", ["werk", "beleid"])
def test_other_roles_may_not_see_it(client, world, role):
    assert _list(client, world[role]).status_code == 403
    assert client.get(reverse("onderzoek:client", args=["RO001"])).status_code in (403, 404)


def test_a_client_of_another_team_needs_a_waarneming(client, world):
    client.force_login(world["inkomen"])
    response = client.get(reverse("onderzoek:client", args=["RO005"]))
    assert response.status_code == 403 and "Waarneming aanvragen" in response.content.decode()
    assert not AuditEvent.objects.filter(event="client_section_read", client_id="RO005").exists()


def _register(client, world, key=None, **values):
    data = {
        "actie": "vastleggen",
        "held_on": TODAY.isoformat(),
        "outcome": "ongewijzigd",
        "note": "Bankafschriften en woonsituatie nagegaan.",
        "submission_key": key or new_submission_key(),
    } | values
    return client.post(reverse("onderzoek:client", args=["RO001"]), data)


def test_registering_moves_the_due_date_and_a_double_submit_records_once(client, world):
    client.force_login(world["inkomen"])
    key = new_submission_key()
    first = _register(client, world, key=key)
    assert first.status_code == 302
    assert _register(client, world, key=key).status_code == 302
    assert Rechtmatigheidsonderzoek.objects.filter(client=world["late"]).count() == 1
    onderzoek = Rechtmatigheidsonderzoek.objects.get(client=world["late"])
    assert onderzoek.recorded_by == world["inkomen"]
    page = client.get(reverse("onderzoek:client", args=["RO001"])).content.decode()
    assert (
        rules.next_due(spell_from=TODAY, held=[TODAY], months=12, today=TODAY, soon_days=0).due_on.strftime(
            "%d-%m-%Y"
        )
        in page
    )
    assert "RO001" not in _list(client, world["inkomen"]).content.decode().split('id="tabel-beurt"')[1]
    assert AuditEvent.objects.filter(event="onderzoek_registered", client_id="RO001").count() == 1


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"held_on": (TODAY + timedelta(days=1)).isoformat()}, "nog moet plaatsvinden"),
        ({"held_on": "2000-01-01"}, "vóór de eerste uitkering"),
        ({"outcome": "misschien"}, "Kies de uitkomst"),
        ({"held_on": ""}, "Vul de datum"),
    ],
)
def test_bad_input_is_a_specific_dutch_message_and_changes_nothing(client, world, values, message):
    client.force_login(world["inkomen"])
    response = _register(client, world, **values)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Rechtmatigheidsonderzoek.objects.exists()


def test_the_teamleider_reads_but_may_not_register(client, world):
    client.force_login(world["tl"])
    page = client.get(reverse("onderzoek:client", args=["RO001"]))
    assert page.status_code == 200 and "Onderzoek vastleggen" not in page.content.decode()
    assert _register(client, world).status_code == 403
    assert not Rechtmatigheidsonderzoek.objects.exists()
    with pytest.raises(PermissionDenied):
        services.onderzoek_register(
            user=world["tl"], client=world["late"], held_on=TODAY, outcome="ongewijzigd"
        )


def test_a_correction_keeps_the_original_and_refuses_a_stale_edit(world):
    onderzoek = services.onderzoek_register(
        user=world["inkomen"], client=world["late"], held_on=TODAY - timedelta(days=3), outcome="ongewijzigd"
    )
    token = services.edit_token_for(onderzoek)
    corrected = services.onderzoek_correct(
        user=world["inkomen2"],
        onderzoek=onderzoek,
        token=token,
        held_on=TODAY - timedelta(days=2),
        outcome="gewijzigd",
        note="Inkomen uit werk verrekend.",
        reason="Verkeerde datum en uitkomst ingevuld.",
    )
    assert corrected.outcome == "gewijzigd" and corrected.correction_reason.startswith("Verkeerde")
    versions = list(corrected.history.order_by("history_date").values_list("outcome", "held_on"))
    assert versions[0] == ("ongewijzigd", TODAY - timedelta(days=3))  # the original is kept
    assert versions[-1] == ("gewijzigd", TODAY - timedelta(days=2))
    with pytest.raises(StaleEditError):
        services.onderzoek_correct(
            user=world["inkomen"],
            onderzoek=onderzoek,
            token=token,  # seen before the colleague's correction
            held_on=TODAY,
            outcome="beeindigd",
            note="",
            reason="Nog een correctie op de oude versie.",
        )
    assert Rechtmatigheidsonderzoek.objects.get().outcome == "gewijzigd"
    with pytest.raises(ValidationError, match="reden"):
        services.onderzoek_correct(
            user=world["inkomen"],
            onderzoek=corrected,
            token=services.edit_token_for(corrected),
            held_on=TODAY,
            outcome="beeindigd",
            note="",
            reason="",
        )
    event = AuditEvent.objects.get(event="onderzoek_corrected")
    assert event.user == world["inkomen2"] and "uitkomst" in event.details["gewijzigd"]


def test_a_withdrawn_onderzoek_no_longer_counts_for_the_due_date(client, world):
    onderzoek = services.onderzoek_register(
        user=world["inkomen"], client=world["late"], held_on=TODAY, outcome="ongewijzigd"
    )
    client.force_login(world["inkomen"])
    response = client.post(
        reverse("onderzoek:client", args=["RO001"]),
        {
            "actie": "intrekken",
            "onderzoek": onderzoek.pk,
            "token": services.edit_token_for(onderzoek),
            "reason": "Bij de verkeerde klant vastgelegd.",
        },
    )
    assert response.status_code == 302
    onderzoek.refresh_from_db()
    assert onderzoek.withdrawn_at is not None and Rechtmatigheidsonderzoek.objects.count() == 1
    assert "RO001" in _list(client, world["inkomen"]).content.decode().split('id="tabel-beurt"')[1]
    page = client.get(reverse("onderzoek:client", args=["RO001"])).content.decode()
    assert "<del>" in page and "ingetrokken: Bij de verkeerde klant" in page


def test_the_correction_form_names_the_change_and_a_missing_reason(client, world):
    onderzoek = services.onderzoek_register(
        user=world["inkomen"], client=world["late"], held_on=TODAY, outcome="ongewijzigd"
    )
    client.force_login(world["inkomen"])
    page = client.get(
        reverse("onderzoek:client", args=["RO001"]), {"corrigeer": onderzoek.pk}
    ).content.decode()
    assert f"Onderzoek {onderzoek.number} corrigeren" in page and 'name="token"' in page
    # A date field shows the stored date as the browser's date input needs it (ISO).
    assert f'value="{TODAY.isoformat()}"' in page
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert len(ids) == len(set(ids))  # register and correction forms side by side, no shared id
    response = client.post(
        reverse("onderzoek:client", args=["RO001"]),
        {
            "actie": "corrigeren",
            "onderzoek": onderzoek.pk,
            "token": services.edit_token_for(onderzoek),
            "held_on": TODAY.isoformat(),
            "outcome": "beeindigd",
            "note": "",
            "reason": "",
        },
    )
    assert response.status_code == 400
    assert "Geef een reden voor het corrigeren." in response.content.decode()
    onderzoek.refresh_from_db()
    assert onderzoek.outcome == "ongewijzigd"


def test_the_demo_seed_leaves_a_team_that_mostly_keeps_up(world):
    from trede.benefits.onderzoek.demo import demo_onderzoek_seed

    for n in range(30):
        consultant = world["late"].consultant
        client = ClientFactory(client_id=f"RD{n:03d}", consultant=consultant)
        BenefitFactory(client=client, start_date=_months_ago(12 + n * 3), end_date=None, end_reason="")
    UserFactory(username="inkomen", role=Role.CONSULENT_INKOMEN, team="Noord")
    result = demo_onderzoek_seed(today=TODAY)
    assert result["gehouden"] == Rechtmatigheidsonderzoek.objects.count() > 25
    assert 0 < result["te_laat"] < 12  # mostly on time; 'soon' and 'late' of the fixture may stay late
    assert not Rechtmatigheidsonderzoek.objects.filter(client__consultant__team="Zuid").exists()
    assert demo_onderzoek_seed(today=TODAY) == {}  # once
    assert AuditEvent.objects.filter(event="onderzoek_registered").count() == result["gehouden"]


def test_the_client_file_links_to_the_onderzoek_for_inkomen_only(client, world):
    url = reverse("onderzoek:client", args=["RO001"])
    client.force_login(world["inkomen"])
    assert url in client.get(reverse("clients:file", args=["RO001"])).content.decode()
    consultant = world["late"].consultant
    consultant.user = world["werk"]  # the client's own werkconsulent
    consultant.save()
    client.force_login(world["werk"])
    response = client.get(reverse("clients:file", args=["RO001"]))
    assert response.status_code == 200 and url not in response.content.decode()
