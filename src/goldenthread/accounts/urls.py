from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("sign-in/", views.sign_in, name="login"),
    path("sign-out/", views.sign_out, name="logout"),
    path("organisations/", views.organisations, name="organisations"),
    path("account/password/", views.password_change, name="password_change"),
    path("o/<slug:org_slug>/members/", views.member_list, name="member_list"),
    path("o/<slug:org_slug>/members/add/", views.member_add, name="member_add"),
    path("o/<slug:org_slug>/members/<int:membership_id>/", views.member_edit, name="member_edit"),
    path(
        "o/<slug:org_slug>/members/<int:membership_id>/remove/",
        views.member_remove,
        name="member_remove",
    ),
    path(
        "o/<slug:org_slug>/members/invitations/<int:invitation_id>/cancel/",
        views.invitation_cancel,
        name="invitation_cancel",
    ),
    path("invitations/<slug:token>/", views.invitation, name="invitation"),
    path("o/<slug:org_slug>/settings/", views.organisation_settings, name="settings"),
]
