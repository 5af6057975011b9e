"""`opstui export --kind KIND` as a script uses it: every message to stdout or a file, the
same bytes as its golden file, and one-line errors for a kind, a bug or options that do not
fit.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from opstui.cli import main
from opstui.data.sample import DEMO_TODAY, DEMO_WEEK
from tests.test_cli_export import one_error_line, run_opstui

SAMPLE = Path(__file__).resolve().parents[1] / "sample.db"
GOLDEN = Path(__file__).parent / "golden"
AS_OF = ("--as-of", DEMO_TODAY.isoformat())


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    folder = tmp_path / "work"
    folder.mkdir()
    copy = folder / "sample-copy.db"
    shutil.copyfile(SAMPLE, copy)
    return copy


def golden(kind: str) -> bytes:
    return (GOLDEN / f"demo-{DEMO_WEEK}-{kind}.md").read_bytes()


@pytest.mark.parametrize("kind", ["preread", "summary", "actions", "friday"])
def test_each_kind_prints_its_golden_file(
    workspace: Path, kind: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", str(workspace), "--kind", kind, *AS_OF]) == 0

    captured = capsys.readouterr()
    assert captured.out.encode("utf-8") == golden(kind)
    assert captured.err == ""


def test_the_postmortem_takes_its_bug_and_writes_a_file(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = workspace.parent / "incident.md"

    args = ["--kind", "postmortem", "--bug", "630", "-o", str(out), *AS_OF]
    code = main(["export", str(workspace), *args])

    assert code == 0
    assert capsys.readouterr().out == f"wrote {out}\n"
    assert out.read_bytes() == golden("postmortem")


def test_the_default_kind_is_the_weekly_review_byte_for_byte(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", str(workspace), *AS_OF]) == 0
    plain = capsys.readouterr().out
    assert main(["export", str(workspace), "--kind", "weekly", *AS_OF]) == 0

    assert capsys.readouterr().out == plain
    assert plain.encode("utf-8") == (GOLDEN / f"demo-{DEMO_WEEK}.md").read_bytes()


def test_the_summary_without_a_day_is_written_as_of_the_meeting(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A new user types `opstui export sample.db --kind summary`: the W28 meeting's summary."""
    assert main(["export", str(workspace), "--kind", "summary"]) == 0

    out = capsys.readouterr().out
    assert out.encode("utf-8") == golden("summary")
    assert out.startswith(f"# Executive summary — {DEMO_WEEK}\n")


@pytest.mark.parametrize("kind", ["preread", "summary", "actions", "friday", "postmortem"])
def test_redact_works_for_every_kind(
    workspace: Path, kind: str, capsys: pytest.CaptureFixture[str]
) -> None:
    bug = ["--bug", "630"] if kind == "postmortem" else []
    assert main(["export", str(workspace), "--kind", kind, "--redact", *bug, *AS_OF]) == 0

    out = capsys.readouterr().out
    assert "Harbor" not in out and "Summit Schools" not in out
    assert "redacted" in out


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--kind", "memo"], "unknown export kind 'memo'; choose one of weekly, preread"),
        (["--kind", "postmortem"], "--kind postmortem needs the bug: --bug ID"),
        (["--kind", "summary", "--bug", "630"], "--bug goes with --kind postmortem"),
        (
            ["--kind", "summary", "--format", "csv", "--what", "bugs"],
            "--kind and --bug are for Markdown documents",
        ),
    ],
)
def test_options_that_do_not_fit_are_a_one_line_usage_error(
    workspace: Path, args: list[str], words: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", str(workspace), *args]) == 2

    captured = capsys.readouterr()
    assert captured.out == ""
    assert words in one_error_line(captured.err)


@pytest.mark.parametrize(
    ("bug", "words"),
    [
        ("5", "bug #5 is P1, not P0: a post-incident review is written for P0 incidents"),
        ("999999", "there is no bug #999999 in this workspace"),
    ],
)
def test_a_postmortem_of_a_bug_that_is_no_p0_is_one_line(
    workspace: Path, bug: str, words: str, capsys: pytest.CaptureFixture[str]
) -> None:
    out = workspace.parent / "nothing.md"
    code = main(["export", str(workspace), "--kind", "postmortem", "--bug", bug, "-o", str(out)])

    assert code == 1
    assert one_error_line(capsys.readouterr().err) == f"opstui: error: {words}"
    assert not out.exists()


def test_a_bug_id_must_be_a_positive_number(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["export", str(workspace), "--kind", "postmortem", "--bug", "x"])

    assert caught.value.code == 2
    assert "--bug" in one_error_line(capsys.readouterr().err)


def test_messages_never_import_textual(workspace: Path) -> None:
    result = run_opstui(
        "export",
        workspace.name,
        "--kind",
        "preread",
        *AS_OF,
        cwd=workspace.parent,
        importtime=True,
    )

    assert result.returncode == 0, result.stderr[-2000:]
    modules = [
        line.rsplit("|", 1)[1].strip()
        for line in result.stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    ]
    assert "opstui.export.kinds" in modules
    assert [name for name in modules if name.split(".")[0] == "textual"] == []


def test_help_lists_the_kinds(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["export", "--help"])

    out = capsys.readouterr().out
    for kind in ("preread", "summary", "actions", "friday", "postmortem"):
        assert kind in out
