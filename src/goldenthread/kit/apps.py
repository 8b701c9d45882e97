from django.apps import AppConfig


class KitConfig(AppConfig):
    name = "goldenthread.kit"
    label = "kit"
    verbose_name = "Module kit"
