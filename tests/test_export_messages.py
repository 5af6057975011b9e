"""The messages the review sends, as Markdown: the pre-read, the executive summary, the action
items by owner and company, the Friday update and a P0's post-incident review.

Each is written byte for byte as its golden file on the demo, stays valid GitHub-flavoured
Markdown whatever the workspace holds, hides every customer name and amount when redacted,
and works on a new workspace.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token

from opstui.data.config import Config
from opstui.data.messages import ExportRequest, MessageError
from opstui.data.repository import Repository
from opstui.data.sample import DEMO_TODAY, DEMO_WEEK
from opstui.domain.bugs import mentions_bug
from opstui.domain.enums import ActionPriority, BugStatus, PlaybookStep, Priority
from opstui.domain.models import ActionItem, Bug, Company, Customer
from opstui.export.escape import inline
from opstui.export.kinds import DEFAULT_KIND, KINDS, ExportKind, kind_named, register
from tests.hostile import FORBIDDEN, MARKUP, poison

MESSAGES = ("preread", "summary", "actions", "friday", "postmortem")
DEMO_INCIDENT = 630
"""The demo's P0: the webhook retry race, detected on review Monday."""
GOLDEN = Path(__file__).parent / "golden"
UPDATE_GOLDEN = "OPSTUI_UPDATE_GOLDEN"
CONFIG = Config()
ANY_MONEY = re.compile(r"\$\s*\d")
"""An amount in dollars, whether the document writes it or a text holds it (escaped, "\\$12K");
the decision category "budget over $5K" is a name, not an amount."""
CATEGORY = "budget over \\$5K"


def message(
    repo: Repository,
    kind: str,
    *,
    redact: bool = False,
    week: str = DEMO_WEEK,
    bug_id: int | None = DEMO_INCIDENT,
) -> str:
    """The document as `opstui export --kind KIND` writes it on the demo's review Monday."""
    chosen = KINDS[kind]
    request = ExportRequest(
        week,
        chosen.day(week, DEMO_TODAY),
        CONFIG.targets,
        CONFIG.health,
        bug_id if chosen.needs_bug else None,
    )
    return chosen.prepare(repo, request)(redact)


def tokens_of(document: str) -> list[Token]:
    flat: list[Token] = []

    def walk(tokens: list[Token]) -> None:
        for token in tokens:
            flat.append(token)
            walk(token.children or [])

    walk(MarkdownIt("gfm-like").parse(document))
    return flat


def table_shapes(tokens: list[Token]) -> list[list[int]]:
    """For each table, the number of cells in each row (header row first)."""
    shapes: list[list[int]] = []
    cells = 0
    for token in tokens:
        if token.type == "table_open":
            shapes.append([])
        elif token.type == "tr_open":
            cells = 0
        elif token.type in ("th_open", "td_open"):
            cells += 1
        elif token.type == "tr_close":
            shapes[-1].append(cells)
    return shapes


def assert_valid_gfm(document: str) -> list[Token]:
    """Tables keep their column count, and nothing from the data is HTML, a link or an
    image."""
    tokens = tokens_of(document)
    for shape in table_shapes(tokens):
        assert len(set(shape)) == 1, shape
    kinds = {token.type for token in tokens}
    assert not kinds & {"html_inline", "html_block", "link_open", "image"}, kinds
    return tokens


def headings(document: str, level: int) -> list[str]:
    tokens = MarkdownIt("gfm-like").parse(document)
    return [
        tokens[index + 1].content
        for index, token in enumerate(tokens)
        if token.type == "heading_open" and token.tag == f"h{level}"
    ]


# -- the demo, byte for byte ------------------------------------------------------------------


