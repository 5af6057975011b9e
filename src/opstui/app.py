"""The Textual app: it only composes the modes, the global keys and the shared state."""

from __future__ import annotations

import gc
from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, ClassVar

from textual import work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from opstui.data.config import Config, ConfigError, save_config
from opstui.data.repository import Repository
from opstui.data.workspace import WorkspaceError
from opstui.domain.models import Person
from opstui.domain.text import clean_line, clean_text
from opstui.keymap import known_binding_ids, unknown_binding_warnings, usable_keymap
from opstui.modals.error import ErrorDialog
from opstui.screens.base import OpsScreen
from opstui.session import Session
from opstui.themes import THEMES
from opstui.widgets.privacy import PRIVACY, PRIVACY_BINDING, PRIVATE_WORDS

if TYPE_CHECKING:
    from textual.command import Provider

    from opstui.screens.sign_in import SignIn


def _portfolio_screen() -> Screen[Any]:
    from opstui.screens.portfolio import PortfolioScreen

    return PortfolioScreen()


def _bugs_screen() -> Screen[Any]:
    from opstui.screens.bugs import BugsScreen

    return BugsScreen()


def _customers_screen() -> Screen[Any]:
    from opstui.screens.customers import CustomersScreen

    return CustomersScreen()


def _weekly_screen() -> Screen[Any]:
    from opstui.screens.weekly import WeeklyScreen

    return WeeklyScreen()


def _setup_screen() -> Screen[Any]:
    from opstui.screens.setup import SetupScreen

    return SetupScreen()


def _action_commands() -> type[Provider]:
    from opstui.commands import ActionCommands

    return ActionCommands


def _jump_commands() -> type[Provider]:
    from opstui.commands import JumpCommands

    return JumpCommands


class RowProblemsFound(Message):
    """Rows that break the model were read (in any thread): the app says so once."""


EXTERNAL_CHECK_SECONDS = 1.5
"""How often the app asks SQLite whether another process has committed."""

START_UP_SECONDS = 2.0
"""When the work that waits for the first screen's data (the workspace's damage check, the
garbage collector) starts at the latest, if that screen has not shown its data by then."""

ROW_PROBLEMS_SHOWN = 5
"""How many row problems a notification spells out; `opstui check` lists them all."""


