"""The single binary next to the virtual-environment install: size and cold starts, one table.

    python bench/binary.py                      # dist/opstui against this venv, 7 repeats
    python bench/binary.py --repeats 3 --binary "one folder=build/binary/opstui/opstui"

Every program runs as a colleague would start it: `PATH=/usr/bin:/bin`, a private HOME,
config and TMPDIR, nothing of this environment inherited. Runs are interleaved (each repeat
runs every program once per figure), so drifting load hits them alike, and one unrecorded
run of each comes first (disk cache; the venv's bytecode, cached as an installed app has it;
what a build unpacks into the user's cache on its first run). "first `--version`" empties that
cache before each of its runs: the first run on a machine.
The TUI runs in a 120×40 pseudo-terminal until the portfolio's data shows ("On track") and
is then quit with `q`, so a one-file build cleans up its unpacked files. H, the smallest
Textual app (`bench/minimal_app.py`) from spawn to its first frame on this venv, is timed in
the same repeats. The targets apply to the first `--binary`; the table goes to stdout,
progress to stderr.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

# `python bench/binary.py` puts bench/ itself on the path; the package is one level up.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.processes import run_seconds
from bench.report import machine
from bench.terminal import TerminalSession, terminal_env
from opstui.data.sample import DEMO_TODAY, DEMO_WEEK

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "sample.db"
DEFAULT_BINARY = ROOT / "dist" / "opstui"
MINIMAL_APP = ROOT / "bench" / "minimal_app.py"
PYCACHE = ROOT / "bench" / ".cache" / "pycache"

TUI_TARGET = 1.2
"""The binary's cold start to the portfolio's data, at most this many times the venv's."""
VERSION_TARGET = 2.0
"""The binary's `--version`, at most this many times the venv's."""
SIZE_TARGET_MB = 60.0

FIGURES = ("first", "version", "export", "tui")
LABELS = {
    "first": "first `--version`",
    "version": "`--version`",
    "export": "`export` demo",
    "tui": "TUI → first data",
}


@dataclass(slots=True)
class Program:
    """One way of running opstui, and what it measured."""

    label: str
    argv: list[str]
    size_mb: float | None
    bytecode_cache: bool = False
    samples: dict[str, list[float]] = field(default_factory=dict)

    def median(self, figure: str) -> float:
        return statistics.median(self.samples[figure])


def size_mb(executable: Path) -> float:
    """What is copied to hand the program on: the file, or the folder a one-folder build
    needs beside it (PyInstaller's `_internal/`, Nuitka's `NAME.dist/`)."""
    folder = executable.parent
    if (folder / "_internal").is_dir() or folder.name.endswith(".dist"):
        files = [path for path in folder.rglob("*") if path.is_file() and not path.is_symlink()]
        return sum(path.stat().st_size for path in files) / 1e6
    return executable.stat().st_size / 1e6


def venv_program() -> Program:
    script = Path(sys.executable).parent / "opstui"
    argv = [str(script)] if script.is_file() else [sys.executable, "-m", "opstui"]
    return Program("venv (`pip install -e .`)", argv, None, bytecode_cache=True)


def binary_program(spec: str) -> Program:
    label, _, path_text = spec.rpartition("=")
    path = Path(path_text).resolve()
    if not os.access(path, os.X_OK):
        raise SystemExit(f"bench/binary.py: {path} is not an executable (build it first)")
    return Program(label or path.name, [str(path)], size_mb(path))


def bare_env(program: Program, home: Path) -> dict[str, str]:
    """Only what a fresh login shell on another machine would have, plus the terminal."""
    (home / "tmp").mkdir(parents=True, exist_ok=True)
    base = {"PATH": "/usr/bin:/bin", "HOME": str(home), "TMPDIR": str(home / "tmp")}
    return terminal_env(base, home / "config.toml", PYCACHE if program.bytecode_cache else None)


def time_tui(argv: list[str], env: dict[str, str], cwd: Path) -> float:
    """Seconds from spawn until the portfolio's data is on screen; then quit with `q`."""
    with TerminalSession(argv, env, cwd) as session:
        seconds = session.wait_for(["On track"])
        session.press("q")
        session.wait_exit()
        return seconds


def run_once(figure: str, program: Program, home: Path) -> float:
    """One run of `figure` by `program`, in seconds; its HOME, config and workspace in `home`."""
    env = bare_env(program, home)
    workspace = home / "workspace.db"
    if not workspace.exists():
        shutil.copyfile(DEMO, workspace)
    as_of = ["--as-of", DEMO_TODAY.isoformat()]
    if figure == "first":
        # The first run on a machine: nothing unpacked in the user's cache yet.
        shutil.rmtree(home / ".cache", ignore_errors=True)
    if figure in ("first", "version"):
        return run_seconds([*program.argv, "--version"], env, home)
    if figure == "export":
        export = ["export", str(workspace), "--week", DEMO_WEEK, *as_of]
        return run_seconds([*program.argv, *export], env, home)
    return time_tui([*program.argv, *as_of, str(workspace)], env, home)


