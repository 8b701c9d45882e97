"""Django's en-GB formats, set to the GOV.UK style guide's dates.

A date is "14 March 2024" (day, month in full, year), and a moment is that
date with its time, "14 March 2024 at 14:05". Templates show a date with
``{{ value|date }}`` and a moment with ``{{ value|date:"DATETIME_FORMAT" }}``,
so every page writes them the same way.
"""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = r"j F Y \a\t H:i"
SHORT_DATE_FORMAT = "j F Y"
SHORT_DATETIME_FORMAT = r"j F Y \a\t H:i"
