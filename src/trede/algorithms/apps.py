from django.apps import AppConfig


class AlgorithmsConfig(AppConfig):
    name = "trede.algorithms"
    label = "algorithms"
    verbose_name = "Algoritmeregister"

    def ready(self) -> None:
        # The register page in the main navigation (registered on import).
        from . import navigation as _navigation  # noqa: F401
