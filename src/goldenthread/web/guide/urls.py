from django.urls import path

from . import views

app_name = "guide"

urlpatterns = [
    path("guide/", views.index, name="index"),
    path("guide/images/<str:name>", views.image, name="image"),
    path("guide/<slug:page>/", views.page, name="page"),
]
