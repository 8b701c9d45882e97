from django.urls import URLPattern, path

from . import views

P = "o/<slug:org_slug>/programme/"

urlpatterns: list[URLPattern] = [
    path(P + "rag-rules/", views.rag_rules, name="rag_rules"),
    path(P + "rag-rules/change/", views.rag_rules_edit, name="rag_rules_edit"),
    path(P + "rag-rules/<int:version>/", views.rag_rules_version, name="rag_rules_version"),
    path(P + "actions/<int:action_id>/override/", views.action_override, name="action_override"),
    path(
        P + "actions/<int:action_id>/override/end/",
        views.action_override_clear,
        name="action_override_clear",
    ),
]