class OpsApp(App[int]):
    """opstui: the weekly product-operations review."""

    TITLE = "opstui"
    CSS_PATH = "styles/app.tcss"
    MODES: ClassVar[dict[str, str | Callable[[], Screen[Any]]]] = {
        "portfolio": lambda: _portfolio_screen(),
        "bugs": lambda: _bugs_screen(),
        "customers": lambda: _customers_screen(),
        "weekly": lambda: _weekly_screen(),
        "setup": lambda: _setup_screen(),
    }
    """Each screen is imported when first shown: start-up pays only for the first one."""
    COMMANDS = App.COMMANDS | {_action_commands, _jump_commands}
    """The palette's commands, imported when it first opens."""
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", id="app.quit", tooltip="Leave opstui"),
        Binding("question_mark", "help", "Keys", id="app.help", tooltip="Every key of this screen"),
        Binding("1,alt+1", "switch_mode('portfolio')", "Portfolio", id="app.portfolio", show=False),
        Binding("2,alt+2", "switch_mode('bugs')", "Bugs", id="app.bugs", show=False),
        Binding("3,alt+3", "switch_mode('customers')", "Customers", id="app.customers", show=False),
        Binding("4,alt+4", "switch_mode('weekly')", "Weekly", id="app.weekly", show=False),
        Binding(
            "5,alt+5",
            "switch_mode('setup')",
            "Setup",
            id="app.setup",
            show=False,
            tooltip="Companies, products, people and roles",
        ),
        Binding("g", "goto", "Go to screen (g p/b/c/w/s)", id="app.goto", show=False),
        PRIVACY_BINDING,
    ]

    def __init__(
        self,
        repo: Repository,
        *,
        config: Config | None = None,
        as_of: date | None = None,
        screen: str = "portfolio",
        save_settings: bool = True,
        clock: Callable[[], datetime] | None = None,
        ask_user: bool = False,
        sign_in: SignIn | None = None,
    ) -> None:
        self.session = Session(repo, config or Config(), as_of, clock)
        if repo.recording:  # what this session writes is stamped on its own today
            repo.record_history(repo.person, shift_days=self.session.day_shift)
        self.sign_in = sign_in
        """Set for a served session: a personal access code first, and nothing of the
        workspace until it is given (then `session.signed_in` is who gave it)."""
        self.ask_user = ask_user and sign_in is None
        """Whether to ask who is at the keyboard once the first screen shows (nobody said:
        no `--user`, `OPSTUI_USER` or `user` in the configuration)."""
        # `post_message` is thread-safe: workers read rows too.
        repo.problems.listener = lambda: self.post_message(RowProblemsFound())
        self.initial_mode = screen
        self.save_settings = save_settings
        """Whether theme changes are written to the config file (off in tests)."""
        self.escalation_count: int | None = None
        self.revision = 0
        """Goes up with every write, this process's or another's; a screen that has shown
        an older revision reloads when it is shown again."""
        self._data_version: int | None = None
        self._showing_error = False
        self._started_up = False
        self._damage_check_started = False
        PRIVACY.turn_off()  # a new session starts with names shown
        self._keymap: dict[str, str] = {}
        super().__init__()
        for theme in THEMES:
            self.register_theme(theme)

    @property
    def workspace_name(self) -> str:
        return self.session.repo.name

    def on_mount(self) -> None:
        try:
            self.theme = self.session.config.theme
        except Exception:
            self.notify(f"Unknown theme {self.session.config.theme!r}", severity="warning")
        keymap, warnings = usable_keymap(self.session.config.keymap)
        self._keymap = keymap
        self.set_keymap(keymap)
        for warning in warnings:
            self.notify(warning, title="Keymap", severity="warning", timeout=15)
        self.set_timer(START_UP_SECONDS, self._start_up_over)
        if self.sign_in is not None:
            from opstui.screens.sign_in import SignInScreen

            self.push_screen(SignInScreen(self.session.repo, self.sign_in), self._signed_in)
            return
        self._open_workspace()

    @property
    def awaiting_sign_in(self) -> bool:
        """A served session nobody has signed in to yet: no screen of data may open."""
        return self.sign_in is not None and self.session.signed_in is None

    def _signed_in(self, person: Person | None) -> None:
        if person is None:
            return
        # Every change of this session is recorded under the person's name.
        self.session.repo.record_history(person.name, shift_days=self.session.day_shift)
        self.session.signed_in = person
        self._open_workspace()
        self.notify(f"Signed in as {person.name}; your changes are recorded under your name")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Before sign-in, only leaving works: no screen switch, palette or help."""
        if self.awaiting_sign_in and action != "quit":
            return False
        return super().check_action(action, parameters)

    def _open_workspace(self) -> None:
        """Show the first screen and start following the workspace."""
        keymap = self._keymap
        self.switch_mode(self.initial_mode)
        self._data_version = self.session.repo.data_version()
        self.set_interval(EXTERNAL_CHECK_SECONDS, self.check_external_writes)
        if keymap:
            # Knowing every binding id means importing every screen: after the first frame.
            self.call_after_refresh(self._warn_about_unknown_binding_ids, keymap)

    def on_unmount(self) -> None:
        self.session.readers.close()

    def _warn_about_unknown_binding_ids(self, keymap: dict[str, str]) -> None:
        for warning in unknown_binding_warnings(keymap, known_binding_ids([type(self)])):
            self.notify(warning, title="Keymap", severity="warning", timeout=15)

    def screen_ready(self) -> None:
        """A screen shows its data. After the first one, the rest of start-up runs."""
        if self._started_up:
            return
        self._started_up = True
        # The damage check and the escalation count wait for the first screen, so that
        # nothing competes with it.
        self.check_for_damage()
        self.count_escalations()
        # What exists now lives as long as the app: keep it out of every future collection,
        # so a keystroke never waits for a full pass over it.
        gc.freeze()
        gc.enable()  # `opstui` starts with no collection until now
        if self.ask_user:
            self.ask_who()

    def _start_up_over(self) -> None:
        """The first screen is slow to show its data (or waits for a sign-in): what waits
        for it starts anyway."""
        self.check_for_damage()
        gc.enable()

    def ask_who(self) -> None:
        """Ask who is at the keyboard, from the workspace's people; remembered in the
        configuration, so it is asked once."""
        from opstui.modals.picker import Picker

        repo = self.session.repo
        people = [
            (person.name, person.name) for person in repo.people() if person.retired_on is None
        ]
        if not people:  # nobody to pick yet: the login name stands until Setup adds people
            return

        def picked(name: str | None) -> None:
            self.ask_user = False
            if name is None:
                self.notify(
                    f"Your changes are recorded as {repo.person}; --user NAME or "
                    "OPSTUI_USER says otherwise"
                )
                return
            repo.record_history(name)
            self.session.config = self.session.config.model_copy(update={"user": name})
            if self.save_settings:
                try:
                    save_config(self.session.config)
                except (OSError, ConfigError) as error:
                    self.notify(f"Not remembered: {error}", severity="warning")
            self.notify(f"Your changes are recorded as {name}")

        self.push_screen(
            Picker("Who are you? Your changes are recorded under your name", people), picked
        )

    def watch_theme(self, theme: str) -> None:
        if not self.screen_stack or theme == self.session.config.theme:
            return
        self.session.config = self.session.config.model_copy(update={"theme": theme})
        if self.save_settings:
            try:
                save_config(self.session.config)
            except (OSError, ConfigError) as error:
                self.notify(f"Theme not saved: {error}", severity="warning")

    # -- the workspace's damage check ---------------------------------------------------------

    def check_for_damage(self) -> None:
        """Check the whole workspace file for damage in the background, once, if it was
        opened before the check (see `open_workspace`); writes wait for it meanwhile."""
        if self.session.repo.db.damage_check is None or self._damage_check_started:
            return
        self._damage_check_started = True
        self._check_for_damage()

    @work(thread=True, exclusive=True, group="damage-check", exit_on_error=False)
    def _check_for_damage(self) -> None:
        check = self.session.repo.db.damage_check
        if check is None:
            return
        try:
            check.run()  # its own read-only connection: never the UI thread's
        except WorkspaceError as error:
            if check.damaged:
                self.call_from_thread(self._show_damage, str(error))
            # Otherwise (busy, say) the first write runs the check again.
            return
        self.call_from_thread(self.session.repo.db.checked)

    def _show_damage(self, message: str) -> None:
        self.push_screen(
            ErrorDialog(
                "The workspace is damaged",
                f"{message}. You can still look at it, but no change will be saved: "
                "quit (q) and open a backup copy instead.",
            )
        )

    # -- shared state -------------------------------------------------------------------------

    def count_escalations(self) -> None:
        """Recount escalations in the background and show the count in the header."""
        self._count_escalations()

    @work(thread=True, exclusive=True, group="escalations", exit_on_error=False)
    def _count_escalations(self) -> None:
        from opstui.data.figures import current_escalations

        session = self.session
        with session.reading() as repo:
            count = len(current_escalations(repo, session.today))
        self.call_from_thread(self._show_escalation_count, count)

    def _show_escalation_count(self, count: int) -> None:
        self.escalation_count = count
        # Every screen of the stack, so the header behind an open dialog is current too.
        for screen in self.screen_stack:
            if isinstance(screen, OpsScreen):
                screen.refresh_header()

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Notifications quote workspace data (names, titles, errors): never markup, never
        a control character, and no customer name or money in privacy mode."""
        super().notify(
            clean_text(PRIVACY.text(message)),
            title=clean_line(PRIVACY.text(title)),
            severity=severity,
            timeout=timeout,
            markup=False,
        )

    def on_row_problems_found(self, _: RowProblemsFound) -> None:
        """One notification, in words, for the rows met since the last one."""
        problems = self.session.repo.problems.take_unreported()
        if not problems:
            return
        lines = [str(problem) for problem in problems[:ROW_PROBLEMS_SHOWN]]
        if len(problems) > ROW_PROBLEMS_SHOWN:
            more = len(problems) - ROW_PROBLEMS_SHOWN
            lines.append(f"… and {more} more (`opstui check` lists them all)")
        self.notify(
            "\n".join(lines) + "\nShown with ⚠ where wrong; editing and saving it repairs it.",
            title="Stored values that cannot be read",
            severity="warning",
            timeout=15,
        )

    def data_changed(self) -> None:
        """Called after every write of this process: the figures every screen shows are
        behind. The screen that wrote has reloaded itself; the others reload when shown."""
        self.revision += 1
        if isinstance(self.screen, OpsScreen):
            self.screen.seen_revision = self.revision
        self._renew_privacy()
        self.count_escalations()

    def check_external_writes(self) -> None:
        """Notice commits of other processes (two terminals, the projector): the visible
        screen reloads at once, keeping its cursor; the others when shown."""
        version = self.session.repo.data_version()
        if version == self._data_version:
            return
        self._data_version = version
        self.revision += 1
        self._renew_privacy()
        self.count_escalations()
        if isinstance(self.screen, OpsScreen):
            self.screen.reload_if_behind()

    def jump_to(self, mode: str, entity_id: int) -> None:
        """Switch to `mode` and select the entity (command palette)."""

        def select() -> None:
            screen = self.screen
            if isinstance(screen, OpsScreen):
                screen.show_entity(entity_id)

        self.switch_mode(mode)
        self.call_after_refresh(select)

    # -- privacy ------------------------------------------------------------------------------

    def _renew_privacy(self) -> None:
        """A customer added or renamed is hidden too."""
        if PRIVACY.active:
            PRIVACY.renew(self.session.repo.customer_aliases())

    def action_privacy(self) -> None:
        """Hide customer names and money on every screen, dialog and preview of this
        session, or show them again."""
        if getattr(self.screen, "HIDDEN_IN_PRIVACY", False) and not PRIVACY.active:
            self.notify("Close this form first: it shows what privacy mode hides")
            return
        if PRIVACY.active:
            PRIVACY.turn_off()
            self.notify("Privacy mode is off: customer names and money are shown")
        else:
            PRIVACY.turn_on(self.session.repo.customer_aliases())
            self.notify(PRIVATE_WORDS)
        # Everything on screen is drawn again: the mode screens reload (the visible one at
        # once, keeping its cursor), dialogs that show customer data redraw themselves.
        self.revision += 1
        for screen in self.screen_stack:
            if isinstance(screen, OpsScreen):
                screen.refresh_header()
            privacy_changed = getattr(screen, "privacy_changed", None)
            if callable(privacy_changed):
                privacy_changed()
        screen = self.screen
        if isinstance(screen, OpsScreen):
            screen.reload_if_behind()
        else:
            # Under a dialog: the screen below reloads now, so closing shows it masked.
            below = next((s for s in reversed(self.screen_stack) if isinstance(s, OpsScreen)), None)
            if below is not None:
                below.reload_if_behind()

    # -- actions ------------------------------------------------------------------------------

    def action_help(self) -> None:
        from opstui.modals.help import HelpScreen, help_groups

        screen = self.screen
        title = screen.SCREEN_TITLE if isinstance(screen, OpsScreen) else "opstui"
        self.push_screen(HelpScreen(title, help_groups(screen.active_bindings)))

    def action_goto(self) -> None:
        from opstui.modals.goto import GotoPrompt

        def chosen(mode: str | None) -> None:
            if mode is not None:
                self.switch_mode(mode)

        self.push_screen(GotoPrompt(), chosen)

    # -- failures -----------------------------------------------------------------------------

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        self.worker_changed(event)

    def worker_changed(self, event: Worker.StateChanged) -> None:
        """A failed background job shows one error dialog; the app keeps running."""
        if event.state is not WorkerState.ERROR or self._showing_error:
            return
        self._showing_error = True
        error = event.worker.error

        def closed(_: None) -> None:
            self._showing_error = False

        self._started_up = False

        self.push_screen(
            ErrorDialog("Something went wrong", f"{type(error).__name__}: {error}"), closed
        )
