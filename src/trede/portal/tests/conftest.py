import pytest

# pytest-django's live_server and Playwright's sync API share the thread; without this the
# teardown fails with SynchronousOnlyOperation (shared/DEPENDENCIES.md).


@pytest.fixture
def make_user(django_user_model):
    def make(username="beleid", role="beleid", password="demo", **extra):
        return django_user_model.objects.create_user(username=username, password=password, role=role, **extra)

    return make


@pytest.fixture(autouse=True, scope="session")
def _static_root():
    # WhiteNoise warns when STATIC_ROOT is missing; the demo serves from the finders.
    from pathlib import Path

    from django.conf import settings

    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Real hashers are slow on purpose; tests do not need that.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
