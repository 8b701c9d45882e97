from django.apps import AppConfig


class OperatingModelConfig(AppConfig):
    name = "goldenthread.operating_model"
    label = "operating_model"
    verbose_name = "Operating model"
