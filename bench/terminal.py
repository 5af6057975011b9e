"""Run a program in a pseudo-terminal, as a user's terminal would, and watch what it shows.

The clock starts just before the process is spawned and stops when the text we wait for has
been written to the terminal (escape sequences stripped), so a cold start includes the
interpreter, every import, the first query and the first frame.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import select
import signal
import struct
import subprocess
import termios
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import TracebackType

COLUMNS = 120
LINES = 40

_ESCAPE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor moves, modes
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"  # OSC: titles, clipboard
    r"|\x1bP[^\x1b]*\x1b\\"  # DCS
    r"|\x1b[@-Z\\-_]"  # two-byte sequences
    r"|\x1b[()][0-9A-Za-z]"  # character sets
)


def visible_text(output: str) -> str:
    """`output` without terminal escape sequences."""
    return _ESCAPE.sub("", output)


def terminal_env(
    base: Mapping[str, str], config_path: Path, pycache: Path | None
) -> dict[str, str]:
    """The environment of a benchmarked program: a 120×40 xterm and a private config.

    With `pycache`, bytecode is cached there, as an installed app has it, even where the
    environment says PYTHONDONTWRITEBYTECODE (which would make every start compile opstui
    from source again).
    """
    env = {key: value for key, value in base.items() if not key.startswith("TEXTUAL")}
    env.update(
        TERM="xterm-256color",
        COLUMNS=str(COLUMNS),
        LINES=str(LINES),
        OPSTUI_CONFIG=str(config_path),
        # Who is at the keyboard is said, so the app does not stop to ask.
        OPSTUI_USER="Benchmark",
        PYTHONUNBUFFERED="1",
    )
    if pycache is not None:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(pycache)
    return env


class TerminalError(RuntimeError):
    """The program ended, or never showed what was expected, in time."""


class TerminalSession:
    """A program running in a pseudo-terminal of 120×40 cells; use as a context manager."""

    def __init__(self, argv: Sequence[str], env: Mapping[str, str], cwd: Path) -> None:
        self.argv = list(argv)
        self.env = dict(env)
        self.cwd = cwd
        self.output = bytearray()
        self._checked = 0
        self.process: subprocess.Popen[bytes] | None = None
        self._master = -1
        self.started = 0.0

    def __enter__(self) -> TerminalSession:
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", LINES, COLUMNS, 0, 0))
        self._master = master
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            self.argv,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=self.env,
            cwd=self.cwd,
            start_new_session=True,
            close_fds=True,
        )
        os.close(slave)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self.process is not None and self.process.poll() is None:
            # The whole session: a one-file binary runs the app in a child of its launcher.
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
        if self.process is not None:
            self.process.wait()
        if self._master >= 0:
            os.close(self._master)
            self._master = -1

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    @property
    def text(self) -> str:
        """Everything shown so far, without escape sequences."""
        return visible_text(self.output.decode("utf-8", "replace"))

    def _read(self, timeout: float) -> bool:
        """Read what the program wrote within `timeout`; False once it has ended."""
        ready, _, _ = select.select([self._master], [], [], max(0.0, timeout))
        if not ready:
            return True
        try:
            chunk = os.read(self._master, 1 << 16)
        except OSError:  # EIO: the program closed the terminal
            return False
        if not chunk:
            return False
        self.output += chunk
        return True

    def wait_for(self, markers: Sequence[str], timeout: float = 30.0) -> float:
        """Seconds from spawn until every marker is on screen."""
        deadline = time.perf_counter() + timeout
        while True:
            if all(marker in self.text for marker in markers):
                return time.perf_counter() - self.started
            remaining = deadline - time.perf_counter()
            if remaining <= 0 or not self._read(remaining):
                tail = self.text[-400:].strip()
                raise TerminalError(f"{' '.join(self.argv)}: {markers} not shown; last: {tail!r}")

    def wait_for_output(self, after: int, timeout: float = 30.0) -> None:
        """Wait until the program has written more than the first `after` bytes."""
        deadline = time.perf_counter() + timeout
        while len(self.output) <= after:
            remaining = deadline - time.perf_counter()
            if remaining <= 0 or not self._read(remaining):
                raise TerminalError(f"{' '.join(self.argv)} wrote nothing more")

    def settle(self, quiet: float = 0.5, timeout: float = 30.0) -> None:
        """Wait until the program has written nothing and used no CPU for `quiet` seconds."""
        deadline = time.perf_counter() + timeout
        last_change = time.perf_counter()
        last_cpu = cpu_ticks(self.pid)
        while time.perf_counter() < deadline:
            before = len(self.output)
            if not self._read(0.05):
                raise TerminalError(f"{' '.join(self.argv)} ended: {self.text[-400:]!r}")
            cpu = cpu_ticks(self.pid)
            now = time.perf_counter()
            if len(self.output) != before or cpu != last_cpu:
                last_change, last_cpu = now, cpu
            elif now - last_change >= quiet:
                return

    def wait_exit(self, timeout: float = 30.0) -> int:
        """Keep reading what the program writes (so it never blocks on a full terminal)
        until it ends; its exit code."""
        assert self.process is not None
        deadline = time.perf_counter() + timeout
        while self.process.poll() is None:
            if time.perf_counter() > deadline:
                tail = self.text[-400:].strip()
                raise TerminalError(f"{' '.join(self.argv)} did not end; last: {tail!r}")
            if not self._read(0.05):
                time.sleep(0.01)
        return self.process.returncode

    def press(self, keys: str) -> None:
        """Type `keys` into the terminal."""
        os.write(self._master, keys.encode())


def cpu_ticks(pid: int) -> int:
    """User + system CPU time the process has used, in clock ticks."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def peak_rss_mb(pid: int) -> float:
    """The process's peak resident set size so far (VmHWM), in MB."""
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    raise TerminalError(f"no VmHWM for process {pid}")


def time_to_text(
    argv: Sequence[str], markers: Sequence[str], env: Mapping[str, str], cwd: Path
) -> float:
    """Seconds from spawning `argv` in a terminal until `markers` are shown; then kill it."""
    with TerminalSession(argv, env, cwd) as session:
        return session.wait_for(markers)
