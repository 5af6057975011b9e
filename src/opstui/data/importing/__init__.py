"""Bringing data in: bugs from Jira and Linear CSV exports and `gh issue list --json`, and
bugs, customers, NPS responses, feedback and projects from a generic CSV.

`import_file` reads the file (streamed; see `source`), tells which tool wrote it from its
header or JSON shape (`read_source`), turns each row into a record (`jira`, `linear`,
`github`, `generic`) and hands the records to `engine`, which writes them in one
transaction, or — a dry run — only says what would change. Every module here is free of
Textual: the command line and the app share it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from opstui.data.importing import generic, github, jira, linear
from opstui.data.importing.engine import (
    BadRowsError,
    Change,
    ImportOptions,
    ImportReport,
    Progress,
    Tally,
    run_import,
)
from opstui.data.importing.reading import Reading
from opstui.data.importing.records import Kind
from opstui.data.importing.source import NOTHING_IMPORTED, SourceError, SourceFile
from opstui.data.repository import Repository

FORMATS = ("jira", "linear", "github", "csv")
"""The `--format` words."""

__all__ = [
    "FORMATS",
    "BadRowsError",
    "Change",
    "ImportOptions",
    "ImportReport",
    "Kind",
    "SourceError",
    "Tally",
    "import_file",
    "read_source",
]


def read_source(source: SourceFile, options: ImportOptions) -> Reading:
    """The file as records of the tool that wrote it: `options.format` when given, else
    told from the JSON shape or the CSV header. Raises `SourceError` (one line)."""
    path = source.path
    wanted = options.format
    if source.is_json():
        if wanted not in (None, "github"):
            raise SourceError(f"{path}: JSON, not a {wanted} export; {NOTHING_IMPORTED}")
        items = source.json_items()
        first = next(items, None)
        if first is None:
            raise SourceError(f"{path}: an empty JSON list, {NOTHING_IMPORTED}")
        if not github.looks_like_gh(first[1]):
            raise SourceError(
                f"{path}: JSON, but not `gh issue list --json {github.FIELDS}` output "
                f"(line {first[0]} has no title and url); {NOTHING_IMPORTED}"
            )
        return github.read(_chain(first, items), options.rules)
    if wanted == "github":
        raise SourceError(f"{path}: not JSON, so not `gh issue list --json` output")
    header, rows = source.csv_rows()
    if wanted == "jira" or (wanted is None and jira.is_jira(header)):
        if not jira.is_jira(header):
            raise SourceError(
                f"{path}: not a Jira export (no 'Issue key' and 'Summary' columns); "
                f"{NOTHING_IMPORTED}"
            )
        return jira.read(header, rows, options.rules)
    if wanted == "linear" or (wanted is None and linear.is_linear(header)):
        if not linear.is_linear(header):
            raise SourceError(
                f"{path}: not a Linear export (no 'ID', 'Team', 'Title' and 'Status' "
                "columns); "
                f"{NOTHING_IMPORTED}"
            )
        return linear.read(header, rows, options.rules)
    kind = options.kind or generic.guess_kind(header, options.mapping)
    if kind is None:
        shown = ", ".join(name for name in header.names[:8] if name)
        raise SourceError(
            f"{path}: cannot tell what it holds (columns: {shown}); pass --kind "
            f"{'|'.join(k.value for k in Kind)} or --format jira|linear|github"
        )
    try:
        return generic.read(header, rows, kind, options.mapping)
    except SourceError as error:
        raise SourceError(f"{path}: {error}; {NOTHING_IMPORTED}") from None


def _chain(first: tuple[int, Any], rest: Iterator[tuple[int, Any]]) -> Iterator[tuple[int, Any]]:
    yield first
    yield from rest


def import_file(
    repo: Repository,
    path: Path,
    options: ImportOptions,
    *,
    dry_run: bool = False,
    on_change: Callable[[Change], None] | None = None,
    progress: Progress | None = None,
    keep_changes: int = 20,
) -> ImportReport:
    """Import the file at `path` into `repo`: all of it in one transaction, or nothing.

    Raises `SourceError` for a file that cannot be read as an export and `BadRowsError`
    (nothing written) for bad rows without `options.skip_bad`. A dry run writes nothing.
    """
    with SourceFile(path) as source:
        reading = read_source(source, options)
        return run_import(
            repo,
            reading,
            options,
            path=path,
            position=source.position,
            size=source.size,
            dry_run=dry_run,
            on_change=on_change,
            progress=progress,
            keep_changes=keep_changes,
        )
