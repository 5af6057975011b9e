"""A file read as one source of records: which tool wrote it, what it holds, the records,
and the column each model field comes from (for messages)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from opstui.data.importing.records import Item, Kind


@dataclass(slots=True)
class Reading:
    format: str
    """The `--format` word: jira, linear, github or csv."""
    title: str
    """What the file is, for the summary: "Jira CSV export"."""
    kind: Kind
    items: Iterator[Item]
    columns: dict[str, str]
    """The file's column behind each model field or reference (`title` → `Summary`)."""

    def column(self, name: str) -> str:
        return self.columns.get(name, name)


def labels_of(cells: list[str], prefix: str) -> list[str]:
    """The names after `prefix` (`customer:`) among labels, as written."""
    size = len(prefix)
    folded = prefix.casefold()
    return [
        label[size:].strip()
        for label in cells
        if label[:size].casefold() == folded and label[size:].strip()
    ]
