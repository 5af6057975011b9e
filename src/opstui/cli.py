"""The `opstui` command line.

Sub-commands that scripts use (`init`, `sample`, `export`, `freeze`, `--help`,
`--version`) never import Textual; only opening the app does. Every error is one line on
stderr and a non-zero exit.
"""

from __future__ import annotations

import argparse
import errno
import os
import shutil
import sqlite3
import sys
import tempfile
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from opstui import __version__

if TYPE_CHECKING:
    from opstui.data.config import Config
    from opstui.data.repository import Repository

SCREENS = ("portfolio", "bugs", "customers", "weekly", "setup")
COMMANDS = ("check", "demo", "export", "freeze", "import", "init", "people", "sample", "serve")

EXIT_ERROR = 1
EXIT_USAGE = 2

FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2999, 12, 31)
"""The days `--as-of` and `--week` accept. Far enough from the calendar's ends (year 1,
year 9999) that no window, week or deadline computed from them leaves it."""


class CommandError(Exception):
    """A failure to report as one line."""


class UsageError(CommandError):
    """Options that do not go together, or a name that means nothing (exit 2)."""


class _Parser(argparse.ArgumentParser):
    """argparse, with usage errors on one line."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see --help)\n")


def _as_of(value: str) -> date:
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid date {value!r}, expected YYYY-MM-DD") from None
    if not FIRST_DAY <= day <= LAST_DAY:
        raise argparse.ArgumentTypeError(f"date {value} is outside {_supported_days()}")
    return day


def _iso_week(value: str) -> str:
    from opstui.domain.weeks import week_monday

    try:
        monday = week_monday(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"invalid week {value!r} ({error})") from None
    if not FIRST_DAY <= monday <= LAST_DAY - timedelta(days=6):
        raise argparse.ArgumentTypeError(f"week {value} is outside {_supported_days()}")
    return value


def _supported_days() -> str:
    return f"the supported days {FIRST_DAY.isoformat()} to {LAST_DAY.isoformat()}"


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
    _user_option(parser)


def _user_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--user",
        metavar="NAME",
        help="who you are: your changes are recorded under this name (default: "
        "$OPSTUI_USER, else `user` in the configuration, else asked)",
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
  opstui export [WORKSPACE]   write a review week as Markdown to stdout or -o FILE
                              (--week W, default the latest; --redact; --as-of DATE);
                              --format csv|json --what bugs|projects|customers|actions|
                              decisions|risks writes one table for spreadsheets and scripts
  opstui import WORKSPACE FILE
                              bring in bugs from a Jira or Linear CSV export or `gh issue
                              list --json` output, or bugs, customers, NPS responses,
                              feedback or projects from a CSV (--company NAME, --dry-run,
                              --skip-bad, --map COLUMN=FIELD,…; see `opstui import --help`)
  opstui freeze [WORKSPACE]   freeze a review week's figures as its snapshot (--week W;
                              --replace to freeze again; --unfreeze to make it editable)
  opstui check [WORKSPACE]    list every stored value that breaks the model, one line
                              each; exit 1 when there is one
  opstui people code WORKSPACE NAME
                              print a new personal access code for signing in to the
                              served workspace (the previous one stops working)
  opstui serve WORKSPACE      open the workspace in browsers, one session per browser,
                              each signing in with its access code (--host, --port,
                              --font-size)

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
    elif command == "import":
        from opstui.import_command import add_arguments

        parser = _Parser(
            prog="opstui import",
            description="Import bugs from a Jira CSV export, a Linear CSV export or the JSON "
            "of `gh issue list --json number,title,state,stateReason,labels,assignees,"
            "createdAt,closedAt,url`; or bugs, customers, NPS responses, feedback or projects "
            "from a CSV with the columns the README documents. Importing the same file again "
            "updates what changed and creates nothing twice. The whole file is one "
            "transaction: a bad row imports nothing (its line and column are named) unless "
            "--skip-bad is given.",
        )
        add_arguments(parser)
        _user_option(parser)
    elif command == "check":
        parser = _Parser(
            prog="opstui check",
            description="Read every row and list, one line each, every stored value that "
            "breaks the model (text in a date or number column, a value no list knows, a "
            "missing required value, a number out of range), as 'TABLE #ID: what is wrong'. "
            "Exit 1 when there is one; 'ok' and exit 0 otherwise. Writes nothing.",
        )
        parser.add_argument(
            "workspace",
            nargs="?",
            type=Path,
            help="the workspace file (default: the user data directory's workspace.db)",
        )
    elif command == "people":
        parser = _Parser(
            prog="opstui people",
            description="People's access to the served workspace (`opstui serve`).",
        )
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        code = actions.add_parser(
            "code",
            help="print a new personal access code for NAME",
            description="Print a new personal access code for the person NAME, to sign in "
            "to the served workspace. It is shown only now: the workspace keeps a salted "
            "hash of it. The person's previous code stops working.",
        )
        code.add_argument("workspace", type=Path, help="the workspace file")
        code.add_argument("name", help="the person, as named in Setup")
    elif command == "serve":
        from opstui.serve import add_arguments as add_serve_arguments

        parser = _Parser(
            prog="opstui serve",
            description="Serve the workspace to browsers: each browser that opens the page "
            "runs its own session on the workspace file and signs in with a personal access "
            "code (`opstui people code`) before it sees anything. Listens on 127.0.0.1 "
            "unless --host says otherwise, which needs at least one access code. Ctrl+C "
            "stops it.",
        )
        add_serve_arguments(parser)
        parser.add_argument(
            "--as-of",
            type=_as_of,
            metavar="YYYY-MM-DD",
            help="every session's 'today' (a demo's review week); default: the clock",
        )
    elif command == "init":
        parser = _Parser(prog="opstui init", description="Create a new, empty workspace.")
        parser.add_argument("path", type=Path, help="the file to create (must not exist)")
    elif command == "export":
        parser = _Parser(
            prog="opstui export",
            description="Write a review week as GitHub-flavoured Markdown: portfolio, "
            "metrics, bugs, P0/P1 analysis, customers, action items, decisions, "
            "escalations, KPIs, risks and what changed since the last frozen week. A frozen "
            "week exports its snapshot; any other week is computed as of --as-of, or today "
            "but no later than the week's Sunday.",
        )
        _week_options(parser)
        parser.add_argument(
            "-o", "--output", type=Path, metavar="FILE", help="write to FILE (default: stdout)"
        )
        parser.add_argument(
            "--redact", action="store_true", help="mask customer names and money amounts"
        )
        parser.add_argument(
            "--kind",
            metavar="KIND",
            help="which Markdown document: weekly (default: the week's review), preread "
            "(plus deep dives, pre-read status, synergies), summary (the executive summary "
            "after the meeting), actions (by owner and company), friday (the company-wide "
            "update), month (the monthly deep dive of the week's month, its trends week by week), "
            "quarter (the quarterly strategic and roadmap review, the same way), postmortem (a "
            "P0's post-incident review, with --bug ID)",
        )
        parser.add_argument(
            "--bug",
            type=_positive,
            metavar="ID",
            help="the P0 bug a --kind postmortem review is about",
        )
        parser.add_argument(
            "--format",
            choices=("markdown", "csv", "json"),
            default="markdown",
            help="markdown: the review week (default); csv or json: one table (--what)",
        )
        parser.add_argument(
            "--what",
            choices=("bugs", "projects", "customers", "actions", "decisions", "risks"),
            help="the table --format csv|json writes",
        )
        parser.add_argument(
            "--as-of", type=_as_of, metavar="YYYY-MM-DD", help="compute a live week as of this day"
        )
    elif command == "freeze":
        parser = _Parser(
            prog="opstui freeze",
            description="Store every figure of a review week as its snapshot; the week is "
            "then read-only, and the next week's trends compare against it. Figures are "
            "as of --as-of, or today but no later than the week's Sunday.",
        )
        _week_options(parser)
        group = parser.add_mutually_exclusive_group()
        group.add_argument(
            "--replace", action="store_true", help="freeze again a week already frozen"
        )
        group.add_argument(
            "--unfreeze", action="store_true", help="remove the snapshot: the week is editable"
        )
        parser.add_argument(
            "--as-of", type=_as_of, metavar="YYYY-MM-DD", help="compute the figures as of this day"
        )
        _user_option(parser)
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


def _week_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "workspace",
        nargs="?",
        type=Path,
        help="the workspace file (default: the user data directory's workspace.db, which "
        "must exist)",
    )
    parser.add_argument(
        "--week",
        type=_iso_week,
        metavar="YYYY-Www",
        help="the ISO review week, e.g. 2026-W28 (default: the latest with review data, "
        "else this week)",
    )


def _run_app(workspace: Path, args: argparse.Namespace, *, demo: bool = False) -> int:
    import gc

    # Start-up builds a great many objects and frees few: collecting meanwhile only delays
    # the first screen. The app collects again once that screen shows its data.
    gc.disable()
    from opstui.data.config import load_config
    from opstui.data.identity import login_name, named_user
    from opstui.data.repository import Repository
    from opstui.serve import is_served

    config = load_config()
    # The whole file is checked for damage after the first screen shows; until the check
    # has passed nothing is written (a damaged file is refused at the first write).
    repo = Repository.open(workspace, check_later=True)
    if is_served():
        return _run_served(repo, config, args)
    as_of: date | None = args.as_of
    if as_of is None and demo:
        from opstui.data.sample import DEMO_TODAY

        as_of = DEMO_TODAY
    user = named_user(args.user, config)
    repo.record_history(user or login_name())
    from opstui.app import OpsApp

    # The demo is a tour: it does not ask who you are (its changes go under your login).
    app = OpsApp(
        repo, config=config, as_of=as_of, screen=args.screen, ask_user=user is None and not demo
    )
    try:
        app.run()
    finally:
        repo.close()
    return app.return_code or 0


def _run_served(repo: Repository, config: Config, args: argparse.Namespace) -> int:
    """A browser's session (started by `opstui serve`): sign-in first, then the person
    who signed in is who every change is recorded as; nothing is written to the server's
    configuration."""
    from opstui.app import OpsApp
    from opstui.screens.sign_in import SignIn

    app = OpsApp(
        repo,
        config=config.model_copy(update={"user": None}),
        as_of=args.as_of,
        screen=args.screen,
        save_settings=False,
        sign_in=SignIn(),
    )
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


def _people(args: argparse.Namespace) -> int:
    """`people code`: a new access code on stdout (alone, for scripts), what it means on
    stderr."""
    from opstui.data.access_codes import (
        NoHashingError,
        UnknownPersonError,
        find_person,
        issue_code,
    )
    from opstui.data.repository import Repository

    repo = Repository.open(args.workspace)
    try:
        person = find_person(repo, args.name)
        code = issue_code(repo, person, datetime.now().astimezone())
    except (UnknownPersonError, NoHashingError) as error:
        raise CommandError(str(error)) from None
    finally:
        repo.close()
    print(code)
    print(
        f"the access code of {person.name}: give it to them alone; any earlier code of "
        "theirs no longer signs in",
        file=sys.stderr,
    )
    return 0


def _serve(args: argparse.Namespace) -> int:
    from opstui.serve import serve

    return serve(args)


def _import(args: argparse.Namespace) -> int:
    from opstui.import_command import run

    return run(args)


def _sample(args: argparse.Namespace) -> int:
    from opstui.data.sample import SampleSize, generate

    generate(args.out, SampleSize(bugs=args.bugs, projects=args.projects, customers=args.customers))
    print(f"wrote {args.out}")
    return 0


def _script_workspace(args: argparse.Namespace) -> Path:
    """The named workspace, or the default one; scripts never create a workspace."""
    workspace: Path | None = args.workspace
    if workspace is None:
        from opstui.paths import default_workspace

        workspace = default_workspace()
    return workspace


def _review_week(repo: Repository, week: str | None, today: date) -> str:
    """The week named, else the latest with review data, else (a new workspace) this week."""
    if week is not None:
        return week
    from opstui.domain.weeks import iso_week

    return repo.latest_review_week() or iso_week(today)


def _export(args: argparse.Namespace) -> int:
    """Export a week. A frozen week gives its stored snapshot. Any other week is computed
    live as of `--as-of` when given, else as of today but never after the week's Sunday
    (`snapshot_date`), so exporting a past week shows it as it stood at its end."""
    import gc

    from opstui.data.config import load_config
    from opstui.data.messages import ExportRequest, MessageError
    from opstui.data.repository import Repository
    from opstui.data.review import SnapshotDamagedError
    from opstui.data.workspace import explain_failure
    from opstui.export.kinds import DEFAULT_KIND, kind_named

    # An export builds the week's figures and writes them once: its objects live until the
    # process ends, so the collector's passes over them would free nothing.
    gc.disable()
    if args.format != "markdown" or args.what is not None:
        if args.kind is not None or args.bug is not None:
            raise UsageError("--kind and --bug are for Markdown documents, not --format csv|json")
        return _export_table(args)
    try:
        kind = kind_named(args.kind or DEFAULT_KIND)
    except MessageError as error:
        raise UsageError(str(error)) from None
    if kind.needs_bug and args.bug is None:
        raise UsageError(f"--kind {kind.name} needs the bug: --bug ID")
    if args.bug is not None and not kind.needs_bug:
        raise UsageError("--bug goes with --kind postmortem")
    config = load_config()
    workspace = _script_workspace(args)
    to_stdout = _checked_output(args, workspace)
    repo = Repository.open_readonly(workspace)
    try:
        week = _review_week(repo, args.week, args.as_of or date.today())
        as_of = args.as_of or kind.day(week, date.today())
        request = ExportRequest(
            week, as_of, config.targets, config.health, args.bug, config.preread.due_time
        )
        render = kind.prepare(repo, request)
    except (SnapshotDamagedError, MessageError) as error:
        raise CommandError(str(error)) from None
    except sqlite3.Error as error:
        raise explain_failure(workspace, error) from None
    finally:
        repo.close()
    document = render(args.redact).encode("utf-8")
    return _deliver(args, document, workspace, to_stdout)


def _export_table(args: argparse.Namespace) -> int:
    """One table as CSV or JSON (`--format csv|json --what WHAT`), like the Markdown export:
    read-only, to stdout or written whole to `-o FILE`."""
    from opstui.data.repository import Repository
    from opstui.data.workspace import explain_failure
    from opstui.export.tables import render_table

    if args.what is None or args.format == "markdown":
        raise CommandError("--what and --format csv|json go together (see --help)")
    workspace = _script_workspace(args)
    to_stdout = _checked_output(args, workspace)
    repo = Repository.open_readonly(workspace)
    try:
        document = render_table(repo, args.what, args.format)
    except sqlite3.Error as error:
        raise explain_failure(workspace, error) from None
    finally:
        repo.close()
    return _deliver(args, document, workspace, to_stdout)


def _checked_output(args: argparse.Namespace, workspace: Path) -> bool:
    """Check an export's output before anything is read (it must never take the
    workspace's place, whatever name or redirect points at it); True for stdout."""
    from opstui.export.files import refuse_workspace_files

    to_stdout = args.output is None or str(args.output) == "-"
    try:
        if to_stdout:
            _check_stdout(workspace)
        else:
            refuse_workspace_files(args.output, workspace)
    except OSError as error:
        raise CommandError(str(error)) from None
    return to_stdout


