from django.apps import AppConfig


class MonitorConfig(AppConfig):
    name = "trede.monitor"
    label = "monitor"
    verbose_name = "Stuurinformatie"

    def ready(self) -> None:
        # The monitor's pages in the main navigation (registered on import).
        from .chain import navigation as _chain_navigation  # noqa: F401
        from .council import navigation as _navigation  # noqa: F401
        from .dashboard import navigation as _dashboard_navigation  # noqa: F401
        from .forecast import navigation as _forecast_navigation  # noqa: F401
        from .peers import navigation as _peers_navigation  # noqa: F401
