from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("", views.start, name="start"),
    path("cookies/", views.cookies, name="cookies"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("o/<slug:org_slug>/", views.home, name="home"),
    path("o/<slug:org_slug>/units/", views.unit_list, name="unit_list"),
    path("o/<slug:org_slug>/units/add/", views.unit_create, name="unit_create"),
    path("o/<slug:org_slug>/units/import/", views.unit_import, name="unit_import"),
    path("o/<slug:org_slug>/units/empty/", views.unit_empty, name="unit_empty"),
    path("o/<slug:org_slug>/units/export.<str:fmt>", views.unit_export, name="unit_export"),
    path("o/<slug:org_slug>/units/<int:unit_id>/", views.unit_detail, name="unit_detail"),
    path("o/<slug:org_slug>/units/<int:unit_id>/edit/", views.unit_edit, name="unit_edit"),
    path("o/<slug:org_slug>/units/<int:unit_id>/delete/", views.unit_delete, name="unit_delete"),
]
