from django.apps import AppConfig


class BenefitsConfig(AppConfig):
    name = "trede.benefits"
    label = "benefits"
    verbose_name = "Uitkeringen en inkomen"

    def ready(self):
        # The rechtmatigheid page in the main navigation (registered on import).
        from .handhaving import navigation as _handhaving  # noqa: F401
        from .onderzoek import navigation as _onderzoek  # noqa: F401
