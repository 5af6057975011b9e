"""The Markdown export of a review week: the seed's tables byte for byte, valid GitHub-flavoured
Markdown whatever the workspace holds, the same bytes every time, and redaction that leaves
no customer name or money amount behind.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token

from opstui.data.config import Config
from opstui.data.repository import Repository
from opstui.data.review import review_snapshots
from opstui.data.sample import DEMO_TODAY, DEMO_WEEK
from opstui.domain.enums import (
    SUBMISSION_PARTS,
    ActionPriority,
    ActionStatus,
    BugStatus,
    ChurnRisk,
    DecisionCategory,
    DecisionKind,
    PersonRole,
    Phase,
    Priority,
    RiskStatus,
    SubmissionState,
)
from opstui.domain.models import (
    ActionItem,
    Bug,
    Company,
    Customer,
    Decision,
    FeatureRequest,
    Person,
    PrereadSubmission,
    Project,
    Risk,
)
from opstui.export.escape import inline, table
from opstui.export.markdown import render_week

GOLDEN = Path(__file__).parent / "golden" / f"demo-{DEMO_WEEK}.md"
UPDATE_GOLDEN = "OPSTUI_UPDATE_GOLDEN"
CONFIG = Config()

SECTIONS = [
    "Friday pre-read",
    "Portfolio health by phase",
    "Weekly metrics summary",
    "Bug status by company",
    "P0 and P1 analysis",
    "Customer health",
    "Top feature requests",
    "Action items",
    "Decisions",
    "Escalations",
    "KPIs",
    "Risks",
]


def export(repo: Repository, *, redact: bool = False, as_of: date = DEMO_TODAY) -> str:
    snapshot, previous = review_snapshots(repo, DEMO_WEEK, as_of, CONFIG.targets, CONFIG.health)
    return render_week(snapshot, previous, redact=redact)


def gfm() -> MarkdownIt:
    """GitHub-like: tables, strikethrough, autolinked URLs, and raw HTML recognised."""
    return MarkdownIt("gfm-like")


# -- the demo's review week, byte for byte ----------------------------------------------------


def test_the_demo_review_week_exports_exactly_the_golden_file(demo_repo: Repository) -> None:
    document = export(demo_repo).encode("utf-8")

    if os.environ.get(UPDATE_GOLDEN):
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_bytes(document)
    assert GOLDEN.is_file(), f"missing {GOLDEN}; write it with {UPDATE_GOLDEN}=1 after review"
    assert document == GOLDEN.read_bytes(), (
        f"the export changed; check the difference by eye, then {UPDATE_GOLDEN}=1 pytest"
    )


def test_the_export_holds_the_seeds_portfolio_rows() -> None:
    document = GOLDEN.read_text(encoding="utf-8")

    assert (
        "| Project | Phase | Progress | Status | Next Milestone | Risk Level | Completion Date |"
        in document
    )
    for row in (
        "| Boleta Automation | Delivery | 85% | On track | Full Rollout (July 9) | Low | 12 July |",
        "| Multi-State Payroll | Development | 60% | At risk | Sprint 4 Demo (July 10) "
        "| Medium | 14 July |",
        "| Banking Integration | Definition | 90% | On track | Dev Handoff (July 15) "
        "| Low | 18 July |",
        "| Invoice AI | Discovery | 45% | On track | Problem Validation (July 18) "
        "| Low | 22 July |",
    ):
        assert f"\n{row}\n" in document


def test_the_portfolio_table_is_in_4d_phase_order() -> None:
    document = GOLDEN.read_text(encoding="utf-8")
    table_rows = [
        line
        for line in document.splitlines()
        if re.match(r"^\| [^|]+ \| (Disc|Def|Dev|Deli)", line)
    ]

    phases = [line.split(" | ")[1] for line in table_rows]
    assert phases == sorted(phases, key=[phase.value for phase in Phase].index)
    assert len(phases) == 16


def test_the_export_holds_the_seeds_bug_table() -> None:
    document = GOLDEN.read_text(encoding="utf-8")

    assert (
        "| Company | P0 Bugs | P1 Bugs | P2 Bugs | Resolution Rate | Trend |\n"
        "|---------|---------|---------|---------|-----------------|-------|\n"
        "| Company A | 0 | 5 | 18 | 87% | ↑ |\n"
        "| Company B | 1 | 8 | 22 | 82% | → |\n"
        "| Company C | 0 | 3 | 15 | 93% | ↑ |\n"
        "| **Total** | **1** | **16** | **55** | **87%** | **↑** |\n"
    ) in document


def test_the_export_follows_the_review_agenda() -> None:
    tokens = gfm().parse(GOLDEN.read_text(encoding="utf-8"))

    assert headings(tokens, "h2") == [*SECTIONS, "What changed since 2026-W27"]
    assert headings(tokens, "h1") == ["Weekly product operations review — 2026-W28"]


def test_exporting_twice_gives_the_same_bytes_whatever_the_hash_seed(demo_path: Path) -> None:
    outputs = []
    for seed in ("1", "2"):
        result = subprocess.run(
            [sys.executable, "-m", "opstui", "export", str(demo_path), "--week", DEMO_WEEK,
             "--as-of", DEMO_TODAY.isoformat()],
            capture_output=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
            timeout=120,
            check=True,
        )  # fmt: skip
        outputs.append(result.stdout)

    assert outputs[0] == outputs[1] == GOLDEN.read_bytes()


# -- redaction --------------------------------------------------------------------------------


def test_redacting_hides_every_customer_name_and_money_amount(demo_repo: Repository) -> None:
    plain = export(demo_repo)
    redacted = export(demo_repo, redact=True)

    names = [customer.name for customer in demo_repo.customers()]
    for name in names:
        for form in (name, inline(name), name.split()[0]):
            assert form not in redacted, form
    # Money the export shows (a "$" it writes, not one typed in a decision's text, "\$12K").
    shown_money = re.compile(r"(?<!\\)\$\s*\d")
    assert shown_money.findall(plain), "the plain export shows money"
    assert shown_money.findall(redacted) == []
    for amount in ("180,000", "2,285,000", "3,760,000", "810,000", "15,000"):
        assert amount in plain and amount not in redacted
    assert "$•••" in redacted
    aliases = set(re.findall(r"Customer \d+", redacted))
    assert aliases == {f"Customer {n}" for n in range(1, len(names) + 1)}


def test_redaction_reaches_escalations_action_items_and_the_change_list(
    demo_repo: Repository,
) -> None:
    redacted = export(demo_repo, redact=True)
    alias = "Customer 7"  # Harbor & Pine, seventh by name

    assert f"| customer escalation | {alias} |" in redacted
    assert f"| Call {alias}'s CFO about the June payroll runs |" in redacted
    assert f"- {alias} (Company B): Yellow → Red" in redacted


def test_customers_keep_their_numbers_from_one_export_to_the_next(demo_repo: Repository) -> None:
    assert export(demo_repo, redact=True) == export(demo_repo, redact=True)


# -- hostile text -----------------------------------------------------------------------------

LINE = (
    "# heading | pipe <img src=x onerror=alert(1)> `tick` [x](javascript:alert(1)) "
    "*em* _u_ ~~s~~ \\ &amp; <script>alert(1)</script> $1$ ![i](x)"
)
LINES = (
    "# heading\n- list\n> quote\n```\nfenced\n```\n1. one\n| a | b |\n|---|---|\n"
    "<div onclick=alert(1)>html</div>\n    indented\n---\n===\n[x]: javascript:alert(1)"
)


def populate(repo: Repository, path: Path, line: str, lines: str) -> None:
    """Every kind of text the export shows, through the repository and, bypassing its
    validation, straight into the file."""
    company = repo.add(Company(name=f"{line} Co"))
    assert company.id is not None
    owner = repo.add(Person(name=line, role=PersonRole.PRODUCT_MANAGER))
    project = repo.add_project(
        Project(
            name=line,
            company_id=company.id,
            next_milestone=line,
            milestone_date=date(2026, 7, 20),
            baseline_completion=date(2026, 7, 1),
            completion_date=date(2026, 7, 31),
            pm_id=owner.id,
        ),
        date(2026, 6, 1),
    )
    customer = repo.add(
        Customer(
            name=line,
            company_id=company.id,
            arr=1000,
            churn_risk=ChurnRisk.HIGH,
            escalated=True,
            escalation_note=lines,
        )
    )
    bug = repo.add(
        Bug(
            title=line,
            company_id=company.id,
            priority=Priority.P0,
            status=BugStatus.OPEN,
            opened_at=datetime(2026, 7, 5, 9, 0),
            customers_affected=2,
            revenue_impact=500,
            root_cause=lines,
            prevention=lines,
            security_flag=True,
        )
    )
    request = repo.add(FeatureRequest(title=line))
    assert customer.id is not None and bug.id is not None and request.id is not None
    repo.link_request_customer(request.id, customer.id)
    repo.add(
        ActionItem(
            what=line,
            owner_id=owner.id,
            due_date=date(2026, 7, 1),
            company_id=company.id,
            priority=ActionPriority.HIGH,
            status=ActionStatus.BLOCKED,
            week=DEMO_WEEK,
        )
    )
    repo.add(
        Decision(
            what=line,
            context=lines,
            recommendation=lines,
            kind=DecisionKind.FOLLOW_UP,
            category=DecisionCategory.PARTNERSHIP,
            week=DEMO_WEEK,
            raised_at=datetime(2026, 7, 6, 9, 0),
        )
    )
    repo.add(
        Risk(
            risk=line,
            owner_id=owner.id,
            mitigation=lines,
            status=RiskStatus.OPEN,
            project_id=project.id,
            company_id=company.id,
        )
    )
    assert owner.id is not None and project.id is not None
    blank = PrereadSubmission(week=DEMO_WEEK, person_id=owner.id)
    repo.write_preread(
        blank,
        blank.model_copy(
            update={
                "state": SubmissionState.ACCEPTED,
                "parts": {part: lines for part in SUBMISSION_PARTS[PersonRole.PRODUCT_MANAGER]},
                "project_notes": {project.id: lines},
                "submitted_at": datetime(2026, 7, 3, 12, 0),
                "first_submitted_at": datetime(2026, 7, 3, 12, 0),
                "comment": lines,
            }
        ),
    )
    repo.close()
    # Straight into the file: what another tool (or an old bug) could have stored.
    with sqlite3.connect(path) as conn:
        for sql in (
            "UPDATE projects SET name = :lines WHERE name = 'Invoice AI'",
            "UPDATE projects SET next_milestone = :lines WHERE name = 'Boleta Automation'",
            "UPDATE customers SET name = :lines WHERE name = 'Granite Capital'",
            "UPDATE bugs SET title = :lines, root_cause = :lines WHERE priority = 'P1'",
            "UPDATE action_items SET what = :lines WHERE id = 1",
            "UPDATE decisions SET what = :lines WHERE id = 3",
            "UPDATE risks SET risk = :lines, mitigation = :lines WHERE id = 2",
            "UPDATE feature_requests SET title = :lines WHERE title = 'SSO with SAML'",
            "UPDATE people SET name = :lines WHERE name = 'Kenji Sato'",
            "UPDATE companies SET name = :line WHERE name = 'Company C'",
        ):
            conn.execute(sql, {"line": line, "lines": lines})
    conn.close()


def hostile_export(tmp_path: Path, name: str, line: str, lines: str) -> str:
    path = tmp_path / f"{name}.db"
    shutil.copyfile(Path(__file__).parents[1] / "sample.db", path)
    populate(Repository.open(path), path, line, lines)
    repo = Repository.open(path)
    try:
        return export(repo)
    finally:
        repo.close()


def headings(tokens: list[Token], tag: str) -> list[str]:
    return [
        tokens[index + 1].content
        for index, token in enumerate(tokens)
        if token.type == "heading_open" and token.tag == tag
    ]


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


def all_tokens(tokens: list[Token]) -> list[Token]:
    flat: list[Token] = []
    for token in tokens:
        flat.append(token)
        flat.extend(all_tokens(token.children or []))
    return flat


@pytest.fixture(scope="module")
def hostile_and_tame(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    """The same workspace twice: once full of hostile text, once with plain words."""
    scratch = tmp_path_factory.mktemp("hostile")
    return (
        hostile_export(scratch, "hostile", LINE, LINES),
        hostile_export(scratch, "tame", "Plain words", "Plain words\nover two lines"),
    )


def test_hostile_text_keeps_every_table_row_at_its_column_count(
    hostile_and_tame: tuple[str, str],
) -> None:
    hostile, tame = hostile_and_tame
    shapes = table_shapes(gfm().parse(hostile))

    # Pre-read, portfolio, bugs, customers, requests, action items, decisions, escalations,
    # risks.
    assert [rows[0] for rows in shapes] == [5, 7, 6, 7, 4, 6, 7, 3, 6]
    for rows in shapes:
        assert len(set(rows)) == 1, rows
    assert shapes == table_shapes(gfm().parse(tame))


def test_hostile_text_never_becomes_html_or_a_javascript_link(
    hostile_and_tame: tuple[str, str],
) -> None:
    hostile, _ = hostile_and_tame
    tokens = all_tokens(gfm().parse(hostile))

    assert [t.type for t in tokens if t.type in ("html_inline", "html_block")] == []
    assert javascript_links(tokens) == []
    assert [t.type for t in tokens if t.type == "image"] == []
    rendered = gfm().render(hostile)
    for raw in ("<img", "<script", "<div", "onerror=alert(1)>"):
        assert raw not in rendered
    assert "&lt;img src=x onerror=alert(1)&gt;" in rendered  # shown as text


def test_hostile_text_adds_no_heading_list_quote_code_or_rule(
    hostile_and_tame: tuple[str, str],
) -> None:
    hostile, tame = hostile_and_tame

    def blocks(document: str) -> list[tuple[str, str, int]]:
        return [(t.type, t.tag, t.level) for t in gfm().parse(document) if t.block]

    hostile_blocks = blocks(hostile)
    assert hostile_blocks == blocks(tame)
    kinds = {kind for kind, _, _ in hostile_blocks}
    assert not kinds & {"blockquote_open", "fence", "code_block", "hr", "ordered_list_open"}
    tokens = gfm().parse(hostile)
    assert headings(tokens, "h2") == [*SECTIONS, "What changed since 2026-W27"]
    assert len(headings(tokens, "h1")) == 1 and len(headings(tokens, "h3")) == 4


def test_hostile_text_reads_back_as_the_text_that_was_stored(
    hostile_and_tame: tuple[str, str],
) -> None:
    hostile, _ = hostile_and_tame
    cells = [
        t.content for t in gfm().parse(hostile) if t.type == "inline" and "onerror" in t.content
    ]

    assert cells
    rendered_cell = gfm().renderInline(cells[0])
    text = html.unescape(re.sub(r"<[^>]+>", "", rendered_cell))
    assert "<img src=x onerror=alert(1)>" in text
    assert "[x](javascript:alert(1))" in text


def javascript_links(tokens: list[Token]) -> list[str]:
    hrefs = [str(t.attrs.get("href", "")) for t in tokens if t.type == "link_open"]
    return [href for href in hrefs if "javascript" in href.lower()]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_any_text_stays_one_cell_and_one_paragraph_or_list_item(text: str) -> None:
    cell = inline(text)
    assume(cell)
    md = gfm()

    assert table_shapes(md.parse(table(("A", "B"), [(cell, "x"), ("y", cell)]))) == [[2, 2, 2]]
    tokens = md.parse(f"{cell}\n\n- {cell}")
    assert [t.type for t in tokens] == [
        "paragraph_open", "inline", "paragraph_close",
        "bullet_list_open", "list_item_open", "paragraph_open", "inline", "paragraph_close",
        "list_item_close", "bullet_list_close",
    ]  # fmt: skip
    inline_tokens = all_tokens(tokens)
    assert not [t for t in inline_tokens if t.type in ("html_inline", "html_block", "image")]
    assert javascript_links(inline_tokens) == []


def test_dates_in_another_year_carry_their_year() -> None:
    from opstui.export.numbers import day_month, month_day

    assert day_month(date(2026, 7, 12), 2026) == "12 July"
    assert day_month(date(2027, 1, 3), 2026) == "3 January 2027"
    assert month_day(date(2026, 7, 9), 2026) == "July 9"
    assert month_day(date(2027, 1, 3), 2026) == "January 3, 2027"


def test_the_export_module_never_imports_textual() -> None:
    code = (
        "import sys, opstui.export.markdown, opstui.data.review\n"
        "print(any(m.split('.')[0] == 'textual' for m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "False"
