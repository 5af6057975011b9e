"""The import figures: a Jira CSV export of N rows (`bench.jira_export`) into an empty
workspace, whole process, with its peak RSS; the same file again (nothing changes, and the
workspace must stay byte for byte); and `opstui sample --bugs N` in the same run, as the
baseline of writing N bugs.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

from bench.jira_export import cached_jira_csv
from bench.processes import CommandUnavailable
from bench.report import Results


def _peak_kb(pid: int) -> int | None:
    """The process's peak resident set (VmHWM) so far, in kB; None once it has ended."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def run_measured(
    argv: Sequence[str], env: Mapping[str, str], cwd: Path
) -> tuple[float, float, str]:
    """Seconds from spawn to exit, the peak RSS in MB and what it printed.

    The peak is the program's own VmHWM, read every few milliseconds while it runs: the
    `ru_maxrss` of `wait4` would count the pages the child had from this (much larger)
    process between fork and exec.
    """
    peak = 0
    with tempfile.TemporaryFile() as output:
        started = time.perf_counter()
        process = subprocess.Popen(
            list(argv), stdout=output, stderr=subprocess.STDOUT, env=dict(env), cwd=cwd
        )
        running = threading.Event()
        running.set()

        def watch() -> None:
            nonlocal peak
            while running.is_set():
                found = _peak_kb(process.pid)
                if found is not None:
                    peak = max(peak, found)
                time.sleep(0.005)

        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        process.wait()
        elapsed = time.perf_counter() - started
        running.clear()
        watcher.join()
        output.seek(0)
        text = output.read().decode("utf-8", "replace")
    if process.returncode != 0:
        last = text.strip().splitlines()
        raise CommandUnavailable(f"exit {process.returncode}: {last[-1] if last else ''}")
    return elapsed, peak / 1024, text


def _opstui(*arguments: str) -> list[str]:
    return [sys.executable, "-m", "opstui", *arguments]


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def measure_import(
    sizes: Sequence[int],
    repeats: int,
    results: Results,
    env: Mapping[str, str],
    scratch: Path,
    cache: Path,
) -> None:
    """For each row count: import into a new workspace, import again, `sample --bugs N`."""
    for rows in sizes:
        export = cached_jira_csv(rows, cache)
        for number in range(repeats):
            workspace = scratch / f"import-{rows}-{number}.db"
            run_measured(_opstui("init", str(workspace)), env, scratch)
            seconds, rss, _ = run_measured(
                _opstui("import", str(workspace), str(export), "--company", "Company A"),
                env,
                scratch,
            )
            results.add("import", rows, seconds * 1000)
            results.add("import_rss", rows, rss)
            before = _digest(workspace)
            seconds, _, printed = run_measured(
                _opstui("import", str(workspace), str(export), "--company", "Company A"),
                env,
                scratch,
            )
            if _digest(workspace) != before or " 0 created, 0 updated," not in printed:
                results.unavailable["reimport"] = "the second import changed the workspace"
            results.add("reimport", rows, seconds * 1000)
            sample = scratch / f"sample-{rows}-{number}.db"
            seconds, _, _ = run_measured(
                _opstui("sample", "--out", str(sample), "--bugs", str(rows)), env, scratch
            )
            results.add("sample_bugs", rows, seconds * 1000)
            for path in (workspace, sample):
                path.unlink(missing_ok=True)
