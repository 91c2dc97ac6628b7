from django.apps import AppConfig


class InterchangeConfig(AppConfig):
    name = "trede.interchange"
    label = "interchange"
    verbose_name = "Uitwisselformaat"

    def ready(self) -> None:
        # The research-export page in the main navigation (registered on import).
        from .research import navigation as _navigation  # noqa: F401
