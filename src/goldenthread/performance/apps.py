from django.apps import AppConfig


class PerformanceConfig(AppConfig):
    name = "goldenthread.performance"
    label = "performance"
    verbose_name = "Performance and the golden thread"

    def ready(self) -> None:
        from . import (
            cards,  # noqa: F401  (registers the dashboard card)
            registrations,
        )

        registrations.register()
