"""The benchmark's figures, its targets, the machine it ran on, and the Markdown it prints."""

from __future__ import annotations

import os
import platform
import sqlite3
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib.metadata import version
from typing import Literal

from bench.workspaces import WorkspaceSize

Unit = Literal["ms", "MB", "×"]


@dataclass(frozen=True, slots=True)
class Figure:
    """One row of the table: what is measured, in which unit, against which upper bound."""

    key: str
    label: str
    unit: Unit
    target: float | None = None
    """The upper bound the median must stay within at the largest size."""
    target_text: str = ""
    h_targets: Mapping[int, float] = field(default_factory=dict)
    """Upper bounds as multiples of H (the smallest Textual app's cold start in the same
    run), by workspace size (bugs); a size not listed has no target."""


H = "minimal_app"
"""The figure every time is also given as a multiple of: H."""
MILLION = 1_000_000
LAKH = 100_000


FIGURES = (
    Figure("cold_frame", "Cold start: `opstui WORKSPACE` → first frame, header only (pty)", "ms"),
    Figure(
        "cold_start",
        "Cold start: `opstui WORKSPACE` → first screen's data (pty)",
        "ms",
        h_targets={LAKH: 1.5, MILLION: 2.0},
    ),
    Figure("bugs_open", "Bugs screen: `2` → frame with its first rows (in-process)", "ms", 500),
    Figure("bugs_launch", "Bugs screen: launch `--screen bugs` → first rows (pty)", "ms"),
    Figure(
        "sort",
        "Sort all bugs (`o`: priority, title, company, status, assignee) → frame",
        "ms",
        h_targets={LAKH: 0.5, MILLION: 1.0},
    ),
    Figure(
        "bugs_filter",
        "Filter keystroke → frame, all bugs",
        "ms",
        h_targets={LAKH: 0.25, MILLION: 0.25},
    ),
    Figure("portfolio_filter", "Filter keystroke → frame, portfolio", "ms", 100),
    Figure(
        "palette",
        "Palette jump search (`ctrl+p`, a project's name): keystroke → frame with its hits",
        "ms",
        h_targets={LAKH: 0.25, MILLION: 0.25},
    ),
    Figure(
        "customers_open",
        "Customers screen: `3` → frame with its first rows (in-process)",
        "ms",
        h_targets={LAKH: 1.0, MILLION: 2.0},
    ),
    Figure(
        "changes_tab",
        "Weekly screen, live week: Changes tab → frame with the changes (in-process)",
        "ms",
        h_targets={LAKH: 1.0, MILLION: 2.0},
    ),
    Figure(
        "triage",
        "Triage `3` → frame with the next bug",
        "ms",
        h_targets={LAKH: 0.15, MILLION: 0.15},
    ),
    Figure(
        "export",
        "`opstui export` whole process",
        "ms",
        h_targets={LAKH: 1.5, MILLION: 3.0},
    ),
    Figure(
        "export_demo",
        "`opstui export` whole process, `opstui sample --bugs N` (the demo's 16 projects, "
        "16 customers)",
        "ms",
        h_targets={LAKH: 1.5, MILLION: 1.5},
    ),
    Figure(
        "sample_full",
        "`opstui sample --bugs N --projects P --customers C` whole process (once)",
        "ms",
        60_000,
        "≤ 60 s",
    ),
    Figure("sample_full_rss", "Peak RSS, that sample", "MB", 300),
    Figure(
        "import",
        "`opstui import` a Jira CSV export of N rows into an empty workspace, whole process",
        "ms",
        10_000,
        "≤ 10 s",
    ),
    Figure("import_rss", "Peak RSS, that import", "MB", 200),
    Figure(
        "reimport",
        "`opstui import` the same file again (0 rows written, file unchanged)",
        "ms",
        10_000,
        "≤ 10 s",
    ),
    Figure("sample_bugs", "`opstui sample --bugs N` whole process (baseline of the import)", "ms"),
    Figure("rss_bugs", "Peak RSS, bugs screen open (matrix and count loaded)", "MB", 150),
    Figure("rss_all", "Peak RSS, whole app: portfolio, then bugs, customers, weekly", "MB", 150),
)
"""The per-size figures, in table order."""

