"""Text cells a spreadsheet will never run as a formula, and back.

A spreadsheet treats a cell typed or read from CSV that begins with ``=``,
``+``, ``-`` or ``@`` as a formula, and a tab or carriage return in front
lets one through some importers (OWASP "CSV injection"). A unit name such as
``=HYPERLINK("http://example.com","Click")`` exported as it is would become a
live link, or worse, in the officer's spreadsheet.

The rule, applied to every text cell goldenthread writes (XLSX and CSV):

* **On export**, a text that begins with one of ``=`` ``+`` ``-`` ``@``, tab
  or carriage return, after any number of single quotes, gets one single
  quote (``'``) in front. A spreadsheet shows it as text and never runs it.
* **On import**, a text that begins with one or more single quotes followed
  by one of those characters loses its first single quote.

So every text comes back exactly as it went out, including one that began
with a quote itself (``'=x`` is written ``''=x`` and read back as ``'=x``).
Numbers are never changed: ``-2`` written as a number is a number, not text.

>>> neutralise('=HYPERLINK("http://x","y")')
'\\'=HYPERLINK("http://x","y")'
>>> unneutralise(neutralise("-2+3"))
'-2+3'
>>> neutralise("People and Communities")
'People and Communities'
"""

from __future__ import annotations

import re

__all__ = ["FORMULA_STARTS", "QUOTED_PATTERN", "neutralise", "unneutralise"]

#: The first characters that make a spreadsheet read a cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

_CLASS = "[" + re.escape("".join(FORMULA_STARTS)) + "]"
_NEEDS_QUOTE = re.compile(f"'*{_CLASS}")
_QUOTED = re.compile(f"'+{_CLASS}")
#: :func:`unneutralise` as a regular expression for vectorised readers
#: (polars ``str.replace``): replace a match with ``$1``.
QUOTED_PATTERN = f"^'('*{_CLASS})"


def neutralise(text: str) -> str:
    """``text`` with a single quote in front if a spreadsheet could run it.

    >>> [neutralise(t) for t in ("+1+1", "@SUM(A1)", "\\tcmd", "'=x", "'quoted", "")]
    ["'+1+1", "'@SUM(A1)", "'\\tcmd", "''=x", "'quoted", '']
    """
    if _NEEDS_QUOTE.match(text):
        return "'" + text
    return text


def unneutralise(text: str) -> str:
    """The text :func:`neutralise` was given, from the text it returned.

    >>> [unneutralise(t) for t in ("'+1+1", "''=x", "'quoted", "it's", "-5")]
    ['+1+1', "'=x", "'quoted", "it's", '-5']
    """
    if _QUOTED.match(text):
        return text[1:]
    return text