@pytest.mark.parametrize("kind", MESSAGES)
def test_every_message_of_the_demo_week_is_exactly_its_golden_file(
    demo_repo: Repository, kind: str
) -> None:
    document = message(demo_repo, kind).encode("utf-8")
    golden = GOLDEN / f"demo-{DEMO_WEEK}-{kind}.md"

    if os.environ.get(UPDATE_GOLDEN):
        golden.write_bytes(document)
    assert golden.is_file(), f"missing {golden}; write it with {UPDATE_GOLDEN}=1 after review"
    assert document == golden.read_bytes(), (
        f"the {kind} message changed; check the difference by eye, then {UPDATE_GOLDEN}=1 pytest"
    )
    assert_valid_gfm(document.decode("utf-8"))


@pytest.mark.parametrize("kind", MESSAGES)
def test_a_message_is_the_same_bytes_every_time(demo_repo: Repository, kind: str) -> None:
    assert message(demo_repo, kind) == message(demo_repo, kind)
    assert message(demo_repo, kind, redact=True) == message(demo_repo, kind, redact=True)


def test_the_preread_is_the_weekly_review_then_deep_dives_and_synergies(
    demo_repo: Repository,
) -> None:
    weekly = message(demo_repo, DEFAULT_KIND)
    preread = message(demo_repo, "preread")

    assert preread.startswith(weekly.rstrip("\n") + "\n\n")
    extra = preread[len(weekly) :]
    assert headings(extra, 2) == [
        "Phase deep dives",
        "Cross-company synergies and resources",
    ]
    assert headings(extra, 3) == [
        "Discovery (10 minutes)",
        "Definition (10 minutes)",
        "Development (15 minutes)",
        "Delivery (10 minutes)",
    ]
    # The seed's four projects, each with the CPTO input the deep dive asks for.
    assert (
        "- **CPTO input needed:** Architecture sign-off: reuse Company A's connector framework?"
        in extra
    )
    assert "**Invoice AI** · Company A · Tomás Herrera + Rahul Mehta · 45% · On track" in extra
    # Where each pre-read stands is the review document's own section, before the extras:
    # Carmen Vidal's is still a draft; Lucas Moreau submitted after 17:00.
    assert "| Carmen Vidal | engineering lead | Draft | — | — |" in weekly
    assert "| Lucas Moreau | product manager | Submitted late | 3 July 19:15 | — |" in weekly
    assert "- Share the connector framework with Company C — Sofia Lindqvist" in extra


def test_the_summary_reads_in_two_minutes_as_the_meetings_outcome(demo_repo: Repository) -> None:
    summary = message(demo_repo, "summary")

    assert headings(summary, 1) == [f"Executive summary — {DEMO_WEEK}"]
    assert headings(summary, 2) == [
        "Decisions",
        "Escalations (22)",
        "Notes from the meeting",
        "Top risks",
    ]
    # Two minutes at a reading pace of about 240 words a minute.
    assert len(summary.split()) <= 480
    assert "Figures as of 6 July 2026." in summary  # the meeting's Monday
    assert "(architecture change; due 8 July 09:55)" in summary  # 48 h after it was raised
    assert "overdue since 1 July 10:20" in summary  # last week's, still undecided
    assert "**P0/P1 bug unresolved: 17 (1 P0)**" in summary
    assert "… and 14 more" in summary  # the rest are in the pre-read
    assert "**Quality &amp; bug management:** P0 webhook retry" in summary
    assert "SII certificate renewal" not in summary  # a closed risk is not a top risk


def test_action_items_are_grouped_by_owner_and_by_company(demo_repo: Repository) -> None:
    actions = message(demo_repo, "actions")

    assert headings(actions, 2) == ["By owner", "By company"]
    owners = headings(actions, 3)[:5]
    assert owners == [
        "Jonas Weber (1 open of 1)",
        "Kenji Sato (1 open of 1)",
        "Olivia Hart (1 open of 1)",
        "Sofia Lindqvist (1 open of 1)",
        "Tomás Herrera (1 open of 1)",
    ]
    assert headings(actions, 3)[5:] == [
        "Company A (1 open of 1)",
        "Company B (2 open of 2)",
        "Cross-company (2 open of 2)",
    ]
    assert "| Root-cause review of the June payroll delays | Jonas Weber | 1 July, overdue" in (
        actions
    )


