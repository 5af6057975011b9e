"""Importing a file from a screen (`I` on the bugs and customers screens).

The file is asked for, the company its rows belong to when it names none, then the dry run is
shown (what would be created and updated, the first bad rows) and the import runs on confirm.
Reading the file, the dry run and the import each run in a worker thread on a connection of
their own to the same workspace, so the app never waits; the import is one transaction, like
`opstui import`. The screen reloads when it is done.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from opstui.data.importing import (
    BadRowsError,
    ImportOptions,
    ImportReport,
    Kind,
    SourceError,
    import_file,
    read_source,
)
from opstui.data.importing.source import SourceFile
from opstui.data.importing.words import headline, summary_lines
from opstui.data.repository import Repository
from opstui.data.workspace import WorkspaceError, explain_failure
from opstui.domain.records import choosable
from opstui.modals.import_preview import ImportPreview
from opstui.modals.picker import Picker
from opstui.modals.text_prompt import TextPrompt
from opstui.screens.base import OpsScreen

PROMPT = (
    "Import which file? A Jira or Linear CSV export, `gh issue list --json` output, or a CSV "
    "of bugs, customers, NPS responses, feedback or projects"
)
CHANGES_SHOWN = 12
PROBLEMS_SHOWN = 8
NO_COMPANY = ""
"""The picker's choice for bugs that belong to no company yet."""
_EXPECTED = (SourceError, WorkspaceError, OSError)


class ImportFlow:
    """One import, from the question to the reload; `done` reloads the screen."""

    def __init__(self, screen: OpsScreen, done: Callable[[], object]) -> None:
        self.screen = screen
        self.done = done
        self.workspace = screen.session.repo.path
        self.person = screen.session.repo.person
        self.day_shift = screen.session.day_shift
        self.options = ImportOptions(
            rules=screen.session.config.imports, today=screen.session.today
        )

    def start(self) -> None:
        if self.workspace is None:
            self.screen.notify("This workspace has no file to import into", severity="error")
            return
        self.screen.app.push_screen(TextPrompt(PROMPT), self._file_chosen)

    # -- steps on the app's thread -----------------------------------------------------------

    def _file_chosen(self, text: str | None) -> None:
        if text:
            self._work(lambda: self._inspect(Path(text).expanduser()))

    def _ask_company(self, path: Path, kind: Kind) -> None:
        companies = choosable(self.screen.session.repo.companies())
        if not companies:
            self._work(lambda: self._preview(path))
            return
        options = [(company.name, company.name) for company in companies]
        if kind is Kind.BUGS:
            options.append(("No company yet (c on the bugs screen sets it later)", NO_COMPANY))

        def chosen(name: str | None) -> None:
            if name is None:
                return  # cancelled: nothing was read into the workspace
            self.options = replace(self.options, company=name or None)
            self._work(lambda: self._preview(path))

        title = f"Which company do the {kind.value} in {path.name} belong to?"
        self.screen.app.push_screen(Picker(title, options), chosen)

    def _show_preview(self, path: Path, report: ImportReport) -> None:
        assert self.workspace is not None
        problems = [str(problem) for problem in report.problems[:PROBLEMS_SHOWN]]
        if report.problem_count > len(problems):
            problems.append(f"… and {report.problem_count - len(problems):,} more")
        writes = sum(tally.written for tally in report.tallies.values())
        good = report.rows - report.problem_count - sum(report.skip_reasons.values())
        if report.problem_count and good <= 0:
            confirm = None
        elif report.problem_count:
            confirm = f"Import the {good:,} good rows"
        else:
            confirm = "Import" if writes else None
        summary = summary_lines(report)
        if not writes and not report.problem_count:
            summary.append("Nothing to change: the workspace already holds this file.")

        def answered(go: bool | None) -> None:
            if go:
                self.options = replace(self.options, skip_bad=bool(report.problem_count))
                self._work(lambda: self._import(path))

        self.screen.app.push_screen(
            ImportPreview(
                headline(report, self.workspace.name),
                summary,
                [str(change) for change in report.changes[:CHANGES_SHOWN]],
                problems,
                confirm=confirm,
            ),
            answered,
        )

    def _imported(self, report: ImportReport) -> None:
        assert self.workspace is not None
        lines = [headline(report, self.workspace.name), *summary_lines(report)]
        self.screen.notify("\n".join(lines), title="Imported", timeout=12)
        self.screen.ops.data_changed()
        self.done()

    def _failed(self, message: str) -> None:
        self.screen.notify(message, title="Not imported", severity="error", timeout=15)

    # -- steps in a worker thread ------------------------------------------------------------

    def _work(self, step: Callable[[], None]) -> None:
        self.screen.run_worker(step, thread=True, group="import", exit_on_error=False)

    def _call(self, callback: Callable[..., None], *arguments: object) -> None:
        self.screen.app.call_from_thread(callback, *arguments)

    def _inspect(self, path: Path) -> None:
        """What the file holds, from its header: whether to ask for the company."""
        try:
            with SourceFile(path) as source:
                reading = read_source(source, self.options)
        except _EXPECTED as error:
            self._call(self._failed, str(error))
            return
        asks = reading.kind in (Kind.BUGS, Kind.CUSTOMERS, Kind.PROJECTS)
        if asks and "company" not in reading.columns:
            self._call(self._ask_company, path, reading.kind)
        else:
            self._preview(path)

    def _preview(self, path: Path) -> None:
        """The dry run, on a read-only connection of its own."""
        assert self.workspace is not None
        try:
            repo = Repository.open_readonly(self.workspace)
        except _EXPECTED as error:
            self._call(self._failed, str(error))
            return
        try:
            report = import_file(repo, path, self.options, dry_run=True, keep_changes=CHANGES_SHOWN)
        except BadRowsError as error:
            report = error.report
        except _EXPECTED as error:
            self._call(self._failed, str(error))
            return
        except sqlite3.Error as error:
            self._call(self._failed, str(explain_failure(self.workspace, error)))
            return
        finally:
            repo.close()
        self._call(self._show_preview, path, report)

    def _import(self, path: Path) -> None:
        """The import, in one transaction on a connection of its own."""
        assert self.workspace is not None
        try:
            repo = Repository.open(self.workspace)
        except _EXPECTED as error:
            self._call(self._failed, str(error))
            return
        try:
            if self.person is not None:
                repo.record_history(self.person, shift_days=self.day_shift)
            report = import_file(repo, path, self.options)
        except BadRowsError as error:
            count = error.report.problem_count
            self._call(self._failed, f"{count:,} bad rows; nothing was imported")
            return
        except _EXPECTED as error:
            self._call(self._failed, str(error))
            return
        except sqlite3.Error as error:
            self._call(self._failed, str(explain_failure(self.workspace, error)))
            return
        finally:
            repo.close()
        self._call(self._imported, report)
