from importlib import import_module

from .apps import PARTS

app_name = "programme"

urlpatterns = [
    pattern for part in PARTS for pattern in import_module(f"{__package__}.{part}.urls").urlpatterns
]