def test_the_friday_update_names_next_weeks_milestones_and_open_p0(
    demo_repo: Repository,
) -> None:
    friday = message(demo_repo, "friday")

    assert headings(friday, 2) == [
        "Accomplishments",
        "Customer wins",
        "Next week's priorities (2026-W29)",
    ]
    assert "Banking Integration: Dev Handoff (15 July)" in friday
    assert "**Open P0 bugs to resolve:** Webhook retry fails" in friday
    assert "**Customers signed:** 15" in friday


def test_the_friday_update_lists_what_changed_since_last_week(demo_path: Path) -> None:
    """A P1 resolved, a project moved on and a customer back to health since W27 show as
    accomplishments and wins."""
    connection = sqlite3.connect(demo_path)
    with connection:
        resolved = connection.execute(
            "SELECT id, title FROM bugs WHERE priority = 'P1' AND status IN ('open', "
            "'in progress') ORDER BY id LIMIT 1"
        ).fetchone()
        connection.execute(
            "UPDATE bugs SET status = 'resolved', resolved_at = '2026-07-06T11:00:00' WHERE id = ?",
            [resolved[0]],
        )
        connection.execute(
            "UPDATE projects SET phase = 'Development' WHERE name = 'Banking Integration'"
        )
    connection.close()
    repo = Repository.open(demo_path)
    try:
        friday = message(repo, "friday")
    finally:
        repo.close()

    assert "Banking Integration (Company C): Definition → Development" in friday
    assert f"P1 {inline(resolved[1])} (Company " in friday
    assert ", resolved)" in friday
    assert_valid_gfm(friday)


def test_the_postmortem_gives_the_playbook_timeline_impact_and_analysis(
    demo_repo: Repository,
) -> None:
    review = message(demo_repo, "postmortem")

    assert headings(review, 2) == [
        "Timeline",
        "Impact",
        "Root cause",
        "Resolution",
        "Prevention measures",
        "Action items",
    ]
    assert "| Detect | 0–1 min | 6 July 07:41 | 6 July 07:41 | 1 min | on time |" in review
    assert "| Communicate | 5–10 min | 6 July 07:50 | 6 July 07:54 | 14 min | late |" in review
    assert "| Post-incident | 1–24 h | 7 July 07:40 | not done | — | open |" in review
    assert "- **Revenue impact:** $15,000" in review
    assert "Race between the retry worker and the nightly batch." in review
    assert "Contract test for the batch/worker interface." in review


def test_the_postmortem_lists_the_action_items_that_name_the_incident(
    demo_repo: Repository,
) -> None:
    demo_repo.add(
        ActionItem(
            what=f"Add the retry/batch contract test (#{DEMO_INCIDENT})",
            priority=ActionPriority.HIGH,
            week=DEMO_WEEK,
        )
    )
    demo_repo.add(ActionItem(what=f"Unrelated #{DEMO_INCIDENT}0 follow-up", week=DEMO_WEEK))

    review = message(demo_repo, "postmortem")

    assert "| Add the retry/batch contract test (#630) | — |" in review
    assert "#6300" not in review


def test_a_bug_is_named_by_its_number_or_its_whole_title() -> None:
    title = "Webhook retry fails"
    assert mentions_bug("Fix #630 today", 630, title)
    assert mentions_bug("Review the WEBHOOK RETRY FAILS incident", 630, title)
    assert not mentions_bug("Fix #6301", 630, title)
    assert not mentions_bug("Webhook retry", 630, title)


@pytest.mark.parametrize(
    ("bug_id", "words"),
    [(5, "bug #5 is P1, not P0"), (999_999, "there is no bug #999999 in this workspace")],
)
def test_a_postmortem_is_refused_for_a_bug_that_is_not_a_p0(
    demo_repo: Repository, bug_id: int, words: str
) -> None:
    with pytest.raises(MessageError, match=re.escape(words)):
        message(demo_repo, "postmortem", bug_id=bug_id)


