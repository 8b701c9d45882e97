from importlib import import_module

from django.apps import AppConfig

#: The parts of the module; each registers what it adds to the kit in ``registrations.register()``.
PARTS = ("plan", "rag", "benefits", "risks", "updates", "overview")


class ProgrammeConfig(AppConfig):
    name = "goldenthread.programme"
    label = "programme"
    verbose_name = "Programme"

    def ready(self) -> None:
        for part in PARTS:
            import_module(f"{self.name}.{part}.registrations").register()