def time_h(home: Path) -> float:
    """Seconds from spawning the smallest Textual app on this venv until it shows "ready"."""
    env = bare_env(Program("H", [], None, bytecode_cache=True), home)
    with TerminalSession([sys.executable, str(MINIMAL_APP)], env, home) as session:
        return session.wait_for(["ready"])


def measure(programs: list[Program], repeats: int, warmup: bool, scratch: Path) -> list[float]:
    """Every program's figures into its samples; H's samples, in milliseconds."""
    h_samples: list[float] = []
    for index in range(repeats + (1 if warmup else 0)):
        recorded = index > 0 or not warmup
        seconds = time_h(scratch / "home-h")
        if recorded:
            h_samples.append(seconds * 1000)
        for number, program in enumerate(programs):
            for figure in FIGURES:
                seconds = run_once(figure, program, scratch / f"home-{number}")
                if recorded:
                    program.samples.setdefault(figure, []).append(seconds * 1000)
        print(f"bench: repeat {index + 1} of {repeats + (1 if warmup else 0)}", file=sys.stderr)
    return h_samples


def ms(value: float) -> str:
    return f"{value:,.0f} ms"


def verdict(value: float, target: float) -> str:
    if value <= target:
        return "pass"
    return f"**miss** ({value / target - 1:.0%} over)"


def markdown(
    programs: list[Program], h_ms: float, host: dict[str, str], notes: dict[str, str]
) -> str:
    venv, chosen = programs[0], programs[1]
    header = " | ".join(LABELS[figure] for figure in FIGURES)
    lines = [
        f"| Program (median) | Size | {header} | first data in H "
        "| first data ÷ venv | `--version` ÷ venv |",
        "|---|---:|" + "---:|" * len(FIGURES) + "---:|---:|---:|",
    ]
    for program in programs:
        size = "—" if program.size_mb is None else f"{program.size_mb:.1f} MB"
        cells = " | ".join(ms(program.median(figure)) for figure in FIGURES)
        in_h = program.median("tui") / h_ms
        tui = program.median("tui") / venv.median("tui")
        version = program.median("version") / venv.median("version")
        lines.append(
            f"| {program.label} | {size} | {cells} | {in_h:.1f} H | {tui:.2f}× | {version:.2f}× |"
        )
    tui_ratio = chosen.median("tui") / venv.median("tui")
    version_ratio = chosen.median("version") / venv.median("version")
    assert chosen.size_mb is not None
    lines += [
        "",
        f"| Target ({chosen.label}) | Figure | Result |",
        "|---|---:|---|",
        f"| TUI → first data ≤ {TUI_TARGET}× the venv's | {tui_ratio:.2f}× "
        f"| {verdict(tui_ratio, TUI_TARGET)} |",
        f"| `--version` ≤ {VERSION_TARGET:.0f}× the venv's | {version_ratio:.2f}× "
        f"| {verdict(version_ratio, VERSION_TARGET)} |",
        f"| Size ≤ {SIZE_TARGET_MB:.0f} MB | {chosen.size_mb:.1f} MB "
        f"| {verdict(chosen.size_mb, SIZE_TARGET_MB)} |",
        "",
        f"H (the smallest Textual app on the venv, spawn to first frame, median): {ms(h_ms)}.",
        "Machine: " + "; ".join(f"{key} {value}" for key, value in host.items()) + ".",
        "Run: " + "; ".join(f"{key} {value}" for key, value in notes.items()) + ".",
    ]
    return "\n".join(lines)


def _arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python bench/binary.py",
        description=__doc__.split("\n\n")[0] if __doc__ else None,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--binary",
        action="append",
        metavar="LABEL=PATH",
        help="a built program to compare (repeatable; the first one is held to the targets; "
        "default: dist/opstui)",
    )
    parser.add_argument("--repeats", type=int, default=7, help="runs per figure (default 7)")
    parser.add_argument("--no-warmup", action="store_true", help="record the first run too")
    parser.add_argument("--json", type=Path, help="also write every sample to this file")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = _arguments(argv)
    specs = args.binary or [f"dist/opstui (launcher + PyInstaller one folder)={DEFAULT_BINARY}"]
    programs = [venv_program(), *(binary_program(spec) for spec in specs)]
    started = time.perf_counter()
    load_before = os.getloadavg()[0]
    print(f"bench: {len(programs)} programs, {args.repeats} repeats", file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="opstui-binary-bench-") as temporary:
        h_samples = measure(programs, args.repeats, not args.no_warmup, Path(temporary))
    notes = {
        "repeats": str(args.repeats),
        "took": f"{time.perf_counter() - started:.0f} s",
        "load average (1 min) before/after": f"{load_before:.2f}/{os.getloadavg()[0]:.2f}",
    }
    print(markdown(programs, statistics.median(h_samples), machine(), notes))
    if args.json:
        samples: dict[str, object] = {program.label: program.samples for program in programs}
        samples["H"] = h_samples
        args.json.write_text(json.dumps(samples, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
