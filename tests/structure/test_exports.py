"""Snapshot exports: typed, inert, named by whose, what and when, and read back the same."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone
from python_calamine import CalamineWorkbook

from goldenthread.formats.writing import ABOUT_SHEET, MONEY_FORMAT
from goldenthread.structure import services
from goldenthread.structure.models import Snapshot
from goldenthread.structure.selectors import snapshot_figures
from tests.structure.conftest import confirm_latest_run, upload
from tests.submitting import date_input

pytestmark = pytest.mark.django_db

#: Titles and a unit a spreadsheet would run as formulas if written as they are.
HYPERLINK = '=HYPERLINK("http://x","y")'
POSTS = [
    ("post_id", "reports_to", "title", "grade", "unit", "fte", "cost"),
    ("CEO", "", "Chief Executive", "SMT1", "People", "1", "185000"),
    ("P1", "CEO", HYPERLINK, "G9", "People", "1", "52000.50"),
    ("P2", "CEO", "+1+1", "G8", "@Place", "0.5", "38223"),
    ("P3", "P1", "@SUM(A1)", "G5", "@Place", "1", "29000"),
    ("P4", "P1", "-2+3", "G5", "People", "1", ""),
]
FORMULAS = {HYPERLINK, "+1+1", "@SUM(A1)", "-2+3", "@Place"}
ENGINE_COLUMNS = ("post_id", "reports_to", "title", "grade", "fte", "cost", "vacant", "agency")


def _csv(rows) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode()


@pytest.fixture
def snapshot(editor, organisation, django_capture_on_commit_callbacks) -> Snapshot:
    preset = services.column_mapping_save(
        organisation=organisation,
        name="goldenthread export",
        columns={k: k for k in ENGINE_COLUMNS} | {"unit": ["unit"]},
    )
    upload(
        editor,
        organisation,
        "posts.csv",
        _csv(POSTS),
        django_capture_on_commit_callbacks,
        fmt="table",
        snapshot_name="As-is 2026",
        extra={"mapping": preset.pk, **date_input("effective_date", "31/3/2026")},
    )
    confirm_latest_run(editor, organisation, django_capture_on_commit_callbacks)
    return Snapshot.objects.get(organisation=organisation, name="As-is 2026")


def _export(client, organisation, snapshot, fmt: str, **query: str):
    url = reverse(
        "structure:snapshot_export",
        kwargs={"org_slug": organisation.slug, "snapshot_id": snapshot.pk, "fmt": fmt},
    )
    response = client.get(url, query)
    assert response.status_code == 200
    return response


def _reimport(client, organisation, name: str, data: bytes, capture, **extra) -> Snapshot:
    upload(
        client, organisation, name, data, capture, snapshot_name=f"Again from {name}", extra=extra
    )
    confirm_latest_run(client, organisation, capture)
    return Snapshot.objects.get(organisation=organisation, name=f"Again from {name}")


def _posts(organisation, snapshot: Snapshot) -> list[tuple]:
    """(post ID, its manager's post ID, title, unit) for each post, by post ID."""
    s = snapshot_figures(organisation=organisation, snapshot=snapshot).structure
    ids = s.post_id.to_list()
    managers = [ids[p] if p >= 0 else "" for p in s.parent.tolist()]
    return sorted(zip(ids, managers, s.title.to_list(), s.unit.to_list(), strict=True))


def test_the_workbook_opens_with_what_it_is_and_types_money(editor, organisation, snapshot):
    response = _export(editor, organisation, snapshot, "xlsx")
    assert response["Content-Disposition"] == (
        'attachment; filename="somerset-posts-in-as-is-2026-2026-03-31.xlsx"'
    )
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    assert book.sheet_names == [ABOUT_SHEET, "Posts", "Units", "Exceptions", "Summary"]
    about = dict(book.get_sheet_by_name(ABOUT_SHEET).to_python())
    assert about["File"] == "Posts in As-is 2026"
    assert about["Organisation"] == "Somerset Council"
    assert about["As of"] == date(2026, 3, 31)
    assert about["Snapshot"] == "As-is 2026"
    assert about["Exported by"].endswith("(ed)")
    posts = book.get_sheet_by_name("Posts").to_python()
    cost = posts[0].index("cost")
    assert [row[cost] for row in posts[1:]] == [185000.0, 52000.5, 38223.0, 29000.0, ""]
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        sheet = archive.read("xl/worksheets/sheet2.xml").decode()
        styles = archive.read("xl/styles.xml").decode()
        assert all(b"<f>" not in archive.read(part) for part in archive.namelist())
    cell = re.search(r'<c r="G2" s="(\d+)"[^>]*>', sheet)
    assert cell and ' t="' not in cell.group(0)
    xfs = re.search(r"<cellXfs[^>]*>(.*?)</cellXfs>", styles, re.S)
    assert xfs
    format_id = re.findall(r'<xf numFmtId="(\d+)"', xfs.group(1))[int(cell.group(1))]
    assert f'<numFmt numFmtId="{format_id}" formatCode="{MONEY_FORMAT}"/>' in styles
    # Formula-looking titles and units are text with a quote in front.
    title, unit = posts[0].index("title"), posts[0].index("unit")
    assert {row[title] for row in posts[1:]} >= {"'" + HYPERLINK, "'+1+1", "'@SUM(A1)", "'-2+3"}
    assert "'@Place" in {row[unit] for row in posts[1:]}


@pytest.mark.parametrize(
    ("fmt", "named", "header"),
    [
        (
            "senior.csv",
            "somerset-as-is-2026-organogram-senior-2026-03-31.csv",
            "Post Unique Reference",
        ),
        (
            "transparency.csv",
            "somerset-as-is-2026-transparency-every-tier-2026-03-31.csv",
            "PostUniqueReference",
        ),
    ],
)
def test_the_csv_files_keep_their_layout_and_write_formulas_inert(
    editor, organisation, snapshot, fmt, named, header
):
    response = _export(editor, organisation, snapshot, fmt, tiers="all")
    assert response["Content-Disposition"] == f'attachment; filename="{named}"'
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == header
    cells = {cell for row in rows[1:] for cell in row}
    assert {"'" + HYPERLINK, "'+1+1", "'@SUM(A1)", "'-2+3"} <= cells
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)


