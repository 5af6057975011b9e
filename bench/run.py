"""Benchmark opstui at scale and print a Markdown table of medians against the targets.

    python bench/run.py            # full: 100k and 1M bugs, 5 repeats
    python bench/run.py --quick    # the same sizes, 3 repeats

The 100,000-bug workspace has 2,000 projects and 5,000 customers, the 1,000,000-bug one
10,000 projects and 20,000 customers; both are made by the project's own generator and
cached (keyed by size and the generator's hash). Cold starts and peak RSS are measured on
the real program in a 120×40 pseudo-terminal; screen timings in-process, headless, from the
key to the frame that shows its result. Every time is also a multiple of H, the smallest
Textual app's cold start measured in the same run. The table goes to stdout, progress to
stderr.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

# `python bench/run.py` puts bench/ itself on the path; the package is one level up.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import processes
from bench.importing import measure_import, run_measured
from bench.report import SIZE_INDEPENDENT, Results, machine, markdown
from bench.terminal import TerminalError, TerminalSession, peak_rss_mb, terminal_env
from bench.workspaces import DEFAULT_CACHE, WorkspaceSize, cached_workspace, working_copy
from opstui.data.sample import DEMO_TODAY, DEMO_WEEK, generate

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
MINIMAL_APP = BENCH / "minimal_app.py"
PROJECTS = 2_000
CUSTOMERS = 5_000
DEMO_PROJECTS = 16
DEMO_CUSTOMERS = 16
"""What `opstui sample --bugs N` makes besides the bugs: the demo's projects and customers."""

Progress = Callable[[str], None]


class MeasurementError(RuntimeError):
    """An in-process measurement failed (its last line of stderr says why)."""


@dataclass(frozen=True, slots=True)
class Plan:
    """What one run measures, and how often."""

    sizes: tuple[WorkspaceSize, ...]
    repeats: int
    triage_steps: int = 10
    """Triage decisions per repeat."""
    rss_runs: int = 2
    """Terminal runs per size for the bugs-screen launch and the peak RSS."""
    warmup: bool = True
    """One unrecorded run of each program first (disk cache, bytecode)."""
    quiet: float = 0.5
    """Seconds without output or CPU use that count as "the screen has settled"."""
    cache_bytecode: bool = True
    """Run the programs with their bytecode cached in the cache directory (see `--help`)."""
    portfolio_word: str = "invoice"
    """Typed letter by letter into the portfolio's filter (matches at every prefix)."""
    bugs_word: str = "timeout"
    """Typed letter by letter into the all-bugs filter."""
    mode: str = "full"
    import_repeats: int = 3
    """Runs of the import figures per size (an import of 100,000 rows takes seconds)."""
    import_only: bool = False
    """Measure the import figures only (`--import-only`)."""


SCALES = {1_000_000: (10_000, 20_000)}
"""The projects and customers a size has when it is not `PROJECTS` and `CUSTOMERS`: the
largest size the product promises is 1,000,000 bugs, 10,000 projects, 20,000 customers."""
IMPORT_LIMIT = 100_000
"""The largest size the import figures are measured at (a minute per run past it)."""


def sizes_of(bugs: Sequence[int]) -> tuple[WorkspaceSize, ...]:
    return tuple(WorkspaceSize(count, *SCALES.get(count, (PROJECTS, CUSTOMERS))) for count in bugs)


FULL = Plan(sizes_of((100_000, 1_000_000)), repeats=5)
QUICK = Plan(
    sizes_of((100_000, 1_000_000)),
    repeats=3,
    triage_steps=5,
    rss_runs=1,
    mode="quick",
    import_repeats=1,
)


def measure_sample(
    size: WorkspaceSize, results: Results, env: dict[str, str], scratch: Path
) -> None:
    """`opstui sample` of the whole largest size, once: its time and peak RSS."""
    out = scratch / f"sample-{size.slug}.db"
    seconds, rss, _ = run_measured(
        [
            sys.executable,
            "-m",
            "opstui",
            "sample",
            "--out",
            str(out),
            "--bugs",
            str(size.bugs),
            "--projects",
            str(size.projects),
            "--customers",
            str(size.customers),
        ],
        env,
        scratch,
    )
    out.unlink(missing_ok=True)
    results.add("sample_full", size.bugs, seconds * 1000)
    results.add("sample_full_rss", size.bugs, rss)


