"""The export as GitHub shows it, rendered by GitHub's own renderer (`cmark-gfm` with the
table, autolink, tagfilter and strikethrough extensions): no link, no HTML and no extra
table cell comes from the data, whatever it holds, and the text reads as it was typed. And
"what changed since last week" follows a company through a rename.

`cmark-gfm` is a system package (Debian `cmark-gfm`); `.ci/run` installs it. Without it
these tests fail: they are the only check of what GitHub makes of the export.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from datetime import date, datetime
from html.parser import HTMLParser
from pathlib import Path
from types import NoneType, UnionType
from typing import Annotated, Union, get_args, get_origin

import pytest

from opstui.data.config import Config
from opstui.data.repository import KEYED_TABLES, TABLES, Repository
from opstui.data.review import freeze_week, review_snapshots
from opstui.data.sample import DEMO_TODAY, DEMO_WEEK
from opstui.domain.diff import week_diff
from opstui.domain.enums import BugStatus, Priority
from opstui.domain.models import Bug
from opstui.domain.weeks import week_monday
from opstui.export.escape import inline
from opstui.export.markdown import render_week

CONFIG = Config()
SAMPLE = Path(__file__).resolve().parents[1] / "sample.db"
GFM = (
    "cmark-gfm", "--unsafe",
    "-e", "table", "-e", "autolink", "-e", "tagfilter", "-e", "strikethrough",
)  # fmt: skip
"""`--unsafe` as GitHub renders (it sanitises afterwards): raw HTML from the data would show."""

# What GFM's autolink extension links in plain text, and what else could become a link,
# an image or HTML. Each is also checked to read back exactly as typed.
AUTOLINKED = (
    "www.evil.example",
    "(www.evil.example/path?q=1)",
    "_www.evil.example_",
    "WWW.EVIL.EXAMPLE",
    "x@evil.example",
    "first.last+tag@evil-mail.example",
    "mailto:x@evil.example",
    "xmpp:x@evil.example/resource",
    "http://evil.example/a_b*c~d",
    "https://good.example/path_to?q=1&r=2",
    "ftp://evil.example/file",
    "HTTPS://EVIL.EXAMPLE",
    "evil.example/path",
)
MARKUP = (
    "javascript:alert(1)",
    "[x](javascript:alert(1))",
    "[y](https://evil.example)",
    "![img](https://evil.example/z.png)",
    "<https://a.example>",
    "<x@evil.example>",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<iframe src=https://evil.example>",
    "<b>bold</b>",
    "<!-- comment -->",
    "&amp; &#64; &lt;",
    "a | b \\| c",
    "~~struck~~ *em* `code`",
    "[ref]",
)
PAYLOAD = "\n".join((*AUTOLINKED, *MARKUP, "# heading", "- item", "| a | b |", "|---|---|"))

# Fields that hold keys or codes the program parses, not text it shows.
_CODES = {"week", "section", "day", "query"}
# The exporter's own elements; anything else in the HTML came from the data.
OWN_ELEMENTS = {"h1", "h2", "h3", "p", "strong", "ul", "li", "table", "thead", "tbody"}
OWN_ELEMENTS |= {"tr", "th", "td"}
WORD_JOINER = "\u2060"


def render(markdown: str) -> str:
    """`markdown` as HTML, by GitHub's renderer."""
    assert shutil.which("cmark-gfm"), (
        "cmark-gfm is not installed (apt-get install cmark-gfm; .ci/run installs it)"
    )
    result = subprocess.run(
        GFM, input=markdown, capture_output=True, text=True, check=True, timeout=60
    )
    return result.stdout


class Page(HTMLParser):
    """What a browser would make of rendered HTML: its elements, comments, tables (cells
    per row) and the text a reader sees."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.comments: list[str] = []
        self.tables: list[list[int]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, attrs))
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append(0)
        elif tag in ("th", "td"):
            self.tables[-1][-1] += 1

    def handle_comment(self, data: str) -> None:
        self.comments.append(data)

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    @property
    def visible(self) -> str:
        """The text shown, with invisible word joiners left out."""
        return "".join(self.text).replace(WORD_JOINER, "")


def read(markdown: str) -> Page:
    page = Page()
    page.feed(render(markdown))
    page.close()
    return page


def is_text(annotation: object) -> bool:
    """`str`, optional or not, validated or not."""
    if get_origin(annotation) is Annotated:
        return is_text(get_args(annotation)[0])
    if get_origin(annotation) in (Union, UnionType):
        return all(is_text(arg) for arg in get_args(annotation) if arg is not NoneType)
    return annotation is str


def free_text_columns() -> list[tuple[str, str]]:
    """Every (table, column) of a workspace that holds text a person typed."""
    tables = [*TABLES.items(), *((model, table) for model, (table, _) in KEYED_TABLES.items())]
    return [
        (table, name)
        for model, table in tables
        for name, info in model.model_fields.items()
        if is_text(info.annotation) and name not in _CODES
    ]


def export(path: Path, week: str = DEMO_WEEK, as_of: date = DEMO_TODAY) -> str:
    repo = Repository.open(path)
    try:
        snapshot, previous = review_snapshots(repo, week, as_of, CONFIG.targets, CONFIG.health)
        return render_week(snapshot, previous)
    finally:
        repo.close()


def workspace_holding(tmp_path: Path, name: str, text: str) -> Path:
    """The demo workspace with `text` (and a number, names being unique) in every free-text
    value and the workspace's name, written straight into the file as any tool could."""
    path = tmp_path / f"{name}.db"
    shutil.copyfile(SAMPLE, path)
    with sqlite3.connect(path) as conn:
        for table, column in free_text_columns():
            conn.execute(f"UPDATE {table} SET {column} = :text || ' ' || rowid", {"text": text})
        conn.execute("UPDATE meta SET value = :text WHERE key = 'name'", {"text": text})
        # The pre-read's parts and project notes: text inside its JSON objects.
        for column in ("parts", "project_notes"):
            conn.execute(
                f"UPDATE preread_submissions SET {column} = (SELECT json_group_object("
                f"key, :text || ' ' || key) FROM json_each({column}))",
                {"text": text},
            )
    conn.close()
    return path


