"""Bug rows for a `VirtualTable`, paged from SQLite so a list of 100,000 costs a page."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from textual.content import Content

from opstui.data.bug_queries import BugListRow, BugQuery
from opstui.data.repository import Repository
from opstui.domain.enums import BugStatus, Priority
from opstui.widgets.problem_marks import mark_problems
from opstui.widgets.virtual_table import Column, Row, text_cell

PAGE_SIZE = 100
FIRST_PAGES = 3
FIRST_ROWS = FIRST_PAGES * PAGE_SIZE
"""The rows a list reads first, in one query (a sort runs once for the cursor's row and
the rows around it); a title filter with more matches is counted afterwards."""

PRIORITY_STYLES = {
    Priority.P0: "bold $error reverse",
    Priority.P1: "bold $error",
    Priority.P2: "$warning",
    Priority.P3: "dim",
}

COLUMNS = (
    Column("mark", "", 1),
    Column("id", "#", 7, align="right"),
    Column("priority", "Pri", 4),
    Column("title", "Title", 40, min_width=20, max_width=60),
    Column("company", "Company", 10, drop=1),
    Column("status", "Status", 11),
    Column("assignee", "Assignee", 14, drop=2),
    Column("opened", "Age", 5, align="right"),
    Column("flags", "Flags", 14, drop=3),
)


def bug_row(bug: BugListRow, today: date, marked: Callable[[str], bool]) -> Row:
    """The table row of one bug: all text from the workspace goes through `text_cell`."""
    key = f"bug:{bug.id}"
    flags: list[Content] = []
    if bug.security:
        flags.append(Content.styled("security", "bold $error"))
    if bug.needs_analysis:
        flags.append(Content.styled("analysis?", "$warning"))
    if bug.snoozed_until is not None and bug.snoozed_until > today:
        flags.append(Content.styled(f"zz {bug.snoozed_until:%b %d}", "dim"))
    age = max(0, (today - bug.opened_at.date()).days)  # opened after the as-of date: new
    done = bug.status in (BugStatus.RESOLVED, BugStatus.CLOSED, BugStatus.DUPLICATE)
    row = Row(
        key=key,
        cells=(
            Content.styled("●", "bold $secondary") if marked(key) else Content(" "),
            Content(str(bug.id)),
            Content.styled(bug.priority.value, PRIORITY_STYLES[bug.priority])
            if bug.priority
            else Content.styled("new", "italic $accent"),
            text_cell(bug.title),
            text_cell(bug.company),
            Content(bug.status.value),
            text_cell(bug.assignee),
            Content(f"{age}d"),
            Content(" ").join(flags),
        ),
        style="dim" if done else "",
    )
    return mark_problems(row, bug.problems, COLUMNS)


class BugPages:
    """A `RowSource` over a `BugQuery`: counts in SQL, fetches and caches pages of rows."""

    def __init__(
        self,
        repo: Repository,
        query: BugQuery,
        today: date,
        marked: Callable[[str], bool],
    ) -> None:
        self.repo = repo
        self.query = query
        self.today = today
        self.marked = marked
        self._count: int | None = None
        self._counting = False
        """The count is left for later: the length is the first rows', all read."""
        self._pages: dict[int, list[BugListRow]] = {}

    def __len__(self) -> int:
        if self._count is not None:
            return self._count
        return FIRST_ROWS if self._counting else self.exact_length()

    def count_later(self) -> bool:
        """Whether the count is left for later (`counted`): a title filter's count tests
        every title it matches, 80 ms of 1,000,000 bugs, and its first rows can show
        before. Until then the length is the rows read."""
        if self._count is not None or self._counting or not self.query.text.split():
            return False
        read = len(self.bugs(0, FIRST_ROWS))
        if read < FIRST_ROWS:
            self._count = read  # every match is read
            return False
        self._counting = True
        return True

    @property
    def counting(self) -> bool:
        return self._count is None and self._counting

    def counted(self, count: int) -> None:
        self._count = count

    def exact_length(self) -> int:
        """The count, now: counted here if it was left for later."""
        if self._count is None:
            self._count = self.repo.bug_list_count(self.query, self.today)
        return self._count

    def _page(self, number: int) -> list[BugListRow]:
        page = self._pages.get(number)
        if page is None:
            page = self.repo.bug_list_page(self.query, self.today, number * PAGE_SIZE, PAGE_SIZE)
            self._pages[number] = page
        return page

    def _fetch(self, numbers: range) -> None:
        """Read consecutive pages in one query: a sort runs once for all of them."""
        rows = self.repo.bug_list_page(
            self.query, self.today, numbers.start * PAGE_SIZE, len(numbers) * PAGE_SIZE
        )
        for index, number in enumerate(numbers):
            self._pages[number] = rows[index * PAGE_SIZE : (index + 1) * PAGE_SIZE]

    def bugs(self, start: int, stop: int) -> list[BugListRow]:
        found: list[BugListRow] = []
        numbers = range(start // PAGE_SIZE, (max(stop, start + 1) - 1) // PAGE_SIZE + 1)
        missing = [number for number in numbers if number not in self._pages]
        if missing and missing[0] < FIRST_PAGES:  # the first pages come in one query
            self._fetch(range(missing[0], max(missing[-1] + 1, FIRST_PAGES)))
        elif len(missing) > 1:
            self._fetch(range(missing[0], missing[-1] + 1))
        for number in numbers:
            page = self._page(number)
            base = number * PAGE_SIZE
            found.extend(page[max(0, start - base) : max(0, stop - base)])
        return found

    def rows(self, start: int, stop: int) -> Sequence[Row]:
        return [bug_row(bug, self.today, self.marked) for bug in self.bugs(start, stop)]

    def bug_at(self, index: int) -> BugListRow | None:
        found = self.bugs(index, index + 1)
        return found[0] if found else None