def _deliver(args: argparse.Namespace, document: bytes, workspace: Path, to_stdout: bool) -> int:
    """Write an export to stdout, or whole to `-o FILE` (and say so)."""
    from opstui.export.files import write_atomically

    if to_stdout:
        return _write_stdout(document)
    try:
        write_atomically(args.output, document, workspace=workspace)
    except OSError as error:
        if error.errno == errno.EPIPE:
            return 0  # `-o /dev/stdout | head`: the reader stopped early, as with stdout.
        raise CommandError(str(error)) from None
    if not _is_stdout(args.output):
        print(f"wrote {args.output}")
    return 0


def _is_stdout(path: Path) -> bool:
    """Whether `path` is where standard output goes (`-o /dev/stdout`): the document is
    all that belongs there."""
    if sys.stdout is None:
        return False
    try:
        return os.path.samestat(os.stat(path), os.fstat(sys.stdout.fileno()))
    except (OSError, ValueError):
        return False


def _check_stdout(workspace: Path) -> None:
    """Standard output can take the document: it is open, and not the workspace itself
    (`opstui export W.db >> W.db`)."""
    from opstui.export.files import refuse_workspace_stream

    if sys.stdout is None:
        raise CommandError("standard output is closed; nothing was written (use -o FILE)")
    try:
        descriptor = sys.stdout.fileno()
    except (OSError, ValueError):
        return  # Not backed by a descriptor (captured): nothing on disk to protect.
    refuse_workspace_stream(descriptor, workspace)


