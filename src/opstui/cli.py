"""The `opstui` command line.

Sub-commands that scripts use (`init`, `sample`, `--help`, `--version`) never import
Textual; only opening the app does. Every error is one line on stderr and a non-zero exit.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import NoReturn

from opstui import __version__

SCREENS = ("portfolio", "bugs", "customers", "weekly")
COMMANDS = ("demo", "init", "sample")

EXIT_ERROR = 1
EXIT_USAGE = 2


class CommandError(Exception):
    """A failure to report as one line."""


class _Parser(argparse.ArgumentParser):
    """argparse, with usage errors on one line."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see --help)\n")


def _as_of(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid date {value!r}, expected YYYY-MM-DD") from None


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid count {value!r}") from None
    if number < 0:
        raise argparse.ArgumentTypeError(f"count must not be negative: {value}")
    return number


def _app_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--as-of",
        type=_as_of,
        metavar="YYYY-MM-DD",
        help="the app's 'today' (review week, overdue items, ages); default: the clock",
    )
    parser.add_argument(
        "--screen", choices=SCREENS, default="portfolio", help="the screen to open on"
    )


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="opstui",
        description="Weekly product-operations review in the terminal: portfolio by 4D phase, "
        "bug triage, customer health and the weekly checklist, in one SQLite workspace.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="""commands:
  opstui [WORKSPACE]          open a workspace (default: the user data directory's
                              workspace.db, created on first run)
  opstui demo                 open a scratch copy of the demo workspace
  opstui init PATH            create a new, empty workspace
  opstui sample --out FILE    write the demo workspace (--bugs/--projects/--customers N
                              to scale it)

Run `opstui COMMAND --help` for a command's options.""",
    )
    parser.add_argument("--version", action="version", version=f"opstui {__version__}")
    parser.add_argument("workspace", nargs="?", type=Path, help="workspace file to open")
    _app_options(parser)
    return parser


def _command_parser(command: str) -> argparse.ArgumentParser:
    if command == "demo":
        parser = _Parser(
            prog="opstui demo",
            description="Open a scratch copy of the demo workspace; the demo file is "
            "never changed. Opens on the demo's review week (2026-W28) unless --as-of says.",
        )
        _app_options(parser)
    elif command == "init":
        parser = _Parser(prog="opstui init", description="Create a new, empty workspace.")
        parser.add_argument("path", type=Path, help="the file to create (must not exist)")
    else:
        parser = _Parser(
            prog="opstui sample",
            description="Write the demo workspace to a new file, optionally scaled up.",
        )
        parser.add_argument("--out", type=Path, required=True, help="the file to create")
        parser.add_argument("--bugs", type=_positive, help="number of bugs in all")
        parser.add_argument("--projects", type=_positive, help="number of projects in all")
        parser.add_argument("--customers", type=_positive, help="number of customers in all")
    return parser


def _run_app(workspace: Path, args: argparse.Namespace, *, demo: bool = False) -> int:
    from opstui.data.config import load_config
    from opstui.data.repository import Repository

    config = load_config()
    repo = Repository.open(workspace)
    as_of: date | None = args.as_of
    if as_of is None and demo:
        from opstui.data.sample import DEMO_TODAY

        as_of = DEMO_TODAY
    from opstui.app import OpsApp

    app = OpsApp(repo, config=config, as_of=as_of, screen=args.screen)
    try:
        app.run()
    finally:
        repo.close()
    return app.return_code or 0


def _open(args: argparse.Namespace) -> int:
    from opstui.paths import default_workspace

    workspace: Path | None = args.workspace
    if workspace is None:
        workspace = default_workspace()
        if not workspace.exists():
            from opstui.data.repository import Repository

            Repository.create(workspace, make_dirs=True).close()
    return _run_app(workspace, args)


def _demo(args: argparse.Namespace) -> int:
    from opstui.paths import DEMO_FILE_NAME, checked_in_demo

    scratch = Path(tempfile.mkdtemp(prefix="opstui-demo-"))
    try:
        copy = scratch / DEMO_FILE_NAME
        source = checked_in_demo()
        if source is not None:
            shutil.copyfile(source, copy)
        else:
            from opstui.data.sample import generate

            generate(copy)
        return _run_app(copy, args, demo=True)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _init(args: argparse.Namespace) -> int:
    from opstui.data.repository import Repository

    Repository.create(args.path).close()
    print(f"created {args.path}")
    return 0


def _sample(args: argparse.Namespace) -> int:
    from opstui.data.sample import SampleSize, generate

    generate(args.out, SampleSize(bugs=args.bugs, projects=args.projects, customers=args.customers))
    print(f"wrote {args.out}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    try:
        if arguments and arguments[0] in COMMANDS:
            command = arguments[0]
            args = _command_parser(command).parse_args(arguments[1:])
            handler = {"demo": _demo, "init": _init, "sample": _sample}[command]
            return handler(args)
        return _open(_parser().parse_args(arguments))
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # every failure ends as one line, never a traceback
        return _report(error)


def _report(error: Exception) -> int:
    from opstui.data.config import ConfigError
    from opstui.data.workspace import WorkspaceError

    if isinstance(error, WorkspaceError | ConfigError | CommandError):
        message = str(error)
    elif isinstance(error, OSError):
        message = f"{error.filename or ''}: {error.strerror or error}".lstrip(": ")
    else:
        message = f"internal error: {type(error).__name__}: {error}"
    print(f"opstui: error: {message}", file=sys.stderr)
    return EXIT_ERROR
