"""Whole-process timings of command-line runs: `opstui export` and its baselines."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path


class CommandUnavailable(Exception):
    """The command cannot be benchmarked here (the message says why, on one line)."""


def run_seconds(argv: Sequence[str], env: Mapping[str, str], cwd: Path) -> float:
    """Seconds `argv` takes from spawn to exit, its output read through a pipe."""
    started = time.perf_counter()
    completed = subprocess.run(argv, capture_output=True, env=env, cwd=cwd, check=False)
    elapsed = time.perf_counter() - started
    if completed.returncode != 0:
        message = completed.stderr.decode("utf-8", "replace").strip().splitlines()
        raise CommandUnavailable(
            f"exit {completed.returncode}: {message[-1] if message else 'no message'}"
        )
    return elapsed


def export_argv(workspace: Path) -> list[str]:
    return [sys.executable, "-m", "opstui", "export", str(workspace)]


def check_export(env: Mapping[str, str], cwd: Path) -> None:
    """Raise `CommandUnavailable` unless this opstui has an `export` command."""
    usage = subprocess.run(
        [sys.executable, "-m", "opstui", "export", "--help"],
        capture_output=True,
        env=env,
        cwd=cwd,
        check=False,
    )
    if usage.returncode != 0 or b"opstui export" not in usage.stdout:
        raise CommandUnavailable("export command not available")


BASELINES: dict[str, list[str]] = {
    "python_pass": [sys.executable, "-c", "pass"],
    "opstui_version": [sys.executable, "-m", "opstui", "--version"],
}
"""Size-independent runs measured next to the export, in the same run."""
