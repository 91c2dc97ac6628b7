import pytest
from django.urls import reverse

# The login wizard's fields carry its prefix (django-formtools: the view's class name).
STEP = "trede_login_view-current_step"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def login_post():
    """POST the login form's first step, as the browser does."""

    def post(client, username, password, **extra):
        return client.post(
            reverse("login"),
            {STEP: "auth", "auth-username": username, "auth-password": password},
            **extra,
        )

    return post


@pytest.fixture
def make_user(django_user_model):
    def make(username="sanne", password="een-lang-wachtwoord-42", role="consulent_werk", **extra):
        return django_user_model.objects.create_user(username=username, password=password, role=role, **extra)

    return make


@pytest.fixture(autouse=True, scope="session")
def _urls_loaded():
    # Load every view (pandas included) before a test freezes the clock: imports under
    # freezegun are very slow.
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018
