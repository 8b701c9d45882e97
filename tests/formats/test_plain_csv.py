"""A plain CSV file is parsed by polars at once, and gives exactly the frame the
row-by-row reader gives; anything else is left to that reader and its messages."""

from __future__ import annotations

import codecs

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from goldenthread.formats import reading
from goldenthread.formats.reading import FormatError, read_frame
from goldenthread.formats.sources import DEFAULT_LIMITS, ReadLimits

CELLS = st.text(alphabet="abcXYZ019 '=+-@.£é\t;", max_size=6)


def strict_frame(path, warnings: list | None = None) -> pl.DataFrame:
    """The frame of the row-by-row reader alone."""
    original = reading._plain_csv_frame
    try:
        reading._plain_csv_frame = lambda data, limits: None
        return read_frame(path, warnings=warnings)
    finally:
        reading._plain_csv_frame = original


@st.composite
def csv_texts(draw: st.DrawFn) -> bytes:
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    width = draw(st.integers(1, 5))
    names = draw(st.lists(CELLS, min_size=width, max_size=width))
    rows = draw(st.lists(st.lists(CELLS, min_size=width, max_size=width), max_size=8))
    lines = [delimiter.join(names)] + [delimiter.join(row) for row in rows]
    end = draw(st.sampled_from(["\n", "\r\n"]))
    text = end.join(lines) + draw(st.sampled_from(["", end]))
    data = text.encode("utf-8")
    return codecs.BOM_UTF8 + data if draw(st.booleans()) else data


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(csv_texts())
def test_the_plain_reading_gives_the_frame_the_row_reader_gives(tmp_path_factory, data) -> None:
    path = tmp_path_factory.mktemp("plain") / "posts.csv"
    path.write_bytes(data)
    plain = reading._plain_csv_frame(data, DEFAULT_LIMITS)
    strict_findings: list = []
    try:
        strict = strict_frame(path, strict_findings)
    except FormatError:
        with pytest.raises(FormatError):
            read_frame(path)
        return
    if plain is not None:
        findings: list = []
        assert read_frame(path, warnings=findings).equals(strict), (plain, strict)
        assert findings == strict_findings


def test_a_plain_file_takes_the_plain_reading() -> None:
    data = b"post_id,reports_to,fte\nCX,,1\nD1,CX,0.5\n"
    frame = reading._plain_csv_frame(data, DEFAULT_LIMITS)
    assert frame is not None
    assert frame.rows() == [("CX", None, "1", 2), ("D1", "CX", "0.5", 3)]


@pytest.mark.parametrize(
    "data",
    [
        b'post_id,title\nCX,"Chief, Executive"\n',  # quotes: the reader unquotes
        b"post_id,title\nCX\n",  # a short row: the reader names it
        b"post_id,title\nCX,Chief,extra\n",  # a long row
        b"post_id,title\n\nCX,Chief\n",  # a blank line keeps its row number
        b"post_id,title\rCX,Chief\r",  # carriage returns alone
        b"post_id,title\nCX,Chi\x00ef\n",  # a NUL byte
        "post_id,title\nCX,Chief\n".encode("utf-16"),  # not UTF-8
        b"post_id,title\n" + b"CX,Chief\n" * 11,  # past the row limit below
    ],
)
def test_anything_else_is_left_to_the_row_reader(data) -> None:
    limits = ReadLimits(max_rows=10)
    assert reading._plain_csv_frame(data, limits) is None
