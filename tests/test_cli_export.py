"""`opstui export` and `opstui freeze` as a script or cron job uses them: the week's Markdown
to a file or stdout, one-line errors with a non-zero exit, and never a Textual import.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from opstui.cli import main
from opstui.data.repository import Repository
from opstui.data.sample import DEMO_TODAY, DEMO_WEEK

GOLDEN = Path(__file__).parent / "golden" / f"demo-{DEMO_WEEK}.md"
SAMPLE = Path(__file__).resolve().parents[1] / "sample.db"
AS_OF = ("--as-of", DEMO_TODAY.isoformat())


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A copy of the demo workspace in a folder of its own, like `sample-copy.db`."""
    folder = tmp_path / "work"
    folder.mkdir()
    copy = folder / "sample-copy.db"
    shutil.copyfile(SAMPLE, copy)
    return copy


def one_error_line(stderr: str) -> str:
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    return lines[0]


def run_opstui(*args: str, cwd: Path, importtime: bool = False) -> subprocess.CompletedProcess[str]:
    flags = ["-X", "importtime"] if importtime else []
    return subprocess.run(
        [sys.executable, *flags, "-m", "opstui", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
        timeout=120,
        check=False,
    )


# -- export -----------------------------------------------------------------------------------


def test_export_to_a_file_writes_the_weeks_markdown(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = workspace.parent / "out.md"

    code = main(["export", str(workspace), "--week", DEMO_WEEK, "-o", str(out), *AS_OF])

    assert code == 0
    assert capsys.readouterr().out == f"wrote {out}\n"
    assert out.read_bytes() == GOLDEN.read_bytes()
    assert sorted(p.name for p in workspace.parent.iterdir() if p.suffix != ".db") == ["out.md"]


def test_export_to_stdout_prints_the_same_document(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["export", str(workspace), "--week", DEMO_WEEK, *AS_OF])

    assert code == 0
    captured = capsys.readouterr()
    assert captured.out == GOLDEN.read_text(encoding="utf-8")
    assert captured.err == ""


def test_export_without_a_week_takes_the_latest_review_week(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", str(workspace), *AS_OF]) == 0

    assert capsys.readouterr().out.startswith(f"# Weekly product operations review — {DEMO_WEEK}")


def test_export_redact_hides_customers(workspace: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", str(workspace), "--redact", *AS_OF]) == 0

    out = capsys.readouterr().out
    assert "Harbor" not in out and "Customer 7" in out


@pytest.mark.parametrize("week", ["2026-W60", "2026-28", "last week", "2026-W00"])
def test_a_bad_week_is_a_one_line_usage_error(
    workspace: Path, week: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["export", str(workspace), "--week", week])

    assert caught.value.code == 2
    line = one_error_line(capsys.readouterr().err)
    assert line.startswith("opstui export: error: argument --week: invalid week")


def test_a_missing_workspace_is_one_line_and_creates_nothing(tmp_path: Path) -> None:
    result = run_opstui("export", "missing.db", cwd=tmp_path)

    assert result.returncode == 1
    assert one_error_line(result.stderr).startswith("opstui: error: missing.db: no such workspace")
    assert result.stdout == ""
    assert list(tmp_path.iterdir()) == []


def test_without_a_workspace_the_default_one_must_exist(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))

    code = main(["export"])

    assert code == 1
    assert "no such workspace" in one_error_line(capsys.readouterr().err)
    assert not (tmp_path / "data").exists()


def test_export_into_a_missing_folder_is_one_line(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["export", str(workspace), "-o", str(workspace.parent / "no" / "out.md")])

    assert code == 1
    assert "no such directory" in one_error_line(capsys.readouterr().err)


@pytest.mark.parametrize("command", ["export", "freeze"])
def test_export_and_freeze_never_import_textual(workspace: Path, command: str) -> None:
    result = run_opstui(command, workspace.name, *AS_OF, cwd=workspace.parent, importtime=True)

    assert result.returncode == 0, result.stderr[-2000:]
    modules = [
        line.rsplit("|", 1)[1].strip()
        for line in result.stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    ]
    assert "opstui.cli" in modules
    assert [name for name in modules if name.split(".")[0] == "textual"] == []


def test_help_lists_export_and_freeze(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])

    out = capsys.readouterr().out
    assert "opstui export [WORKSPACE]" in out and "opstui freeze [WORKSPACE]" in out


# -- freeze -----------------------------------------------------------------------------------


def test_freeze_refreeze_and_unfreeze_from_the_command_line(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(workspace)

    assert main(["freeze", path, "--week", DEMO_WEEK, *AS_OF]) == 0
    assert capsys.readouterr().out == f"froze {DEMO_WEEK} (figures as of 2026-07-06)\n"

    assert main(["freeze", path, "--week", DEMO_WEEK, *AS_OF]) == 1
    line = one_error_line(capsys.readouterr().err)
    assert "already frozen" in line and "--replace" in line

    assert main(["freeze", path, "--week", DEMO_WEEK, "--replace", *AS_OF]) == 0
    capsys.readouterr()
    # A frozen week exports its snapshot, whatever day it is asked for.
    assert main(["export", path, "--week", DEMO_WEEK, "--as-of", "2026-07-10"]) == 0
    assert capsys.readouterr().out == GOLDEN.read_text(encoding="utf-8")

    assert main(["freeze", path, "--week", DEMO_WEEK, "--unfreeze"]) == 0
    assert capsys.readouterr().out == f"unfroze {DEMO_WEEK}\n"
    assert main(["freeze", path, "--week", DEMO_WEEK, "--unfreeze"]) == 1
    assert one_error_line(capsys.readouterr().err) == f"opstui: error: {DEMO_WEEK} is not frozen"


def test_replace_and_unfreeze_together_is_a_usage_error(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["freeze", str(workspace), "--replace", "--unfreeze"])

    assert caught.value.code == 2
    one_error_line(capsys.readouterr().err)


@pytest.mark.parametrize("with_company", [False, True])
def test_a_new_workspace_exports_and_freezes_this_week(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], with_company: bool
) -> None:
    path = tmp_path / "team.db"
    assert main(["init", str(path)]) == 0
    if with_company:
        from opstui.domain.models import Company

        repo = Repository.open(path)
        repo.add(Company(name="Northwind"))
        repo.close()
    capsys.readouterr()
    assert main(["export", str(path), "--as-of", "2026-12-01"]) == 0
    document = capsys.readouterr().out
    assert document.startswith("# Weekly product operations review — 2026-W49\n")
    assert ("Northwind" in document) is with_company
    assert main(["freeze", str(path), "--as-of", "2026-12-01"]) == 0
    assert "froze 2026-W49" in capsys.readouterr().out
    assert main(["export", str(path), "--week", DEMO_WEEK]) == 0  # any week, named
