"""A structure upload is read within the limits of the settings, header and layout too."""

from __future__ import annotations

from typing import Any

import pytest

from goldenthread.formats.reading import FormatError
from goldenthread.structure.engine import detect, header, read_upload


def test_the_header_of_an_upload_is_read_within_the_column_limit(settings: Any) -> None:
    data = b"Post ID,Reports to,Title\nP1,,Chief\n"
    assert header("posts.csv", data)[:3] == ["Post ID", "Reports to", "Title"]
    settings.GOLDENTHREAD_READ_MAX_COLUMNS = 2
    with pytest.raises(FormatError) as error:
        header("posts.csv", data)
    assert error.value.problems[0].message == "this file has 3 columns; at most 2 are read"


def test_an_upload_past_the_row_limit_is_refused(settings: Any) -> None:
    settings.GOLDENTHREAD_READ_MAX_ROWS = 3
    data = b"Level,JobTitle\n1,Chief\n2,Director\n2,Director\n3,Manager\n"
    with pytest.raises(FormatError) as error:
        read_upload(fmt="lga", filename="council.csv", data=data)
    assert error.value.problems[0].row == 5


def test_the_layout_of_a_utf16_semicolon_file_is_found() -> None:
    data = "PostUniqueReference;ReportsTo;Level;JobTitle\r\n1;;1;Chief\r\n".encode("utf-16")
    assert detect("council.csv", data) == "lga"
    data = "Post Unique Reference;Reports to Senior Post\r\nP1;XX\r\n".encode("utf-16")
    assert detect("senior.csv", data) == "organogram"
