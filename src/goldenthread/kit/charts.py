"""Chart data: every text a chart shows is escaped where the figure is built.

plotly.js reads a subset of HTML in the texts it draws (labels, hover text,
titles, tick labels): ``<a href>`` becomes a live link, ``<b>``, ``<span
style>`` and ``<br>`` are obeyed. Unit names, post titles and IDs come from
uploads and forms, so a name such as ``<a href="https://…">Session expired:
sign in again</a>`` would be drawn as a real link. Every text handed to
plotly therefore goes through :func:`chart_text`, which escapes the markup;
plotly turns the entities back into characters and draws them as plain text,
so the name is shown exactly as it was typed.

>>> chart_text('<a href="https://x.example">Sign in</a>')
'&lt;a href="https://x.example"&gt;Sign in&lt;/a&gt;'
>>> chart_text("Finance & Resources")
'Finance &amp; Resources'
>>> chart_nodes([{"id": "<b>", "label": "<b>", "value": 3}], ("id", "label"))
[{'id': '&lt;b&gt;', 'label': '&lt;b&gt;', 'value': 3}]
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

__all__ = ["chart_nodes", "chart_text", "count_axis"]


def chart_text(value: object) -> str:
    """``value`` as text plotly draws as it is: its markup escaped.

    Only ``&``, ``<`` and ``>`` are escaped: without a ``<`` there is no tag,
    and those three are the entities plotly's text renderer decodes.

    >>> print(chart_text('Say "<i>"'))
    Say "&lt;i&gt;"
    """
    return html.escape("" if value is None else str(value), quote=False)


def chart_nodes(nodes: Iterable[Mapping[str, Any]], texts: Sequence[str]) -> list[dict[str, Any]]:
    """Copies of ``nodes`` with each of the keys ``texts`` escaped by :func:`chart_text`.

    Escaping ids and parents alike keeps a tree's references intact.
    """
    return [
        {key: chart_text(value) if key in texts else value for key, value in node.items()}
        for node in nodes
    ]


def count_axis(largest: float, ticks: int = 5) -> dict[str, Any]:
    """A plotly axis for counts: whole-number ticks only, from zero, about ``ticks`` of them.

    Left to itself plotly puts a tick at 0.5 when the largest count is small,
    and nobody has half a manager. The step is 1, 2 or 5 times a power of ten.

    >>> count_axis(3)["dtick"], count_axis(12)["dtick"], count_axis(480)["dtick"]
    (1, 5, 100)
    >>> count_axis(0)
    {'tick0': 0, 'dtick': 1, 'tickformat': ',d', 'rangemode': 'tozero'}
    """
    scale = 1
    while True:
        for multiple in (1, 2, 5):
            step = multiple * scale
            if largest <= step * ticks:
                return {"tick0": 0, "dtick": step, "tickformat": ",d", "rangemode": "tozero"}
        scale *= 10
