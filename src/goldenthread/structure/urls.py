from django.urls import path

from . import views

app_name = "structure"

_S = "o/<slug:org_slug>/structures/"

urlpatterns = [
    path(_S, views.snapshot_list, name="snapshot_list"),
    path(_S + "upload/", views.snapshot_upload, name="snapshot_upload"),
    path(_S + "uploads/<int:upload_id>/", views.upload_review, name="upload_review"),
    path(_S + "uploads/<int:upload_id>/mapping/", views.upload_mapping, name="upload_mapping"),
    path(_S + "rules/", views.design_rules, name="design_rules"),
    path(_S + "redundancy-bands/", views.band_list, name="band_list"),
    path(_S + "redundancy-bands/add/", views.band_create, name="band_create"),
    path(_S + "redundancy-bands/import/", views.band_import, name="band_import"),
    path(_S + "redundancy-bands/export.<str:fmt>", views.band_export, name="band_export"),
    path(_S + "redundancy-bands/<int:band_id>/", views.band_edit, name="band_edit"),
    path(_S + "redundancy-bands/<int:band_id>/delete/", views.band_delete, name="band_delete"),
    path(_S + "compare/", views.compare, name="compare"),
    path(_S + "<int:snapshot_id>/", views.snapshot_detail, name="snapshot_detail"),
    path(_S + "<int:snapshot_id>/edit/", views.snapshot_edit, name="snapshot_edit"),
    path(_S + "<int:snapshot_id>/delete/", views.snapshot_delete, name="snapshot_delete"),
    path(_S + "<int:snapshot_id>/archive/", views.snapshot_archive, name="snapshot_archive"),
    path(_S + "<int:snapshot_id>/posts/", views.post_list, name="post_list"),
    path(_S + "<int:snapshot_id>/posts/<int:post_pk>/", views.post_detail, name="post_detail"),
    path(_S + "<int:snapshot_id>/units/<int:unit_id>/", views.snapshot_unit, name="snapshot_unit"),
    path(_S + "<int:snapshot_id>/chart/", views.org_chart, name="org_chart"),
    path(
        _S + "<int:snapshot_id>/chart/posts/<int:post_pk>/",
        views.org_chart_post,
        name="org_chart_post",
    ),
    path(
        _S + "<int:snapshot_id>/chart/posts/<int:post_pk>/reports/",
        views.org_chart_reports,
        name="org_chart_reports",
    ),
    path(
        _S + "<int:snapshot_id>/chart/units/<int:unit_id>/",
        views.org_chart_unit,
        name="org_chart_unit",
    ),
    path(_S + "<int:snapshot_id>/export.<str:fmt>", views.snapshot_export, name="snapshot_export"),
    path(_S + "<int:snapshot_id>/scenario/", views.scenario_detail, name="scenario_detail"),
    path(_S + "<int:snapshot_id>/scenario/new/", views.scenario_create, name="scenario_create"),
    path(_S + "<int:snapshot_id>/scenario/add/", views.scenario_add_post, name="scenario_add_post"),
    path(_S + "<int:snapshot_id>/scenario/bulk/", views.scenario_bulk, name="scenario_bulk"),
    path(
        _S + "<int:snapshot_id>/scenario/approve/", views.scenario_approve, name="scenario_approve"
    ),
    path(
        _S + "<int:snapshot_id>/scenario/promote/", views.scenario_promote, name="scenario_promote"
    ),
    path(
        _S + "<int:snapshot_id>/posts/<int:post_pk>/change/",
        views.post_change,
        name="post_change",
    ),
    path(_S + "changes/<int:change_id>/undo/", views.change_undo, name="change_undo"),
]
