"""Trends over weeks: the loader, the sparklines, the month and quarter reviews and their
Markdown. A week that was never frozen is a gap everywhere, never a zero; a month is the ISO
weeks whose Thursday falls in it."""

from __future__ import annotations

import os
from datetime import date, datetime
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from opstui.cli import main
from opstui.data.config import Config
from opstui.data.figures import week_bug_matrix
from opstui.data.messages import ExportRequest
from opstui.data.repository import Repository
from opstui.data.review import freeze_week, unfreeze_week, week_kpi_figures
from opstui.data.sample import DEMO_TODAY, DEMO_WEEK
from opstui.data.trends import earlier_weeks, load_review
from opstui.domain.models import Company
from opstui.domain.trends import (
    GAP_MARK,
    PeriodReview,
    ReviewPeriod,
    kpi_history,
    section_titles,
    sparkline,
)
from opstui.domain.weeks import month_weeks, quarter_weeks, week_monday
from opstui.export.kinds import KINDS
from opstui.export.redact import MASKED_MONEY
from opstui.export.review import render_month, render_quarter, render_review
from opstui.widgets.bug_matrix import matrix_content
from opstui.widgets.weekly_rows import SPARK_WEEKS, kpi_content

CONFIG = Config()
GOLDEN = Path(__file__).parent / "golden"
UPDATE_GOLDEN = "OPSTUI_UPDATE_GOLDEN"
FROZEN = [f"2026-W{number}" for number in range(20, 29) if number != 24]
"""W20–W28 frozen, W24 missing."""


def review_of(
    repo: Repository, kind: str, week: str = DEMO_WEEK, live: str | None = DEMO_WEEK
) -> PeriodReview:
    return load_review(
        repo,
        ReviewPeriod(kind, week),  # type: ignore[arg-type]
        live_week=live,
        today=DEMO_TODAY,
        targets=CONFIG.targets,
        health=CONFIG.health,
    )


@pytest.fixture
def gapped_repo(demo_repo: Repository) -> Repository:
    """The demo with 2026-W20 … 2026-W28 frozen but for 2026-W24."""
    for week in FROZEN:
        freeze_week(
            demo_repo,
            week,
            today=week_monday(week),
            now=datetime(2026, 7, 6, 9, 0),
            targets=CONFIG.targets,
            health=CONFIG.health,
            replace=True,
        )
    return demo_repo


# -- weeks, months, quarters ------------------------------------------------------------------


def test_the_month_view_of_july_2026_holds_exactly_its_iso_weeks(demo_repo: Repository) -> None:
    # W27 runs Monday June 29 – Sunday July 5: its Thursday is July 2, so it is July's;
    # W31 (July 27 – August 2) has its Thursday on July 30; W32's is August 6.
    july = ("2026-W27", "2026-W28", "2026-W29", "2026-W30", "2026-W31")
    assert month_weeks(2026, 7) == july
    for week in july:
        review = review_of(demo_repo, "month", week)
        assert review.weeks == july
        assert review.period.label == "July 2026"
    document = render_month(review_of(demo_repo, "month"))
    rows = [line for line in document.splitlines() if line.startswith("| 2026-W")]
    assert [row.split(" | ")[0][2:] for row in rows[:5]] == list(july)
    assert "2026-W26" not in document and "2026-W32" not in document


def test_june_and_august_take_the_weeks_july_does_not() -> None:
    assert month_weeks(2026, 6)[-1] == "2026-W26"
    assert month_weeks(2026, 8)[0] == "2026-W32"
    # Every week of a year is in exactly one month; a quarter has 13 weeks (14 in the last
    # quarter of a 53-week year: 2026 has a W53).
    weeks = [week for month in range(1, 13) for week in month_weeks(2026, month)]
    assert len(weeks) == len(set(weeks)) == 53
    assert [len(quarter_weeks(2026, q)) for q in (1, 2, 3, 4)] == [13, 13, 13, 14]
    assert quarter_weeks(2026, 3) == tuple(f"2026-W{n}" for n in range(27, 40))


