"""Real files exported and uploaded again compare with their snapshot as unchanged, to the penny."""

from __future__ import annotations

import pytest
from django.urls import reverse

from goldenthread.structure import selectors, services
from goldenthread.structure.models import Snapshot
from tests.html import select
from tests.structure.conftest import confirm_latest_run, real_file, upload
from tests.structure.test_round_trip_property import assert_no_change

pytestmark = pytest.mark.django_db

TRAFFORD = "trafford_council_organisation_structure.csv"
MOD_SENIOR = "ministry_of_defence-2016-03-31-senior.csv"
MOD_JUNIOR = "ministry_of_defence-2016-03-31-junior.csv"


def _export(client, organisation, snapshot: Snapshot, fmt: str, **query: str) -> bytes:
    url = reverse(
        "structure:snapshot_export",
        kwargs={"org_slug": organisation.slug, "snapshot_id": snapshot.pk, "fmt": fmt},
    )
    response = client.get(url, query)
    assert response.status_code == 200
    return response.content


def _upload(client, organisation, capture, name, data, *, junior=None, snapshot_name) -> Snapshot:
    upload(
        client,
        organisation,
        name,
        data,
        capture,
        junior=junior,
        problems="lenient",
        snapshot_name=snapshot_name,
    )
    confirm_latest_run(client, organisation, capture)
    return Snapshot.objects.get(organisation=organisation, name=snapshot_name)


def round_trip(client, organisation, snapshot: Snapshot, fmt: str, capture) -> Snapshot:
    """``snapshot`` exported as ``fmt`` and uploaded again as a new snapshot."""
    name = f"{snapshot.name} again from {fmt}"
    if fmt == "xlsx":
        data = _export(client, organisation, snapshot, "xlsx")
        return _upload(client, organisation, capture, "export.xlsx", data, snapshot_name=name)
    if fmt == "organogram":
        senior = _export(client, organisation, snapshot, "senior.csv")
        junior = _export(client, organisation, snapshot, "junior.csv")
        return _upload(
            client,
            organisation,
            capture,
            "senior.csv",
            senior,
            junior=("junior.csv", junior),
            snapshot_name=name,
        )
    raise AssertionError(fmt)


def assert_unchanged(organisation, old: Snapshot, new: Snapshot) -> None:
    diff, _, _ = selectors.snapshot_diff(organisation=organisation, old=old, new=new)
    assert_no_change(diff)


@pytest.fixture
def trafford(editor, organisation, django_capture_on_commit_callbacks) -> Snapshot:
    path = real_file(TRAFFORD)
    return _upload(
        editor,
        organisation,
        django_capture_on_commit_callbacks,
        path.name,
        path.read_bytes(),
        snapshot_name="A",
    )


@pytest.mark.parametrize("fmt", ["xlsx", "organogram"])
def test_a_council_file_without_ids_comes_back_with_its_ids(
    editor, organisation, django_capture_on_commit_callbacks, trafford, fmt
):
    capture, as_is = django_capture_on_commit_callbacks, trafford
    scenario = services.scenario_create(snapshot=as_is, name="Option A")
    again = round_trip(editor, organisation, scenario, fmt, capture)
    assert again.post_count == scenario.post_count
    assert_unchanged(organisation, scenario, again)
    assert_unchanged(organisation, as_is, again)


@pytest.mark.parametrize("fmt", ["xlsx", "organogram"])
def test_the_mod_pair_comes_back_to_the_penny(
    editor, organisation, django_capture_on_commit_callbacks, fmt
):
    senior, junior = real_file(MOD_SENIOR), real_file(MOD_JUNIOR)
    capture = django_capture_on_commit_callbacks
    as_is = _upload(
        editor,
        organisation,
        capture,
        senior.name,
        senior.read_bytes(),
        junior=(junior.name, junior.read_bytes()),
        snapshot_name="MOD",
    )
    again = round_trip(editor, organisation, as_is, fmt, capture)
    assert_unchanged(organisation, as_is, again)


def test_an_exported_pair_without_junior_staff_imports(
    editor, organisation, django_capture_on_commit_callbacks, trafford
):
    capture, as_is = django_capture_on_commit_callbacks, trafford
    junior = _export(editor, organisation, as_is, "junior.csv")
    assert junior.decode("utf-8-sig").count("\n") == 1  # the header alone
    again = round_trip(editor, organisation, as_is, "organogram", capture)
    assert_unchanged(organisation, as_is, again)


def test_the_comparison_page_of_a_round_trip_says_no_change(
    editor, organisation, django_capture_on_commit_callbacks, trafford
):
    capture, as_is = django_capture_on_commit_callbacks, trafford
    again = round_trip(editor, organisation, as_is, "organogram", capture)
    response = editor.get(
        reverse("structure:compare", kwargs={"org_slug": organisation.slug}),
        {"old": as_is.pk, "new": again.pk},
    )
    headings = select(response, "h3")
    assert headings[:2] == ["Posts added: 0", "Posts removed: 0"]
    summary = dict(
        zip(
            select(response, ".govuk-summary-list__key"),
            select(response, ".govuk-summary-list__value"),
            strict=True,
        )
    )
    assert summary["Staffing saving"] == "£0 a year"
    assert summary["Redundancy estimate"].startswith("0 filled posts removed")
