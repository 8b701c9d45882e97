from django.urls import URLPattern, path

from . import views

P = "o/<slug:org_slug>/programme/risks/"
R = P + "<int:risk_id>/"
M = R + "mitigations/"

urlpatterns: list[URLPattern] = [
    path(P, views.risk_list, name="risk_list"),
    path(P + "add/", views.risk_create, name="risk_create"),
    path(P + "import/", views.risk_import, name="risk_import"),
    path(P + "export.<str:fmt>", views.risk_export, name="risk_export"),
    path(P + "mitigations/import/", views.mitigation_import, name="mitigation_import"),
    path(P + "mitigations/export.<str:fmt>", views.mitigation_export, name="mitigation_export"),
    path(P + "settings/", views.risk_settings, name="risk_settings"),
    path(R, views.risk_detail, name="risk_detail"),
    path(R + "edit/", views.risk_edit, name="risk_edit"),
    path(R + "delete/", views.risk_delete, name="risk_delete"),
    path(R + "review/", views.risk_review, name="risk_review"),
    path(M + "add/", views.mitigation_create, name="mitigation_create"),
    path(M + "<int:mitigation_id>/edit/", views.mitigation_edit, name="mitigation_edit"),
    path(M + "<int:mitigation_id>/delete/", views.mitigation_delete, name="mitigation_delete"),
]