def _write_stdout(document: bytes) -> int:
    try:
        # Bytes, not text: the document is UTF-8 whatever the terminal's locale.
        sys.stdout.buffer.write(document)
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader stopped early (`| head`): not an error, and no traceback at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except OSError as error:
        raise CommandError(f"cannot write to standard output ({error.strerror or error})") from None
    return 0


def _record_as(repo: Repository, args: argparse.Namespace, config: Config) -> None:
    """Record the command's writes under who `--user`, the environment or the
    configuration names, else the login name."""
    from opstui.data.identity import login_name, named_user

    repo.record_history(named_user(args.user, config) or login_name())


def _freeze(args: argparse.Namespace) -> int:
    from opstui.data.config import load_config
    from opstui.data.repository import Repository
    from opstui.data.review import AlreadyFrozenError, freeze_week, snapshot_date, unfreeze_week
    from opstui.data.workspace import explain_failure

    config = load_config()
    workspace = _script_workspace(args)
    repo = Repository.open(workspace)
    _record_as(repo, args, config)
    try:
        week = _review_week(repo, args.week, args.as_of or date.today())
        if args.unfreeze:
            if not unfreeze_week(repo, week):
                raise CommandError(f"{week} is not frozen")
            print(f"unfroze {week}")
            return 0
        as_of = args.as_of or snapshot_date(week, date.today())
        try:
            freeze_week(
                repo,
                week,
                today=as_of,
                now=datetime.now().replace(microsecond=0),
                targets=config.targets,
                health=config.health,
                replace=args.replace,
                preread_due=config.preread.due_time,
            )
        except AlreadyFrozenError as error:
            raise CommandError(f"{error}; pass --replace to freeze it again") from None
    except sqlite3.Error as error:
        # Each change is one transaction, rolled back when it fails.
        raise explain_failure(workspace, error) from None
    finally:
        repo.close()
    print(f"froze {week} (figures as of {as_of.isoformat()})")
    return 0