DEMO_FIGURES = (
    Figure(
        "cold_frame_demo", "Cold start of the demo workspace → first frame, header only (pty)", "ms"
    ),
    Figure(
        "cold_start_demo",
        "Cold start of the demo workspace → first screen's data (pty)",
        "ms",
        h_targets={0: 1.3},
    ),
)
"""Figures of the demo workspace (`opstui sample`), measured in the same run."""

BASELINES = (
    Figure("minimal_app", 'H = smallest Textual app: spawn → "ready" (pty)', "ms"),
    Figure("python_pass", "`python -c pass`", "ms"),
    Figure("opstui_version", "`python -m opstui --version`", "ms"),
)
"""Size-independent runs, measured in the same run as the figures they put in context."""

SIZE_INDEPENDENT = 0


@dataclass(slots=True)
class Results:
    """Every sample, by figure and workspace size (bugs; 0 for size-independent runs)."""

    sizes: list[WorkspaceSize]
    repeats: int
    samples: dict[str, dict[int, list[float]]] = field(default_factory=dict)
    unavailable: dict[str, str] = field(default_factory=dict)
    """Figures that could not be measured, with the reason."""
    seconds: float = 0.0
    """How long the whole run took."""
    mode: str = "full"
    load: tuple[float, float] = (0.0, 0.0)
    """The 1-minute load average before and after the run (other work skews the figures)."""

    def add(self, key: str, bugs: int, *values: float) -> None:
        self.samples.setdefault(key, {}).setdefault(bugs, []).extend(values)

    def median(self, key: str, bugs: int) -> float | None:
        values = self.samples.get(key, {}).get(bugs)
        return statistics.median(values) if values else None

    def in_h(self, key: str, bugs: int) -> float | None:
        """The median as a multiple of H, the smallest Textual app's cold start."""
        value = self.median(key, bugs)
        h = self.median(H, SIZE_INDEPENDENT)
        return None if value is None or not h else value / h

    def count(self, key: str, bugs: int) -> int:
        return len(self.samples.get(key, {}).get(bugs, []))


def machine() -> dict[str, str]:
    """What the figures were measured on."""
    model = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    memory = ""
    try:
        with open("/proc/meminfo", encoding="utf-8") as meminfo:
            total_kb = int(meminfo.readline().split()[1])
            memory = f"{total_kb / 1024 / 1024:.0f} GB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return {
        "CPU": f"{model}, {os.cpu_count()} cores" + (f", {memory}" if memory else ""),
        "OS": platform.platform(terse=True),
        "Python": platform.python_version(),
        "Textual": version("textual"),
        "SQLite": sqlite3.sqlite_version,
        "opstui": version("opstui"),
    }


def format_value(value: float | None, unit: Unit) -> str:
    if value is None:
        return "—"
    if unit == "×":
        return f"{value:.2f}×"
    if unit == "MB":
        return f"{value:.0f} MB"
    return f"{value:,.0f} ms" if value >= 10 else f"{value:.1f} ms"


def _short(bugs: int) -> str:
    return f"{bugs // MILLION}M" if bugs >= MILLION and bugs % MILLION == 0 else f"{bugs:,}"


def target_text(figure: Figure, sizes: Sequence[int] = ()) -> str:
    if figure.h_targets:
        shown = [bugs for bugs in sizes if bugs in figure.h_targets] or sorted(figure.h_targets)
        return " / ".join(f"≤ {figure.h_targets[bugs]:g} H" for bugs in shown)
    if figure.target is None:
        return ""
    if figure.target_text:
        return figure.target_text
    return f"≤ {format_value(figure.target, figure.unit)}"


