"""A Jira issue CSV export of any length, shaped like the real one, for the import figures.

The columns of "Export CSV (all fields)" with its repeated `Labels`, `Watchers`, `Sprint` and
`Comment` columns, dates like `05/Apr/26 11:03 AM`, multi-line descriptions, a few hundred
assignees, some stories among the bugs. The same length gives the same bytes.
"""

from __future__ import annotations

import csv
import hashlib
import os
import random
from datetime import datetime, timedelta
from pathlib import Path

HEADER = [
    *("Summary", "Issue key", "Issue id", "Issue Type", "Status", "Project key"),
    *("Project name", "Project type", "Priority", "Resolution", "Assignee", "Reporter"),
    *("Creator", "Created", "Updated", "Last Viewed", "Resolved", "Component/s", "Due date"),
    *("Labels", "Labels", "Labels", "Description", "Environment", "Watchers", "Watchers"),
    *("Sprint", "Sprint", "Custom field (Story Points)", "Comment", "Comment"),
]
_SUBJECTS = (
    "Checkout",
    "Invoice export",
    "Login",
    "Search",
    "Dashboard",
    "Webhook",
    "Report builder",
    "Mobile sync",
    "Billing page",
    "Notifications",
)
_PROBLEMS = (
    "times out",
    "shows the wrong total",
    "crashes on save",
    "is slow with many rows",
    "loses the filter",
    "sends duplicate emails",
    "ignores the time zone",
    "fails for accented names",
)
_PRIORITIES = ("Highest", "High", "Medium", "Medium", "Low", "Lowest", "")
_STATES = (
    ("To Do", ""),
    ("In Progress", ""),
    ("Done", "Done"),
    ("Closed", "Won't Do"),
    ("Closed", "Duplicate"),
    ("To Do", ""),
)
_START = datetime(2024, 1, 1, 8, 0)


def _jira_date(moment: datetime) -> str:
    return moment.strftime("%d/%b/%y %I:%M %p").replace(" 0", " ", 1)


def write_jira_csv(path: Path, rows: int, seed: int = 12) -> Path:
    """Write a Jira export of `rows` issues to `path`."""
    rng = random.Random(seed)
    people = [f"Engineer {number:03d}" for number in range(250)]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(HEADER)
        for number in range(1, rows + 1):
            created = _START + timedelta(minutes=rng.randrange(0, 60 * 24 * 900))
            updated = created + timedelta(hours=rng.randrange(1, 400))
            status, resolution = rng.choice(_STATES)
            resolved = _jira_date(updated) if resolution or status == "Done" else ""
            kind = "Story" if number % 50 == 0 else "Bug"
            title = f"{rng.choice(_SUBJECTS)} {rng.choice(_PROBLEMS)} ({number})"
            lines = ["Steps to reproduce:", "1. Open the page", "2. Do the thing"]
            description = "\n".join(lines) if number % 5 == 0 else f"Seen by support on {title}."
            labels = [rng.choice(("backend", "frontend", "api", "ui")), "", ""]
            if number % 40 == 0:
                labels[1] = "security"
            comments = ["", ""]
            if number % 3 == 0:
                author = rng.choice(people).lower().replace(" ", ".")
                comments[0] = f"{_jira_date(updated)};{author};Looked into it; see the logs."
            writer.writerow(
                [
                    title,
                    f"SHOP-{number}",
                    str(10_000 + number),
                    kind,
                    status,
                    "SHOP",
                    "Shop",
                    "software",
                    rng.choice(_PRIORITIES),
                    resolution,
                    rng.choice(people) if number % 7 else "",
                    "Reporter One",
                    "Reporter One",
                    _jira_date(created),
                    _jira_date(updated),
                    "",
                    resolved,
                    "Web",
                    "",
                    *labels,
                    description,
                    "",
                    "reporter.one",
                    "",
                    f"SHOP Sprint {number % 30}",
                    "",
                    str(rng.choice((1, 2, 3, 5, 8))),
                    *comments,
                ]
            )
    return path


def cached_jira_csv(rows: int, cache: Path) -> Path:
    """The cached export of `rows` issues, written first if needed (keyed by this module)."""
    digest = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:12]
    cache.mkdir(parents=True, exist_ok=True)
    path = cache / f"jira-{rows}-{digest}.csv"
    if not path.exists():
        partial = cache / f".{path.name}.{os.getpid()}.partial"
        write_jira_csv(partial, rows)
        partial.replace(path)
    return path
