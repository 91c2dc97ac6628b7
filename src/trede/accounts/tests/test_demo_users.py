import pytest
from django.contrib.auth import authenticate

from trede.accounts.models import Role, User
from trede.accounts.services import DEMO_ACCOUNTS, DemoModeRequired, demo_users_create

pytestmark = pytest.mark.django_db


def test_refused_outside_demo_mode(settings):
    settings.DEMO_MODE = False
    with pytest.raises(DemoModeRequired):
        demo_users_create()
    assert not User.objects.exists()


def test_created_in_demo_mode_for_every_role(settings):
    settings.DEMO_MODE = True
    users = demo_users_create()
    assert {u.role for u in users} == set(Role.values)
    assert {a.username for a in DEMO_ACCOUNTS} >= {"consulent", "inkomen", "beleid", "inwoner", "beheerder"}
    assert authenticate(username="beleid", password="demo").role == Role.BELEID
    beheerder = User.objects.get(username="beheerder")
    assert beheerder.is_staff and beheerder.is_superuser
    assert not User.objects.get(username="consulent").is_staff


def test_explicit_flag_from_the_demo_command_and_idempotent(settings):
    settings.DEMO_MODE = False
    demo_users_create(demo_mode=True)
    user = User.objects.get(username="consulent")
    user.set_password("iets-anders")
    user.save()
    demo_users_create(demo_mode=True)
    assert User.objects.count() == len(Role.values)
    # The password is reset to "demo", which logs in only in demo mode (trede/security).
    assert authenticate(username="consulent", password="demo") is None
    settings.DEMO_MODE = True
    assert authenticate(username="consulent", password="demo") is not None


def test_relationships_link_gives_real_caseload(settings):
    from datetime import date

    from trede.accounts.services import demo_relationships_link
    from trede.benefits.tests.factories import BenefitFactory
    from trede.casework.tests.factories import ConsultantFactory
    from trede.clients.tests.factories import ClientFactory
    from trede.instruments.models import Provider, Trajectory

    settings.DEMO_MODE = False
    with pytest.raises(DemoModeRequired):
        demo_relationships_link()

    busy, quiet = ConsultantFactory(team="Noord"), ConsultantFactory(team="Zuid")
    for consultant, n in ((busy, 3), (quiet, 1)):
        for _ in range(n):
            BenefitFactory(client=ClientFactory(consultant=consultant))
    ended = ClientFactory(consultant=quiet)
    BenefitFactory(client=ended, end_date=date(2020, 1, 1), end_reason="werk")
    small, big = Provider.objects.create(provider_id="P1"), Provider.objects.create(provider_id="P2")
    for i, provider in enumerate((small, big, big)):
        Trajectory.objects.create(
            trajectory_id=f"T{i}", client=ended, provider=provider, referral_date=date(2019, 1, 1)
        )

    demo_users_create(demo_mode=True)
    links = demo_relationships_link(demo_mode=True)
    assert links.consultant == busy and links.caseload == 3
    assert User.objects.get(username="consulent").consultant == busy
    assert User.objects.get(username="teamleider").team == "Noord"
    assert User.objects.get(username="aanbieder").provider == big
    inwoner = User.objects.get(username="inwoner")
    assert inwoner.client.consultant == busy
    # One identity: the consultant record is named after the logged-in user, the resident
    # user after the client whose plan it sees.
    busy.refresh_from_db()
    assert busy.name == User.objects.get(username="consulent").get_full_name() == "Sanne de Vries"
    assert inwoner.get_full_name() == inwoner.client.name

    # Idempotent: a second call keeps the same links.
    again = demo_relationships_link(demo_mode=True)
    assert (again.consultant, again.client) == (busy, inwoner.client)
