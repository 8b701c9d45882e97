from django.urls import path

from . import views_import

app_name = "kit"

urlpatterns = [
    path("o/<slug:org_slug>/imports/<int:run_id>/", views_import.import_run, name="import_run"),
    path(
        "o/<slug:org_slug>/imports/<int:run_id>/save/",
        views_import.import_confirm,
        name="import_confirm",
    ),
    path(
        "o/<slug:org_slug>/imports/<int:run_id>/discard/",
        views_import.import_discard,
        name="import_discard",
    ),
    path(
        "o/<slug:org_slug>/imports/<int:run_id>/repair/",
        views_import.import_repair,
        name="import_repair",
    ),
    path(
        "o/<slug:org_slug>/imports/templates/<slug:importer>.xlsx",
        views_import.import_template,
        name="import_template",
    ),
]
