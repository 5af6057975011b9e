"""A team brings its bugs from Jira: `opstui import WORKSPACE jira.csv --company NAME`.

The fixture follows Jira's "Export CSV (all fields)": repeated `Labels`, `Watchers`, `Sprint`
and `Comment` columns, multi-line cells, CRLF line ends, dates like `05/Mar/26 8:00 AM`.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import Path

import pytest

from opstui.cli import main
from opstui.data.repository import Repository
from opstui.domain.enums import BugStatus, PersonRole, Priority
from opstui.domain.models import Bug, Company, Customer, Person

FIXTURES = Path(__file__).parent / "fixtures" / "import"
JIRA = FIXTURES / "jira.csv"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    path = tmp_path / "team.db"
    assert main(["init", str(path)]) == 0
    return path


def bugs_by_key(path: Path) -> dict[str, Bug]:
    repo = Repository.open(path)
    try:
        return {bug.source_key or "": bug for bug in repo.all(Bug)}
    finally:
        repo.close()


def test_importing_a_jira_export_brings_every_bug_with_its_fields(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["import", str(workspace), str(JIRA), "--company", "Company A"])

    out = capsys.readouterr().out
    assert code == 0
    assert "bugs: 7 created, 0 updated, 0 unchanged, 1 skipped (not bugs: 1 Story)" in out
    assert "companies: 1 created (Company A)" in out
    assert "people: 3 created (Dana Whitfield, Priya Raman, Sam Lee; role other" in out
    bugs = bugs_by_key(workspace)
    assert sorted(bugs) == [f"jira:PAY-10{n}" for n in (1, 2, 3, 4, 6, 7, 8)]
    repo = Repository.open(workspace)
    try:
        (company,) = repo.all(Company)
        people = {person.id: person for person in repo.all(Person)}
    finally:
        repo.close()
    assert company.name == "Company A"
    assert {person.role for person in people.values()} == {PersonRole.OTHER}
    assert all(bug.company_id == company.id for bug in bugs.values())

    checkout = bugs["jira:PAY-101"]
    assert checkout.title == "Checkout fails when the cart has 100 items"
    assert (checkout.priority, checkout.status) == (Priority.P1, BugStatus.IN_PROGRESS)
    assert checkout.opened_at == datetime(2026, 3, 2, 9, 15)
    assert checkout.resolved_at is None
    assert checkout.assignee_id is not None
    assert people[checkout.assignee_id].name == "Dana Whitfield"
    # The multi-line description, then both Comment columns (not just the last one).
    assert checkout.description.startswith("Steps:\n1. Add 100 items to the cart\n2. Press Pay")
    assert "- 03/Mar/26 4:20 PM (sam.lee): Reproduced on staging." in checkout.description
    assert "- 04/Mar/26 10:00 AM (dana.whitfield): Fix in review." in checkout.description

    refund = bugs["jira:PAY-102"]
    assert (refund.priority, refund.status) == (Priority.P0, BugStatus.RESOLVED)
    assert refund.resolved_at == datetime(2026, 3, 6, 17, 45)
    reset = bugs["jira:PAY-103"]  # no priority: it waits in the untriaged inbox
    assert (reset.priority, reset.status, reset.security_flag) == (None, BugStatus.OPEN, True)
    assert bugs["jira:PAY-104"].status is BugStatus.DUPLICATE  # Resolution: Duplicate
    typo = bugs["jira:PAY-106"]  # Resolution: Won't Do
    assert (typo.priority, typo.status) == (Priority.P3, BugStatus.CLOSED)
    assert bugs["jira:PAY-107"].assignee_id is None
    assert bugs["jira:PAY-108"].priority is Priority.P3  # Lowest


def test_importing_the_same_export_again_creates_nothing_and_writes_nothing(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["import", str(workspace), str(JIRA), "--company", "Company A"]) == 0
    capsys.readouterr()
    before = sha256(workspace)

    code = main(["import", str(workspace), str(JIRA), "--company", "Company A"])

    out = capsys.readouterr().out
    assert code == 0
    assert "bugs: 0 created, 0 updated, 7 unchanged, 1 skipped" in out
    assert "people:" not in out and "companies:" not in out
    assert sha256(workspace) == before
    assert len(bugs_by_key(workspace)) == 7


def test_a_changed_export_updates_only_what_changed_and_keeps_local_triage(
    workspace: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["import", str(workspace), str(JIRA), "--company", "Company A"]) == 0
    repo = Repository.open(workspace)
    try:
        # Triaged in opstui meanwhile: Jira has no priority for it.
        reset = next(b for b in repo.all(Bug) if b.source_key == "jira:PAY-103")
        repo.update(reset.model_copy(update={"priority": Priority.P1}))
    finally:
        repo.close()
    changed = tmp_path / "jira-later.csv"
    text = JIRA.read_text(encoding="utf-8")
    text = text.replace("Dark mode colours are off", "Dark mode colours are off in Safari")
    changed.write_text(text, encoding="utf-8", newline="")
    capsys.readouterr()

    code = main(["import", str(workspace), str(changed), "--company", "Company A"])

    out = capsys.readouterr().out
    assert code == 0
    assert "bugs: 0 created, 1 updated, 6 unchanged, 1 skipped" in out
    bugs = bugs_by_key(workspace)
    assert bugs["jira:PAY-108"].title == "Dark mode colours are off in Safari"
    assert bugs["jira:PAY-103"].priority is Priority.P1


def test_a_dry_run_lists_every_change_and_leaves_the_workspace_byte_for_byte(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = sha256(workspace)
    files_before = sorted(p.name for p in workspace.parent.iterdir())

    code = main(["import", str(workspace), str(JIRA), "--company", "Company A", "--dry-run"])

    out = capsys.readouterr().out.splitlines()
    assert code == 0
    assert sha256(workspace) == before
    assert sorted(p.name for p in workspace.parent.iterdir()) == files_before
    assert "create company 'Company A'" in out
    assert "create person (other) 'Dana Whitfield'" in out
    assert [line for line in out if line.startswith("create bug")] == [
        f"create bug 'PAY-10{n}'" for n in (1, 2, 3, 4, 6, 7, 8)
    ]
    assert (
        out[-5] == "dry run: jira.csv (Jira CSV export, 8 rows) into team.db; nothing was written"
    )
    assert "  bugs: 7 to create, 0 to update, 0 unchanged, 1 skipped (not bugs: 1 Story)" in out
    assert bugs_by_key(workspace) == {}


def test_a_file_with_one_bad_row_writes_nothing_and_names_the_line_and_column(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = sha256(workspace)

    code = main(["import", str(workspace), str(FIXTURES / "jira_bad_row.csv"), "--company", "A"])

    captured = capsys.readouterr()
    assert code == 1
    assert captured.err.splitlines() == [
        f"opstui: error: {FIXTURES / 'jira_bad_row.csv'}: line 11, Created: '31/Feb/26' is "
        "not a date; nothing was imported (--skip-bad imports the 6 good rows)"
    ]
    assert captured.out == ""
    assert sha256(workspace) == before
    assert bugs_by_key(workspace) == {}


def test_skip_bad_imports_the_good_rows_and_lists_the_bad_one(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = str(FIXTURES / "jira_bad_row.csv")

    code = main(["import", str(workspace), bad, "--company", "Company A", "--skip-bad"])

    out = capsys.readouterr().out
    assert code == 0
    assert (
        "bugs: 6 created, 0 updated, 0 unchanged, 2 skipped (not bugs: 1 Story; 1 bad row)" in out
    )
    assert "bad rows, not imported:\n  line 11, Created: '31/Feb/26' is not a date\n" in out
    assert "jira:PAY-106" not in bugs_by_key(workspace)
    assert len(bugs_by_key(workspace)) == 6


def test_a_customer_label_links_the_bug_to_that_customer(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["import", str(workspace), str(FIXTURES / "customers.csv")]) == 0
    capsys.readouterr()

    code = main(["import", str(workspace), str(JIRA), "--company", "Company A"])

    out = capsys.readouterr().out
    assert code == 0
    assert "customer links: 2 created, 0 already there" in out
    repo = Repository.open(workspace)
    try:
        names = {c.id: c.name for c in repo.all(Customer)}
        bugs = {b.source_key: b for b in repo.all(Bug)}
        linked = {
            key: sorted(names[i] for i in repo.bug_customer_ids(bug.id or 0))
            for key, bug in bugs.items()
        }
    finally:
        repo.close()
    # `customer:Meridian_Bank` and `customer:Harbor_&_Pine`: Jira labels hold no spaces.
    assert linked["jira:PAY-101"] == ["Meridian Bank"]
    assert linked["jira:PAY-107"] == ["Harbor & Pine"]
    assert sum(len(found) for found in linked.values()) == 2


def test_a_bug_moved_to_another_company_in_opstui_stays_there_on_reimport(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["import", str(workspace), str(JIRA), "--company", "Company A"]) == 0
    repo = Repository.open(workspace)
    try:
        other = repo.add(Company(name="Company B"))
        bug = next(b for b in repo.all(Bug) if b.source_key == "jira:PAY-101")
        repo.update(bug.model_copy(update={"company_id": other.id}))
    finally:
        repo.close()
    capsys.readouterr()

    assert main(["import", str(workspace), str(JIRA), "--company", "Company A"]) == 0

    assert "7 unchanged" in capsys.readouterr().out
    assert bugs_by_key(workspace)["jira:PAY-101"].company_id == other.id


def test_the_priority_mapping_comes_from_config_toml(
    workspace: Path, private_config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    private_config.parent.mkdir(parents=True, exist_ok=True)
    private_config.write_text(
        '[imports.jira_priorities]\nHighest = "P0"\nHigh = "P0"\nMedium = "untriaged"\n',
        encoding="utf-8",
    )

    assert main(["import", str(workspace), str(JIRA), "--company", "Company A"]) == 0

    bugs = bugs_by_key(workspace)
    assert bugs["jira:PAY-101"].priority is Priority.P0  # High, mapped to P0
    assert bugs["jira:PAY-104"].priority is None  # Medium, mapped to untriaged
    assert bugs["jira:PAY-108"].priority is Priority.P3  # Lowest: the default mapping


def test_a_bad_priority_mapping_is_a_one_line_config_error(
    workspace: Path, private_config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    private_config.parent.mkdir(parents=True, exist_ok=True)
    private_config.write_text('[imports.jira_priorities]\nHigh = "urgent"\n', encoding="utf-8")

    code = main(["import", str(workspace), str(JIRA)])

    err = capsys.readouterr().err.splitlines()
    assert code == 2
    assert len(err) == 1
    assert "imports.jira_priorities" in err[0] and "use P0, P1, P2, P3 or untriaged" in err[0]
    assert bugs_by_key(workspace) == {}
