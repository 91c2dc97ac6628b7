"""Django settings for Trede.

Every environment variable Trede reads is read here, and documented in
docs/configuration.md. Defaults give a working embedded installation: an SQLite file in
the data directory, so `trede migrate` works from any folder with no configuration.
"""

import os
from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from trede.operations.logs import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

# Where the embedded database and generated demo data live. A per-user folder rather than
# the working directory, so that `trede` behaves the same wherever it is started.
DATA_DIR = Path(env.str("TREDE_DATA_DIR", default=str(Path.home() / ".local" / "share" / "trede")))

DEBUG = env.bool("TREDE_DEBUG", default=False)
# Demo mode: the demo users (password "demo") of a demo database may log in. `trede demo`
# and scripts/demo switch it on; never on in production.
DEMO_MODE = env.bool("TREDE_DEMO", default=False)
# pytest (8.2 and later) sets PYTEST_VERSION for the test run and the commands it starts.
# Only then may `flush` empty the database, audit log included (trede.audit.triggers).
TESTING = bool(os.environ.get("PYTEST_VERSION"))

# A known key lets anyone forge sessions, so only the demo and the tests may run without one.
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not (DEMO_MODE or TESTING):
        raise ImproperlyConfigured(
            "Trede start niet: de omgevingsvariabele SECRET_KEY ontbreekt. Zet een lange geheime "
            "sleutel, bijvoorbeeld met: export SECRET_KEY=\"$(python3 -c 'import secrets; "
            "print(secrets.token_urlsafe(50))')\". Voor de demo: 'trede demo' of TREDE_DEMO=1. "
            "Zie docs/configuration.md."
        )
    SECRET_KEY = "trede-insecure-demo-and-test-key-never-use-in-production-0123456789"
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "simple_history",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "two_factor",
    "trede.accounts",
    "trede.security",
    "trede.audit",
    "trede.clients",
    "trede.benefits",
    "trede.casework",
    "trede.instruments",
    "trede.employers",
    "trede.matchevents",
    "trede.finance",
    "trede.interchange",
    "trede.monitor",
    "trede.synthetic",
    "trede.evaluations",
    "trede.retention",
    "trede.algorithms",
    "trede.letters",
    "trede.backup",
    "trede.portal",
    "trede.operations",
    # The REST API under /api/v1/ (trede.api: the shared machinery; endpoints in each app's api.py).
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "trede.api",
]

