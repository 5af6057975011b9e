"""`opstui import WORKSPACE FILE`: its options, its progress line and its summary.

Never imports Textual (scripts and cron run it). The work is `opstui.data.importing`'s.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import time
from pathlib import Path
from typing import TextIO

KINDS = ("bugs", "customers", "nps", "feedback", "projects")
FORMATS = ("jira", "linear", "github", "csv")
PROBLEMS_PRINTED = 100
"""Bad rows listed on stderr; the rest are counted."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("workspace", type=Path, help="the workspace file (must exist)")
    parser.add_argument("file", type=Path, help="the export to import (CSV or JSON)")
    parser.add_argument(
        "--format",
        choices=FORMATS,
        help="what wrote the file (default: told from its header or JSON shape)",
    )
    parser.add_argument(
        "--kind",
        choices=KINDS,
        help="what a generic CSV holds (default: told from its columns)",
    )
    parser.add_argument(
        "--company",
        metavar="NAME",
        help="the company of rows that name none (created if missing)",
    )
    parser.add_argument(
        "--map",
        dest="mapping",
        metavar="COLUMN=FIELD,…",
        type=_mapping,
        default={},
        help="name the file's columns for a generic CSV, e.g. 'Account=name,Owner=csm'",
    )
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="print exactly what would change and write nothing",
    )
    parser.add_argument(
        "--skip-bad",
        action="store_true",
        help="import the good rows and list the bad ones (default: a bad row imports nothing)",
    )


def _mapping(text: str) -> dict[str, str]:
    from opstui.data.importing.generic import parse_mapping

    try:
        return parse_mapping(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


class ProgressLine:
    """Rows read, rows per second and the time left, redrawn on one line of a terminal."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.started = time.monotonic()
        self.shown = False

    def __call__(self, rows: int, done: int, size: int) -> None:
        elapsed = max(time.monotonic() - self.started, 1e-6)
        rate = rows / elapsed
        left = ""
        if 0 < done < size:
            left = f" · about {max(elapsed * (size - done) / done, 0):.0f} s left"
        self.stream.write(f"\r\x1b[K  {rows:,} rows · {rate:,.0f} rows/s{left}")
        self.stream.flush()
        self.shown = True

    def clear(self) -> None:
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()


def run(args: argparse.Namespace) -> int:
    """Import (or dry-run) one file; returns the exit code. Failures raise, worded."""
    from opstui.cli import CommandError
    from opstui.data.config import load_config
    from opstui.data.importing import (
        BadRowsError,
        ImportOptions,
        Kind,
        SourceError,
        import_file,
    )
    from opstui.data.importing.words import headline, summary_lines
    from opstui.data.repository import Repository
    from opstui.data.workspace import NOTHING_CHANGED, explain_failure

    config = load_config()
    workspace: Path = args.workspace
    options = ImportOptions(
        format=args.format,
        kind=Kind(args.kind) if args.kind else None,
        company=args.company,
        mapping=args.mapping,
        skip_bad=args.skip_bad,
        rules=config.imports,
    )
    # Checked before the workspace is opened: a missing file changes nothing anywhere.
    if not args.file.exists():
        raise CommandError(f"{args.file}: no such file; nothing was imported")
    repo = Repository.open_readonly(workspace) if args.dry_run else Repository.open(workspace)
    if not args.dry_run:
        from opstui.data.identity import login_name, named_user

        repo.record_history(named_user(args.user, config) or login_name())
    progress = ProgressLine(sys.stderr) if _is_terminal(sys.stderr) else None
    try:
        report = import_file(
            repo,
            args.file,
            options,
            dry_run=args.dry_run,
            on_change=(lambda change: print(change)) if args.dry_run else None,
            progress=progress,
        )
    except BadRowsError as error:
        if progress is not None:
            progress.clear()
        return _bad_rows(error, args)
    except SourceError as error:
        raise CommandError(str(error)) from None
    except sqlite3.Error as error:
        raise explain_failure(workspace, error, NOTHING_CHANGED) from None
    finally:
        if progress is not None:
            progress.clear()
        repo.close()
    print(headline(report, workspace.name))
    for line in summary_lines(report):
        print(f"  {line}")
    if report.problems:
        print("bad rows, not imported:" if not args.dry_run else "bad rows, left out:")
        for problem in report.problems[:PROBLEMS_PRINTED]:
            print(f"  {problem}")
        _more(report.problem_count, sys.stdout)
    return 0


def _bad_rows(error: object, args: argparse.Namespace) -> int:
    from opstui.data.importing import BadRowsError

    assert isinstance(error, BadRowsError)
    report = error.report
    good = report.rows - report.problem_count - sum(report.skip_reasons.values())
    advice = f"--skip-bad imports the {good:,} good row{'s' if good != 1 else ''}"
    outcome = "nothing would be imported" if args.dry_run else "nothing was imported"
    name = args.file
    if report.problem_count == 1:
        print(f"opstui: error: {name}: {report.problems[0]}; {outcome} ({advice})", file=sys.stderr)
        return 1
    for problem in report.problems[:PROBLEMS_PRINTED]:
        print(f"  {problem}", file=sys.stderr)
    _more(report.problem_count, sys.stderr)
    print(
        f"opstui: error: {name}: {report.problem_count:,} bad rows (listed above); {outcome} "
        f"({advice})",
        file=sys.stderr,
    )
    return 1


def _more(count: int, stream: TextIO) -> None:
    if count > PROBLEMS_PRINTED:
        print(f"  … and {count - PROBLEMS_PRINTED:,} more", file=stream)


def _is_terminal(stream: TextIO | None) -> bool:
    try:
        return stream is not None and stream.isatty()
    except (OSError, ValueError):
        return False
