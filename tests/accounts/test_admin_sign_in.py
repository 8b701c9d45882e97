"""The admin has no sign-in of its own: it sends everyone to the throttled sign-in page."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.urls import reverse

from tests.factories import PASSWORD


def _superuser() -> User:
    return User.objects.create_superuser("root", "root@example.com", PASSWORD)


def test_credentials_posted_to_the_admin_sign_in_never_sign_in(client, db) -> None:
    _superuser()
    response = client.post("/admin/login/", {"username": "root", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/")["Location"].startswith("/admin/login/")


def test_the_admin_sign_in_keeps_where_to_go_next(client, db) -> None:
    response = client.get("/admin/login/?next=/admin/")
    assert response["Location"] == reverse("accounts:login") + "?next=%2Fadmin%2F"


def test_a_superuser_signed_in_on_the_sign_in_page_reaches_the_admin(client, db) -> None:
    _superuser()
    response = client.post(
        reverse("accounts:login"), {"username": "root", "password": PASSWORD, "next": "/admin/"}
    )
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