def _check(args: argparse.Namespace) -> int:
    """One line per stored value that breaks the model; exit 1 when there is one."""
    from opstui.data.integrity import check_workspace
    from opstui.data.repository import Repository

    repo = Repository.open_readonly(_script_workspace(args))
    try:
        report = check_workspace(repo)
    except sqlite3.DatabaseError as error:
        raise CommandError(f"{repo.path}: damaged workspace ({error})") from None
    finally:
        repo.close()
    for problem in report.problems:
        print(problem)
    if not report.ok:
        return EXIT_ERROR
    print(f"ok: {report.rows:,} rows checked")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    try:
        if arguments and arguments[0] in COMMANDS:
            command = arguments[0]
            args = _command_parser(command).parse_args(arguments[1:])
            handler = {
                "check": _check,
                "demo": _demo,
                "export": _export,
                "freeze": _freeze,
                "import": _import,
                "init": _init,
                "people": _people,
                "sample": _sample,
                "serve": _serve,
            }[command]
            return handler(args)
        return _open(_parser().parse_args(arguments))
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # every failure ends as one line, never a traceback
        return _report(error)


def _report(error: Exception) -> int:
    from opstui.data.config import ConfigError
    from opstui.data.workspace import WorkspaceError

    usage = isinstance(error, UsageError) or (isinstance(error, ConfigError) and error.usage)
    code = EXIT_USAGE if usage else EXIT_ERROR
    if isinstance(error, WorkspaceError | ConfigError | CommandError):
        message = str(error)
    elif isinstance(error, OSError):
        message = f"{error.filename or ''}: {error.strerror or error}".lstrip(": ")
    else:
        message = f"internal error: {type(error).__name__}: {error}"
    # One line whatever the error (a validation error lists one problem per line).
    message = message.splitlines()[0] if message.strip() else type(error).__name__
    print(f"opstui: error: {message}", file=sys.stderr)
    return code
