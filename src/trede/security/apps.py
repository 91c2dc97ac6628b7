from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "trede.security"
    verbose_name = "Beveiliging"

    def ready(self):
        from . import signals  # noqa: F401  (connects the login signal handlers)
