from django.urls import URLPattern, path

from . import views

P = "o/<slug:org_slug>/programme/benefits/"

urlpatterns: list[URLPattern] = [
    path(P, views.benefit_list, name="benefit_list"),
    path(P + "add/", views.benefit_create, name="benefit_create"),
    path(P + "settings/", views.benefit_settings, name="benefit_settings"),
    path(P + "import/", views.benefit_import, name="benefit_import"),
    path(P + "export.<str:fmt>", views.benefit_export, name="benefit_export"),
    path(P + "profiles/import/", views.benefit_profile_import, name="benefit_profile_import"),
    path(
        P + "profiles/export.<str:fmt>", views.benefit_profile_export, name="benefit_profile_export"
    ),
    path(P + "<int:benefit_id>/", views.benefit_detail, name="benefit_detail"),
    path(P + "<int:benefit_id>/edit/", views.benefit_edit, name="benefit_edit"),
    path(P + "<int:benefit_id>/profile/", views.benefit_profile_edit, name="benefit_profile_edit"),
    path(P + "<int:benefit_id>/delete/", views.benefit_delete, name="benefit_delete"),
]
