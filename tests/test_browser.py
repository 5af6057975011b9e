"""The served workspace in a real browser: headless Chromium opens `opstui serve`'s page,
signs in with a personal access code by typing into the terminal, and reads what the
terminal shows; a second browser, as another person, changes the weekly checklist and the
first one sees it.

Skipped only where Chromium and its driver are not installed, and never when
`OPSTUI_BROWSER_TESTS=required` (CI installs them and sets it): then a missing browser fails.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import pytest

from opstui.data.access_codes import find_person, issue_code
from opstui.data.repository import Repository
from opstui.data.sample import DEMO_TODAY

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
REQUIRED = os.environ.get("OPSTUI_BROWSER_TESTS") == "required"

if CHROMIUM is None or CHROMEDRIVER is None:
    if REQUIRED:
        raise RuntimeError(
            "OPSTUI_BROWSER_TESTS=required but chromium or chromedriver is not installed"
        )
    pytest.skip("chromium and chromedriver are not installed", allow_module_level=True)

from selenium import webdriver  # noqa: E402 (only where a browser exists)
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.remote.webdriver import WebDriver  # noqa: E402

WAIT_SECONDS = 60.0
FONT_SIZE = 18

# Before the page's scripts run: remember every xterm.js terminal made, so the test can read
# its buffer (the public `buffer.active` API) whatever renderer draws it.
REMEMBER_TERMINALS = """
window.__terminals = [];
Object.defineProperty(Object.prototype, "_core", {
    configurable: true,
    set(value) {
        Object.defineProperty(this, "_core", {value, writable: true, configurable: true});
        if (this.buffer !== undefined && "active" in this.buffer) window.__terminals.push(this);
    },
});
"""

SCREEN_TEXT = """
const terminal = window.__terminals[0];
if (!terminal) return "";
const buffer = terminal.buffer.active;
const lines = [];
for (let row = 0; row < terminal.rows; row++) {
    const line = buffer.getLine(buffer.viewportY + row);
    lines.push(line ? line.translateToString(true) : "");
}
return lines.join("\\n");
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def served(demo_path: Path) -> Iterator[tuple[str, dict[str, str]]]:
    """`opstui serve` on a scratch demo workspace; its address and two people's codes."""
    repo = Repository.open(demo_path)
    now = datetime.now().astimezone()
    codes = {
        name: issue_code(repo, find_person(repo, name), now)
        for name in ("Ana Ruiz", "Grace Kim", "Daniel Okafor")
    }
    repo.close()
    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "opstui",
            "serve",
            str(demo_path),
            "--port",
            str(port),
            "--as-of",
            DEMO_TODAY.isoformat(),
            "--font-size",
            str(FONT_SIZE),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + WAIT_SECONDS
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
                break
            assert server.poll() is None, server.communicate()[0]
            assert time.monotonic() < deadline, "the server did not start listening"
            time.sleep(0.2)
        yield f"http://127.0.0.1:{port}/", codes
    finally:
        server.send_signal(signal.SIGINT)
        output, _ = server.communicate(timeout=30)
        assert server.returncode == 0, output
        assert "Traceback" not in output, output


@pytest.fixture
def browsers() -> Iterator[Callable[[], WebDriver]]:
    opened: list[WebDriver] = []

    def open_browser() -> WebDriver:
        options = webdriver.ChromeOptions()
        options.binary_location = str(CHROMIUM)
        for argument in (
            "--headless=new",
            "--no-sandbox",
            "--disable-dev-shm-usage",
            "--disable-gpu",
            "--window-size=1400,1000",
        ):
            options.add_argument(argument)
        driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
        driver.execute_cdp_cmd(
            "Page.addScriptToEvaluateOnNewDocument", {"source": REMEMBER_TERMINALS}
        )
        opened.append(driver)
        return driver

    yield open_browser
    for driver in opened:
        driver.quit()


def screen_text(driver: WebDriver) -> str:
    return str(driver.execute_script(SCREEN_TEXT))


def wait_for(driver: WebDriver, wanted: str) -> str:
    """The terminal's text once it shows `wanted`."""
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        text = screen_text(driver)
        if wanted in text:
            return text
        assert time.monotonic() < deadline, f"{wanted!r} never appeared; the screen:\n{text}"
        time.sleep(0.25)


