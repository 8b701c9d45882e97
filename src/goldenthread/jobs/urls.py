from django.urls import path

from . import views

app_name = "jobs"

urlpatterns = [
    path("o/<slug:org_slug>/jobs/", views.job_list, name="job_list"),
    path("o/<slug:org_slug>/jobs/<int:job_id>/", views.job_detail, name="job_detail"),
    path("o/<slug:org_slug>/jobs/<int:job_id>/progress/", views.job_progress, name="job_progress"),
]
