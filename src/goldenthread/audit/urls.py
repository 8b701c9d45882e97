from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("o/<slug:org_slug>/history/", views.change_list, name="change_list"),
    path(
        "o/<slug:org_slug>/history/<str:model_label>/<int:object_id>/",
        views.record_history,
        name="record_history",
    ),
]
