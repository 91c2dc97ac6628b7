"""The `trede` console command: Django's management commands under one name.

`trede import DIR` is `django-admin import DIR` with Trede's settings, so every command
works from any working directory; besides the optional `DATABASE_URL` it needs
`SECRET_KEY` (or demo mode: `trede demo` switches it on itself).
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trede.conf.settings")
    if sys.argv[1:2] == ["demo"]:
        # `trede demo` is demo mode by definition, from the settings on (no SECRET_KEY needed).
        os.environ["TREDE_DEMO"] = "1"
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    try:
        settings.SECRET_KEY  # noqa: B018  (loads the settings, which check the environment)
    except ImproperlyConfigured as refused:
        sys.exit(str(refused))
    from django.core.management import execute_from_command_line

    execute_from_command_line(["trede", *sys.argv[1:]])


if __name__ == "__main__":
    main()
