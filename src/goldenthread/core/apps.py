from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "goldenthread.core"
    label = "core"
    verbose_name = "Dashboard and units"

    def ready(self) -> None:
        from . import cards, importing, pickers  # noqa: F401  (registers the import job and cards)

        pickers.register()