@pytest.fixture(scope="module")
def hostile_and_tame(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    """The demo's review week exported twice: every text hostile, then every text tame."""
    scratch = tmp_path_factory.mktemp("gfm")
    return (
        export(workspace_holding(scratch, "hostile", PAYLOAD)),
        export(workspace_holding(scratch, "tame", "Plain\nwords")),
    )


def test_on_github_no_text_from_the_data_becomes_a_link_html_or_a_table_cell(
    hostile_and_tame: tuple[str, str],
) -> None:
    hostile, tame = hostile_and_tame
    assert hostile.count("evil.example") > 100, "the payload reaches the export"
    page, tame_page = read(hostile), read(tame)

    # Not even the full https:// URL: the export links nothing from the data.
    assert [tag for tag, _ in page.elements if tag in ("a", "img")] == []
    assert {tag for tag, _ in page.elements} <= OWN_ELEMENTS
    assert [attrs for _, attrs in page.elements if attrs] == []
    assert page.comments == []
    # Pre-read, portfolio, bugs, customers, requests, action items, decisions, escalations,
    # risks.
    assert [rows[0] for rows in page.tables] == [5, 7, 6, 7, 4, 6, 7, 3, 6]
    for rows in page.tables:
        assert set(rows) == {rows[0]}, rows
    assert page.tables == tame_page.tables
    # The headings are the exporter's: the data added none.
    headings = [tag for tag, _ in page.elements if tag in ("h1", "h2", "h3")]
    assert headings == [tag for tag, _ in tame_page.elements if tag in ("h1", "h2", "h3")]


def test_on_github_every_payload_reads_exactly_as_it_was_typed(
    hostile_and_tame: tuple[str, str],
) -> None:
    hostile, _ = hostile_and_tame
    visible = read(hostile).visible

    for text in (*AUTOLINKED, *MARKUP):
        # Entities typed in the data are text: "&amp;" shows as "&amp;".
        assert text in visible, text
    assert "\\" not in visible.replace("\\|", "")  # no escape shows through


def test_an_e_mail_address_is_not_linked_and_reads_without_a_visible_mark() -> None:
    for address in ("x@evil.example", "a.b-c+d_e@evil-mail.example", "mailto:x@evil.example"):
        page = read(f"{inline(address)}\n\n| A |\n|---|\n| {inline(address)} |\n")

        assert [tag for tag, _ in page.elements if tag == "a"] == []
        shown = [text.replace(WORD_JOINER, "") for text in page.text if text.strip()]
        assert shown == [address, "A", address]


# -- what changed since last week -----------------------------------------------------------


def changes_section(document: str, heading: str) -> list[str]:
    """The bullets under one bold heading of the "what changed" section."""
    lines = document.split("## What changed since", 1)[1].splitlines()
    start = lines.index(f"**{heading}**") + 1
    bullets = []
    for line in lines[start:]:
        if not line.startswith("- "):
            if bullets:
                break
            continue
        bullets.append(line[2:])
    return bullets


def test_renaming_a_company_after_freezing_a_week_moves_no_p0_or_p1_count(
    demo_path: Path,
) -> None:
    repo = Repository.open(demo_path)
    freeze_week(
        repo,
        DEMO_WEEK,
        today=DEMO_TODAY,
        now=datetime(2026, 7, 6, 12, 0),
        targets=CONFIG.targets,
        health=CONFIG.health,
    )
    company_b = next(company for company in repo.companies() if company.name == "Company B")
    repo.update(company_b.model_copy(update={"name": "Bravo Holdings"}))
    repo.close()
    next_week = "2026-W29"

    unchanged = export(demo_path, next_week, week_monday(next_week))

    assert changes_section(unchanged, "Open P0 and P1 bugs") == ["No change."]
    assert "| Bravo Holdings | 1 | 8 |" in unchanged

    # A real movement of the renamed company is still reported, under its new name.
    repo = Repository.open(demo_path)
    assert company_b.id is not None
    repo.add(
        Bug(
            title="Payslips show last month's tax code",
            company_id=company_b.id,
            priority=Priority.P1,
            status=BugStatus.OPEN,
            opened_at=datetime(2026, 7, 13, 9, 0),
        )
    )
    repo.close()

    moved = export(demo_path, next_week, week_monday(next_week))

    assert changes_section(moved, "Open P0 and P1 bugs") == [
        "Bravo Holdings: P1 8 → 9",
        "**Total**: P1 16 → 17",
    ]


def test_a_snapshot_from_before_company_ids_still_compares_companies_by_name(
    demo_repo: Repository,
) -> None:
    current, previous = review_snapshots(
        demo_repo, DEMO_WEEK, DEMO_TODAY, CONFIG.targets, CONFIG.health
    )
    assert previous is not None
    assert all(row.company_id is not None for row in previous.company_bug_rows())
    older = previous.model_copy(
        update={
            "version": 2,
            "bugs": tuple(row.model_copy(update={"company_id": None}) for row in previous.bugs),
        }
    )

    by_name = week_diff(current, older).bug_movements

    assert by_name == week_diff(current, previous).bug_movements
    assert [movement.company for movement in by_name] == [
        "Company A",
        "Company B",
        "Company C",
        "Total",
    ]
