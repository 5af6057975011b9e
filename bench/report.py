"""The benchmark's figures, its targets, the machine it ran on, and the Markdown it prints."""

from __future__ import annotations

import os
import platform
import sqlite3
import statistics
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


FIGURES = (
    Figure("cold_frame", "Cold start: `opstui WORKSPACE` → first frame, header only (pty)", "ms"),
    Figure("cold_start", "Cold start: `opstui WORKSPACE` → first screen's data (pty)", "ms"),
    Figure(
        "cold_ratio",
        "Cold start to data ÷ smallest Textual app (same run)",
        "×",
        1.3,
        "≤ 1.3×",
    ),
    Figure("bugs_open", "Bugs screen: `2` → frame with its first rows (in-process)", "ms", 500),
    Figure("bugs_launch", "Bugs screen: launch `--screen bugs` → first rows (pty)", "ms"),
    Figure("bugs_filter", "Filter keystroke → frame, all bugs", "ms", 100),
    Figure("portfolio_filter", "Filter keystroke → frame, portfolio (2,000 projects)", "ms", 100),
    Figure("triage", "Triage `3` → frame with the next bug", "ms", 50),
    Figure("export", "`opstui export` whole process", "ms", 300),
    Figure(
        "export_demo",
        "`opstui export` whole process, `opstui sample --bugs N` (the demo's 16 projects, "
        "16 customers)",
        "ms",
        300,
    ),
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

BASELINES = (
    Figure("minimal_app", 'Smallest Textual app: spawn → "ready" (pty)', "ms"),
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
        if key == "cold_ratio":
            start = self.median("cold_start", bugs)
            minimal = self.median("minimal_app", SIZE_INDEPENDENT)
            return None if start is None or not minimal else start / minimal
        values = self.samples.get(key, {}).get(bugs)
        return statistics.median(values) if values else None

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


def target_text(figure: Figure) -> str:
    if figure.target is None:
        return ""
    if figure.target_text:
        return figure.target_text
    return f"≤ {format_value(figure.target, figure.unit)}"


def verdict(results: Results, figure: Figure) -> str:
    """pass / miss (by how much) at the largest size, or why it was not measured."""
    if figure.key in results.unavailable:
        return f"n/a ({results.unavailable[figure.key]})"
    if figure.target is None:
        return ""
    largest = max(size.bugs for size in results.sizes)
    value = results.median(figure.key, largest)
    if value is None:
        return "n/a"
    if value <= figure.target:
        return "pass"
    over = value / figure.target
    by = f"{over:.1f}× the target" if over >= 1.5 else f"{over - 1:.0%} over"
    return f"**miss** ({by})"


def markdown(results: Results, host: dict[str, str]) -> str:
    """The report: the table of medians with targets, the baselines, the machine."""
    sizes = sorted(results.sizes, key=lambda size: size.bugs)
    largest = sizes[-1]
    lines = [
        f"| Figure (median) | {' | '.join(size.label for size in sizes)} "
        f"| Target at {largest.label} | Result |",
        "|---|" + "---:|" * len(sizes) + "---|---|",
    ]
    for figure in FIGURES:
        cells = [
            "n/a"
            if figure.key in results.unavailable
            else format_value(results.median(figure.key, size.bugs), figure.unit)
            for size in sizes
        ]
        lines.append(
            f"| {figure.label} | {' | '.join(cells)} | {target_text(figure)} "
            f"| {verdict(results, figure)} |"
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