def _miss(over: float) -> str:
    by = f"{over:.1f}× the target" if over >= 1.5 else f"{over - 1:.0%} over"
    return f"**miss** ({by})"


def verdict(results: Results, figure: Figure) -> str:
    """pass / miss (by how much) at each size with a target, or why it was not measured."""
    if figure.key in results.unavailable:
        return f"n/a ({results.unavailable[figure.key]})"
    sizes = sorted(size.bugs for size in results.sizes)
    if figure.h_targets:
        found = []
        for bugs in sizes:
            bound = figure.h_targets.get(bugs)
            multiple = results.in_h(figure.key, bugs)
            if bound is None:
                continue
            word = (
                "n/a"
                if multiple is None
                else "pass"
                if multiple <= bound
                else _miss(multiple / bound)
            )
            found.append(f"{_short(bugs)}: {word}")
        return "; ".join(found)
    if figure.target is None:
        return ""
    measured = [bugs for bugs in sizes if results.median(figure.key, bugs) is not None]
    if not measured:
        return "n/a"
    value = results.median(figure.key, measured[-1])
    assert value is not None
    return "pass" if value <= figure.target else _miss(value / figure.target)


def cell(results: Results, figure: Figure, bugs: int) -> str:
    """The median at one size; a time also as a multiple of H."""
    if figure.key in results.unavailable:
        return "n/a"
    value = results.median(figure.key, bugs)
    text = format_value(value, figure.unit)
    multiple = results.in_h(figure.key, bugs) if figure.unit == "ms" else None
    return text if multiple is None else f"{text} ({multiple:.2f} H)"


def markdown(results: Results, host: dict[str, str]) -> str:
    """The report: the table of medians with targets, the baselines, the machine."""
    sizes = sorted(results.sizes, key=lambda size: size.bugs)
    lines = [
        f"| Figure (median) | {' | '.join(size.label for size in sizes)} | Target | Result |",
        "|---|" + "---:|" * len(sizes) + "---|---|",
    ]
    for figure in FIGURES:
        cells = [cell(results, figure, size.bugs) for size in sizes]
        lines.append(
            f"| {figure.label} | {' | '.join(cells)} | "
            f"{target_text(figure, [size.bugs for size in sizes])} "
            f"| {verdict(results, figure)} |"
        )
    demo_rows = [figure for figure in DEMO_FIGURES if results.median(figure.key, 0) is not None]
    if demo_rows:
        lines += [
            "",
            "| Demo workspace (median, same run) | | Target | Result |",
            "|---|---:|---|---|",
        ]
    for figure in demo_rows:
        bound = figure.h_targets.get(SIZE_INDEPENDENT)
        multiple = results.in_h(figure.key, SIZE_INDEPENDENT)
        word = ""
        if bound is not None and multiple is not None:
            word = "pass" if multiple <= bound else _miss(multiple / bound)
        lines.append(
            f"| {figure.label} | {cell(results, figure, SIZE_INDEPENDENT)} | "
            f"{f'≤ {bound:g} H' if bound is not None else ''} | {word} |"
        )
    lines += ["", "| Baseline (median, same run) | |", "|---|---:|"]
    for figure in BASELINES:
        value = results.median(figure.key, SIZE_INDEPENDENT)
        lines.append(f"| {figure.label} | {format_value(value, figure.unit)} |")
    workspaces = ", ".join(
        f"{size.bugs:,} bugs / {size.projects:,} projects / {size.customers:,} customers"
        for size in sizes
    )
    lines += [
        "",
        f"Workspaces: {workspaces} (`opstui.data.sample.generate`). "
        f"{results.mode.capitalize()} run, {results.repeats} repeats per figure "
        f"(keystroke figures: every key of every repeat); the run took {results.seconds:.0f} s; "
        f"load average {results.load[0]:.1f} before, {results.load[1]:.1f} after.",
        "",
        "Machine: " + "; ".join(f"{name} {value}" for name, value in host.items()) + ".",
    ]
    return "\n".join(lines)
