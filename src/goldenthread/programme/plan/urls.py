from django.urls import path

from . import views

P = "o/<slug:org_slug>/programme/"
A = P + "actions/"

urlpatterns = [
    path(P, views.programme_list, name="programme_list"),
    path(P + "add/", views.programme_create, name="programme_create"),
    path(P + "<int:programme_id>/", views.programme_detail, name="programme_detail"),
    path(P + "<int:programme_id>/edit/", views.programme_edit, name="programme_edit"),
    path(P + "<int:programme_id>/delete/", views.programme_delete, name="programme_delete"),
    path(P + "<int:programme_id>/phases/add/", views.phase_create, name="phase_create"),
    path(P + "phases/<int:phase_id>/edit/", views.phase_edit, name="phase_edit"),
    path(P + "phases/<int:phase_id>/delete/", views.phase_delete, name="phase_delete"),
    path(
        P + "<int:programme_id>/workstreams/add/",
        views.workstream_create,
        name="workstream_create",
    ),
    path(
        P + "workstreams/<int:workstream_id>/edit/", views.workstream_edit, name="workstream_edit"
    ),
    path(
        P + "workstreams/<int:workstream_id>/delete/",
        views.workstream_delete,
        name="workstream_delete",
    ),
    path(A, views.action_list, name="action_list"),
    path(A + "add/", views.action_create, name="action_create"),
    path(A + "export.<str:fmt>", views.action_export, name="action_export"),
    path(A + "import/", views.action_import, name="action_import"),
    path(A + "milestones/export.<str:fmt>", views.milestone_export, name="milestone_export"),
    path(A + "milestones/import/", views.milestone_import, name="milestone_import"),
    path(A + "savings/export.<str:fmt>", views.saving_export, name="saving_export"),
    path(A + "savings/import/", views.saving_import, name="saving_import"),
    path(A + "<int:action_id>/", views.action_detail, name="action_detail"),
    path(A + "<int:action_id>/edit/", views.action_edit, name="action_edit"),
    path(A + "<int:action_id>/delete/", views.action_delete, name="action_delete"),
    path(A + "<int:action_id>/savings/", views.action_savings, name="action_savings"),
    path(A + "<int:action_id>/milestones/add/", views.milestone_create, name="milestone_create"),
    path(A + "milestones/<int:milestone_id>/edit/", views.milestone_edit, name="milestone_edit"),
    path(
        A + "milestones/<int:milestone_id>/complete/",
        views.milestone_complete,
        name="milestone_complete",
    ),
    path(
        A + "milestones/<int:milestone_id>/delete/",
        views.milestone_delete,
        name="milestone_delete",
    ),
]