def test_a_period_moves_by_whole_months_and_quarters() -> None:
    july = ReviewPeriod("month", "2026-W28")
    assert july.shifted(1).label == "August 2026"
    assert july.shifted(-1).label == "June 2026"
    assert july.shifted(-7).label == "December 2025"
    assert ReviewPeriod("quarter", "2026-W28").shifted(1).label == "Q4 2026"
    assert ReviewPeriod("quarter", "2026-W01").shifted(-1).label == "Q4 2025"
    assert ReviewPeriod("weeks", "2026-W28").shifted(1).weeks[-1] == "2026-W29"


# -- a missing week is a gap ------------------------------------------------------------------


def test_a_week_never_frozen_is_a_gap_in_the_loader_not_zeros(gapped_repo: Repository) -> None:
    review = review_of(gapped_repo, "weeks", live=None)
    by_week = dict(zip(review.weeks, review.points, strict=True))
    assert by_week["2026-W24"] is None
    assert all(by_week[week] is not None for week in FROZEN)
    assert review.gaps == ("2026-W16", "2026-W17", "2026-W18", "2026-W19", "2026-W24")
    index = review.weeks.index("2026-W24")
    for section in review.sections:
        for chart in section.charts:
            for line in chart.lines:
                assert line.values[index] is None, (chart.title, line.label)
    on_track = review.chart("on_track").lines[0].values
    assert on_track[index - 1] is not None and on_track[index + 1] is not None


def test_the_gap_shows_in_the_sparkline_and_the_markdown(gapped_repo: Repository) -> None:
    review = review_of(gapped_repo, "weeks", live=None)
    index = review.weeks.index("2026-W24")
    line = review.chart("on_track").lines[0]
    spark = sparkline(line.values)
    assert spark[index] == GAP_MARK and spark[index - 1] != GAP_MARK
    assert sparkline([0.0, None, 0.0]) == f"▄{GAP_MARK}▄"  # a zero is a bar, a gap is not

    document = render_review(review)
    assert "2026-W24  no figures" in document
    header = next(line for line in document.splitlines() if line.startswith("| Figure |"))
    column = header.split(" | ").index("2026-W24")
    # The first "All phases" row is the projects on track.
    on_track = next(row for row in document.splitlines() if row.startswith("| All phases |"))
    cells = on_track.split(" | ")
    assert cells[column] == "—"
    assert cells[1][index] == GAP_MARK
    assert "| 2026-W24 | 8 June – 14 June | none (not frozen) |" in document


def test_the_gap_shows_in_the_bug_matrix_and_the_kpis_tab(gapped_repo: Repository) -> None:
    matrix = week_bug_matrix(gapped_repo, DEMO_TODAY, CONFIG.targets, "2026-W29")
    # The five weeks before W29: W24 (a gap) … W28, then W29's own rate.
    history = matrix.rate_history["Total"]
    assert len(history) == 6 and history[0] is None and history[1] is not None
    total = matrix_content(matrix).plain.splitlines()[-1]
    assert total.endswith(sparkline(history)) and sparkline(history)[0] == GAP_MARK

    earlier = kpi_history(earlier_weeks(gapped_repo, "2026-W28", SPARK_WEEKS - 1))
    assert earlier["team_size"][2] is None  # W21 … W27: W24 is the third
    counts = gapped_repo.company_bug_counts(DEMO_TODAY, 90)
    tab = kpi_content(
        gapped_repo.kpis(DEMO_WEEK),
        DEMO_WEEK,
        week_kpi_figures(gapped_repo, DEMO_WEEK, counts),
        earlier,
    ).plain
    team = next(line for line in tab.splitlines() if "Team size" in line)
    assert sparkline((*earlier["team_size"], 45.0)) in team
    assert GAP_MARK in team


# -- the reviews follow their agendas ---------------------------------------------------------


