from django.urls import URLPattern, path

from . import views

P = "o/<slug:org_slug>/programme/<int:programme_id>/"

urlpatterns: list[URLPattern] = [
    path(P + "timeline/", views.timeline, name="timeline"),
    path(P + "board/", views.board, name="board"),
    path(P + "improvement-plan/", views.improvement_plan, name="improvement_plan"),
]
