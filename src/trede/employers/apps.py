from django.apps import AppConfig


class EmployersConfig(AppConfig):
    name = "trede.employers"
    verbose_name = "Werkgevers"

    def ready(self):
        # The employer screens in the main navigation (registered on import).
        from . import navigation as _navigation  # noqa: F401
