from django.urls import URLPattern, path

from . import views

PROGRAMME = "o/<slug:org_slug>/programme/<int:programme_id>/updates/"
UPDATE = "o/<slug:org_slug>/programme/updates/<int:update_id>/"

urlpatterns: list[URLPattern] = [
    path(PROGRAMME, views.update_list, name="update_list"),
    path(PROGRAMME + "open/", views.update_open, name="update_open"),
    path(UPDATE, views.update_detail, name="update_detail"),
    path(UPDATE + "close/", views.update_close, name="update_close"),
    path(UPDATE + "owner/", views.update_owner, name="update_owner"),
    path(UPDATE + "workbook.xlsx", views.update_workbook, name="update_workbook"),
    path(UPDATE + "upload/", views.update_import, name="update_import"),
]