MIDDLEWARE = [
    # A request id for every request and log line, then the health probe, answered before
    # the https redirect, the host check and login can refuse it (trede/operations/health.py).
    "trede.operations.requestid.RequestIdMiddleware",
    "trede.operations.health.HealthMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    # Static files are answered here, before anything below (so they stay cacheable).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "trede.security.middleware.NoStoreMiddleware",
    "trede.security.middleware.RefuseNulBytesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "trede.security.middleware.DemoSessionMiddleware",
    "trede.security.middleware.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A user's relationship to a client looked up once per request (forgotten on writes).
    "trede.accounts.middleware.RelationshipsPerRequestMiddleware",
    # The request's section-read audit rows in one INSERT, before the response leaves.
    "trede.audit.middleware.ReadsPerRequestMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "trede.conf.urls"
WSGI_APPLICATION = "trede.conf.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{DATA_DIR / 'trede.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets the web server read while an import writes. IMMEDIATE transactions take the
    # write lock at BEGIN, so a second writer waits for the busy timeout instead of failing
    # with "database is locked" when a read transaction tries to become a write one.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 30,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
    DATABASES["default"].setdefault("TEST", {})["NAME"] = ""
# Persistent connections: opening a PostgreSQL connection for every request cost more
# server CPU than the page itself (a backend process to start, authentication, settings).
# A connection lives for TREDE_DB_CONN_MAX_AGE seconds (0: one per request again) and is
# checked with a round trip before its first use in a request, so a connection the server
# or a proxy dropped is replaced instead of failing that request. The same for SQLite: a
# reopened connection repeats the WAL pragmas, and when the last connection of a WAL
# database closes SQLite checkpoints the log; the health check is free there. (Django's
# threaded development server opens a connection per request thread whatever this says.)
DATABASES["default"]["CONN_MAX_AGE"] = env.int("TREDE_DB_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "login"

# django-axes first (it refuses a locked-out login before any password is checked), then
# Django's own user table with Trede's demo guard (trede/security/backends.py).
AUTHENTICATION_BACKENDS = [
    "trede.security.backends.LockoutBackend",
    "trede.security.backends.TredeModelBackend",
]

# Failed logins: after AXES_FAILURE_LIMIT failures of one username from one address, that
# username is refused from that address for AXES_COOLOFF_TIME (every new attempt in the
# meantime restarts it); a successful login resets the count. Per combination, so that one
# office behind one address is not locked out by a colleague, nor a user by a stranger.
AXES_FAILURE_LIMIT = env.int("TREDE_LOCKOUT_FAILURES", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("TREDE_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "trede.security.views.lockout"
# The client's address: REMOTE_ADDR, or behind a reverse proxy the header it sets (only
# when configured, since a client can send any header itself).
AXES_CLIENT_IP_CALLABLE = "trede.security.client_ip.client_ip"
TREDE_CLIENT_IP_HEADER = env.str("TREDE_CLIENT_IP_HEADER", default="")
AXES_VERBOSE = False

# Two-factor login (django-otp TOTP via django-two-factor-auth). Required for the roles in
# TREDE_2FA_ROLES; by default every role but inwoner, except in the demo and the tests.
TREDE_2FA_REQUIRED = env.bool("TREDE_2FA_REQUIRED", default=not (DEMO_MODE or TESTING))
TREDE_2FA_ROLES = env.list(
    "TREDE_2FA_ROLES",
    default=[
        "consulent_werk",
        "consulent_inkomen",
        "accountmanager",
        "aanbieder",
        "teamleider",
        "beleid",
        "privacy",
        "beheerder",
    ],
)
OTP_TOTP_ISSUER = "Trede"
TWO_FACTOR_LOGIN_TIMEOUT = 600
TWO_FACTOR_REMEMBER_COOKIE_AGE = None  # always ask for the code

# Single sign-on for staff with OpenID Connect (mozilla-django-oidc), off unless configured:
# a client id and the provider's endpoints (or its discovery document). The claims that
# carry the username, role and team, and which role values of the provider are which Trede
# role, are the municipality's; an unknown role is refused. Decisions 112-113.
TREDE_OIDC_CLIENT_ID = env.str("TREDE_OIDC_CLIENT_ID", default="")
TREDE_OIDC = bool(TREDE_OIDC_CLIENT_ID)
if TREDE_OIDC:
    from trede.security.oidc.config import parse_role_map

    OIDC_RP_CLIENT_ID = TREDE_OIDC_CLIENT_ID
    OIDC_RP_CLIENT_SECRET = env.str("TREDE_OIDC_CLIENT_SECRET", default="")

    # An empty variable (docker-compose passes every one it names) means the default.
    def _oidc(name, default):
        return env.str(name, default="").strip() or default

    OIDC_RP_SIGN_ALGO = _oidc("TREDE_OIDC_SIGN_ALGO", "RS256")
    OIDC_RP_SCOPES = _oidc("TREDE_OIDC_SCOPES", "openid email profile")
    # The discovery document (…/.well-known/openid-configuration) is read on first use, not
    # at start; an endpoint set explicitly wins over it.
    TREDE_OIDC_DISCOVERY_URL = env.str("TREDE_OIDC_DISCOVERY_URL", default="")
    TREDE_OIDC_ISSUER = env.str("TREDE_OIDC_ISSUER", default="")
    for _name, _variable in (
        ("OIDC_OP_AUTHORIZATION_ENDPOINT", "TREDE_OIDC_AUTHORIZATION_ENDPOINT"),
        ("OIDC_OP_TOKEN_ENDPOINT", "TREDE_OIDC_TOKEN_ENDPOINT"),
        ("OIDC_OP_USER_ENDPOINT", "TREDE_OIDC_USERINFO_ENDPOINT"),
        ("OIDC_OP_JWKS_ENDPOINT", "TREDE_OIDC_JWKS_ENDPOINT"),
    ):
        if env.str(_variable, default=""):
            globals()[_name] = env.str(_variable)
        elif not TREDE_OIDC_DISCOVERY_URL:
            raise ImproperlyConfigured(
                f"Inloggen met het gemeente-account staat aan (TREDE_OIDC_CLIENT_ID), maar {_variable} "
                "ontbreekt en er is geen TREDE_OIDC_DISCOVERY_URL. Zie docs/configuration.md."
            )
    TREDE_OIDC_USERNAME_CLAIM = _oidc("TREDE_OIDC_USERNAME_CLAIM", "preferred_username")
    TREDE_OIDC_ROLE_CLAIM = _oidc("TREDE_OIDC_ROLE_CLAIM", "roles")
    TREDE_OIDC_TEAM_CLAIM = env.str("TREDE_OIDC_TEAM_CLAIM", default="")
    TREDE_OIDC_ROLE_MAP = parse_role_map(env.str("TREDE_OIDC_ROLE_MAP", default=""))
    # Two-factor: the provider's own second step counts when the id_token says it took place
    # (an `amr` value or an `acr` level below); TREDE_OIDC_TRUST_MFA trusts every login.
    TREDE_OIDC_MFA_AMR = [
        v.strip() for v in _oidc("TREDE_OIDC_MFA_AMR", "mfa,otp,hwk,swk,sc,fpt").split(",") if v.strip()
    ]
    TREDE_OIDC_MFA_ACR = [v.strip() for v in _oidc("TREDE_OIDC_MFA_ACR", "").split(",") if v.strip()]
    TREDE_OIDC_TRUST_MFA = (
        env.bool("TREDE_OIDC_TRUST_MFA", default=False) if _oidc("TREDE_OIDC_TRUST_MFA", "") else False
    )
    TREDE_OIDC_LINK_EXISTING = (
        env.bool("TREDE_OIDC_LINK_EXISTING", default=False)
        if _oidc("TREDE_OIDC_LINK_EXISTING", "")
        else False
    )
    OIDC_USE_PKCE = True
    OIDC_TIMEOUT = int(_oidc("TREDE_OIDC_TIMEOUT", "10"))
    OIDC_AUTHENTICATE_CLASS = "trede.security.oidc.views.TredeOIDCAuthenticationRequestView"
    OIDC_CALLBACK_CLASS = "trede.security.oidc.views.TredeOIDCCallbackView"
    LOGIN_REDIRECT_URL_FAILURE = "login"
    AUTHENTICATION_BACKENDS.append("trede.security.oidc.backends.TredeOIDCBackend")

LANGUAGE_CODE = "nl"
# Dutch only, whatever the browser asks for: no screen, message or date in English.
LANGUAGES = [("nl", "Nederlands")]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
# Trede's own catalogue first: it keeps Django's wording where an app's differs (locale/).
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Serve app static files straight from the package (no collectstatic step for the demo).
WHITENOISE_USE_FINDERS = True

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env.int("TREDE_SESSION_SECONDS", default=8 * 3600)
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# Production behind HTTPS (docs/configuration.md): TREDE_HTTPS=1 gives secure cookies, a
# redirect to https and HSTS; behind a reverse proxy TREDE_PROXY_SSL_HEADER names the
# header by which the proxy says the request came in over https (X-Forwarded-Proto).
HTTPS = env.bool("TREDE_HTTPS", default=False)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = env.int("TREDE_HSTS_SECONDS", default=365 * 24 * 3600) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("TREDE_HSTS_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("TREDE_HSTS_PRELOAD", default=True)
_proxy_ssl_header = env.str("TREDE_PROXY_SSL_HEADER", default="")
if _proxy_ssl_header:
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _proxy_ssl_header.upper().replace("-", "_"), "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Content-Security-Policy: everything from Trede itself, scripts only from static files (or
# with the per-response nonce), no inline style elements, no framing, forms only to Trede.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Logs on standard error: readable text, or in production one JSON object per line with
# the request id (trede/operations/logs.py; the web server's access log follows it).
LOG_LEVEL = env.str("TREDE_LOG_LEVEL", default="WARNING").upper()
LOG_FORMAT = env.str("TREDE_LOG_FORMAT", default="text").strip().lower()
LOGGING = logging_config(log_format=LOG_FORMAT, level=LOG_LEVEL)

# `trede serve` (gunicorn): address, workers (empty: 2 x CPUs + 1, trede/operations/serving.py)
# and the seconds before a stuck worker is restarted (empty: 120).
WEB_BIND = env.str("TREDE_BIND", default="")
WEB_WORKERS = env.str("TREDE_WEB_WORKERS", default="")
WEB_TIMEOUT = env.str("TREDE_WEB_TIMEOUT", default="")

# The REST API (/api/v1/, trede.api and each app's api.py; docs/architecture.md "API").
# Application tokens of systems first (trede.accounts.tokens): DRF takes the challenge of a
# 401 from the first class, so a bad token answers `WWW-Authenticate: Token`; then the
# session login as on the pages. Access is the one declaration (trede.accounts.permissions),
# read per view by `trede.api.permissions.DeclaredPermission`; every error is a Dutch
# problem document.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "trede.accounts.tokens.authentication.TokenAuthentication",
        "trede.api.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["trede.api.permissions.DeclaredPermission"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "trede.api.pagination.CursorPagination",
    "DEFAULT_SCHEMA_CLASS": "trede.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "trede.api.problems.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "DATE_INPUT_FORMATS": ["iso-8601"],
    "COERCE_DECIMAL_TO_STRING": False,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Trede API",
    "DESCRIPTION": (
        "De REST API van Trede: klanten, uitkeringen, diagnoses, plannen van aanpak, "
        "contactmomenten, trajecten, aanbieders, instrumenten, werkgevers, vacatures, "
        "plaatsingen, handhaving en de cijfers van de monitor. Elke aanroep ziet precies wat "
        "dezelfde gebruiker op de schermen ziet (rol, relatie met de klant, onderdelen van het "
        "dossier) en wordt net zo in het auditlog vastgelegd. Fouten zijn probleemdocumenten "
        "(RFC 9457, application/problem+json) in het Nederlands."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_GENERATE_CHOICE_DESCRIPTION": True,
    "SORT_OPERATIONS": True,
    "ENUM_NAME_OVERRIDES": {
        "ContactKindEnum": "trede.casework.constants.ContactKind",
        "MeasureKindEnum": "trede.benefits.constants.MeasureKind",
        "ProviderKindEnum": "trede.instruments.constants.ProviderKind",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "trede.api.schema.dutch_descriptions",
    ],
}
