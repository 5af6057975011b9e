"""The repository: the only code that reads or writes a workspace's SQLite tables.

Models go in and come out; aggregates are computed in SQL. Every public method that writes
is one transaction, so a user action is stored whole or not at all.

It reads like a map: `store.Store` holds what every part shares (the connection, the generic
reads and writes, edits that never overwrite a newer one, who changed what); one class per
aggregate builds on it — `PortfolioRecords`, `BugRecords`, `CustomerRecords` and
`ReviewRecords` — and `Repository` is all of them.
"""

from __future__ import annotations

from opstui.data.bug_records import BugRecords
from opstui.data.customer_records import CustomerRecords
from opstui.data.portfolio_records import PortfolioRecords
from opstui.data.review_records import ReviewRecords
from opstui.data.store import KEYED_TABLES, TABLES, NotFoundError
from opstui.domain.history import StaleEditError

__all__ = ["KEYED_TABLES", "TABLES", "NotFoundError", "Repository", "StaleEditError"]


class Repository(PortfolioRecords, BugRecords, CustomerRecords, ReviewRecords):
    """A workspace opened for reading and writing."""
