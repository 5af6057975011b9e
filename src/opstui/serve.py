"""`opstui serve`: the workspace in browsers, one opstui session per browser.

Built on textual-serve: each browser that opens the page gets its own opstui process on
the same workspace file (several processes on one workspace are safe: writes wait their
turn and never overwrite a newer version). Those processes know they are served from the
`OPSTUI_SERVED` environment variable and start with sign-in (`screens/sign_in.py`).

The server listens on 127.0.0.1 unless `--host` says otherwise, and any other address is
refused while nobody has an access code. What happens (browsers connecting, sign-ins let
in or refused, errors) is told on the console; Ctrl+C stops it.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import errno
import os
import shlex
import signal
import socket
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from opstui.data.identity import USER_ENV

if TYPE_CHECKING:
    from opstui.data.repository import Repository

SERVED_ENV = "OPSTUI_SERVED"
"""Set (to 1) for the sessions `opstui serve` starts: they ask for an access code first."""

LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
"""Addresses only this machine reaches: served without access codes set up."""

DEFAULT_FONT_SIZE = 16
FONT_SIZES = range(8, 73)

SIGN_IN_POLL_SECONDS = 1.0
"""How often the console looks for new sign-in attempts."""


def is_served() -> bool:
    """Whether this process is a browser's session of `opstui serve`."""
    return os.environ.get(SERVED_ENV) == "1"


def _font_size(value: str) -> int:
    try:
        size = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid font size {value!r}") from None
    if size not in FONT_SIZES:
        raise argparse.ArgumentTypeError(
            f"font size must be {FONT_SIZES.start} to {FONT_SIZES.stop - 1}: {value}"
        )
    return size


def _port(value: str) -> int:
    try:
        port = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid port {value!r}") from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"port must be 1 to 65535: {value}")
    return port


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("workspace", type=Path, help="the workspace file to serve")
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        help="the address to listen on (default 127.0.0.1: this machine only); any other "
        "needs at least one access code (`opstui people code`)",
    )
    parser.add_argument("--port", type=_port, default=8000, help="the port (default 8000)")
    parser.add_argument(
        "--font-size",
        type=_font_size,
        default=DEFAULT_FONT_SIZE,
        metavar="N",
        help=f"the page's font size in pixels (default {DEFAULT_FONT_SIZE}; larger for a "
        "shared screen or a projector); a page address's ?fontsize=N still wins",
    )


def child_command(workspace: Path, as_of: str | None = None) -> str:
    """The shell command each browser's session runs: this opstui, on the workspace."""
    if getattr(sys, "frozen", False):  # the single binary runs itself
        program = [sys.executable]
    else:
        program = [sys.executable, "-m", "opstui"]
    arguments = [*program, str(workspace.resolve())]
    if as_of is not None:
        arguments += ["--as-of", as_of]
    return shlex.join(arguments)


def serve(args: argparse.Namespace) -> int:
    """Check, then serve until Ctrl+C."""
    from opstui.cli import CommandError
    from opstui.data.access_codes import current_code_count, refusal_count
    from opstui.data.repository import Repository

    if getattr(sys, "frozen", False):
        raise CommandError(
            "the single binary does not serve browsers: use opstui installed with pip "
            "(README, 'In a browser')"
        )
    workspace: Path = args.workspace
    if not workspace.exists():
        raise CommandError(f"{workspace}: no such workspace")
    repo = Repository.open(workspace)  # brings an older workspace up to date, once
    try:
        codes = current_code_count(repo)
        refused = refusal_count(repo)
    finally:
        repo.close()
    host: str = args.host
    if host not in LOCAL_HOSTS and codes == 0:
        raise CommandError(
            f"refusing to listen on {host}: nobody has an access code yet, so the workspace "
            f"would be open to anyone (run `opstui people code {workspace} NAME` first)"
        )
    _check_port_free(host, args.port)
    as_of = args.as_of.isoformat() if getattr(args, "as_of", None) else None
    server = make_server(
        child_command(workspace, as_of),
        workspace=workspace,
        host=host,
        port=args.port,
        font_size=args.font_size,
    )
    say = server.console.print
    say(f"opstui: serving {workspace} on {server.shown_url}", highlight=False)
    if codes == 0:
        say(
            "nobody can sign in yet: `opstui people code WORKSPACE NAME` gives a person a code",
            highlight=False,
        )
    else:
        say(f"{codes} {'person' if codes == 1 else 'people'} can sign in", highlight=False)
    if refused:
        say(f"{refused} refused sign-in attempts recorded so far", highlight=False)
    say("Ctrl+C stops the server", highlight=False)
    # The sessions it starts are served ones, and never take the server's own identity.
    os.environ[SERVED_ENV] = "1"
    os.environ.pop(USER_ENV, None)
    server.serve()
    say("opstui: stopped", highlight=False)
    return 0


