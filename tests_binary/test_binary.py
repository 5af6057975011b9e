"""The single binary, run as a colleague would run it: copied alone into a fresh folder.

Every run has only `PATH=/usr/bin:/bin`, a private HOME and TMPDIR, and no network (its own
network namespace): nothing of the build's Python, virtual environment or checkout can help
it. What it prints must be what the virtual-environment install prints, byte for byte.

Not part of the default `pytest` run (it needs `bash packaging/build-binary.sh` first);
`.ci/run` runs it after the build: `pytest tests_binary`. OPSTUI_BINARY names another build.
"""

from __future__ import annotations

import fcntl
import importlib.util
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
import textual.widgets
from bench.terminal import TerminalSession, terminal_env

from opstui import __version__
from opstui.data.sample import DEMO_TODAY, DEMO_WEEK

ROOT = Path(__file__).resolve().parents[1]
# packaging/ is a folder of build scripts, not a package (and `packaging` names a library).
_spec = importlib.util.spec_from_file_location("opstui_bundle", ROOT / "packaging" / "bundle.py")
assert _spec is not None and _spec.loader is not None
bundle = sys.modules["opstui_bundle"] = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bundle)
DEMO = ROOT / "sample.db"
BUILT = Path(os.environ.get("OPSTUI_BINARY", ROOT / "dist" / "opstui"))
WEEK = ["--week", DEMO_WEEK, "--as-of", DEMO_TODAY.isoformat()]
WIDGETS = Path(textual.widgets.__file__).parent
ESC, CTRL_P = "\x1b", "\x10"
# Every screen by its number key, then the keys help and the command palette. Each step's
# text appears only once the step has worked, so a widget the build left out shows here.
WALK = [
    ("3", "Renewal"),
    ("4", "Checklist"),
    ("5", "3 companies"),
    ("2", "Triage inbox"),
    ("?", "Keys — Bugs"),
    (ESC, None),
    (CTRL_P, "Search for commands"),
    (ESC, None),
]