# -- redaction --------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", MESSAGES)
def test_redacting_a_message_hides_every_customer_name_and_amount(
    demo_repo: Repository, kind: str
) -> None:
    plain = message(demo_repo, kind)
    redacted = message(demo_repo, kind, redact=True)

    for customer in demo_repo.customers(retired=True):
        for form in (customer.name, inline(customer.name)):
            assert form not in redacted, form
    assert ANY_MONEY.findall(redacted.replace(CATEGORY, "")) == []
    assert "redacted" in redacted.split("\n\n", 3)[1] + redacted.split("\n\n", 3)[2]
    assert_valid_gfm(redacted)
    if kind in ("summary", "postmortem", "preread"):
        # The demo writes a customer's name or an amount into each of these.
        assert redacted != plain
        assert re.search(r"Customer \d+|\$•••", redacted)


def test_a_redacted_summary_names_the_escalated_customer_by_its_number(
    demo_repo: Repository,
) -> None:
    summary = message(demo_repo, "summary", redact=True)
    weekly = message(demo_repo, DEFAULT_KIND, redact=True)

    assert "**Customer escalation: 1** — Customer 7" in summary
    assert "Customer 7's CFO gets a call on Tuesday" in summary
    assert "| customer escalation | Customer 7 |" in weekly  # the same number everywhere


# -- whatever the workspace holds -------------------------------------------------------------


@pytest.fixture
def hostile_repo(demo_path: Path) -> Iterator[Repository]:
    poison(demo_path)
    connection = sqlite3.connect(demo_path)
    with connection:
        # Meeting notes are free text too, over several lines.
        connection.execute(
            "UPDATE meeting_notes SET text = ? || text || ?",
            [f"{MARKUP}<script>alert(1)</script>\n# heading\n| a | b |\n", "\n- [x](javascript:1)"],
        )
    connection.close()
    repo = Repository.open(demo_path)
    yield repo
    repo.close()


@pytest.mark.parametrize("kind", MESSAGES)
@pytest.mark.parametrize("redact", [False, True])
def test_hostile_text_never_breaks_a_message(
    hostile_repo: Repository, kind: str, redact: bool
) -> None:
    document = message(hostile_repo, kind, redact=redact)

    tokens = assert_valid_gfm(document)
    assert not any(char in document for char in FORBIDDEN)
    assert "<script" not in document
    # Only the document's own title: no heading comes from a title or a note.
    assert sum(1 for t in tokens if t.type == "heading_open" and t.tag == "h1") == 1


def new_workspace(tmp_path: Path, companies: int) -> Repository:
    repo = Repository.create(tmp_path / "team.db")
    for number in range(companies):
        repo.add(Company(name=f"Acme Software {number + 1}"))
    return repo


@pytest.mark.parametrize("kind", [kind for kind in MESSAGES if kind != "postmortem"])
@pytest.mark.parametrize("companies", [0, 1], ids=["empty", "one company"])
def test_every_message_is_written_for_a_new_workspace(
    tmp_path: Path, kind: str, companies: int
) -> None:
    repo = new_workspace(tmp_path, companies)
    try:
        document = message(repo, kind, week="2026-W28")
    finally:
        repo.close()

    assert_valid_gfm(document)
    assert document.startswith("# ")
    assert document.endswith("\n") and not document.endswith("\n\n")


def test_a_new_workspace_says_it_has_nothing_rather_than_leaving_gaps(tmp_path: Path) -> None:
    repo = new_workspace(tmp_path, 0)
    try:
        preread = message(repo, "preread")
        summary = message(repo, "summary")
        actions = message(repo, "actions")
        friday = message(repo, "friday")
    finally:
        repo.close()

    assert "No cross-company action items and no resource" in preread
    assert "No product managers or engineering leads owe a pre-read." in preread
    assert "No notes were written in meeting mode." in summary
    assert "No action items this week." in actions
    assert "Nothing shipped, moved phase or closed this week." in friday