def _opstui(*arguments: str) -> list[str]:
    return [sys.executable, "-m", "opstui", "--as-of", DEMO_TODAY.isoformat(), *arguments]


Stage = tuple[str, list[str]]
"""A figure and the text whose appearance on screen ends it."""

FIRST_FRAME: Stage = ("cold_frame", ["Portfolio", f"Week {DEMO_WEEK}"])  # the header
FIRST_DATA: Stage = ("cold_start", ["On track"])  # the portfolio's summary and status words


def measure_cold_start(
    plan: Plan,
    workspaces: dict[int, Path],
    results: Results,
    env: dict[str, str],
    cwd: Path,
    demo: Path | None = None,
) -> None:
    """`opstui WORKSPACE` until the portfolio's figures show, next to the smallest app (and
    the demo workspace as `opstui sample` makes it, when given)."""
    minimal = [sys.executable, str(MINIMAL_APP)]
    runs: list[tuple[int, list[str], list[Stage]]] = []
    for _ in range(plan.repeats):  # interleaved, so drifting noise hits both alike
        runs.append((SIZE_INDEPENDENT, minimal, [("minimal_app", ["ready"])]))
        if demo is not None:
            stages = [("cold_frame_demo", FIRST_FRAME[1]), ("cold_start_demo", FIRST_DATA[1])]
            runs.append((SIZE_INDEPENDENT, _opstui(str(demo)), stages))
        for bugs, path in sorted(workspaces.items()):
            runs.append((bugs, _opstui(str(path)), [FIRST_FRAME, FIRST_DATA]))
    if plan.warmup:  # unrecorded
        smallest = str(workspaces[min(workspaces)])
        runs[:0] = [(0, minimal, [("", ["ready"])]), (0, _opstui(smallest), [("", ["On track"])])]
    for bugs, argv, stages in runs:
        with TerminalSession(argv, env, cwd) as session:
            for key, markers in stages:
                seconds = session.wait_for(markers)
                if key:
                    results.add(key, bugs, seconds * 1000)


def measure_terminal_bugs(
    plan: Plan, workspaces: dict[int, Path], results: Results, env: dict[str, str], cwd: Path
) -> None:
    """`--screen bugs` until its rows show, and its peak RSS once the matrix is in; then the
    whole app's peak RSS: launched as a user does (on the portfolio), every screen visited."""
    for bugs, path in sorted(workspaces.items()):
        for _ in range(plan.rss_runs):
            with TerminalSession(_opstui("--screen", "bugs", str(path)), env, cwd) as session:
                results.add("bugs_launch", bugs, session.wait_for(["Triage inbox", "left"]) * 1000)
                session.wait_for(["Untriaged", "escalations"])  # the matrix and the count
                session.settle(plan.quiet)
                results.add("rss_bugs", bugs, peak_rss_mb(session.pid))
            with TerminalSession(_opstui(str(path)), env, cwd) as session:
                session.wait_for(["On track", "escalations"])
                session.settle(plan.quiet)
                for screen in "bcw":  # bugs, customers, weekly: `g` then the screen's letter
                    session.press("g")
                    session.settle(plan.quiet)
                    session.press(screen)
                    session.settle(plan.quiet)
                results.add("rss_all", bugs, peak_rss_mb(session.pid))


