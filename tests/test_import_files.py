"""Files that are not an export, or not UTF-8: one clear line, nothing imported, nothing
opened for writing. UTF-8 with or without a BOM is what every tool here can save."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from opstui.cli import main

FIXTURES = Path(__file__).parent / "fixtures" / "import"


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    path = tmp_path / "team.db"
    assert main(["init", str(path)]) == 0
    return path


def one_error(capsys: pytest.CaptureFixture[str]) -> str:
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert len(lines) == 1, captured.err
    assert "Traceback" not in captured.err
    return lines[0]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_latin1_csv_is_refused_naming_the_line_and_the_byte(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = sha256(workspace)

    code = main(["import", str(workspace), str(FIXTURES / "latin1.csv")])

    assert code == 1
    assert one_error(capsys) == (
        f"opstui: error: {FIXTURES / 'latin1.csv'}: line 3 is not UTF-8 text (byte 0xe9); "
        "save the file as UTF-8 (with or without BOM) and import again; nothing was imported"
    )
    assert sha256(workspace) == before


@pytest.mark.parametrize(
    ("content", "words"),
    [
        pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "a PNG image", id="png"),
        pytest.param(
            b"PK\x03\x04\x14\x00\x06\x00", "a ZIP archive (an .xlsx spreadsheet?)", id="xlsx"
        ),
        pytest.param(b"\x00\x01\x02\x03binary\xff\xfe", "a binary file", id="binary"),
        pytest.param(
            "title,opened\nx,2026-01-01\n".encode("utf-16"),
            "UTF-16 or UTF-32 text, not UTF-8",
            id="utf-16",
        ),
    ],
)
def test_a_binary_or_utf16_file_is_one_clear_line(
    workspace: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, words: str
) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(content)
    before = sha256(workspace)

    code = main(["import", str(workspace), str(path)])

    assert code == 1
    line = one_error(capsys)
    assert line.startswith(f"opstui: error: {path}: {words}")
    assert line.endswith("nothing was imported")
    assert sha256(workspace) == before


def test_a_workspace_given_as_the_file_to_import_is_refused(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["import", str(workspace), str(workspace)])

    assert code == 1
    assert "a SQLite database, not CSV or JSON text" in one_error(capsys)


def test_an_empty_file_and_a_missing_file_are_one_line_each(
    workspace: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"\xef\xbb\xbf\r\n")

    assert main(["import", str(workspace), str(empty)]) == 1
    assert one_error(capsys) == f"opstui: error: {empty}: empty file, nothing was imported"
    assert main(["import", str(workspace), str(tmp_path / "nope.csv")]) == 1
    assert one_error(capsys) == (
        f"opstui: error: {tmp_path / 'nope.csv'}: no such file; nothing was imported"
    )


def test_json_that_is_not_gh_output_says_what_it_expected(
    workspace: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "data.json"
    path.write_text('[{"name": "not an issue"}]', encoding="utf-8")

    assert main(["import", str(workspace), str(path)]) == 1

    line = one_error(capsys)
    assert "JSON, but not `gh issue list --json number,title,state,stateReason" in line


def test_broken_json_names_its_line(
    workspace: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "broken.json"
    path.write_text('[{"title": "a", "url": "u", "number": 1,\n "state": }]', encoding="utf-8")

    assert main(["import", str(workspace), str(path)]) == 1

    assert "line 2: not valid JSON (Expecting value)" in one_error(capsys)


def test_a_file_for_the_wrong_format_is_refused_by_name(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["import", str(workspace), str(FIXTURES / "linear.csv"), "--format", "jira"])

    assert code == 1
    assert "not a Jira export (no 'Issue key' and 'Summary' columns)" in one_error(capsys)