def type_keys(driver: WebDriver, keys: str) -> None:
    """Type as a person at the page would: into xterm.js's input, which sends the keys."""
    driver.find_element(By.CSS_SELECTOR, ".xterm-helper-textarea").send_keys(keys)


def sign_in(driver: WebDriver, url: str, code: str) -> str:
    driver.get(url)
    before = wait_for(driver, "Sign in to opstui")
    time.sleep(0.5)  # the input has focus once the screen is drawn
    type_keys(driver, code + "\n")
    return before


def test_two_people_in_two_browsers_sign_in_and_see_each_others_changes(
    served: tuple[str, dict[str, str]], browsers: Callable[[], WebDriver], demo_path: Path
) -> None:
    url, codes = served
    repo = Repository.open(demo_path)
    project_names = [project.name for project in repo.projects()]
    people_names = [person.name for person in repo.people()]
    repo.close()

    ana = browsers()
    before = sign_in(ana, url, codes["Ana Ruiz"])
    # Nothing of the workspace before the code: no project, no person.
    assert not [name for name in project_names + people_names if name in before], before
    portfolio = wait_for(ana, "Signed in as Ana Ruiz")
    assert any(name in portfolio for name in project_names), portfolio
    # The terminal is drawn at the server's --font-size.
    assert str(ana.execute_script("return window.__terminals[0].options.fontSize")) == str(
        FONT_SIZE
    )

    type_keys(ana, "4")
    weekly = wait_for(ana, "Director review")
    assert "awaiting the director" in _line_of(weekly, "Priya Nair"), weekly

    grace = browsers()
    sign_in(grace, url, codes["Grace Kim"])
    wait_for(grace, "Signed in as Grace Kim")
    type_keys(grace, "4")
    wait_for(grace, "Director review")
    # Down the checklist to Priya Nair's submitted pre-read (the eleventh person), accept.
    type_keys(grace, "j" * 10)
    type_keys(grace, "A")
    wait_for(grace, "Priya Nair's pre-read accepted")

    # Ana's page follows the workspace: the acceptance shows there without a key pressed.
    deadline = time.monotonic() + WAIT_SECONDS
    while "accepted" not in (line := _line_of(screen_text(ana), "Priya Nair")):
        assert time.monotonic() < deadline, line
        time.sleep(0.25)
    assert "✔" in line

    repo = Repository.open(demo_path)
    (person,) = repo.db.execute(
        "SELECT person FROM history WHERE entity = 'preread_submissions' ORDER BY id DESC LIMIT 1"
    ).fetchone()
    repo.close()
    assert person == "Grace Kim"

    # A third browser, a product manager: writes the four parts of his pre-read and submits
    # it; Ana's checklist shows it waiting for the director, without a key pressed there.
    before_submit = _line_of(screen_text(ana), "Daniel Okafor")
    assert "awaiting the director" not in before_submit, before_submit
    daniel = browsers()
    sign_in(daniel, url, codes["Daniel Okafor"])
    wait_for(daniel, "Signed in as Daniel Okafor")
    type_keys(daniel, "4")
    wait_for(daniel, "Director review")
    type_keys(daniel, "S")
    wait_for(daniel, "Pre-read of Daniel Okafor")
    time.sleep(0.5)  # the first part has focus once the form is drawn
    for number in range(1, 5):  # a part, then tab to the next, at a person's pace
        type_keys(daniel, f"Part {number} written in the browser\t")
        time.sleep(0.5)
    type_keys(daniel, Keys.CONTROL + "r")
    deadline = time.monotonic() + WAIT_SECONDS
    while "awaiting the director" not in (line := _line_of(screen_text(ana), "Daniel Okafor")):
        assert time.monotonic() < deadline, (line, screen_text(daniel))
        time.sleep(0.25)
    repo = Repository.open(demo_path)
    (parts,) = repo.db.execute(
        "SELECT COUNT(*) FROM history WHERE entity = 'preread_submissions' AND person = ?",
        ("Daniel Okafor",),
    ).fetchone()
    repo.close()
    assert parts >= 1


def _line_of(text: str, name: str) -> str:
    return next((line for line in text.splitlines() if name in line), "")
