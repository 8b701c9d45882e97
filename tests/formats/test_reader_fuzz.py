"""Generated malformed files through every structure reader and every import declaration.

Whatever the file, a reader either returns what it read or raises its own
problem type: :class:`~goldenthread.formats.reading.FormatError` from the
structure readers, :class:`~goldenthread.formats.errors.StructureImportError`
from building the structure, and problems in the kit's report (never an
exception) from an import declaration. The web uploads of the same files are
in ``tests/test_hostile_uploads.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from goldenthread.analysis.structure import summarise
from goldenthread.formats.detect import read_posts
from goldenthread.formats.errors import StructureImportError
from goldenthread.formats.lga import read_lga
from goldenthread.formats.organogram import read_organogram
from goldenthread.formats.posts import PostTable, build_structure
from goldenthread.formats.reading import FormatError
from goldenthread.formats.sources import ReadLimits
from goldenthread.formats.table import ColumnMapping, read_table
from goldenthread.kit import importing
from goldenthread.kit.importing import Report, TableImporter, read_rows
from goldenthread.structure.exports import (
    ORGANOGRAM_JUNIOR,
    ORGANOGRAM_SENIOR,
    TRANSPARENCY_HEADER,
)
from tests.hostile_files import NASTY_NUMBERS, csv_files, files, fuzz_settings

pytestmark = pytest.mark.fuzz

MAX_EXAMPLES = 60
LIMITS = ReadLimits(
    max_rows=400, max_columns=40, max_cells=4_000, max_unpacked_bytes=2 * 1024 * 1024
)
FUZZ = fuzz_settings(MAX_EXAMPLES)

SENIOR_HEADER = ORGANOGRAM_SENIOR
JUNIOR_HEADER = ORGANOGRAM_JUNIOR
#: The council layout without IDs, so managers are inferred from the levels.
LGA_HEADER = TRANSPARENCY_HEADER[2:]
TABLE_HEADER = ("Position", "Manager", "Job", "Band", "Dir", "Service", "FTE", "Cost")
MAPPING = ColumnMapping(
    post_id="Position",
    reports_to="Manager",
    title="Job",
    grade="Band",
    unit=("Dir", "Service"),
    fte="FTE",
    cost="Cost",
    pay_band=None,
    vacant=None,
    agency=None,
)
A_SENIOR_FILE = (
    ",".join(SENIOR_HEADER) + "\n"
    "001,Vacant,SCS2,Director,Place,XX,1,90000,94999\n"
    "002,N/D,SCS1,Deputy Director,Place,001,1,70000,74999\n"
)

Reader = Callable[[Path, Path], PostTable]


def _senior(path: Path, spare: Path) -> PostTable:
    return read_organogram(path, limits=LIMITS)


def _junior(path: Path, spare: Path) -> PostTable:
    spare.write_text(A_SENIOR_FILE, encoding="utf-8")
    return read_organogram(spare, path, limits=LIMITS)


def _lga(path: Path, spare: Path) -> PostTable:
    return read_lga(path, limits=LIMITS)


def _table(path: Path, spare: Path) -> PostTable:
    return read_table(path, MAPPING, limits=LIMITS)


def _detected(path: Path, spare: Path) -> PostTable:
    return read_posts(path, limits=LIMITS)


READERS: dict[str, tuple[Reader, tuple[str, ...]]] = {
    "organogram senior": (_senior, SENIOR_HEADER),
    "organogram junior": (_junior, JUNIOR_HEADER),
    "lga": (_lga, LGA_HEADER),
    "table with a mapping": (_table, TABLE_HEADER),
    "detected format": (_detected, SENIOR_HEADER),
}


def read_and_build(reader: Reader, folder: Path, name: str, data: bytes) -> bool:
    """Read a file and build its structure both ways; only the readers' own errors escape.

    Whether either way gave a structure."""
    path = folder / Path(name).name
    path.write_bytes(data)
    try:
        table = reader(path, folder / "senior-for-junior.csv")
    except FormatError as error:
        assert error.problems, "a format error lists its problems"
        return False
    built = False
    for lenient in (False, True):
        try:
            result = build_structure(table, lenient=lenient)
        except StructureImportError as error:
            assert error.problems, "a failed build lists its problems"
            continue
        summarise(result.structure)
        built = True
    return built


@pytest.mark.parametrize("reader", list(READERS))
def test_no_file_makes_a_structure_reader_raise_anything_but_its_problems(
    reader: str, tmp_path: Path
) -> None:
    read, header = READERS[reader]

    @FUZZ
    @given(files(header))
    def attempt(file: tuple[str, bytes]) -> None:
        read_and_build(read, tmp_path, *file)

    attempt()


#: Numbers no structure column holds: each is refused, never summarised.
NOT_FINITE_OR_HUGE = {"1e300", "-1e300", "1E308", "inf", "-inf", "Infinity"}


@pytest.mark.parametrize(
    "number",
    NASTY_NUMBERS,
)
@pytest.mark.parametrize("reader", ["organogram senior", "lga", "table with a mapping"])
def test_every_nasty_number_in_every_number_column(
    reader: str, number: str, tmp_path: Path
) -> None:
    read, header = READERS[reader]
    numeric = {"FTE", "Actual Pay Floor (£)", "Actual Pay Ceiling (£)", "MaximumSalary", "Cost"}
    row = [
        {"Level": "1", "Reports to Senior Post": "XX", "Manager": "XX"}.get(column, "A1")
        for column in header
    ]
    row = [
        number if column in numeric else value for column, value in zip(header, row, strict=True)
    ]
    text = ",".join(header) + "\n" + ",".join(f'"{cell}"' for cell in row) + "\n"
    built = read_and_build(read, tmp_path, "numbers.csv", text.encode())
    if number in NOT_FINITE_OR_HUGE and reader != "lga":
        # An FTE that cannot be read is refused even leniently (the council
        # reader's Cost and MaximumSalary may be taken as unknown).
        assert not built


def _declarations() -> list[str]:
    return [
        name
        for name, importer in importing._IMPORTERS.items()
        if isinstance(importer, TableImporter)
    ]


def test_every_import_declaration_is_fuzzed() -> None:
    # Table declarations are fuzzed below; the structure importer reads with
    # the structure readers, fuzzed above. A new kind of importer needs a test.
    others = {
        name
        for name, importer in importing._IMPORTERS.items()
        if not isinstance(importer, TableImporter)
    }
    assert _declarations() and others == {"structure"}


@pytest.mark.parametrize("name", _declarations())
def test_no_file_makes_an_import_declaration_raise(name: str) -> None:
    importer = importing.importer_get(name)
    assert isinstance(importer, TableImporter)
    columns = importer.columns
    header = tuple(column.name for column in columns)

    @FUZZ
    @given(st.one_of(files(header), csv_files(tuple(column.label for column in columns))))
    def attempt(file: tuple[str, bytes]) -> None:
        report = Report(file[0])
        rows = read_rows(columns, file[0], file[1], report, limits=LIMITS)
        if rows is None:
            assert report.problems, "a file that cannot be read says why"

    attempt()
