"""The `trede` console command: Django's management commands under one name.

`trede import DIR` is `django-admin import DIR` with Trede's settings, so every command
works from any working directory and needs no environment variable besides the optional
`DATABASE_URL`.
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trede.conf.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["trede", *sys.argv[1:]])


if __name__ == "__main__":
    main()
