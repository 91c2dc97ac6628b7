from django.apps import AppConfig
from django.db.models.signals import post_migrate


class MonitorConfig(AppConfig):
    name = "trede.monitor"
    label = "monitor"
    verbose_name = "Stuurinformatie"

    def ready(self) -> None:
        # The monitor's pages in the main navigation (registered on import).
        from .chain import navigation as _chain_navigation  # noqa: F401
        from .council import navigation as _navigation  # noqa: F401
        from .dashboard import navigation as _dashboard_navigation  # noqa: F401
        from .duurzaam import navigation as _duurzaam_navigation  # noqa: F401
        from .forecast import navigation as _forecast_navigation  # noqa: F401
        from .handhaving import navigation as _handhaving_navigation  # noqa: F401
        from .peers import navigation as _peers_navigation  # noqa: F401

        post_migrate.connect(_figures_triggers, sender=self)


def _figures_triggers(sender, using, plan=None, **kwargs) -> None:
    """After every `migrate`: SQLite drops a table's triggers when a migration rebuilds it,
    so the figures cache's triggers are recreated where missing (decision 98)."""
    from django.db import connections

    from .figures_cache import install

    install(connections[using])
