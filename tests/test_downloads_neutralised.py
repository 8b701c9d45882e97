"""No download carries a live formula: every file is written by the one neutralising writer.

Names, titles, grades and descriptions come from uploads and forms, so any of
them may begin with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage
return). The organisation is seeded with such texts in every kind of record a
file holds, and then every download the project answers is fetched: each
organisation URL from the URL configuration (so a new export is covered the
day it is added), with each file format it takes, and each register page
with ``?download=csv`` and ``?download=xlsx``. No text cell of any of them may
begin with one of those characters unless the writer put its quote in front.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from datetime import date

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from goldenthread.formats.cells import FORMULA_STARTS
from tests.conftest import DEMO_PASSWORD
from tests.test_isolation import ORG_ROUTES, Route
from tests.url_samples import SAMPLES

pytestmark = pytest.mark.django_db

#: Texts a spreadsheet would run if they were written as they are.
HOSTILE = (
    '=HYPERLINK("https://evil.example","Click")',
    "+1+1",
    "@SUM(A1:A9)",
    "-2+3",
    "\tcmd",
    "\r=1",
)
#: The formats a URL's ``fmt`` argument may take, for routes that have one.
FORMATS = ("xlsx", "csv", "senior.csv", "junior.csv", "transparency.csv", "docx")
#: A number written as a number: plain in CSV, and never a formula.
PLAIN_NUMBER = re.compile(r"-?\d+(\.\d+)?")


def _seed(organisation: object) -> object:
    """Hostile texts in units, the thread, the TOM and a snapshot's posts; the snapshot."""
    from goldenthread.core.models import Unit
    from goldenthread.core.services import unit_create
    from goldenthread.formats.posts import PostTable, build_structure
    from goldenthread.operating_model.models import TomVersion
    from goldenthread.operating_model.services import component_create, statement_create
    from goldenthread.performance.models import Level
    from goldenthread.performance.services import thread_item_create
    from goldenthread.structure.services import snapshot_create_from_structure

    top = Unit.objects.filter(organisation=organisation, parent=None).order_by("pk").first()
    for n, text in enumerate(HOSTILE):
        unit_create(
            organisation=organisation,
            code=f"HOSTILE{n}",
            name=text,
            parent=top,
            description=text,
        )
        thread_item_create(
            organisation=organisation, level=Level.VISION, title=text, description=text
        )
    version = TomVersion.objects.get(pk=SAMPLES["version_id"](organisation))
    for text in HOSTILE:
        component = component_create(version=version, name=text, purpose=text, owner=text)
        statement_create(component=component, text=text)
    ids = ["=1+1", "B1", "B2", "B3", "B4", "B5"]
    table = PostTable.from_lists(
        ids,
        ["XX", "=1+1", "=1+1", "B1", "B1", "B2"],
        title=list(HOSTILE),
        grade=list(HOSTILE),
        unit=[f"{text} / {text}" for text in HOSTILE],
        cost=[90000.0, 60000.0, 55000.0, 30000.0, 30000.0, 30000.0],
        source="hostile.csv",
    )
    return snapshot_create_from_structure(
        organisation=organisation,
        structure=build_structure(table).structure,
        name="=HYPERLINK(1)",
        effective_date=date(2026, 3, 31),
        notes="+1+1",
    )


def _urls(route: Route, samples: dict[str, object]) -> Iterator[str]:
    if "fmt" in route.arguments:
        for fmt in FORMATS:
            yield reverse(route.name, kwargs={**samples, "fmt": fmt})
        return
    url = reverse(route.name, kwargs=samples)
    yield url
    yield f"{url}?download=csv"
    yield f"{url}?download=xlsx"


def _csv_cells(data: bytes) -> Iterator[str]:
    text = data.decode("utf-8-sig")
    for row in csv.reader(io.StringIO(text, newline="")):
        yield from row


def _xlsx_cells(data: bytes) -> Iterator[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name), f"{name} holds a formula"
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    for sheet in workbook.sheet_names:
        for row in workbook.get_sheet_by_name(sheet).to_python():
            yield from (cell for cell in row if isinstance(cell, str))


def _live(cell: str) -> bool:
    return cell.startswith(FORMULA_STARTS) and not PLAIN_NUMBER.fullmatch(cell)


@pytest.fixture
def downloads(client, demo) -> dict[str, bytes]:
    """Every file the walk gets, by URL, as the demo's admin sees them."""
    snapshot = _seed(demo)
    client.login(username="demo-admin", password=DEMO_PASSWORD)
    files: dict[str, bytes] = {}
    for route in ORG_ROUTES:
        samples = {arg: SAMPLES[arg](demo) for arg in route.arguments if arg != "fmt"}
        if "snapshot_id" in samples:
            samples["snapshot_id"] = snapshot.pk  # type: ignore[attr-defined]
        for url in _urls(route, samples):
            response = client.get(url)
            if response.get("Content-Disposition", "").startswith("attachment"):
                files[url] = response.content
    return files


def test_the_walk_finds_every_kind_of_download(downloads) -> None:
    kinds = {
        url.split("?")[0].rsplit("/", 2)[-2] + "/" + url.rsplit("/", 1)[-1] for url in downloads
    }
    assert any(url.endswith("/units/export.csv") for url in downloads), kinds
    assert any(url.endswith("/export.senior.csv") for url in downloads), kinds
    assert any(url.endswith("/export.transparency.csv") for url in downloads), kinds
    assert any("/operating-model/" in url and url.endswith(".xlsx") for url in downloads), kinds
    assert any(url.endswith("?download=csv") for url in downloads), kinds
    assert any(url.endswith("?download=xlsx") for url in downloads), kinds


def test_no_download_holds_a_live_formula(downloads) -> None:
    failures: list[str] = []
    seen_hostile = 0
    for url, data in downloads.items():
        cells = list(_xlsx_cells(data) if data[:2] == b"PK" else _csv_cells(data))
        seen_hostile += sum(cell.lstrip("'") in HOSTILE for cell in cells)
        live = [cell for cell in cells if _live(cell)]
        if live:
            failures.append(f"{url}: {live[:3]}")
    assert failures == [], "\n".join(failures)
    # The seeded texts did reach the files (written inert), so the check means something.
    assert seen_hostile > 20
