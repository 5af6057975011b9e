"""Bugs from Linear's CSV export and from `gh issue list --json …`.

The Linear fixture has the export's 30 columns, a UTF-8 BOM, ISO dates in UTC and Linear's
`'` before text that looks like a formula. The GitHub fixtures are what
`gh issue list --json number,title,state,stateReason,labels,assignees,createdAt,closedAt,url`
prints: labels and assignees as objects, `stateReason` empty, null, or (older gh) missing.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from opstui.cli import main
from opstui.data.repository import Repository
from opstui.domain.enums import BugStatus, Priority
from opstui.domain.models import Bug, Person

FIXTURES = Path(__file__).parent / "fixtures" / "import"


def local(*parts: int) -> datetime:
    """A UTC moment as the workspace keeps it: local time, without a zone."""
    return datetime(*parts, tzinfo=UTC).astimezone().replace(tzinfo=None)  # type: ignore[misc]


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    path = tmp_path / "team.db"
    assert main(["init", str(path)]) == 0
    return path


def stored(path: Path) -> tuple[dict[str, Bug], dict[int, str]]:
    repo = Repository.open(path)
    try:
        bugs = {bug.source_key or "": bug for bug in repo.all(Bug)}
        people = {p.id: p.name for p in repo.all(Person) if p.id is not None}
        return bugs, people
    finally:
        repo.close()


# -- Linear -----------------------------------------------------------------------------------


def test_a_linear_export_lands_with_its_statuses_priorities_and_guard_removed(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert FIXTURES.joinpath("linear.csv").read_bytes().startswith(b"\xef\xbb\xbf")

    code = main(["import", str(workspace), str(FIXTURES / "linear.csv"), "--company", "Core"])

    out = capsys.readouterr().out
    assert code == 0
    assert "Linear CSV export, 6 rows" in out
    assert "bugs: 6 created, 0 updated, 0 unchanged, 0 skipped" in out
    bugs, people = stored(workspace)
    assert sorted(bugs) == [f"linear:ENG-{n}" for n in range(12, 18)]
    report = bugs["linear:ENG-12"]
    # Linear's `'` before formula-looking text is taken off again.
    assert report.title == "=SUM(A1:A9) total is wrong in reports"
    assert report.description == "The report adds up A1:A9 twice.\n\nSeen by two customers."
    assert (report.priority, report.status) == (Priority.P0, BugStatus.IN_PROGRESS)
    assert report.opened_at == local(2026, 3, 2, 9, 15)
    assert people[report.assignee_id or 0] == "Grace Hopper"
    triage = bugs["linear:ENG-13"]  # High, but in Triage: it waits in the inbox
    assert (triage.priority, triage.status) == (None, BugStatus.OPEN)
    done = bugs["linear:ENG-14"]
    assert (done.priority, done.status) == (Priority.P2, BugStatus.RESOLVED)
    assert done.resolved_at == local(2026, 3, 8, 16, 0)
    canceled = bugs["linear:ENG-15"]
    assert (canceled.status, canceled.resolved_at) == (BugStatus.CLOSED, local(2026, 3, 10, 10))
    assert bugs["linear:ENG-16"].status is BugStatus.DUPLICATE
    balance = bugs["linear:ENG-17"]
    assert balance.title == "-1 shown as the account balance"
    assert balance.description == "@mention in the description is kept"
    assert (balance.priority, balance.security_flag) == (None, True)


def test_reimporting_the_linear_export_changes_nothing(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    arguments = ["import", str(workspace), str(FIXTURES / "linear.csv"), "--company", "Core"]
    assert main(arguments) == 0
    before = hashlib.sha256(workspace.read_bytes()).hexdigest()
    capsys.readouterr()

    assert main(arguments) == 0

    assert "bugs: 0 created, 0 updated, 6 unchanged, 0 skipped" in capsys.readouterr().out
    assert hashlib.sha256(workspace.read_bytes()).hexdigest() == before


# -- GitHub -----------------------------------------------------------------------------------


def test_gh_json_lands_with_states_reasons_label_priorities_and_assignees(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["import", str(workspace), str(FIXTURES / "github.json"), "--company", "Shop"])

    out = capsys.readouterr().out
    assert code == 0
    assert "GitHub issues (gh JSON), 7 rows" in out
    assert "bugs: 7 created" in out
    assert "people: 2 created (octocat, hubot; role other" in out
    bugs, people = stored(workspace)
    issue = {int(key.rsplit("/", 1)[1]): bug for key, bug in bugs.items()}
    assert set(bugs) == {f"github:https://github.com/acme/shop/issues/{n}" for n in range(41, 48)}
    crash = issue[41]  # stateReason "" on an open issue
    assert crash.title == "Crash when the config file is empty"
    assert (crash.priority, crash.status, crash.resolved_at) == (Priority.P1, BugStatus.OPEN, None)
    assert crash.opened_at == local(2026, 3, 1, 8, 0)
    assert people[crash.assignee_id or 0] == "octocat"
    docs = issue[42]  # closed as completed, `priority: low`
    assert (docs.priority, docs.status) == (Priority.P3, BugStatus.RESOLVED)
    assert docs.resolved_at == local(2026, 3, 4, 12, 0)
    leak = issue[43]  # closed as not planned, `security`
    assert (leak.status, leak.security_flag) == (BugStatus.CLOSED, True)
    assert issue[44].status is BugStatus.DUPLICATE
    assert (issue[45].priority, issue[45].status) == (Priority.P0, BugStatus.OPEN)  # P2 and P0
    assert issue[46].status is BugStatus.RESOLVED  # closed, no stateReason at all
    untriaged = issue[47]  # stateReason null, no labels
    assert (untriaged.priority, untriaged.status) == (None, BugStatus.OPEN)


def test_older_gh_json_without_state_reason_still_imports_and_reimports_to_nothing(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    arguments = ["import", str(workspace), str(FIXTURES / "github_no_state_reason.json")]
    items = json.loads(FIXTURES.joinpath("github_no_state_reason.json").read_text())
    assert all("stateReason" not in item for item in items)

    assert main(arguments) == 0
    first = capsys.readouterr().out
    assert main(arguments) == 0
    second = capsys.readouterr().out

    assert "bugs: 3 created" in first
    assert "3 new bugs without a company" in first
    assert "bugs: 0 created, 0 updated, 3 unchanged" in second
    bugs, _ = stored(workspace)
    statuses = sorted(bug.status.value for bug in bugs.values())
    assert statuses == ["open", "resolved", "resolved"]  # a closed issue without a reason


def test_gh_json_lines_from_jq_import_too(
    workspace: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    items = json.loads(FIXTURES.joinpath("github.json").read_text())
    lines = tmp_path / "issues.jsonl"
    lines.write_text("".join(json.dumps(item) + "\n" for item in items[:2]), encoding="utf-8")

    assert main(["import", str(workspace), str(lines), "--format", "github"]) == 0

    assert "bugs: 2 created" in capsys.readouterr().out
    assert len(stored(workspace)[0]) == 2


def test_a_bad_gh_date_names_its_line_and_field_and_imports_nothing(
    workspace: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    items = json.loads(FIXTURES.joinpath("github.json").read_text())
    items[2]["createdAt"] = "yesterday"
    path = tmp_path / "issues.json"
    path.write_text(json.dumps(items, indent=2), encoding="utf-8")
    line = next(
        number
        for number, text in enumerate(path.read_text().splitlines(), start=1)
        if '"number": 43' in text
    )
    # The error names the line the issue's object starts on.
    start = max(
        number
        for number, text in enumerate(path.read_text().splitlines()[:line], start=1)
        if text == "  {"
    )

    code = main(["import", str(workspace), str(path)])

    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith(
        f"opstui: error: {path}: line {start}, createdAt: 'yesterday' is not a date and time"
    )
    assert "nothing was imported" in err
    assert stored(workspace)[0] == {}
