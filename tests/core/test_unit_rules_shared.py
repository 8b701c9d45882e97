"""The unit form and the units import accept exactly the same codes and names.

Both take each rule (pattern, length) from the one declaration in
core/columns.py, so no code the form refuses can come in through a file.
"""

from __future__ import annotations

import pytest

from goldenthread.core.columns import UNIT_COLUMNS
from goldenthread.core.forms import UnitForm
from goldenthread.kit.importing import CellError, read_cell
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

CODES = [
    "PEO",
    "peo-asc_1.2",
    "-PEO",
    ".PEO",
    "=1+1",
    "'=1+1",
    "PEO\n",
    "PEO\nX",
    "PE O",
    "PEO/ASC",
    "Ｐ１",  # full-width letters and digits
    "١٢",  # Arabic-Indic digits
    "PEO\u200b",
    "P" * 40,
    "P" * 41,
]
NAMES = ["People", "N" * 200, "N" * 201, "=HYPERLINK(1)"]


def _import_accepts(column: str, value: str) -> bool:
    try:
        read_cell(UNIT_COLUMNS.get(column), value)
    except CellError:
        return False
    return True


def _form_accepts(field: str, value: str) -> bool:
    data = {"name": "People", "code": "PEO", "kind": "service", field: value}
    form = UnitForm(data, organisation=OrganisationFactory())
    form.is_valid()
    return field not in form.errors


@pytest.mark.parametrize("code", CODES)
def test_the_form_and_the_import_agree_on_a_code(code: str) -> None:
    assert _form_accepts("code", code) == _import_accepts("code", code)


@pytest.mark.parametrize("name", NAMES)
def test_the_form_and_the_import_agree_on_a_name(name: str) -> None:
    assert _form_accepts("name", name) == _import_accepts("name", name)


def test_a_code_with_a_line_break_inside_is_refused_by_both() -> None:
    assert not _form_accepts("code", "PEO\nX")
    assert not _import_accepts("code", "PEO\nX")
