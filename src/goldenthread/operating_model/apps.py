from django.apps import AppConfig


class OperatingModelConfig(AppConfig):
    name = "goldenthread.operating_model"
    label = "operating_model"
    verbose_name = "Operating model"

    def ready(self) -> None:
        from . import (
            cards,  # noqa: F401  (registers the dashboard card)
            links,
        )

        links.register()
