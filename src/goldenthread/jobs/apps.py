from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "goldenthread.jobs"
    label = "jobs"
    verbose_name = "Background jobs"
