from django.apps import AppConfig


class StructureConfig(AppConfig):
    name = "goldenthread.structure"
    label = "structure"
    verbose_name = "Structures"

    def ready(self) -> None:
        from . import cards, importing, registrations  # noqa: F401  (registers the import jobs and card)

        registrations.register()
