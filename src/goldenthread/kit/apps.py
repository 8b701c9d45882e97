from django.apps import AppConfig


class KitConfig(AppConfig):
    name = "goldenthread.kit"
    label = "kit"
    verbose_name = "Module kit"

    def ready(self) -> None:
        from . import importing  # noqa: F401  (registers the import kit's check and save jobs)