def test_the_month_follows_the_monthly_deep_dive_and_the_quarter_its_reviews(
    demo_repo: Repository,
) -> None:
    assert section_titles("month") == (
        "Portfolio performance against goals",
        "Quality metrics trends",
        "Customer impact and satisfaction",
        "Team health and capacity",
        "Technology debt and infrastructure",
    )
    quarter = review_of(demo_repo, "quarter")
    agenda = [item for section in quarter.sections for item in section.agenda]
    assert "Risk assessment and dependency management for roadmap commitments" in agenda
    assert "Cross-company synergy identification and planning" in agenda
    document = render_quarter(quarter)
    assert document.startswith("# Quarterly strategic and roadmap review — Q3 2026\n")
    for title in section_titles("quarter"):
        assert f"\n## {title}\n" in document


def test_the_live_week_is_computed_and_said_so(demo_repo: Repository) -> None:
    review = review_of(demo_repo, "month")
    point = dict(zip(review.weeks, review.points, strict=True))[DEMO_WEEK]
    assert point is not None and point.live
    assert review.chart("bugs.p0").lines[0].values[:2] == (0.0, 1.0)  # the new P0 of W28
    assert "| 2026-W28 | 6 July – 12 July | live, as of 6 July |" in render_month(review)


# -- the Markdown -----------------------------------------------------------------------------


def _check_gfm(document: str) -> None:
    parser = MarkdownIt("commonmark").enable("table")
    tokens = parser.parse(document)
    assert not [t for t in tokens if t.type in ("html_block", "html_inline")]
    assert not [c for t in tokens for c in t.children or [] if c.type == "html_inline"]
    # Every table keeps its column count: each row has as many cells as its header.
    widths: list[int] = []
    cells = 0
    for token in tokens:
        if token.type == "tr_open":
            cells = 0
        elif token.type in ("th_open", "td_open"):
            cells += 1
        elif token.type == "tr_close":
            widths.append(cells)
        elif token.type == "table_close":
            assert len(set(widths)) == 1, widths
            widths = []


@pytest.mark.parametrize(
    ("kind", "name", "render"),
    [
        ("month", "demo-month-2026-07.md", render_month),
        ("quarter", "demo-quarter-2026-Q3.md", render_quarter),
    ],
)
def test_the_demo_month_and_quarter_export_exactly_their_golden_files(
    demo_repo: Repository, kind: str, name: str, render: object
) -> None:
    review = review_of(demo_repo, kind)
    document = render(review)  # type: ignore[operator]
    assert render(review_of(demo_repo, kind)) == document  # type: ignore[operator]
    _check_gfm(document)
    golden = GOLDEN / name
    if os.environ.get(UPDATE_GOLDEN):
        golden.write_text(document, encoding="utf-8")
    assert golden.is_file(), f"missing {golden}; write it with {UPDATE_GOLDEN}=1 after review"
    assert document == golden.read_text(encoding="utf-8"), (
        f"the export changed; check the difference by eye, then {UPDATE_GOLDEN}=1 pytest"
    )


def test_a_redacted_review_masks_every_money_figure(demo_repo: Repository) -> None:
    review = review_of(demo_repo, "quarter")
    plain = render_quarter(review)
    redacted = render_quarter(review, redact=True)
    assert "$2,285,000" in plain and "2,285,000" not in redacted
    assert "3,760,000" not in redacted
    assert redacted.count(MASKED_MONEY) >= 4
    _check_gfm(redacted)


def test_hostile_company_names_keep_the_review_valid(demo_repo: Repository) -> None:
    company = demo_repo.companies()[0]
    demo_repo.save_changes(
        company, company.model_copy(update={"name": "A | <b>x</b> [l](https://e.example)"})
    )
    unfreeze_week(demo_repo, "2026-W27")  # the company's new name is in the live week only
    document = render_month(review_of(demo_repo, "month"))
    _check_gfm(document)
    tokens = MarkdownIt("commonmark").enable("table").parse(document)
    inline_tokens = [c for t in tokens for c in t.children or []]
    assert not [c for c in inline_tokens if c.type in ("link_open", "image", "html_inline")]
    shown = [c.content for c in inline_tokens if c.type == "text"]
    assert "A | <b>x</b> [l](https://e.example)" in shown


# -- from nothing -----------------------------------------------------------------------------


