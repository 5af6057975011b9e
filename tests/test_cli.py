"""The `opstui` command line, as a user at a shell or a cron script uses it: one-line errors
and a non-zero exit, never a traceback; script commands that never load Textual.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from opstui import __version__
from opstui.cli import main
from opstui.data.config import CONFIG_ENV
from opstui.data.repository import Repository
from opstui.domain.models import Bug, Customer, Project


@pytest.fixture(autouse=True)
def no_user_config(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Never read the developer's own config.toml."""
    monkeypatch.setenv(CONFIG_ENV, str(tmp_path_factory.mktemp("config") / "config.toml"))


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def listing(directory: Path) -> list[str]:
    return sorted(entry.name for entry in directory.iterdir())


def run_opstui(*args: str, cwd: Path, importtime: bool = False) -> subprocess.CompletedProcess[str]:
    """Run `python -m opstui ARGS` in a fresh interpreter, as a shell would."""
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


def imported_modules(importtime_stderr: str) -> list[str]:
    """Module names from `-X importtime` output ("import time: self | cumulative | name")."""
    return [
        line.rsplit("|", 1)[1].strip()
        for line in importtime_stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    ]


def assert_one_error_line(stderr: str) -> str:
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("opstui: error:") or lines[0].startswith("opstui ")
    assert "Traceback" not in stderr
    return lines[0]


# -- opening a workspace ----------------------------------------------------------------------


def test_opening_a_workspace_in_a_mistyped_folder_is_one_line_and_creates_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "no" / "such" / "dir" / "x.db"

    code = main([str(missing)])

    captured = capsys.readouterr()
    assert code != 0
    line = assert_one_error_line(captured.err)
    assert line.startswith("opstui: error:")
    assert "no such workspace" in line
    assert captured.out == ""
    assert listing(tmp_path) == []


def test_opening_no_such_dir_from_a_shell_exits_non_zero_with_one_line(tmp_path: Path) -> None:
    result = run_opstui("/no/such/dir/x.db", cwd=tmp_path)

    assert result.returncode != 0
    line = assert_one_error_line(result.stderr)
    assert line.startswith("opstui: error: /no/such/dir/x.db:")
    assert result.stdout == ""
    assert not Path("/no/such/dir").exists()
    assert listing(tmp_path) == []


def test_opening_a_readme_by_mistake_is_one_line_and_leaves_it_alone(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text("# opstui\n\nWeekly review in the terminal.\n", encoding="utf-8")
    before = sha256(readme)

    result = run_opstui("README.md", cwd=tmp_path)

    assert result.returncode != 0
    line = assert_one_error_line(result.stderr)
    assert line == "opstui: error: README.md: not a SQLite database, so not an opstui workspace"
    assert sha256(readme) == before
    assert listing(tmp_path) == ["README.md"]


def test_a_bad_config_file_is_one_line_before_anything_opens(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[targets]\np1_below = "x"\n', encoding="utf-8")
    monkeypatch.setenv(CONFIG_ENV, str(config))
    main(["init", str(tmp_path / "team.db")])
    capsys.readouterr()

    code = main([str(tmp_path / "team.db")])

    assert code != 0
    line = assert_one_error_line(capsys.readouterr().err)
    assert "targets.p1_below" in line


# -- --help and --version ---------------------------------------------------------------------


def test_version_prints_the_version_and_exits_zero(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["--version"])

    assert caught.value.code == 0
    assert capsys.readouterr().out.strip() == f"opstui {__version__}"


def test_help_documents_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["--help"])

    assert caught.value.code == 0
    out = capsys.readouterr().out
    for command in ("opstui demo", "opstui init PATH", "opstui sample --out FILE", "--as-of"):
        assert command in out


def test_a_month_13_as_of_date_is_a_one_line_usage_error_with_exit_2(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["--as-of", "2026-13-01"])

    assert caught.value.code == 2
    line = assert_one_error_line(capsys.readouterr().err)
    assert line.startswith("opstui: error:")
    assert "2026-13-01" in line


def test_a_bad_as_of_from_a_shell_exits_2_with_one_line(tmp_path: Path) -> None:
    result = run_opstui("--as-of", "2026-13-01", cwd=tmp_path)

    assert result.returncode == 2
    assert_one_error_line(result.stderr)
    assert listing(tmp_path) == []


def test_sample_without_out_is_a_one_line_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["sample"])

    assert caught.value.code == 2
    line = assert_one_error_line(capsys.readouterr().err)
    assert line.startswith("opstui sample: error:")
    assert "--out" in line


