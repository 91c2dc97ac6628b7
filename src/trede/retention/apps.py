from django.apps import AppConfig


class RetentionConfig(AppConfig):
    name = "trede.retention"
    label = "retention"
    verbose_name = "Bewaartermijnen en vernietiging"

    def ready(self):
        # The bewaartermijnen page in the main navigation (registered on import).
        from . import navigation as _navigation  # noqa: F401
