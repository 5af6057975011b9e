"""One table out, for spreadsheets and scripts: `opstui export W --format csv|json --what …`.

Same data, same bytes; every kind of record; a CSV cell a spreadsheet would run as a formula
is written as text; a bugs CSV exported from one workspace imports into another.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from opstui.cli import main
from opstui.data.repository import Repository
from opstui.domain.enums import BugStatus
from opstui.domain.models import Bug, Company
from opstui.export.tables import WHAT, guarded
from tests.conftest import SAMPLE

FIXTURES = Path(__file__).parent / "fixtures" / "import"
FORMULAS = ['=HYPERLINK("http://x.example","x")', "+1+1", "-2+3", "@SUM(A1)", "\tTab", "\rCR"]


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    path = tmp_path / "demo.db"
    shutil.copyfile(SAMPLE, path)
    return path


def exported(path: Path, capsys: pytest.CaptureFixture[str], *arguments: str) -> str:
    assert main(["export", str(path), *arguments]) == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("what", WHAT)
def test_every_table_exports_as_csv_and_json_with_the_same_rows_twice_alike(
    demo: Path, capsys: pytest.CaptureFixture[str], what: str
) -> None:
    first = exported(demo, capsys, "--format", "csv", "--what", what)
    again = exported(demo, capsys, "--format", "csv", "--what", what)
    as_json = exported(demo, capsys, "--format", "json", "--what", what)

    assert first == again
    rows = list(csv.DictReader(io.StringIO(first, newline="")))
    records = json.loads(as_json)
    assert len(rows) == len(records) > 0
    assert [int(row["id"]) for row in rows] == [record["id"] for record in records]
    assert [int(row["id"]) for row in rows] == sorted(int(row["id"]) for row in rows)
    assert first.startswith("id,")


def test_the_bugs_csv_names_companies_assignees_and_customers(
    demo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = exported(demo, capsys, "--format", "csv", "--what", "bugs")

    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    repo = Repository.open(demo)
    try:
        bugs = repo.all(Bug)
        companies = {c.id: c.name for c in repo.companies()}
        count = repo.count(Bug)
        linked = next(b for b in bugs if repo.bug_customer_ids(b.id or 0))
    finally:
        repo.close()
    assert len(rows) == count
    first = rows[0]
    bug = bugs[0]
    assert first["title"] == bug.title
    assert first["company"] == companies.get(bug.company_id, "")
    assert first["status"] == bug.status.value
    assert first["opened"] == bug.opened_at.isoformat()
    assert first["security"] in ("yes", "no")
    assert next(r for r in rows if r["id"] == str(linked.id))["customers"] != ""


def test_csv_cells_that_look_like_formulas_are_written_as_text(
    demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = Repository.open(demo)
    try:
        company = repo.add(Company(name="=cmd|' /C calc'!A0"))
        for title in FORMULAS:
            repo.add(Bug(title=title, company_id=company.id, opened_at=datetime(2026, 7, 1, 9, 0)))
    finally:
        repo.close()

    text = exported(demo, capsys, "--format", "csv", "--what", "bugs")

    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    titles = [row["title"] for row in rows[-len(FORMULAS) :]]
    # Tabs and carriage returns are not kept in a title; what they leave is guarded too.
    assert titles[:4] == [guarded(title) for title in FORMULAS[:4]]
    assert all(title.startswith("'") or title[:1] not in "=+-@\t\r" for title in titles)
    assert {row["company"] for row in rows[-len(FORMULAS) :]} == {"'=cmd|' /C calc'!A0"}
    for row in rows:
        for cell in row.values():
            assert cell[:1] not in ("=", "+", "-", "@", "\t", "\r"), cell
    # JSON is for scripts: values as stored, no guard.
    records = json.loads(exported(demo, capsys, "--format", "json", "--what", "bugs"))
    assert records[-len(FORMULAS)]["title"] == FORMULAS[0]


def test_an_exported_bugs_csv_imports_into_a_new_workspace_with_the_same_bugs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = tmp_path / "first.db"
    second = tmp_path / "second.db"
    table = tmp_path / "bugs.csv"
    assert main(["init", str(first)]) == 0
    assert main(["init", str(second)]) == 0
    jira = FIXTURES / "jira.csv"
    assert main(["import", str(first), str(jira), "--company", "Company A"]) == 0
    assert main(["export", str(first), "--format", "csv", "--what", "bugs", "-o", str(table)]) == 0
    capsys.readouterr()

    assert main(["import", str(second), str(table)]) == 0
    assert "bugs: 7 created" in capsys.readouterr().out
    # The key column keeps each bug's Jira key: the Jira file adds nothing more.
    assert main(["import", str(second), str(jira), "--company", "Company A"]) == 0

    assert "bugs: 0 created, 0 updated, 7 unchanged" in capsys.readouterr().out
    repo = Repository.open(second)
    try:
        bugs = {b.source_key: b for b in repo.all(Bug)}
    finally:
        repo.close()
    assert bugs["jira:PAY-104"].status is BugStatus.DUPLICATE
    assert bugs["jira:PAY-101"].description.startswith("Steps:\n1. Add 100 items")


def test_export_to_a_file_writes_it_whole_and_leaves_the_workspace_alone(
    demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = hashlib.sha256(demo.read_bytes()).hexdigest()
    out = tmp_path / "customers.json"

    assert (
        main(["export", str(demo), "--format", "json", "--what", "customers", "-o", str(out)]) == 0
    )

    assert capsys.readouterr().out == f"wrote {out}\n"
    records = json.loads(out.read_text(encoding="utf-8"))
    assert {"name", "company", "arr", "csm", "renewal", "escalated"} <= set(records[0])
    assert isinstance(records[0]["escalated"], bool)
    assert hashlib.sha256(demo.read_bytes()).hexdigest() == before


def test_an_empty_table_is_its_header(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "new.db"
    assert main(["init", str(path)]) == 0
    capsys.readouterr()

    text = exported(path, capsys, "--format", "csv", "--what", "risks")

    assert text == "id,risk,owner,mitigation,status,project,company\r\n"
    assert exported(path, capsys, "--format", "json", "--what", "risks") == "[]\n"


def test_what_without_a_table_format_is_one_line(
    demo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", str(demo), "--what", "bugs"]) == 1

    err = capsys.readouterr().err.splitlines()
    assert err == ["opstui: error: --what and --format csv|json go together (see --help)"]


def test_an_exported_customers_csv_imports_into_a_new_workspace_alike(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second, table = tmp_path / "first.db", tmp_path / "second.db", tmp_path / "c.csv"
    for path in (first, second):
        assert main(["init", str(path)]) == 0
    assert main(["import", str(first), str(FIXTURES / "customers.csv")]) == 0
    arguments = ["export", str(first), "--format", "csv", "--what", "customers", "-o", str(table)]
    assert main(arguments) == 0
    capsys.readouterr()

    assert main(["import", str(second), str(table)]) == 0
    assert "customers: 3 created" in capsys.readouterr().out
    assert main(["import", str(second), str(FIXTURES / "customers.csv")]) == 0

    assert "customers: 0 created, 0 updated, 3 unchanged" in capsys.readouterr().out
    exported = [exported_rows(path) for path in (first, second)]
    assert exported[0] == exported[1]


def exported_rows(path: Path) -> list[dict[str, str]]:
    repo = Repository.open(path)
    try:
        rows = [{k: v for k, v in row.items() if k != "id"} for row in repo.table_rows("customers")]
    finally:
        repo.close()
    return rows


def test_a_table_export_never_imports_textual(demo: Path) -> None:
    result = subprocess.run(
        [
            *(sys.executable, "-X", "importtime", "-m", "opstui", "export", demo.name),
            *("--format", "csv", "--what", "customers"),
        ],
        cwd=demo.parent,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.startswith("id,key,name,company,arr,")
    modules = [
        line.rsplit("|", 1)[1].strip()
        for line in result.stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    ]
    assert "opstui.export.tables" in modules
    assert [name for name in modules if name.split(".")[0] == "textual"] == []
