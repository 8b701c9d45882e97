"""Generated hostile files for the fuzz tests: CSV text and workbooks of any shape.

The strategies make what a careless export or a hostile user could send:
encodings (UTF-8 with and without a BOM, UTF-16 with and without one,
cp1252), delimiters, ragged rows, blank lines, repeated header rows, quotes
left open, NUL bytes, formulas, cells longer than a spreadsheet allows,
numbers no reader should take at face value, truncated and lying workbooks,
and names whose extension does not say what the file is.
"""

from __future__ import annotations

import codecs

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from tests import hostile

#: Numbers written the ways that trip readers up.
NASTY_NUMBERS = [
    "1e300",
    "-1e300",
    "1E308",
    "1e-300",
    "NaN",
    "nan",
    "inf",
    "-inf",
    "Infinity",
    "-0",
    "0,5",
    "(12)",
    "£1,234",
    "1,234.56",
    "12%",
    "٣",
    "0x1F",
    "1_000",
    "99999999999999999999999",
]

SHORT_NASTY_TEXT = st.one_of(
    st.sampled_from(
        [
            "",
            "PEO",
            '=HYPERLINK("https://example.com","x")',
            "+1+1",
            "-2",
            "@SUM(A1)",
            "\tTAB",
            '"unterminated',
            "a,b",
            "x\x00y",
            "<a href='https://example.com'>sign in again</a>",
            "\u202eevil",
            "=1+1",
            "TRUE",
            "2024-03-14",
            "\ufeffpost_id",
            *NASTY_NUMBERS,
        ]
    ),
    st.text(max_size=30),
)
#: Cells of any kind, one longer than a spreadsheet allows among them.
NASTY_TEXT = st.one_of(SHORT_NASTY_TEXT, st.just("x" * 40_000))


@st.composite
def csv_files(draw: st.DrawFn, header: tuple[str, ...]) -> tuple[str, bytes]:
    """CSV text of any shape: encodings, delimiters, ragged rows, quotes, NULs, width."""
    columns = list(header) if draw(st.booleans()) else draw(st.lists(NASTY_TEXT, max_size=8))
    if draw(st.booleans()):
        columns += [f"extra{i}" for i in range(draw(st.integers(0, 120)))]
    repeat = draw(st.sampled_from([1, 1, 1, 50, 500]))
    # Repeated rows are short, so that no generated file is more than a few megabytes.
    cells = NASTY_TEXT if repeat == 1 else SHORT_NASTY_TEXT
    rows = draw(
        st.lists(st.lists(cells, min_size=0, max_size=len(columns) + 3), min_size=0, max_size=30)
    )
    delimiter = draw(st.sampled_from([",", ",", "\t", ";"]))
    quote = draw(st.booleans())
    lines = [delimiter.join(columns)]
    for row in rows * repeat:
        cells = [f'"{cell}"' if quote and '"' not in cell else cell for cell in row]
        lines.append(delimiter.join(cells))
    # Blank lines and the header again, as when files are pasted together.
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(1, len(lines)))
        lines.insert(at, draw(st.sampled_from(["", "", delimiter * len(columns), lines[0]])))
    text = draw(st.sampled_from(["\n", "\r\n", "\r"])).join(lines)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1252"]))
    data = text.encode(encoding, errors="replace")
    if encoding == "utf-16-le" and draw(st.booleans()):
        data = codecs.BOM_UTF16_LE + data
    if draw(st.integers(0, 9)) == 0:
        data = data[: draw(st.integers(0, len(data)))]
    name = draw(st.sampled_from(["file.csv", "file.csv", "file.xlsx", "file.txt", "FILE.CSV"]))
    return name, data


@st.composite
def workbooks(draw: st.DrawFn, header: tuple[str, ...]) -> tuple[str, bytes]:
    """Workbooks built to break a reader, and some that are merely odd."""
    kind = draw(
        st.sampled_from(
            [
                "far",
                "lying",
                "repeated",
                "entities",
                "shared",
                "shared-bomb",
                "bad-reference",
                "truncated",
                "junk",
                "plain",
            ]
        )
    )
    if kind == "far":
        data = hostile.far_corner(draw(st.integers(1, 1_048_576)), draw(st.integers(1, 16_384)))
    elif kind == "lying":
        data = hostile.lying_dimension(draw(st.integers(1, 80)), draw(st.integers(1, 60)))
    elif kind == "repeated":
        values = draw(st.lists(SHORT_NASTY_TEXT, min_size=len(header), max_size=len(header)))
        data = hostile.repeated_rows(draw(st.integers(1, 3_000)), header, values)
    elif kind == "entities":
        data = hostile.entity_bomb(draw(st.integers(1, 9)))
    elif kind == "shared":
        data = hostile.shared_string_out_of_range()
    elif kind == "shared-bomb":
        data = hostile.shared_string_bomb(draw(st.integers(1, 4_000)), draw(st.integers(1, 40_000)))
    elif kind == "bad-reference":
        nasty = st.sampled_from(["²", "١", "9" * 4_300, "-1", "0x1", "1e3", ""])
        row = draw(st.one_of(st.just("1"), nasty, st.text(max_size=8)))
        ref = draw(st.one_of(st.just("A1"), nasty.map(lambda r: "A" + r), st.text(max_size=8)))
        data = hostile.bad_reference(row, ref)
    elif kind == "truncated":
        whole = hostile.far_corner(2, 2)
        data = whole[: draw(st.integers(0, len(whole) - 1))]
    elif kind == "junk":
        data = draw(st.binary(max_size=2_000))
    else:
        rows = draw(st.lists(st.lists(NASTY_TEXT, max_size=len(header)), max_size=20))
        body = [(1, list(enumerate(header, start=1)))]
        body += [(n, list(enumerate(r, start=1))) for n, r in enumerate(rows, start=2)]
        data = hostile.workbook(hostile.sheet(body))
    name = draw(st.sampled_from(["book.xlsx", "book.xlsx", "book.xlsm", "book.csv"]))
    return name, data


def files(header: tuple[str, ...]) -> st.SearchStrategy[tuple[str, bytes]]:
    return st.one_of(csv_files(header), workbooks(header))


def fuzz_settings(max_examples: int) -> settings:
    """Settings for a fuzz test: a fixed number of examples, the same each run, no deadline."""
    return settings(
        max_examples=max_examples,
        deadline=None,
        derandomize=True,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.large_base_example,
        ],
    )
