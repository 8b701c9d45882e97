from django.apps import AppConfig


class StructureConfig(AppConfig):
    name = "goldenthread.structure"
    label = "structure"
    verbose_name = "Structures"

    def ready(self) -> None:
        from . import (  # noqa: F401  (registers the import jobs, the inspection and the card)
            band_importing,
            cards,
            importing,
            inspect,
            registrations,
        )

        registrations.register()
