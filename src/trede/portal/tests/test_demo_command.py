import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from trede.accounts.models import Role, User
from trede.casework.models import Consultant
from trede.clients.models import Client

pytestmark = pytest.mark.django_db


def test_demo_sets_everything_up(settings, tmp_path, capsys):
    settings.DATA_DIR = tmp_path
    settings.DEMO_MODE = False
    call_command("demo", "--no-serve", "--clients", "300", "--years", "3", "--no-progress")
    out = capsys.readouterr().out

    assert (tmp_path / "demo-data" / "clients.csv").exists()
    assert Client.objects.count() > 0
    assert {u.role for u in User.objects.all()} == set(Role.values)
    consultant = Consultant.objects.get(user__username="consulent")
    assert consultant.clients.filter(benefits__end_date__isnull=True).exists()
    assert User.objects.get(username="inwoner").client.consultant == consultant
    assert User.objects.get(username="teamleider").team == consultant.team
    assert User.objects.get(username="aanbieder").provider is not None
    # Inkomen and the accountmanager see real clients, but only those of their task.
    from trede.accounts.access import client_scope

    inkomen, am = User.objects.get(username="inkomen"), User.objects.get(username="accountmanager")
    assert inkomen.team == consultant.team
    team_clients = set(Client.objects.filter(consultant__team=consultant.team).values_list("pk", flat=True))
    assert team_clients and set(client_scope(inkomen).values_list("pk", flat=True)) == team_clients
    assert 0 < client_scope(am).count() < Client.objects.filter(placements__isnull=False).distinct().count()
    assert "'inkomen' werkt voor" in out and "'accountmanager' beheert" in out
    # The accountmanager's accounts have open vacancies (the Werkgevers pages have work).
    from trede.employers.models import Vacancy, Voordracht

    assert Vacancy.objects.filter(
        employer__account_manager=am, status="open", close_date__isnull=True
    ).exists()
    if "Voordracht:" in out:
        entry = Voordracht.objects.get()
        assert entry.client == User.objects.get(username="inwoner").client and entry.status == "voorgesteld"
    # The accountmanager's first accounts have a contact person, an agreement and contacts.
    from trede.employers.relations.models import EmployerAgreement, EmployerContactMoment

    assert "Werkgeversrelaties:" in out
    assert EmployerAgreement.objects.filter(employer__account_manager=am).exists()
    assert EmployerContactMoment.objects.filter(employer__account_manager=am, created_by=am).count() >= 2
    assert (tmp_path / "demo-data" / "ground_truth.json").exists()
    assert settings.DEMO_MODE  # the command switches demo mode on for itself
    assert "Trede staat klaar" in out and "consulent" in out and "beleid" in out
    # Handhaving: zaken of the inkomen user's team in the worklist's steps.
    from trede.benefits.models import Handhavingszaak

    assert "Handhaving:" in out
    assert {z.client_id for z in Handhavingszaak.objects.all()} <= team_clients
    assert Handhavingszaak.objects.filter(status="ter_goedkeuring").exists()

    # Placements with nazorg due and an ended proefplaatsing on the consulent's worklist.
    from django.utils import timezone

    from trede.casework.contacts.selectors import worklist_for

    assert "Plaatsingen:" in out
    kinds = {i.kind for i in worklist_for(consultant=consultant, today=timezone.localdate())}
    assert {"nazorg", "proefplaatsing"} <= kinds

    # A second run reuses data and database: nothing is imported twice.
    clients = Client.objects.count()
    call_command("demo", "--no-serve", "--no-progress")
    out = capsys.readouterr().out
    assert "Bestaande demogegevens" in out and "niets ingelezen" in out
    assert Client.objects.count() == clients
    assert Consultant.objects.filter(user__username="consulent").count() == 1
    assert "Werkgeversrelaties:" not in out  # seeded once


@pytest.mark.parametrize("reset", [False, True])
def test_refuses_a_database_not_made_by_demo(settings, tmp_path, reset):
    """No demo accounts (password "demo") in, and no --reset of, a database with real clients."""
    from trede.clients.tests.factories import ClientFactory

    settings.DATA_DIR = tmp_path
    ClientFactory()
    args = ["--no-serve", "--no-progress", "--clients", "50", "--years", "1"] + (["--reset"] if reset else [])
    with pytest.raises(CommandError, match="niet uit de demo komen"):
        call_command("demo", *args)
    assert Client.objects.count() == 1
    assert not User.objects.exists()
    assert not (tmp_path / "demo-data").exists()