def test_a_negative_bug_count_is_a_one_line_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["sample", "--out", str(tmp_path / "demo.db"), "--bugs", "-5"])

    assert caught.value.code == 2
    assert_one_error_line(capsys.readouterr().err)
    assert listing(tmp_path) == []


# -- init -------------------------------------------------------------------------------------


def test_init_creates_a_workspace_that_opens(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "team.db"

    code = main(["init", str(path)])

    assert code == 0
    assert capsys.readouterr().out == f"created {path}\n"
    repo = Repository.open(path)
    try:
        assert repo.count(Project) == 0
    finally:
        repo.close()
    assert listing(tmp_path) == ["team.db"]


def test_init_on_an_existing_file_refuses_with_one_line_and_keeps_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("precious notes\n", encoding="utf-8")
    before = sha256(path)

    code = main(["init", str(path)])

    assert code != 0
    line = assert_one_error_line(capsys.readouterr().err)
    assert line.startswith("opstui: error:")
    assert "already exists" in line
    assert sha256(path) == before
    assert listing(tmp_path) == ["notes.txt"]


def test_init_in_a_missing_folder_is_one_line_and_creates_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["init", str(tmp_path / "typo" / "team.db")])

    assert code != 0
    assert "no such directory" in assert_one_error_line(capsys.readouterr().err)
    assert listing(tmp_path) == []


# -- sample -----------------------------------------------------------------------------------


def test_sample_writes_a_scaled_demo_workspace(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "demo.db"

    code = main(["sample", "--out", str(path), "--bugs", "200"])

    assert code == 0
    assert capsys.readouterr().out == f"wrote {path}\n"
    repo = Repository.open(path)
    try:
        assert repo.count(Bug) == 200
        assert repo.count(Project) == 16
        assert repo.count(Customer) == 16
    finally:
        repo.close()
    assert listing(tmp_path) == ["demo.db"]


def test_sample_over_an_existing_file_refuses_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "demo.db"
    path.write_text("not yours\n", encoding="utf-8")

    code = main(["sample", "--out", str(path)])

    assert code != 0
    assert "already exists" in assert_one_error_line(capsys.readouterr().err)
    assert path.read_text(encoding="utf-8") == "not yours\n"


# -- script commands never pay for Textual ----------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(("--help",), id="help"),
        pytest.param(("--version",), id="version"),
        pytest.param(("sample", "--out", "demo.db", "--bugs", "50"), id="sample"),
        pytest.param(("init", "team.db"), id="init"),
    ],
)
def test_script_commands_never_import_textual(tmp_path: Path, args: tuple[str, ...]) -> None:
    result = run_opstui(*args, cwd=tmp_path, importtime=True)

    assert result.returncode == 0, result.stderr[-2000:]
    modules = imported_modules(result.stderr)
    assert "opstui.cli" in modules
    loaded_textual = [name for name in modules if name.split(".")[0] == "textual"]
    assert loaded_textual == []


def test_import_never_imports_textual(tmp_path: Path) -> None:
    assert main(["init", str(tmp_path / "team.db")]) == 0
    export = tmp_path / "jira.csv"
    export.write_text(
        "Summary,Issue key,Issue Type,Priority,Created,Labels,Labels\r\n"
        "Checkout fails,PAY-1,Bug,High,05/Apr/26 11:03 AM,checkout,customer:Acme\r\n",
        encoding="utf-8",
    )

    result = run_opstui(
        "import", "team.db", "jira.csv", "--company", "Company A", cwd=tmp_path, importtime=True
    )

    assert result.returncode == 0, result.stderr[-2000:]
    assert "bugs: 1 created" in result.stdout
    modules = imported_modules(result.stderr)
    assert "opstui.data.importing.jira" in modules
    assert [name for name in modules if name.split(".")[0] == "textual"] == []