def _fresh_process(arguments: list[str], env: dict[str, str]) -> object:
    """Run one in-process measurement (`bench.frames`) in a new interpreter; its JSON."""
    env = dict(env, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")])))
    completed = subprocess.run(
        [sys.executable, "-m", "bench.frames", *arguments, "--today", DEMO_TODAY.isoformat()],
        capture_output=True,
        env=env,
        cwd=ROOT,
        check=False,
    )
    if completed.returncode != 0:
        error = completed.stderr.decode("utf-8", "replace").strip().splitlines()
        raise MeasurementError(f"bench.frames {arguments[0]}: {error[-1] if error else 'failed'}")
    return json.loads(completed.stdout.splitlines()[-1])


def measure_in_process(
    plan: Plan,
    workspaces: dict[int, Path],
    results: Results,
    env: dict[str, str],
    scratch: Path,
    progress: Progress,
) -> None:
    """Bugs screen, filters and triage, headless, each key timed to its frame."""
    for bugs, path in sorted(workspaces.items()):
        progress(f"in-process, {bugs:,} bugs")
        for _ in range(plan.repeats):
            for what, key in (
                ("open", "bugs_open"),
                ("customers", "customers_open"),
                ("changes", "changes_tab"),
            ):
                opened = _fresh_process([what, str(path)], env)
                assert isinstance(opened, float)
                results.add(key, bugs, opened)
        copy = working_copy(path, scratch, f"triage-{bugs}.db")  # the triage writes
        session = _fresh_process(
            [
                "session",
                str(copy),
                f"--repeats={plan.repeats}",
                f"--portfolio-word={plan.portfolio_word}",
                f"--bugs-word={plan.bugs_word}",
                f"--triage-steps={plan.triage_steps}",
            ],
            env,
        )
        assert isinstance(session, dict)
        for key in ("portfolio_filter", "palette", "bugs_filter", "triage", "sort"):
            results.add(key, bugs, *session[key])


def measure_processes(
    plan: Plan,
    workspaces: dict[int, Path],
    results: Results,
    env: dict[str, str],
    cwd: Path,
    demo_workspaces: dict[int, Path] | None = None,
) -> None:
    """`opstui export` at each size, next to `python -c pass` and `opstui --version`."""
    runs: list[tuple[str, int, list[str]]] = []
    try:
        processes.check_export(env, cwd)
    except processes.CommandUnavailable as reason:
        results.unavailable["export"] = str(reason)
    else:
        for bugs, path in sorted(workspaces.items()):
            runs.append(("export", bugs, processes.export_argv(path)))
        for bugs, path in sorted((demo_workspaces or {}).items()):
            runs.append(("export_demo", bugs, processes.export_argv(path)))
    for key, argv in processes.BASELINES.items():
        runs.append((key, SIZE_INDEPENDENT, argv))
    for index in range(plan.repeats + (1 if plan.warmup else 0)):
        for key, bugs, argv in runs:
            if key in results.unavailable:
                continue
            try:
                seconds = processes.run_seconds(argv, env, cwd)
            except processes.CommandUnavailable as failure:
                if not key.startswith("export"):
                    raise
                results.unavailable[key] = f"export failed: {failure}"
                results.samples.pop(key, None)
                continue
            if index > 0 or not plan.warmup:
                results.add(key, bugs, seconds * 1000)


def run_benchmark(plan: Plan, cache: Path = DEFAULT_CACHE, progress: Progress = print) -> Results:
    """Measure every figure of `plan`; workspaces come from (and go to) `cache`."""
    started = time.perf_counter()
    load_before = os.getloadavg()[0]
    results = Results(list(plan.sizes), plan.repeats, mode=plan.mode)
    with tempfile.TemporaryDirectory(prefix="opstui-bench-") as temporary:
        scratch = Path(temporary)
        workspaces: dict[int, Path] = {}
        for size in plan.sizes:
            began = time.perf_counter()
            source, generated = cached_workspace(size, cache)
            if generated:
                progress(f"generated {size.label} in {time.perf_counter() - began:.1f} s")
            workspaces[size.bugs] = working_copy(source, scratch, f"{size.slug}.db")
        # The same bug counts with the demo's own projects and customers, as
        # `opstui sample --bugs N` makes them: the export figure of a demo-sized portfolio.
        demo_workspaces: dict[int, Path] = {}
        for size in plan.sizes:
            demo = WorkspaceSize(size.bugs, DEMO_PROJECTS, DEMO_CUSTOMERS)
            source, generated = cached_workspace(demo, cache)
            if generated:
                progress(f"generated {demo.label} (demo's projects and customers)")
            demo_workspaces[size.bugs] = working_copy(source, scratch, f"{demo.slug}.db")
        pycache = cache / "pycache" if plan.cache_bytecode else None
        env = terminal_env(os.environ, scratch / "config.toml", pycache)
        if plan.import_only:
            progress("import of a Jira CSV export, again, and sample --bugs N")
            sizes = [size.bugs for size in plan.sizes]
            measure_import(sizes, plan.import_repeats, results, env, scratch, cache)
            results.seconds = time.perf_counter() - started
            results.load = (load_before, os.getloadavg()[0])
            return results
        progress("cold start (pseudo-terminal)")
        demo_file = generate(scratch / "demo.db")  # what `opstui sample` and `opstui demo` open
        measure_cold_start(plan, workspaces, results, env, scratch, demo_file)
        progress("bugs screen launch and peak RSS (pseudo-terminal)")
        measure_terminal_bugs(plan, workspaces, results, env, scratch)
        measure_in_process(plan, workspaces, results, env, scratch, progress)
        progress("export and baselines")
        measure_processes(plan, workspaces, results, env, scratch, demo_workspaces)
        progress("import of a Jira CSV export, again, and sample --bugs N")
        sizes = [size.bugs for size in plan.sizes if size.bugs <= IMPORT_LIMIT]
        measure_import(sizes, plan.import_repeats, results, env, scratch, cache)
        largest = max(plan.sizes, key=lambda size: size.bugs)
        progress(f"opstui sample of {largest.label}, whole")
        measure_sample(largest, results, env, scratch)
    results.seconds = time.perf_counter() - started
    results.load = (load_before, os.getloadavg()[0])
    return results


def _arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python bench/run.py",
        description=__doc__.split("\n\n")[0] if __doc__ else None,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=(
            "full run: 100,000 bugs (2,000 projects, 5,000 customers) and 1,000,000 bugs\n"
            "          (10,000 projects, 20,000 customers); 5 repeats; 10 triage keys per\n"
            "          repeat. The first run generates the workspaces (the 1,000,000 one\n"
            "          takes about a minute) and caches them in CACHE.\n"
            "--quick:  the same sizes; 3 repeats; 5 triage keys per repeat; one peak-RSS\n"
            "          run per size.\n"
            "Other sizes have 2,000 projects and 5,000 customers. Times are also shown as\n"
            "multiples of H, the smallest Textual app's cold start in the same run, and\n"
            "targets are multiples of H per size.\n"
            "Import figures: a Jira CSV export of as many rows as the size has bugs (sizes up\n"
            "to 100,000), into a new workspace and then again; 3 runs per size (--quick: 1).\n"
            "Last, `opstui sample` of the largest size, once.\n"
            "Programs run with their bytecode cached in CACHE/pycache (PYTHONPYCACHEPREFIX),\n"
            "as an installed app has it, whatever PYTHONDONTWRITEBYTECODE says."
        ),
    )
    parser.add_argument("--quick", action="store_true", help="fewer sizes and repeats")
    parser.add_argument(
        "--sizes", help="comma-separated bug counts instead of the mode's (e.g. 1000,50000)"
    )
    parser.add_argument("--repeats", type=int, help="repeats per figure instead of the mode's")
    parser.add_argument(
        "--cache",
        type=Path,
        default=DEFAULT_CACHE,
        help="where generated workspaces and bytecode are kept (default: bench/.cache)",
    )
    parser.add_argument("--json", type=Path, help="also write every sample to this file")
    parser.add_argument(
        "--import-only",
        action="store_true",
        help="only the import figures (and their `sample --bugs N` baseline)",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = _arguments(argv)
    plan = QUICK if args.quick else FULL
    if args.sizes:
        bugs = [int(count.replace("_", "")) for count in args.sizes.split(",")]
        plan = replace(plan, sizes=sizes_of(bugs))
    if args.repeats:
        plan = replace(plan, repeats=args.repeats)
    if args.import_only:
        plan = replace(plan, import_only=True)

    def progress(message: str) -> None:
        print(f"bench: {message}", file=sys.stderr, flush=True)

    try:
        results = run_benchmark(plan, args.cache, progress)
    except (TerminalError, MeasurementError, TimeoutError) as error:
        print(f"bench: error: {error}", file=sys.stderr)
        return 1
    print(markdown(results, machine()))
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "machine": machine(),
                    "mode": results.mode,
                    "seconds": results.seconds,
                    "samples": results.samples,
                    "unavailable": results.unavailable,
                },
                indent=2,
            )
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
