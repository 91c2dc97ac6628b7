import pytest

from trede.tests_e2e.world import build_world


@pytest.fixture
def world(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return build_world()


@pytest.fixture
def api(client, world):
    """The test client logged in as one of the world's users: api("sanne")."""

    def login(key):
        client.force_login(world.user(key))
        return client

    return login