@pytest.fixture(scope="module")
def binary(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built executable, copied alone into an empty folder."""
    if not BUILT.is_file():
        pytest.fail(f"{BUILT} is missing: run `bash packaging/build-binary.sh` first")
    copy = tmp_path_factory.mktemp("elsewhere") / "opstui"
    shutil.copy2(BUILT, copy)
    return copy


@pytest.fixture
def home(tmp_path: Path) -> Iterator[Path]:
    """A private HOME with its own TMPDIR; it must be left as empty as it was found."""
    (tmp_path / "tmp").mkdir()
    yield tmp_path
    assert list((tmp_path / "tmp").iterdir()) == [], "the binary left files in TMPDIR"


def bare_env(home: Path) -> dict[str, str]:
    return {
        "PATH": "/usr/bin:/bin",
        "HOME": str(home),
        "TMPDIR": str(home / "tmp"),
        "TERM": "xterm-256color",
    }


def offline(argv: Sequence[str]) -> list[str]:
    """`argv` in a network namespace of its own: no interface but a loopback that is down."""
    return ["unshare", "--net", "--map-root-user", *argv]


def run_binary(
    binary: Path, home: Path, *arguments: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        offline([str(binary), *arguments]),
        env=bare_env(home) if env is None else env,
        cwd=home,
        capture_output=True,
        timeout=120,
        check=False,
    )


def run_venv(home: Path, *arguments: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "opstui", *arguments],
        env=bare_env(home),
        cwd=home,
        capture_output=True,
        timeout=120,
        check=False,
    )


def test_it_runs_offline_with_no_python_around(binary: Path, home: Path) -> None:
    probe = subprocess.run(offline(["cat", "/proc/net/dev"]), capture_output=True, check=True)
    interfaces = {line.split(":")[0].strip() for line in probe.stdout.decode().splitlines()[2:]}
    assert interfaces == {"lo"}, "the binary's runs must have no network"

    shown = run_binary(binary, home, "--version")

    assert (shown.returncode, shown.stdout, shown.stderr) == (
        0,
        f"opstui {__version__}\n".encode(),
        b"",
    )


def test_help_and_errors_read_as_the_venv_s(binary: Path, home: Path) -> None:
    for arguments in (["--help"], ["export", "--help"], ["export", "missing.db"], ["--bogus"]):
        built = run_binary(binary, home, *arguments)
        venv = run_venv(home, *arguments)
        assert (built.returncode, built.stdout, built.stderr) == (
            venv.returncode,
            venv.stdout,
            venv.stderr,
        ), arguments


def test_sample_writes_the_demo_workspace_the_venv_writes(binary: Path, home: Path) -> None:
    built = run_binary(binary, home, "sample", "--out", "built.db")
    assert built.returncode == 0, built.stderr
    assert run_venv(home, "sample", "--out", "venv.db").returncode == 0

    built_export = run_binary(binary, home, "export", "built.db", *WEEK)
    venv_export = run_venv(home, "export", "venv.db", *WEEK)

    assert built_export.returncode == 0, built_export.stderr
    assert built_export.stdout == venv_export.stdout
    assert b"# Weekly product operations review" in built_export.stdout


def test_serving_and_access_codes_are_refused_in_one_line(binary: Path, home: Path) -> None:
    """The binary carries neither the browser server nor OpenSSL: it says so, and where to
    find them, instead of failing half-way."""
    assert run_binary(binary, home, "sample", "--out", "w.db").returncode == 0
    served = run_binary(binary, home, "serve", "w.db")
    assert served.returncode == 1
    assert served.stderr == (
        b"opstui: error: the single binary does not serve browsers: use opstui installed "
        b"with pip (README, 'In a browser')\n"
    )
    coded = run_binary(binary, home, "people", "code", "w.db", "Ana Ruiz")
    assert coded.returncode == 1
    assert coded.stderr.startswith(b"opstui: error: this build of opstui cannot check access")
    assert coded.stderr.count(b"\n") == 1


@pytest.mark.parametrize("redact", [[], ["--redact"]], ids=["plain", "redacted"])
def test_the_demo_s_export_equals_the_venv_s_byte_for_byte(
    binary: Path, home: Path, redact: list[str]
) -> None:
    shutil.copyfile(DEMO, home / "demo.db")

    built = run_binary(binary, home, "export", "demo.db", *WEEK, *redact)
    venv = run_venv(home, "export", "demo.db", *WEEK, *redact)

    assert built.returncode == 0, built.stderr
    assert built.stdout == venv.stdout
    assert len(built.stdout) > 2_000
    written = run_binary(binary, home, "export", "demo.db", *WEEK, *redact, "-o", "week.md")
    assert written.returncode == 0, written.stderr
    assert (home / "week.md").read_bytes() == venv.stdout


TEST_TOOLS = {"pytest", "_pytest", "hypothesis", "mypy", "ruff", "importlinter", "grimp"}


def packed_folder() -> tuple[str, dict[str, bytes]]:
    """The name the built file unpacks to, and its files by path."""
    name, entries = bundle.read_packed(BUILT)
    return name, {entry.path: entry.data for entry in entries if entry.kind == "f"}


def test_the_file_carries_the_demo_styles_and_lazy_widgets_but_no_test_tools(
    tmp_path: Path,
) -> None:
    """What PyInstaller's import analysis cannot see is in the packed folder
    (packaging/opstui.spec); what only the tests use, though installed in the environment
    built from, is not."""
    from PyInstaller.archive.readers import CArchiveReader  # installed by the build

    _, files = packed_folder()
    program = tmp_path / "opstui"
    program.write_bytes(files["opstui"])
    modules = set(CArchiveReader(str(program)).open_embedded_archive("PYZ.pyz").toc)

    assert files["_internal/opstui/sample.db"] == DEMO.read_bytes()
    styles = sorted((ROOT / "src" / "opstui" / "styles").glob("*.tcss"))
    assert styles
    for style in styles:
        assert files[f"_internal/opstui/styles/{style.name}"] == style.read_bytes()
    widgets = {f"textual.widgets.{path.stem}" for path in WIDGETS.glob("_*.py")} - {
        "textual.widgets.__init__"
    }
    assert widgets - modules == set()
    assert {name for name in modules if name.startswith("rich._unicode_data.unicode")}
    assert {name for name in modules if name.split(".")[0] in TEST_TOOLS} == set()
    assert {path.split("/")[1] for path in files if path.count("/") > 1} & TEST_TOOLS == set()


def mapped_files(pid: int) -> set[str]:
    """Every file mapped into `pid` and its descendants: the libraries they run on."""
    paths: set[str] = set()
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            maps = Path(f"/proc/{current}/maps").read_text(encoding="utf-8")
            children = Path(f"/proc/{current}/task/{current}/children").read_text()
        except OSError:
            continue
        paths.update(line.split(None, 5)[5] for line in maps.splitlines() if "/" in line)
        pending += [int(child) for child in children.split()]
    return paths


def test_the_demo_opens_in_a_terminal_and_every_screen_shows(binary: Path, home: Path) -> None:
    env = terminal_env(bare_env(home), home / ".config" / "opstui" / "config.toml", None)
    with TerminalSession(offline([str(binary), "demo"]), env, home) as terminal:
        terminal.wait_for(["Demo portfolio", f"Week {DEMO_WEEK}", "On track"])
        # `opstui demo` opened a scratch copy of the demo workspace, in TMPDIR.
        [scratch] = (home / "tmp").glob("opstui-demo-*/sample.db")
        assert scratch.read_bytes()[:4096] == DEMO.read_bytes()[:4096]
        assert scratch.stat().st_size == DEMO.stat().st_size
        # Python and its libraries come from inside the binary, not from this machine.
        outside = [
            path
            for path in mapped_files(terminal.pid)
            if path.startswith((sys.prefix, sys.base_prefix, str(ROOT), "/usr/lib/python3"))
        ]
        assert outside == []
        for key, shows in WALK:
            drawn = len(terminal.output)
            terminal.press(key)
            if shows is not None:
                terminal.wait_for([shows])
            else:
                # A lone ESC is the escape key only once the app has read it alone: wait for
                # the redraw of the screen below, so the next key is not read with it.
                terminal.wait_for_output(after=drawn)
                terminal.settle(quiet=0.3)
        terminal.press("q")
        assert terminal.wait_exit() == 0


# The launcher (packaging/launcher.c): the first run unpacks, every run starts what it unpacked.

VERSION_LINE = f"opstui {__version__}\n".encode()


LOCK = ".opstui-lock"
"""The file in each unpacked folder that its runs hold a lock on."""


def unpacked_files(folder: Path) -> dict[str, bytes]:
    """The files of an unpacked folder by path, but its lock."""
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in folder.rglob("*")
        if path.is_file() and path.name != LOCK
    }


def unpacked(root: Path) -> list[str]:
    """What a cache root holds: the unpacked folders' and any scratch folders' names."""
    return sorted(path.name for path in root.iterdir()) if root.is_dir() else []


def test_the_first_run_unpacks_once_into_the_user_s_cache(binary: Path, home: Path) -> None:
    name, files = packed_folder()
    cache = home / ".cache" / "opstui"

    first = run_binary(binary, home, "--version")

    assert (first.returncode, first.stdout, first.stderr) == (0, VERSION_LINE, b"")
    assert unpacked(cache) == [f"binary-{name}"]
    folder = cache / f"binary-{name}"
    assert unpacked_files(folder) == files
    assert (folder / LOCK).read_bytes() == b""
    assert (cache.stat().st_mode & 0o777, folder.stat().st_mode & 0o777) == (0o700, 0o700)
    program = folder / "opstui"
    before = program.stat()

    again = run_binary(binary, home, "--version")

    assert (again.returncode, again.stdout) == (0, VERSION_LINE)
    after = program.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert unpacked(cache) == [f"binary-{name}"]


def test_first_runs_at_the_same_moment_share_one_folder(binary: Path, home: Path) -> None:
    runs = [
        subprocess.Popen(
            offline([str(binary), "--version"]),
            env=bare_env(home),
            cwd=home,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for _ in range(4)
    ]
    results = [(run.wait(timeout=120), *run.communicate()) for run in runs]

    assert results == [(0, VERSION_LINE, b"")] * 4
    name, _ = packed_folder()
    assert unpacked(home / ".cache" / "opstui") == [f"binary-{name}"]


def test_xdg_cache_home_is_where_it_unpacks(binary: Path, home: Path) -> None:
    env = {**bare_env(home), "XDG_CACHE_HOME": str(home / "elsewhere")}

    assert run_binary(binary, home, "--version", env=env).stdout == VERSION_LINE

    name, _ = packed_folder()
    assert unpacked(home / "elsewhere" / "opstui") == [f"binary-{name}"]
    assert not (home / ".cache").exists()


@pytest.mark.parametrize(
    "spoil", ["a file", "others may write", "others may write above", "a link to such a folder"]
)
def test_a_cache_it_cannot_use_sends_it_to_tmpdir(binary: Path, home: Path, spoil: str) -> None:
    """A cache folder it cannot make, or one another user could write into, is passed over
    for a folder of this user's own in TMPDIR; what another user may have put in the latter,
    under the very name this build unpacks to, is never run."""
    name, _ = packed_folder()
    if spoil == "a file":
        (home / ".cache").write_text("not a folder\n", encoding="utf-8")
    elif spoil == "others may write above":
        # Another user could rename ~/.cache/opstui away after it was checked.
        (home / ".cache").mkdir()
        (home / ".cache").chmod(0o777)
    elif spoil == "a link to such a folder":
        # ~/.cache is a link, as it often is, into a folder other users may write into.
        (home / "shared" / "cache").mkdir(parents=True)
        (home / "shared").chmod(0o777)
        (home / ".cache").symlink_to(home / "shared" / "cache")
    else:
        planted = home / ".cache" / "opstui" / f"binary-{name}" / "opstui"
        planted.parent.mkdir(parents=True)
        planted.write_text("#!/bin/sh\necho planted\n", encoding="utf-8")
        planted.chmod(0o755)
        (home / ".cache" / "opstui").chmod(0o777)
    temporary = home / "other-tmp"
    temporary.mkdir()
    env = {**bare_env(home), "TMPDIR": str(temporary)}

    shown = run_binary(binary, home, "--version", env=env)

    assert (shown.returncode, shown.stdout, shown.stderr) == (0, VERSION_LINE, b"")
    assert unpacked(temporary / f"opstui-{os.geteuid()}") == [f"binary-{name}"]


def test_nowhere_to_unpack_is_one_line_on_stderr(binary: Path, home: Path) -> None:
    (home / ".cache").write_text("not a folder\n", encoding="utf-8")
    temporary = home / "other-tmp"
    temporary.mkdir()
    (temporary / f"opstui-{os.geteuid()}").write_text("not a folder\n", encoding="utf-8")
    env = {**bare_env(home), "TMPDIR": str(temporary)}

    shown = run_binary(binary, home, "--version", env=env)

    assert (shown.returncode, shown.stdout) == (1, b"")
    reason = f"{home}/.cache/opstui: Not a directory"
    assert shown.stderr == f"opstui: no folder to unpack into and run from: {reason}\n".encode()


def respoiled(binary: Path, out: Path, spoil: str) -> None:
    """`binary` copied to `out`, damaged as a bad copy or a bad build would damage it."""
    data = binary.read_bytes()
    name, entries = bundle.read_packed(binary)
    offset = bundle.TRAILER.unpack(data[-bundle.TRAILER.size :])[1]
    program = [entry for entry in entries if entry.path == "opstui"]
    packed = {
        "a path out": lambda: bundle.pack([*entries[:3], bundle.Entry("f", 0o644, "../x", b"")]),
        # The last file never arrived: its length runs past the end.
        "a file short": lambda: bundle.pack(entries)[:-10],
        "an entry twice": lambda: bundle.pack([*entries, entries[-1]]),
        "a file before its folder": lambda: bundle.pack([entries[-1], *entries]),
        "no program": lambda: bundle.pack([entry for entry in entries if entry not in program]),
    }
    if spoil == "cut short":
        out.write_bytes(data[: len(data) // 2])
    elif spoil == "an offset that wraps":
        # offset + length adds up to the right sum only past 2**64.
        length = len(data) - bundle.TRAILER.size - offset
        wrapped = bundle.TRAILER.pack(name.encode(), 2**64 - 1, length + 1, bundle.MAGIC)
        out.write_bytes(data[: -bundle.TRAILER.size] + wrapped)
    else:
        folder = packed[spoil]()
        trailer = bundle.TRAILER.pack(name.encode(), offset, len(folder), bundle.MAGIC)
        out.write_bytes(data[:offset] + folder + trailer)
    out.chmod(0o755)


@pytest.mark.parametrize(
    "spoil",
    [
        "cut short",
        "an offset that wraps",
        "a path out",
        "a file short",
        "an entry twice",
        "a file before its folder",
        "no program",
    ],
)
def test_a_damaged_file_says_so_and_leaves_nothing(binary: Path, home: Path, spoil: str) -> None:
    damaged = home / "damaged" / "opstui"
    damaged.parent.mkdir()
    respoiled(binary, damaged, spoil)

    shown = run_binary(damaged, home, "--version")

    assert (shown.returncode, shown.stdout) == (1, b"")
    assert shown.stderr.startswith(b"opstui: this file is damaged (")
    assert shown.stderr.endswith(b"): copy it again\n")
    assert shown.stderr.count(b"\n") == 1
    assert unpacked(home / ".cache" / "opstui") == []


def test_a_cache_on_a_mount_that_runs_nothing_sends_it_to_tmpdir(binary: Path, home: Path) -> None:
    """Run in a mount namespace of its own where ~/.cache is a `noexec` tmpfs: unpacked there
    once, it cannot start from it, and unpacks into TMPDIR instead; the next run goes
    straight there."""
    (home / ".cache").mkdir()
    temporary = home / "other-tmp"
    temporary.mkdir()
    env = {**bare_env(home), "TMPDIR": str(temporary)}
    mounted = ["mount", "-t", "tmpfs", "-o", "noexec", "none", str(home / ".cache")]
    command = (
        f"{' '.join(mounted)} && {binary} --version && {binary} --version && ls -A ~/.cache/opstui"
    )

    shown = subprocess.run(
        ["unshare", "--net", "--mount", "--map-root-user", "sh", "-c", command],
        env=env,
        cwd=home,
        capture_output=True,
        timeout=120,
        check=False,
    )

    name, _ = packed_folder()
    assert (shown.returncode, shown.stderr) == (0, b"")
    assert shown.stdout == VERSION_LINE * 2 + f"binary-{name}\n".encode()
    assert unpacked(temporary / f"opstui-{os.geteuid()}") == [f"binary-{name}"]


def earlier_build(binary: Path, out: Path, version: str) -> Path:
    """The same program packed again as another version: a build that unpacks apart."""
    _, entries = bundle.read_packed(binary)
    offset = bundle.TRAILER.unpack(binary.read_bytes()[-bundle.TRAILER.size :])[1]
    folder = out / "folder"
    folder.mkdir(parents=True)
    for entry in entries:
        path = folder / entry.path
        if entry.kind == "d":
            path.mkdir()
        else:
            path.write_bytes(entry.data)
            path.chmod(entry.mode)
    (out / "launcher").write_bytes(binary.read_bytes()[:offset])
    bundle.bundle(out / "launcher", folder, out / "opstui", version)
    shutil.rmtree(folder)
    return out / "opstui"


def test_a_new_build_removes_the_earlier_ones_no_program_runs_from(
    binary: Path, home: Path
) -> None:
    """Two earlier builds were run here; the older runs still (the demo, in a terminal).
    Each new build's first run removes the folders of the others but the running one's."""
    cache = home / ".cache" / "opstui"
    older, old = (earlier_build(binary, home / version, version) for version in ("0.0.8", "0.0.9"))
    name, _ = packed_folder()
    env = terminal_env(bare_env(home), home / ".config" / "opstui" / "config.toml", None)
    with TerminalSession(offline([str(older), "demo"]), env, home) as terminal:
        terminal.wait_for(["On track"])
        [running] = unpacked(cache)
        assert running.startswith("binary-0.0.8-")

        assert run_binary(old, home, "--version").stdout == VERSION_LINE
        [_, earlier] = unpacked(cache)
        assert earlier.startswith("binary-0.0.9-")
        assert run_binary(binary, home, "--version").stdout == VERSION_LINE

        assert unpacked(cache) == [running, f"binary-{name}"]
        terminal.press("q")
        assert terminal.wait_exit() == 0
    assert run_binary(old, home, "--version").stdout == VERSION_LINE
    assert unpacked(cache) == [earlier]


def test_builds_racing_to_unpack_and_remove_each_other_all_run_whole(
    binary: Path, home: Path
) -> None:
    """Three builds started together, twice each, three times over: every first run unpacks
    and removes the others' folders while they start. Each run exports the demo, which reads
    most of its folder, so a run whose files were removed under it would fail."""
    builds = [binary, *(earlier_build(binary, home / version, version) for version in ("8", "9"))]
    shutil.copyfile(DEMO, home / "demo.db")
    expected = run_venv(home, "export", "demo.db", *WEEK).stdout
    for _ in range(3):
        runs = [
            subprocess.Popen(
                [str(build), "export", "demo.db", *WEEK],
                env=bare_env(home),
                cwd=home,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
            for build in builds * 2
        ]
        results = [(run.wait(timeout=120), *run.communicate()) for run in runs]
        assert results == [(0, expected, b"")] * len(runs)
    left = unpacked(home / ".cache" / "opstui")
    assert [name for name in left if name.startswith(".unpack-")] == []


def test_a_folder_unpacked_under_a_strict_umask_runs_under_any(binary: Path, home: Path) -> None:
    strict = f"umask 177 && {binary} --version"

    shown = subprocess.run(
        offline(["sh", "-c", strict]), env=bare_env(home), cwd=home, capture_output=True
    )

    assert (shown.returncode, shown.stdout, shown.stderr) == (0, VERSION_LINE, b"")
    name, entries = bundle.read_packed(BUILT)
    folder = home / ".cache" / "opstui" / f"binary-{name}"
    modes = {entry.path: entry.mode for entry in entries}
    assert {path: (folder / path).stat().st_mode & 0o777 for path in modes} == modes
    assert run_binary(binary, home, "--version").stdout == VERSION_LINE


def test_a_folder_missing_its_program_is_unpacked_again(binary: Path, home: Path) -> None:
    assert run_binary(binary, home, "--version").stdout == VERSION_LINE
    name, files = packed_folder()
    folder = home / ".cache" / "opstui" / f"binary-{name}"
    (folder / "opstui").unlink()

    shown = run_binary(binary, home, "--version")

    assert (shown.returncode, shown.stdout, shown.stderr) == (0, VERSION_LINE, b"")
    assert unpacked_files(folder) == files
    assert unpacked(home / ".cache" / "opstui") == [f"binary-{name}"]


def test_another_user_s_link_in_tmpdir_is_not_followed(binary: Path, home: Path) -> None:
    """$TMPDIR/opstui-UID made, as a link into a folder of theirs, by another user before
    this one's first run there: refused, and nothing is unpacked into (or removed from)
    where it points."""
    (home / ".cache").write_text("not a folder\n", encoding="utf-8")
    temporary, theirs = home / "other-tmp", home / "theirs"
    temporary.mkdir()
    temporary.chmod(0o1777)
    (theirs / "binary-0.0.1-precious").mkdir(parents=True)
    link = temporary / f"opstui-{os.geteuid()}"
    link.symlink_to(theirs)
    os.lchown(link, 12345, 12345)
    env = {**bare_env(home), "TMPDIR": str(temporary)}

    shown = run_binary(binary, home, "--version", env=env)

    assert (shown.returncode, shown.stdout) == (1, b"")
    assert shown.stderr.count(b"\n") == 1
    assert sorted(path.name for path in theirs.iterdir()) == ["binary-0.0.1-precious"]


def test_a_scratch_folder_no_run_holds_is_cleared_by_the_next_unpacking(
    binary: Path, home: Path
) -> None:
    """A run stopped while unpacking (or removing) leaves a scratch folder; one that a run
    still holds (its lock) is being written and stays."""
    cache = home / ".cache" / "opstui"
    stopped, busy = cache / ".unpack-stopped", cache / ".unpack-busy"
    for scratch in (stopped, busy):
        (scratch / "_internal").mkdir(parents=True)
        (scratch / "opstui").write_bytes(b"half")
        (scratch / LOCK).write_bytes(b"")
    cache.chmod(0o700)
    holder = os.open(busy / LOCK, os.O_RDWR)
    try:
        fcntl.flock(holder, fcntl.LOCK_SH)
        assert run_binary(binary, home, "--version").stdout == VERSION_LINE
    finally:
        os.close(holder)

    name, _ = packed_folder()
    assert unpacked(cache) == [".unpack-busy", f"binary-{name}"]


def test_it_runs_where_there_is_no_proc(binary: Path, home: Path) -> None:
    """Some containers mount no /proc: the file is found by the path it was started by."""
    hidden = f"mount -t tmpfs none /proc && {binary} --version"

    shown = subprocess.run(
        ["unshare", "--net", "--mount", "--map-root-user", "sh", "-c", hidden],
        env=bare_env(home),
        cwd=home,
        capture_output=True,
        timeout=120,
        check=False,
    )

    assert (shown.returncode, shown.stdout, shown.stderr) == (0, VERSION_LINE, b"")
