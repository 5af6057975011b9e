"""Benchmark workspaces: made by the project's own generator, cached between runs.

A cached file is keyed by its size and a hash of the code that decides its content (the
generator and the schema), so a change to either makes a new file instead of a stale one.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import opstui.data.sample
import opstui.data.sample_seed
import opstui.data.schema
from opstui.data.sample import SampleSize, generate

DEFAULT_CACHE = Path(__file__).resolve().parent / ".cache"


@dataclass(frozen=True, slots=True)
class WorkspaceSize:
    """How big a benchmark workspace is."""

    bugs: int
    projects: int
    customers: int

    @property
    def label(self) -> str:
        return f"{self.bugs:,} bugs"

    @property
    def slug(self) -> str:
        return f"b{self.bugs}-p{self.projects}-c{self.customers}"


def generator_hash() -> str:
    """A short hash of the modules that decide a generated workspace's bytes."""
    digest = hashlib.sha256()
    for module in (opstui.data.sample, opstui.data.sample_seed, opstui.data.schema):
        assert module.__file__ is not None
        digest.update(Path(module.__file__).read_bytes())
    return digest.hexdigest()[:12]


def cached_workspace(size: WorkspaceSize, cache: Path = DEFAULT_CACHE) -> tuple[Path, bool]:
    """The cached workspace of `size`, generated first if needed; True when it was generated."""
    cache.mkdir(parents=True, exist_ok=True)
    path = cache / f"workspace-{size.slug}-{generator_hash()}.db"
    if path.exists():
        return path, False
    partial = cache / f".{path.name}.{os.getpid()}.partial"
    partial.unlink(missing_ok=True)
    generate(partial, SampleSize(bugs=size.bugs, projects=size.projects, customers=size.customers))
    partial.replace(path)  # atomic: a run cut short never leaves a half-written cache entry
    for stale in cache.glob(f"workspace-{size.slug}-*.db"):
        if stale != path:  # made by an older generator
            stale.unlink(missing_ok=True)
    return path, True


def working_copy(source: Path, directory: Path, name: str) -> Path:
    """A scratch copy of `source` in `directory` (the app and triage write to workspaces)."""
    copy = directory / name
    shutil.copyfile(source, copy)
    return copy