def _check_port_free(host: str, port: int) -> None:
    """A clear line now, rather than a traceback from deep in the server."""
    from opstui.cli import CommandError

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise CommandError(f"cannot listen on {host}: {error.strerror}") from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as error:
            reason = "the port is in use" if error.errno == errno.EADDRINUSE else error.strerror
            raise CommandError(f"cannot listen on {host}:{port}: {reason}") from None


def _make_server_class() -> type[Any]:
    """The server class, built when serving: textual-serve and aiohttp load only then."""
    import aiohttp_jinja2
    from aiohttp import web
    from textual_serve.server import Server

    class _WorkspaceServer(Server):
        """textual-serve's server, with the page's font size, addresses that work from
        any machine, and the console telling who connects and who signs in."""

        def __init__(
            self, command: str, *, workspace: Path, host: str, port: int, font_size: int
        ) -> None:
            super().__init__(command, host=host, port=port, title="opstui")
            self.workspace = workspace
            self.font_size = font_size
            self.sessions = 0
            self._follow: asyncio.Task[None] | None = None

        @property
        def shown_url(self) -> str:
            shown = "127.0.0.1" if self.host in {"0.0.0.0", "::"} else self.host
            if ":" in shown:
                shown = f"[{shown}]"
            every = " (every address of this machine)" if self.host in {"0.0.0.0", "::"} else ""
            return f"http://{shown}:{self.port}/{every}"

        def serve(self, debug: bool = False) -> None:
            self.debug = debug
            self.initialize_logging()
            loop = asyncio.new_event_loop()
            asyncio.set_event_loop(loop)
            for stop in (signal.SIGINT, signal.SIGTERM):
                with contextlib.suppress(NotImplementedError):
                    loop.add_signal_handler(stop, self.request_exit)
            try:
                web.run_app(
                    self._make_app(),
                    host=self.host,
                    port=self.port,
                    handle_signals=False,
                    loop=loop,
                    print=lambda *_: None,
                    shutdown_timeout=5.0,
                    access_log=None,  # the console tells of sessions and sign-ins instead
                )
            finally:
                loop.close()

        async def on_startup(self, app: web.Application) -> None:
            self._follow = asyncio.create_task(self._follow_sign_ins())

        async def on_shutdown(self, app: web.Application) -> None:
            if self._follow is not None:
                self._follow.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await self._follow

        @aiohttp_jinja2.template("app_index.html")
        async def handle_index(self, request: web.Request) -> dict[str, Any]:
            # The addresses follow the one the browser used, so a page opened from another
            # machine (with --host 0.0.0.0) connects back to this one.
            base = f"{request.scheme}://{request.host}"
            websocket = f"{'wss' if request.scheme == 'https' else 'ws'}://{request.host}"
            try:
                font_size = _font_size(request.query.get("fontsize", str(self.font_size)))
            except argparse.ArgumentTypeError:
                font_size = self.font_size
            return {
                "font_size": font_size,
                "app_websocket_url": f"{websocket}/ws",
                "config": {"static": {"url": f"{base}/static/"}},
                "application": {"name": self.title},
            }

        async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
            self.sessions += 1
            self._say(f"a browser opened a session ({self._open_sessions()})")
            try:
                response: web.WebSocketResponse = await super().handle_websocket(request)
                return response
            finally:
                self.sessions -= 1
                self._say(f"a session ended ({self._open_sessions()})")

        def _open_sessions(self) -> str:
            return f"{self.sessions} open"

        def _say(self, text: str) -> None:
            moment = datetime.now().strftime("%H:%M:%S")
            self.console.print(f"{moment} {text}", highlight=False, markup=False)

        async def _follow_sign_ins(self) -> None:
            from opstui.data.access_codes import last_sign_in_id, sign_ins_after
            from opstui.data.repository import Repository

            repo: Repository = Repository.open(self.workspace)  # it only reads
            try:
                last = last_sign_in_id(repo)
                while True:
                    await asyncio.sleep(SIGN_IN_POLL_SECONDS)
                    for event in sign_ins_after(repo, last):
                        last = event.id
                        self._say(_sign_in_line(event.outcome, event.person))
            finally:
                repo.close()

    return _WorkspaceServer


def _sign_in_line(outcome: str, person: str | None) -> str:
    if outcome == "signed in":
        return f"{person} signed in"
    whose = f" of {person}" if person else ""
    reason = {
        "wrong": "a wrong code",
        "unknown": "a wrong code",
        "revoked": f"a replaced code{whose}",
        "retired": f"the code{whose}, who is retired",
    }.get(outcome, outcome)
    return f"sign-in refused: {reason}"


def make_server(command: str, *, workspace: Path, host: str, port: int, font_size: int) -> Any:
    """The server for `serve` (see `_make_server_class`)."""
    server_class = _make_server_class()
    return server_class(command, workspace=workspace, host=host, port=port, font_size=font_size)