@pytest.mark.parametrize("companies", [0, 1])
def test_a_new_workspace_has_a_review_of_gaps_and_its_live_week(
    tmp_path: Path, companies: int
) -> None:
    repo = Repository.create(tmp_path / "team.db")
    if companies:
        repo.add(Company(name="Acme Software"))
    for kind, render in (("month", render_month), ("quarter", render_quarter)):
        review = review_of(repo, kind)
        assert review.gaps == tuple(week for week in review.weeks if week != DEMO_WEEK)
        document = render(review)
        _check_gfm(document)
        assert "| 2026-W28 | 6 July – 12 July | live, as of 6 July |" in document
        p0 = review.chart("bugs.p0")
        assert [line.label for line in p0.lines] == ["All companies"] + (
            ["Acme Software"] if companies else []
        )
    # Nothing frozen and no live week: every week a gap, and still a document.
    empty = review_of(repo, "month", live=None)
    assert all(point is None for point in empty.points)
    _check_gfm(render_month(empty))
    assert date(2026, 7, 6) == week_monday(DEMO_WEEK)
    repo.close()


def test_the_month_renders_on_github_as_written(demo_repo: Repository) -> None:
    """GitHub's renderer (`cmark-gfm`, see test_export_gfm.py) makes no link or HTML of a
    hostile company name, and every table keeps its columns."""
    import shutil
    import subprocess

    cmark = shutil.which("cmark-gfm")
    assert cmark is not None, "cmark-gfm (Debian package) is needed, as for test_export_gfm"
    company = demo_repo.companies()[0]
    hostile = "<script>x</script> www.evil.example [y](https://evil.example) | a"
    demo_repo.save_changes(company, company.model_copy(update={"name": hostile}))
    document = render_month(review_of(demo_repo, "month"), redact=True)
    html = subprocess.run(
        [cmark, "-e", "table", "-e", "autolink", "-e", "tagfilter", "--unsafe"],
        input=document,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "<a " not in html and "<script" not in html
    assert "&lt;script&gt;x&lt;/script&gt; www.evil.example" in html.replace("&#8288;", "")
    for table in html.split("<table>")[1:]:
        body = table.split("</table>")[0]
        rows = body.split("<tr>")[1:]
        widths = {row.count("<td") + row.count("<th") for row in rows}
        assert len(widths) == 1, widths


@pytest.mark.parametrize(
    ("kind", "name"), [("month", "demo-month-2026-07.md"), ("quarter", "demo-quarter-2026-Q3.md")]
)
def test_opstui_export_kind_month_and_quarter_write_the_golden_files(
    demo_path: Path, capsys: pytest.CaptureFixture[str], kind: str, name: str
) -> None:
    code = main(
        ["export", str(demo_path), "--week", DEMO_WEEK, "--kind", kind, "--as-of", "2026-07-06"]
    )
    assert code == 0
    assert capsys.readouterr().out == (GOLDEN / name).read_text(encoding="utf-8")
    # The registry's kind is the one the message preview offers.
    assert KINDS[kind].title in ("Monthly deep dive", "Quarterly review")
    request = ExportRequest(DEMO_WEEK, KINDS[kind].day(DEMO_WEEK, DEMO_TODAY))
    repo = Repository.open_readonly(demo_path)
    try:
        redacted = KINDS[kind].prepare(repo, request)(True)
    finally:
        repo.close()
    assert "2,285,000" not in redacted and MASKED_MONEY in redacted


def test_the_matrix_reads_its_rates_without_the_weeks_projects_and_customers(
    gapped_repo: Repository,
) -> None:
    """The bug matrix's rates over earlier weeks are the trends' own resolution-rate lines,
    read without decoding any project or customer of those weeks."""
    whole = earlier_weeks(gapped_repo, "2026-W29", 5).chart("resolution_rate").lines
    bugs_only = earlier_weeks(gapped_repo, "2026-W29", 5, records=False)
    assert bugs_only.chart("resolution_rate").lines == whole
    assert any(value is not None for line in whole for value in line.values)
    assert gapped_repo.snapshot_trend_parts(DEMO_WEEK, records=False) == {
        key: value
        for key, value in (gapped_repo.snapshot_trend_parts(DEMO_WEEK) or {}).items()
        if key not in ("projects", "customers")
    }