def test_each_export_reads_back_to_the_same_posts_and_titles(
    editor, organisation, snapshot, django_capture_on_commit_callbacks
):
    original = _posts(organisation, snapshot)
    assert {text for post in original for text in post[2:]} >= FORMULAS
    preset = services.column_mapping_save(
        organisation=organisation,
        name="goldenthread export",
        columns={k: k for k in ENGINE_COLUMNS} | {"unit": ["unit"]},
    )
    workbook = _export(editor, organisation, snapshot, "xlsx").content
    again = _reimport(
        editor,
        organisation,
        "export.xlsx",
        workbook,
        django_capture_on_commit_callbacks,
        mapping=preset.pk,
        fmt="table",
    )
    assert _posts(organisation, again) == original
    figures = snapshot_figures(organisation=organisation, snapshot=again)
    assert (
        figures.summary.total_cost
        == snapshot_figures(organisation=organisation, snapshot=snapshot).summary.total_cost
    )

    senior = _export(editor, organisation, snapshot, "senior.csv").content
    again = _reimport(
        editor, organisation, "senior.csv", senior, django_capture_on_commit_callbacks
    )
    assert _posts(organisation, again) == original

    lga = _export(editor, organisation, snapshot, "transparency.csv", tiers="all").content
    again = _reimport(
        editor, organisation, "transparency.csv", lga, django_capture_on_commit_callbacks
    )
    assert [post[:3] for post in _posts(organisation, again)] == [post[:3] for post in original]


def test_every_download_of_a_snapshot_has_its_own_file_name(editor, organisation, snapshot):
    downloads = [("xlsx", {}), ("senior.csv", {}), ("junior.csv", {})]
    downloads += [("transparency.csv", {}), ("transparency.csv", {"tiers": "all"})]
    names = [
        _export(editor, organisation, snapshot, fmt, **query)["Content-Disposition"]
        for fmt, query in downloads
    ]
    assert len(set(names)) == len(names)
    assert 'transparency-top-three-tiers-2026-03-31.csv"' in names[3]
    assert all(name.startswith('attachment; filename="somerset-') for name in names)


def test_a_snapshot_without_a_date_is_named_for_the_day_of_the_download(
    editor, organisation, snapshot
):
    Snapshot.objects.filter(pk=snapshot.pk).update(effective_date=None)
    name = _export(editor, organisation, snapshot, "senior.csv")["Content-Disposition"]
    assert name.endswith(f'-senior-{timezone.localdate().isoformat()}.csv"')


def test_a_snapshot_name_cannot_steer_the_file_name(editor, organisation, snapshot):
    snapshot.name = '../../etc/passwd"; filename="evil.exe'
    snapshot.save(update_fields=["name"])
    for fmt in ("xlsx", "senior.csv", "junior.csv", "transparency.csv"):
        disposition = _export(editor, organisation, snapshot, fmt)["Content-Disposition"]
        assert re.fullmatch(r'attachment; filename="[a-z0-9-]+\.(xlsx|csv)"', disposition)
        assert "evil" in disposition and ".." not in disposition


def test_an_unknown_export_is_not_found(editor, organisation, snapshot):
    url = reverse(
        "structure:snapshot_export",
        kwargs={"org_slug": organisation.slug, "snapshot_id": snapshot.pk, "fmt": "pdf"},
    )
    assert editor.get(url).status_code == 404
