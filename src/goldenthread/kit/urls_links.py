"""The kit's own addresses: the pickers' searches, under each organisation."""

from django.urls import path

from .pickers import picker_search

app_name = "pickers"

urlpatterns = [
    path("o/<slug:org_slug>/pickers/<slug:source>/", picker_search, name="search"),
]
