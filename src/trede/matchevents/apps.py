from django.apps import AppConfig


class MatchEventsConfig(AppConfig):
    name = "trede.matchevents"
    label = "matchevents"
    verbose_name = "Matchingbijeenkomsten"

    def ready(self):
        # The events in the main navigation (registered on import).
        from . import navigation as _navigation  # noqa: F401
