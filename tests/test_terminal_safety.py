"""The real program, in a real pseudo-terminal, on a workspace full of hostile text.

Every text column and meta value of the workspace starts with control sequences that would
write the clipboard (OSC 52), set the window title (OSC 0) and clear the screen (CSI 2J, and
its 8-bit form 0x9b), plus live markup. A user visits every screen and detail view; the
bytes the program writes to the terminal must hold none of those sequences. (Textual itself
writes one kind of OSC: the mouse pointer's shape, OSC 22.)
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from pathlib import Path

from bench.terminal import TerminalSession, terminal_env, visible_text

from tests.conftest import SAMPLE
from tests.hostile import MARKUP, poison

ENTER, ESC = "\r", "\x1b"
# Every screen and every detail view one key away, and back.
WALK = [
    ENTER, ESC,  # project form
    "2", ENTER, ESC, "v", ENTER, ESC, "f", ESC, "v",  # bug detail, all bugs, filters
    "3", ENTER, ESC, "b", ENTER, ESC, "b",  # customer detail, request board and detail
    "4", ENTER, ESC, "l", ENTER, ESC, "l", ENTER, ESC, "l", "l", "l",  # weekly tabs
    "e", ESC,  # export preview
    "m", *["n"] * 7, ESC,  # meeting mode, every section
]  # fmt: skip
TEXTUAL_POINTER_SHAPE = re.compile(rb"\x1b\]22;[a-z-]*\x07")
OSC = re.compile(rb"\x1b\]")
CLEAR = re.compile(rb"\x1b\[[0-9;?]*J")


def test_no_control_sequence_from_data_reaches_the_terminal(tmp_path: Path) -> None:
    workspace = tmp_path / "hostile.db"
    shutil.copyfile(SAMPLE, workspace)
    poison(workspace)
    env = terminal_env(os.environ, tmp_path / "config.toml", None)
    argv = [sys.executable, "-m", "opstui", str(workspace), "--as-of", "2026-07-06"]
    with TerminalSession(argv, env, tmp_path) as terminal:
        terminal.wait_for(["On track"])
        for key in WALK:
            terminal.press(key)
            terminal.settle(quiet=0.2)
        seen = visible_text(terminal.output.decode("utf-8", "replace"))
        terminal.press("q")
        assert terminal.process is not None
        assert terminal.process.wait(timeout=30) == 0
    output = bytes(terminal.output)
    others = OSC.findall(TEXTUAL_POINTER_SHAPE.sub(b"", output))
    assert others == [], "an OSC sequence other than Textual's pointer shape was written"
    assert CLEAR.findall(output) == []
    # No 8-bit CSI: the stream is valid UTF-8 (so no stray 0x9b byte) without U+009B.
    assert "\x9b" not in output.decode("utf-8")
    # The walk really showed the data: the payload's markup is on screen, as text.
    for shown in (MARKUP, "Customer health", "Meeting"):
        assert shown in seen, f"{shown!r} never shown"
