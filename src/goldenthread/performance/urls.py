from django.urls import path

from . import links, views

app_name = "performance"

P = "o/<slug:org_slug>/golden-thread/"

urlpatterns = [
    path(P, views.thread, name="thread"),
    path(P + "items/", views.item_list, name="item_list"),
    path(P + "orphans/", views.orphans, name="orphans"),
    path(P + "add/", views.item_create, name="item_create"),
    path(P + "<int:item_id>/", views.item_detail, name="item_detail"),
    path(P + "<int:item_id>/edit/", views.item_edit, name="item_edit"),
    path(P + "<int:item_id>/delete/", views.item_delete, name="item_delete"),
    path(
        P + "links/add/<slug:kind>/<int:record_id>/",
        links.thread_link_create,
        name="thread_link_create",
    ),
    path(
        P + "links/<int:thread_link_id>/remove/",
        links.thread_link_delete,
        name="thread_link_delete",
    ),
]
