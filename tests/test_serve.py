"""`opstui serve` as whoever runs it at a shell: it refuses, in one line, to open the
workspace to other machines while nobody can sign in; it serves the page at the font size
asked for, with addresses that follow the browser's; the console tells who signs in;
Ctrl+C stops it without a traceback."""

from __future__ import annotations

import os
import shlex
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

import pytest

from opstui.cli import main
from opstui.data.access_codes import check_code, find_person, issue_code
from opstui.data.repository import Repository
from opstui.serve import SERVED_ENV, child_command

NOW = datetime(2026, 7, 6, 9, 0, tzinfo=UTC)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_serving_to_other_machines_without_any_code_is_refused_in_one_line(
    demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["serve", str(demo_path), "--host", "0.0.0.0"]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith("opstui: error: refusing to listen on 0.0.0.0: nobody has an access")
    assert "opstui people code" in err


def test_a_replaced_or_retired_persons_code_does_not_count_as_set_up(
    demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = Repository.open(demo_path)
    ana = find_person(repo, "Ana Ruiz")
    issue_code(repo, ana, NOW)
    assert ana.id is not None
    repo.set_retired(type(ana), ana.id, NOW.date())
    repo.close()
    assert main(["serve", str(demo_path), "--host", "192.0.2.1"]) == 1
    assert "refusing to listen on 192.0.2.1" in capsys.readouterr().err


def test_serve_of_a_missing_workspace_or_a_busy_port_is_one_line(
    tmp_path: Path, demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["serve", str(tmp_path / "none.db")]) == 1
    assert capsys.readouterr().err == f"opstui: error: {tmp_path / 'none.db'}: no such workspace\n"
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert main(["serve", str(demo_path), "--port", str(port)]) == 1
    assert capsys.readouterr().err == (
        f"opstui: error: cannot listen on 127.0.0.1:{port}: the port is in use\n"
    )


@pytest.mark.parametrize("size", ["4", "big", "200"])
def test_a_font_size_out_of_range_is_a_usage_error(
    demo_path: Path, size: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["serve", str(demo_path), "--font-size", size])
    assert exited.value.code == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_each_session_runs_this_opstui_on_the_workspace_whatever_its_name(tmp_path: Path) -> None:
    odd = tmp_path / "a week's $(review) workspace.db"
    command = shlex.split(child_command(odd, "2026-07-06"))
    assert command == [
        sys.executable,
        "-m",
        "opstui",
        str(odd.resolve()),
        "--as-of",
        "2026-07-06",
    ]


def _page(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return str(response.read().decode("utf-8"))


def test_the_served_page_has_the_font_size_asked_for_and_the_console_tells_who_signs_in(
    demo_path: Path,
) -> None:
    repo = Repository.open(demo_path)
    code = issue_code(repo, find_person(repo, "Ana Ruiz"), NOW)
    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "opstui",
            "serve",
            str(demo_path),
            "--host",
            "0.0.0.0",
            "--port",
            str(port),
            "--font-size",
            "28",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "NO_COLOR": "1", "COLUMNS": "200"},
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                page = _page(f"http://127.0.0.1:{port}/")
                break
            except OSError:
                assert server.poll() is None
                assert time.monotonic() < deadline
                time.sleep(0.2)
        assert 'data-font-size="28"' in page
        # The addresses follow the one the browser used, not the address listened on.
        assert f'data-session-websocket-url="ws://127.0.0.1:{port}/ws"' in page
        assert f"http://127.0.0.1:{port}/static/js/textual.js" in page
        assert "Grace Kim" not in page and "demo" not in page.lower()
        assert 'data-font-size="12"' in _page(f"http://127.0.0.1:{port}/?fontsize=12")

        # A sign-in by any session shows on the console.
        assert check_code(repo, code, NOW).signed_in
        assert not check_code(repo, "bad", NOW).signed_in
        time.sleep(2.5)
    finally:
        repo.close()
        server.send_signal(signal.SIGINT)
        output, _ = server.communicate(timeout=30)
    assert server.returncode == 0, output
    assert "Traceback" not in output, output
    assert f"opstui: serving {demo_path} on http://127.0.0.1:{port}/" in output
    assert "1 person can sign in" in output
    assert "Ana Ruiz signed in" in output
    assert "sign-in refused: a wrong code" in output
    assert output.rstrip().endswith("opstui: stopped"), output


def test_a_served_session_is_known_by_its_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    from opstui.serve import is_served

    monkeypatch.delenv(SERVED_ENV, raising=False)
    assert not is_served()
    monkeypatch.setenv(SERVED_ENV, "1")
    assert is_served()
