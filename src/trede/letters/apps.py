from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "trede.letters"
    label = "letters"
    verbose_name = "Brieven en beschikkingen"

    def ready(self):
        # The template page in the main navigation (registered on import).
        from . import navigation as _navigation  # noqa: F401
