"""Reading one cell of another tool's export: dates in its own shapes, numbers, yes/no,
names compared the way people write them, and the formula guard spreadsheets add.

Every reader raises `CellError` with the words a user reads after the line and column:
"line 214, Created: '31/Feb/26' is not a date".
"""

from __future__ import annotations

import re
from datetime import date, datetime

from opstui.domain.wording import problem_in_words, quoted


class CellError(ValueError):
    """A cell that cannot be read; the message says why, in the user's words."""


_MONTHS = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
        start=1,
    )
}
# Jira's date shape: `05/Apr/26 11:03 AM` (dd/MMM/yy h:mm a), with or without the time.
_JIRA = re.compile(
    r"(\d{1,2})/([A-Za-z]{3})/(\d{2}|\d{4})"
    r"(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*([AaPp])\.?[Mm]\.?)?)?"
)
JIRA_EXAMPLE = "05/Apr/26 11:03 AM"

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""What makes a spreadsheet read a cell as a formula."""


def unguarded(text: str) -> str:
    """`text` without the `'` a spreadsheet export puts before formula-looking text
    (Linear's CSV, opstui's own): `'=SUM(A1)` is the title `=SUM(A1)`."""
    if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_START:
        return text[1:]
    return text


def name_key(text: str) -> str:
    """A name as compared: without case, `_` and runs of spaces as one space (Jira labels
    cannot hold spaces: `customer:Meridian_Bank`)."""
    return " ".join(re.sub(r"[_\s]+", " ", text).split()).casefold()


def _naive(moment: datetime) -> datetime:
    """A moment in local time, to the second, as every time in a workspace is kept."""
    if moment.tzinfo is not None:
        moment = moment.astimezone().replace(tzinfo=None)
    return moment.replace(microsecond=0)


def iso_datetime(text: str) -> datetime:
    """`2026-04-05T11:03:00Z`, `2026-04-05T11:03:00.000+02:00`, `2026-04-05 11:03` or a
    plain date; UTC and offsets become local time."""
    value = text.strip()
    try:
        if len(value) <= 10:
            return datetime.combine(date.fromisoformat(value), datetime.min.time())
        return _naive(datetime.fromisoformat(value))
    except ValueError:
        pass
    day = value[:10]
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", day):
        try:
            date.fromisoformat(day)
        except ValueError:
            raise CellError(_not_a_date(day)) from None
    raise CellError(f"{quoted(value)} is not a date and time (YYYY-MM-DD HH:MM)")


def iso_date(text: str) -> date:
    """`2026-04-05`, or the date of a date and time."""
    value = text.strip()
    try:
        return date.fromisoformat(value) if len(value) <= 10 else iso_datetime(value).date()
    except ValueError:
        raise CellError(_not_a_date(value)) from None


def _not_a_date(value: str) -> str:
    return problem_in_words({"type": "date_parsing", "loc": ("date",), "input": value}, None)


def jira_datetime(text: str) -> datetime:
    """A Jira export's date: `05/Apr/26 11:03 AM` (also `5/Apr/2026 23:03` and a plain
    `05/Apr/26`); ISO dates are read too."""
    value = text.strip()
    match = _JIRA.fullmatch(value)
    if match is None:
        if re.match(r"\d{4}-\d{2}-\d{2}", value):
            return iso_datetime(value)
        raise CellError(f"{quoted(value)} is not a date (like {JIRA_EXAMPLE})")
    day, month_name, year_text, hour, minute, second, half = match.groups()
    month = _MONTHS.get(month_name.casefold())
    if month is None:
        raise CellError(f"{quoted(value)} is not a date: no month {quoted(month_name)}")
    year = int(year_text) + (2000 if len(year_text) == 2 else 0)
    hours = int(hour or 0)
    if half is not None:
        if not 1 <= hours <= 12:
            raise CellError(f"{quoted(value)} is not a time of day")
        hours = hours % 12 + (12 if half in "Pp" else 0)
    try:
        return datetime(year, month, int(day), hours, int(minute or 0), int(second or 0))
    except ValueError:
        try:
            date(year, month, int(day))
        except ValueError:
            raise CellError(f"{quoted(value)} is not a date") from None
        raise CellError(f"{quoted(value)} is not a time of day") from None


def number(text: str) -> float:
    """`120000`, `120,000`, `$120,000.50`, `12.5k`: a number as people type it."""
    value = text.strip().replace(",", "").replace("_", "").removeprefix("$").strip()
    scale = 1.0
    if value[-1:] in ("k", "K"):
        value, scale = value[:-1], 1_000.0
    elif value[-1:] in ("m", "M"):
        value, scale = value[:-1], 1_000_000.0
    try:
        return float(value) * scale
    except ValueError:
        raise CellError(f"{quoted(text.strip())} is not a number") from None


def whole(text: str) -> int:
    """A whole number (`12`, `1,200`)."""
    amount = number(text)
    if amount != int(amount):
        raise CellError(f"{quoted(text.strip())} is not a whole number")
    return int(amount)


_YES = {"yes", "y", "true", "1", "x", "✓"}
_NO = {"no", "n", "false", "0", "-"}


def yes_no(text: str) -> bool:
    word = text.strip().casefold()
    if word in _YES:
        return True
    if word in _NO:
        return False
    raise CellError(f"{quoted(text.strip())} is not yes or no")
