"""The sign-in throttle: counted atomically, by the client's real address, never against everyone.

A review once sent 30 wrong passwords for one user at the same moment: 15 were
checked against a limit of 5, because the check, the password check and the
record of the failure were not serialised. And 20 failures with random
usernames from one address locked out every user of that address, right
passwords too; behind a reverse proxy every user shares its address.
"""

from __future__ import annotations

import threading
import uuid

import pytest
from django.contrib.auth.models import AbstractBaseUser
from django.db import connection
from django.test import Client, RequestFactory
from django.urls import reverse

from goldenthread.accounts.forms import SIGN_IN_FAILED, SIGN_IN_LOCKED, client_ip
from goldenthread.accounts.models import LoginAttempt
from tests.factories import PASSWORD, OrganisationFactory, member
from tests.html import error_summary

#: Parallel sign-ins in the race.
RACERS = 30


def _sign_in(client: Client, username: str, password: str, address: str = "203.0.113.9"):
    return client.post(
        reverse("accounts:login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


@pytest.fixture
def checks(monkeypatch) -> list[str]:
    """Every password check made, by username (from any thread)."""
    made: list[str] = []
    lock = threading.Lock()
    original = AbstractBaseUser.check_password

    def counted(user: AbstractBaseUser, raw_password: str | None) -> bool:
        with lock:
            made.append(user.get_username())
        return original(user, raw_password)

    monkeypatch.setattr(AbstractBaseUser, "check_password", counted)
    return made


@pytest.mark.django_db(transaction=True)
def test_parallel_wrong_passwords_check_at_most_the_limit(settings, checks) -> None:
    """On PostgreSQL the 30 sign-ins race, each on its own connection.

    The test database on SQLite is in memory, where a second writer is refused
    rather than made to wait, so there the same sign-ins run one at a time
    (the service's lock is SQLite's write lock: ``transaction_mode`` IMMEDIATE).
    """
    member(OrganisationFactory(), username="ada")
    parallel = connection.vendor == "postgresql"
    start = threading.Barrier(RACERS if parallel else 1)
    answers: list[int] = []
    errors: list[BaseException] = []

    def attempt() -> None:
        try:
            start.wait()
            answers.append(_sign_in(Client(), "ada", "wrong").status_code)
        except BaseException as error:
            errors.append(error)
        finally:
            if parallel:
                connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(RACERS)]
    for thread in threads:
        thread.start()
        if not parallel:
            thread.join()
    for thread in threads:
        thread.join()
    assert errors == []
    assert answers == [200] * RACERS
    assert len(checks) <= settings.LOGIN_FAILURE_LIMIT
    # The right password is refused too until the window passes.
    response = _sign_in(Client(), "ada", PASSWORD)
    assert error_summary(response) == [SIGN_IN_LOCKED]


@pytest.mark.django_db
def test_failures_from_one_address_do_not_lock_out_a_known_user(client, settings) -> None:
    member(OrganisationFactory(), username="ada")
    for _ in range(settings.LOGIN_ADDRESS_FAILURE_LIMIT):
        _sign_in(client, f"nobody-{uuid.uuid4().hex[:8]}", "guess")
    assert LoginAttempt.objects.filter(ip_address="203.0.113.9").count() == (
        settings.LOGIN_ADDRESS_FAILURE_LIMIT
    )
    # Past the limit, every failure from the address is answered alike, known
    # username or not, so guessing names from it tells nothing...
    unknown = _sign_in(client, "nobody-at-all", "guess")
    known = _sign_in(client, "ada", "wrong")
    assert error_summary(unknown) == error_summary(known) == [SIGN_IN_LOCKED]
    # ...but a known user with the right password signs in.
    response = _sign_in(client, "ada", PASSWORD)
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


@pytest.mark.django_db
def test_below_the_address_limit_a_wrong_password_says_so(client) -> None:
    member(OrganisationFactory(), username="ada")
    assert error_summary(_sign_in(client, "ada", "wrong")) == [SIGN_IN_FAILED]


def _request(remote: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().post("/sign-in/", **extra)


def test_without_a_trusted_proxy_the_address_is_remote_addr(settings) -> None:
    settings.GOLDENTHREAD_TRUSTED_PROXY_COUNT = 0
    assert client_ip(_request("10.0.0.5", "198.51.100.7")) == "10.0.0.5"


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        # One proxy appends the client it saw: the rightmost address.
        (1, "198.51.100.7", "198.51.100.7"),
        # Whatever the client wrote itself, further left, is not believed.
        (1, "1.2.3.4, 198.51.100.7", "198.51.100.7"),
        # Two proxies: the second from the right.
        (2, "1.2.3.4, 198.51.100.7, 10.0.0.9", "198.51.100.7"),
        # Fewer addresses than proxies, or not an address: REMOTE_ADDR.
        (2, "198.51.100.7", "10.0.0.5"),
        (1, "not-an-address", "10.0.0.5"),
        (1, "", "10.0.0.5"),
    ],
)
def test_behind_trusted_proxies_the_address_is_the_clients(
    settings, count, forwarded, expected
) -> None:
    settings.GOLDENTHREAD_TRUSTED_PROXY_COUNT = count
    assert client_ip(_request("10.0.0.5", forwarded)) == expected


@pytest.mark.django_db
def test_behind_a_proxy_one_clients_failures_do_not_lock_anothers_address(client, settings) -> None:
    settings.GOLDENTHREAD_TRUSTED_PROXY_COUNT = 1
    member(OrganisationFactory(), username="ada")
    proxy = "10.0.0.1"
    for _ in range(settings.LOGIN_ADDRESS_FAILURE_LIMIT):
        client.post(
            reverse("accounts:login"),
            {"username": f"nobody-{uuid.uuid4().hex[:8]}", "password": "guess"},
            REMOTE_ADDR=proxy,
            HTTP_X_FORWARDED_FOR="198.51.100.66",
        )
    response = client.post(
        reverse("accounts:login"),
        {"username": "ada", "password": "wrong"},
        REMOTE_ADDR=proxy,
        HTTP_X_FORWARDED_FOR="198.51.100.7",
    )
    assert error_summary(response) == [SIGN_IN_FAILED]
    assert not LoginAttempt.objects.filter(ip_address=proxy).exists()
