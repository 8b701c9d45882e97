from django.urls import path

from . import links, views

app_name = "operating_model"

P = "o/<slug:org_slug>/operating-model/"

urlpatterns = [
    path(P, views.tom_home, name="tom_home"),
    path(P + "versions/add/", views.version_create, name="version_create"),
    path(P + "versions/<int:version_id>/", views.version_detail, name="version_detail"),
    path(P + "versions/<int:version_id>/edit/", views.version_edit, name="version_edit"),
    path(P + "versions/<int:version_id>/consult/", views.version_consult, name="version_consult"),
    path(P + "versions/<int:version_id>/adopt/", views.version_adopt, name="version_adopt"),
    path(P + "versions/<int:version_id>/delete/", views.version_delete, name="version_delete"),
    path(P + "versions/<int:version_id>/compare/", views.version_compare, name="version_compare"),
    path(P + "versions/<int:version_id>/on-a-page/", views.version_page, name="version_page"),
    path(P + "versions/<int:version_id>/export.xlsx", views.version_export, name="version_export"),
    path(
        P + "versions/<int:version_id>/components/add/",
        views.component_create,
        name="component_create",
    ),
    path(P + "components/<int:component_id>/", views.component_detail, name="component_detail"),
    path(P + "components/<int:component_id>/edit/", views.component_edit, name="component_edit"),
    path(
        P + "components/<int:component_id>/delete/",
        views.component_delete,
        name="component_delete",
    ),
    path(
        P + "links/add/<slug:kind>/<int:record_id>/",
        links.component_link_create,
        name="component_link_create",
    ),
    path(
        P + "links/<int:link_id>/remove/",
        links.component_link_delete,
        name="component_link_delete",
    ),
    path(
        P + "components/<int:component_id>/statements/add/",
        views.statement_create,
        name="statement_create",
    ),
    path(P + "statements/<int:statement_id>/edit/", views.statement_edit, name="statement_edit"),
    path(
        P + "statements/<int:statement_id>/delete/",
        views.statement_delete,
        name="statement_delete",
    ),
    path(P + "principles/", views.principle_set_list, name="principle_set_list"),
    path(P + "principles/add/", views.principle_set_create, name="principle_set_create"),
    path(P + "principles/<int:set_id>/", views.principle_set_detail, name="principle_set_detail"),
    path(P + "principles/<int:set_id>/edit/", views.principle_set_edit, name="principle_set_edit"),
    path(P + "principles/<int:set_id>/copy/", views.principle_set_copy, name="principle_set_copy"),
    path(
        P + "principles/<int:set_id>/delete/",
        views.principle_set_delete,
        name="principle_set_delete",
    ),
    path(
        P + "principles/<int:set_id>/principles/add/",
        views.principle_create,
        name="principle_create",
    ),
    path(P + "principle/<int:principle_id>/edit/", views.principle_edit, name="principle_edit"),
    path(
        P + "principle/<int:principle_id>/delete/",
        views.principle_delete,
        name="principle_delete",
    ),
    path(
        P + "principle/<int:principle_id>/considerations/add/",
        views.consideration_create,
        name="consideration_create",
    ),
    path(
        P + "considerations/<int:consideration_id>/edit/",
        views.consideration_edit,
        name="consideration_edit",
    ),
    path(
        P + "considerations/<int:consideration_id>/delete/",
        views.consideration_delete,
        name="consideration_delete",
    ),
]