def test_a_postmortem_on_a_new_workspace_names_the_missing_bug(tmp_path: Path) -> None:
    repo = new_workspace(tmp_path, 0)
    try:
        with pytest.raises(MessageError, match=r"there is no bug #1 in this workspace"):
            message(repo, "postmortem", bug_id=1)
    finally:
        repo.close()


def test_a_postmortem_of_a_lone_companys_first_incident(tmp_path: Path) -> None:
    repo = new_workspace(tmp_path, 1)
    try:
        company = repo.companies()[0]
        customer = repo.add(Customer(name="Orbit Bank", company_id=company.id or 0, arr=90_000))
        bug = repo.add_bug(
            Bug(
                title="Payments stop at midnight",
                company_id=company.id,
                priority=Priority.P0,
                status=BugStatus.RESOLVED,
                opened_at=datetime(2026, 7, 7, 0, 2),
                resolved_at=datetime(2026, 7, 7, 1, 30),
                revenue_impact=4_000,
            ),
            [customer.id or 0],
        )
        repo.set_playbook_step(bug.id or 0, PlaybookStep.DETECT, datetime(2026, 7, 7, 0, 2))
        plain = message(repo, "postmortem", bug_id=bug.id)
        redacted = message(repo, "postmortem", bug_id=bug.id, redact=True)
    finally:
        repo.close()

    assert "Acme Software 1 · detected 7 July 2026 00:02 · resolved 7 July 01:30, 1 h 28 min" in (
        plain
    )
    assert "**Linked customers:** Orbit Bank ($90,000 ARR)" in plain
    assert "| Respond | 1–5 min | 7 July 00:07 | not done | — | missed |" in plain
    assert "Resolved on 7 July 01:30." in plain
    assert "Orbit Bank" not in redacted and "90,000" not in redacted and "4,000" not in redacted
    assert "Customer 1" in redacted
    assert_valid_gfm(plain)


# -- the registry -----------------------------------------------------------------------------


def test_an_unknown_kind_names_the_choices() -> None:
    with pytest.raises(MessageError, match=r"unknown export kind 'memo'; choose one of weekly"):
        kind_named("memo")


def test_a_kind_cannot_take_a_name_already_registered() -> None:
    with pytest.raises(ValueError, match="already registered"):
        register(ExportKind("summary", "Again", "twice", KINDS["summary"].prepare))


def test_each_kind_suggests_a_file_of_its_own() -> None:
    assert KINDS[DEFAULT_KIND].file_name(DEMO_WEEK) == f"opstui-{DEMO_WEEK}.md"
    assert KINDS["summary"].file_name(DEMO_WEEK) == f"opstui-{DEMO_WEEK}-summary.md"
    assert KINDS["postmortem"].file_name(DEMO_WEEK, 630) == "opstui-postmortem-630.md"


def test_the_summary_and_the_friday_update_default_to_their_own_day() -> None:
    later = date(2026, 12, 2)
    assert KINDS["summary"].day(DEMO_WEEK, later) == date(2026, 7, 6)  # the meeting
    assert KINDS["friday"].day(DEMO_WEEK, later) == date(2026, 7, 10)
    assert KINDS[DEFAULT_KIND].day(DEMO_WEEK, later) == date(2026, 7, 12)
    assert KINDS["friday"].day(DEMO_WEEK, DEMO_TODAY) == DEMO_TODAY  # never after today


def test_the_checked_in_demo_is_what_the_messages_are_written_from(tmp_path: Path) -> None:
    """The golden files are the checked-in sample's (a scratch copy, never the file)."""
    sample = Path(__file__).resolve().parents[1] / "sample.db"
    copy = tmp_path / "copy.db"
    shutil.copyfile(sample, copy)
    repo = Repository.open_readonly(copy)
    try:
        summary = message(repo, "summary")
    finally:
        repo.close()
    assert summary.encode("utf-8") == (GOLDEN / f"demo-{DEMO_WEEK}-summary.md").read_bytes()
