"""Single sign-on for staff with OpenID Connect (the municipality's identity provider).

`config.py` the configuration's rules (no models: the settings module reads it too), `backends.py`
the authentication backend (claims to role and team, refusals), `views.py` the start and
the callback with Dutch refusals. Decisions 112-114.
"""
