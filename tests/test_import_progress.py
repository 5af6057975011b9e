"""A long import tells its progress on stderr when stderr is a terminal (rows, rows per
second, time left) and says nothing there when it is not (a script, cron, a pipe)."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

from bench.jira_export import write_jira_csv

from opstui.cli import main


def test_progress_goes_to_a_terminal_and_never_to_a_pipe(tmp_path: Path) -> None:
    export = write_jira_csv(tmp_path / "jira.csv", 5000)
    assert main(["init", str(tmp_path / "a.db")]) == 0
    assert main(["init", str(tmp_path / "b.db")]) == 0
    argv = [sys.executable, "-m", "opstui", "import"]

    leader, follower = pty.openpty()
    try:
        process = subprocess.Popen(
            [*argv, "a.db", str(export), "--company", "Company A"],
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=follower,
        )
        os.close(follower)
        shown = b""
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # the child closed its end
                break
            if not chunk:
                break
            shown += chunk
        stdout, _ = process.communicate(timeout=120)
    finally:
        os.close(leader)
    piped = subprocess.run(
        [*argv, "b.db", str(export), "--company", "Company A"],
        cwd=tmp_path,
        capture_output=True,
        timeout=120,
        check=False,
    )

    assert process.returncode == 0
    assert b"bugs: 4,900 created" in stdout
    text = shown.decode("utf-8", "replace")
    assert "2,000 rows · " in text and " rows/s" in text and "s left" in text
    assert text.endswith("\r\x1b[K")  # the line is cleared before the summary
    assert piped.returncode == 0
    assert piped.stderr == b""
    assert b"bugs: 4,900 created" in piped.stdout
