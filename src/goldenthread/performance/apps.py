from django.apps import AppConfig


class PerformanceConfig(AppConfig):
    name = "goldenthread.performance"
    label = "performance"
    verbose_name = "Performance and the golden thread"

    def ready(self) -> None:
        # The dashboard card registers itself on import; the rest is added to the kit here.
        from . import cards, links, registrations  # noqa: F401

        registrations.register()
        links.register()
