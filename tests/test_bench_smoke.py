"""The benchmark harness works: a tiny workspace goes through every measurement.

Timings are not asserted (they belong to `python bench/run.py`, which is not part of the
test run); only that each figure is measured and the table has its rows.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from bench.report import BASELINES, DEMO_FIGURES, FIGURES, machine, markdown
from bench.run import Plan, run_benchmark
from bench.workspaces import WorkspaceSize

TINY = Plan(
    sizes=(WorkspaceSize(bugs=200, projects=20, customers=20),),
    repeats=1,
    triage_steps=2,
    rss_runs=1,
    warmup=False,
    quiet=0.1,
    cache_bytecode=False,
    portfolio_word="in",
    bugs_word="ti",
    mode="smoke",
    import_repeats=1,
)


def test_the_harness_measures_a_tiny_workspace_and_prints_every_row(tmp_path: Path) -> None:
    messages: list[str] = []
    results = run_benchmark(TINY, cache=tmp_path / "cache", progress=messages.append)

    table = markdown(results, machine())

    assert "| Figure (median) | 200 bugs |" in table
    for figure in (*FIGURES, *DEMO_FIGURES, *BASELINES):
        row = next(line for line in table.splitlines() if line.startswith(f"| {figure.label} |"))
        assert "—" not in row, f"{figure.key} was not measured: {row}"
    assert "Machine: CPU" in table
    assert any(message.startswith("generated 200 bugs") for message in messages)
    assert list((tmp_path / "cache").glob("workspace-b200-p20-c20-*.db"))
    # The import figures ran on a 200-row Jira export, and the import again wrote nothing.
    assert list((tmp_path / "cache").glob("jira-200-*.csv"))
    assert "reimport" not in results.unavailable
    assert results.count("import", 200) == results.count("reimport", 200) == 1
    assert results.median("import_rss", 200) is not None


def test_the_binary_comparison_times_every_program_and_holds_the_first_to_the_targets(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from bench import binary

    # A stand-in for dist/opstui: the same program started through a launcher file, which
    # notes whether it found what it keeps in the user's cache, as the real one unpacks there.
    launcher = tmp_path / "opstui"
    started = tmp_path / "started.txt"
    launcher.write_text(
        "#!/bin/sh\n"
        f'if [ -d "$HOME/.cache/opstui" ]; then echo cached; else echo fresh; fi >> {started}\n'
        'mkdir -p "$HOME/.cache/opstui"\n'
        f'exec {sys.executable} -m opstui "$@"\n',
        encoding="utf-8",
    )
    launcher.chmod(0o755)
    samples = tmp_path / "samples.json"

    status = binary.main(
        [
            "--repeats",
            "1",
            "--no-warmup",
            "--binary",
            f"launcher={launcher}",
            "--json",
            str(samples),
        ]
    )

    table = capsys.readouterr().out
    assert status == 0
    rows = {line.split(" | ")[0]: line for line in table.splitlines() if line.startswith("| ")}
    assert " ms | " in rows["| venv (`pip install -e .`)"]
    assert " MB | " in rows["| launcher"]
    assert "| Size ≤ 60 MB | 0.0 MB | pass |" in table
    assert "H (the smallest Textual app" in table
    recorded = json.loads(samples.read_text(encoding="utf-8"))
    assert len(recorded["H"]) == 1
    assert {figure: len(runs) for figure, runs in recorded["launcher"].items()} == {
        "first": 1,
        "version": 1,
        "export": 1,
        "tui": 1,
    }
    # "first `--version`" ran with the cache emptied; the figures after it found it filled.
    assert started.read_text(encoding="utf-8").split() == ["fresh", "cached", "cached", "cached"]
    assert "| first `--version` | `--version` |" in table
