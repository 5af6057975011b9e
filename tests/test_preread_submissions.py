"""The Friday pre-read with content: a product manager writes it, saves a draft and submits
it; a director returns it with a comment or accepts it; the checklist, meeting mode and the
export read it from one loader; nobody overwrites someone else's newer version."""

from __future__ import annotations

import html
from collections.abc import Iterator
from datetime import date, datetime, time
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from textual.widgets import Input, Select, TextArea

from opstui.data.config import Config
from opstui.data.figures import week_preread
from opstui.data.repository import Repository
from opstui.data.review import (
    WeekFrozenError,
    freeze_week,
    person_preread,
    preread_seen,
    review_preread,
    review_snapshots,
    save_preread,
)
from opstui.domain.enums import (
    SUBMISSION_PARTS,
    PersonRole,
    Phase,
    PrereadStatus,
    ProjectStatus,
    SubmissionState,
)
from opstui.domain.history import StaleEditError
from opstui.domain.models import Company, Person, PrereadSubmission, Project
from opstui.domain.review import PrereadEdit, PrereadRow, TransitionError
from opstui.domain.settings import PrereadSettings
from opstui.export.markdown import render_week
from opstui.modals.form_base import ROOT
from opstui.modals.submission_form import SubmissionForm, part_field, project_field
from opstui.modals.submission_view import SubmissionView
from opstui.modals.text_prompt import TextPrompt
from opstui.screens.meeting import MeetingScreen
from opstui.screens.weekly import WeeklyScreen
from tests.app_harness import SIZE, demo_app, settle

WEEK = "2026-W28"  # Monday 2026-07-06; the pre-read is due Friday 2026-07-03 17:00
BEFORE = datetime(2026, 7, 3, 16, 59)
AFTER = datetime(2026, 7, 3, 17, 1)
PM_PARTS = SUBMISSION_PARTS[PersonRole.PRODUCT_MANAGER]
HOSTILE = "Blocked | by <script>x</script>\n# not a heading\n- nor a list [link](https://e.x)"


class Team:
    """A workspace from nothing: one company, a product manager with one project, a
    director and a second director."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.repo = Repository.create(path)
        self.repo.record_history("Priya Nair")
        company = self.repo.add(Company(name="Acme Software"))
        assert company.id is not None
        self.pm = self.repo.add(
            Person(name="Priya Nair", role=PersonRole.PRODUCT_MANAGER, company_id=company.id)
        )
        self.director = self.repo.add(Person(name="Laura Becker", role=PersonRole.DIRECTOR))
        self.project = self.repo.add(
            Project(
                name="Payroll",
                company_id=company.id,
                phase=Phase.DEVELOPMENT,
                progress=40,
                next_milestone="Sprint 3 demo",
                pm_id=self.pm.id,
            )
        )

    def row(self, due: time = time(17, 0)) -> PrereadRow:
        assert self.pm.id is not None
        row = person_preread(self.repo, WEEK, self.pm.id, due)
        assert row is not None
        return row


@pytest.fixture
def team(tmp_path: Path) -> Iterator[Team]:
    built = Team(tmp_path / "team.db")
    yield built
    built.repo.close()


def edit(row: PrereadRow, *, submit: bool, text: str = "written", **project: object) -> PrereadEdit:
    projects = tuple(p.model_copy(update=project) for p in row.projects)
    return PrereadEdit(
        parts={part: f"{text}: {part.value}" for part in row.parts},
        notes={p.id: f"note on {p.name}" for p in row.projects if p.id is not None},
        projects=projects,
        submit=submit,
    )


def write(team: Team, *, submit: bool, at: datetime, **project: object) -> None:
    row = team.row()
    save_preread(team.repo, row, preread_seen(row, WEEK), edit(row, submit=submit, **project), at)


# -- the lifecycle --------------------------------------------------------------------------


def test_a_pre_read_goes_from_draft_to_submitted_to_returned_and_back_to_accepted(
    team: Team,
) -> None:
    repo = team.repo
    write(team, submit=False, at=datetime(2026, 7, 3, 11, 0), status=ProjectStatus.AT_RISK)
    row = team.row()
    assert row.status is PrereadStatus.DRAFT
    assert row.submission is not None and row.submission.version == 1
    # The standardized format: the project itself is updated in place, with history.
    assert repo.get(Project, team.project.id or 0) == team.project.model_copy(
        update={"status": ProjectStatus.AT_RISK}
    )
    assert any(
        "status" in change.fields for change in repo.history_of(Project, team.project.id or 0)
    )

    write(team, submit=True, at=BEFORE)
    row = team.row()
    assert row.status is PrereadStatus.SUBMITTED and not row.late
    assert row.submission is not None

    review_preread(
        repo,
        row.submission,
        team.director,
        datetime(2026, 7, 3, 17, 30),
        comment="Add the test results",
    )
    row = team.row()
    assert row.status is PrereadStatus.RETURNED
    assert row.submission is not None
    assert row.submission.comment == "Add the test results"
    assert row.reviewer == "Laura Becker"

    write(team, submit=True, at=datetime(2026, 7, 3, 18, 0))  # resubmitted after the return
    row = team.row()
    assert row.status is PrereadStatus.SUBMITTED
    assert not row.late, "first submitted on time: a return does not make it late"

    assert row.submission is not None
    review_preread(repo, row.submission, team.director, datetime(2026, 7, 3, 18, 30))
    row = team.row()
    assert row.status is PrereadStatus.ACCEPTED
    assert row.submission is not None and row.submission.version == 5
    states = [
        change.fields.get("state")
        for change in reversed(repo.history_of(PrereadSubmission, f"{WEEK}/{team.pm.id}"))
    ]
    assert [s[1] for s in states if s] == ["submitted", "returned", "submitted", "accepted"]


def test_only_a_director_reviews_only_a_submitted_pre_read_and_never_their_own(
    team: Team,
) -> None:
    write(team, submit=False, at=BEFORE)
    draft = team.row().submission
    assert draft is not None
    with pytest.raises(TransitionError, match="only a submitted pre-read"):
        review_preread(team.repo, draft, team.director, AFTER)
    write(team, submit=True, at=BEFORE)
    submitted = team.row().submission
    assert submitted is not None
    with pytest.raises(TransitionError, match="only a director"):
        review_preread(team.repo, submitted, team.pm, AFTER)
    with pytest.raises(TransitionError, match="comment must not be empty"):
        review_preread(team.repo, submitted, team.director, AFTER, comment="  ")
    assert team.row().status is PrereadStatus.SUBMITTED


def test_submitting_needs_every_part_written_and_nothing_is_stored_otherwise(
    team: Team,
) -> None:
    row = team.row()
    partial = edit(row, submit=True)
    partial.parts[PM_PARTS[-1]] = "   "
    with pytest.raises(TransitionError, match=PM_PARTS[-1].value):
        save_preread(team.repo, row, preread_seen(row, WEEK), partial, BEFORE)
    assert team.row().submission is None


def test_a_frozen_week_takes_no_pre_read_step(team: Team) -> None:
    config = Config()
    freeze_week(
        team.repo,
        WEEK,
        today=date(2026, 7, 6),
        now=AFTER,
        targets=config.targets,
        health=config.health,
    )
    with pytest.raises(WeekFrozenError):
        write(team, submit=False, at=AFTER)


# -- late at the deadline -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("at", "due", "late"),
    [
        (BEFORE, time(17, 0), False),
        (datetime(2026, 7, 3, 17, 0), time(17, 0), False),
        (AFTER, time(17, 0), True),
        (datetime(2026, 7, 3, 15, 59), time(16, 0), False),
        (datetime(2026, 7, 3, 16, 1), time(16, 0), True),
        (AFTER, time(18, 0), False),
    ],
)
def test_a_pre_read_first_submitted_after_friday_at_the_due_time_is_late(
    team: Team, at: datetime, due: time, late: bool
) -> None:
    write(team, submit=True, at=at)
    row = team.row(due)
    assert row.late is late
    assert row.status is (PrereadStatus.LATE if late else PrereadStatus.SUBMITTED)


def test_the_due_time_is_read_from_the_configuration(tmp_path: Path) -> None:
    from opstui.data.config import load_config, save_config

    path = tmp_path / "config.toml"
    path.write_text("[preread]\ndue_time = 16:00:00\n", encoding="utf-8")
    config = load_config(path)
    assert config.preread == PrereadSettings(due_time=time(16, 0))
    save_config(config, path)
    assert load_config(path).preread.due_time == time(16, 0)


# -- two people, one pre-read ---------------------------------------------------------------


def test_two_people_writing_one_pre_read_the_second_is_refused_not_overwriting(
    team: Team,
) -> None:
    write(team, submit=True, at=BEFORE)
    other = Repository.open(team.path)  # a second terminal on the same file
    try:
        other.record_history("Miguel Fernández")
        assert team.pm.id is not None
        mine = person_preread(team.repo, WEEK, team.pm.id)
        theirs = person_preread(other, WEEK, team.pm.id)
        assert mine is not None and theirs is not None
        assert mine.submission is not None and theirs.submission is not None
        review_preread(team.repo, mine.submission, team.director, AFTER, comment="Needs dates")
        with pytest.raises(StaleEditError, match="returned") as refused:
            review_preread(other, theirs.submission, team.director, AFTER)
        assert refused.value.latest is not None
        assert team.row().status is PrereadStatus.RETURNED
        assert team.row().submission is not None
        assert team.row().submission.version == 2  # type: ignore[union-attr]
    finally:
        other.close()


def test_a_project_changed_by_someone_else_meanwhile_refuses_the_whole_save(team: Team) -> None:
    row = team.row()  # the form is opened on the project as it is
    other = Repository.open(team.path)
    try:
        stored = other.get(Project, team.project.id or 0)
        assert stored is not None
        other.save_changes(stored, stored.model_copy(update={"progress": 55.0}))
    finally:
        other.close()
    with pytest.raises(StaleEditError):
        save_preread(
            team.repo, row, preread_seen(row, WEEK), edit(row, submit=False, progress=45.0), AFTER
        )
    assert team.row().submission is None, "nothing of the pre-read was stored"
    assert team.repo.get(Project, team.project.id or 0).progress == 55.0  # type: ignore[union-attr]


# -- the export -----------------------------------------------------------------------------


def export(team: Team, due: time = time(17, 0)) -> str:
    config = Config()
    snapshot, previous = review_snapshots(
        team.repo, WEEK, date(2026, 7, 6), config.targets, config.health, due
    )
    return render_week(snapshot, previous)


def section(document: str, title: str) -> list[tuple[str, str]]:
    """The (type, text) of each block-level token in the section `title`."""
    tokens = MarkdownIt("gfm-like").parse(document)
    out: list[tuple[str, str]] = []
    inside = False
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and token.tag == "h2":
            inside = tokens[index + 1].content == title
            continue
        opener = tokens[index - 1]
        if inside and token.type == "inline" and opener.tag != "h2":
            out.append((opener.type, token.content))
    return out


def test_the_export_carries_only_accepted_content_per_project_and_per_person(team: Team) -> None:
    row = team.row()
    typed = edit(row, submit=True, text=HOSTILE)
    save_preread(team.repo, row, preread_seen(row, WEEK), typed, BEFORE)
    document = export(team)
    blocks = section(document, "Friday pre-read")
    assert ("paragraph_open", "**Accepted: 0 / 1** · late: 0. Due 3 July 17:00.") in blocks
    assert "Blocked" not in document, "nothing of a pre-read not accepted is exported"

    submitted = team.row().submission
    assert submitted is not None
    review_preread(team.repo, submitted, team.director, AFTER)
    document = export(team)
    assert document == export(team), "same data, same bytes"
    tokens = MarkdownIt("gfm-like").parse(document)
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert headings.count("not a heading") == 0
    assert "By project" in headings and "By person" in headings
    # The hostile text opened no HTML, link or heading and stayed in its list item.
    assert not [t for t in tokens if t.type in ("html_block", "html_inline")]
    assert not [c for t in tokens for c in (t.children or []) if c.type == "link_open"]
    items = [tokens[i + 2].content for i, t in enumerate(tokens) if t.type == "list_item_open"]
    blocker = next(item for item in items if "Risks/blockers" in item)
    shown = MarkdownIt("gfm-like").renderInline(blocker)
    assert "<script" not in shown
    flat = " ".join(HOSTILE.split("\n"))
    assert html.unescape(shown) == (
        f"<strong>Risks/blockers for escalation:</strong> {flat}: risks/blockers for escalation"
    )
    # By project: the project's figures as updated, with the author's note.
    paragraphs = [text for kind, text in section(document, "Friday pre-read")]
    assert (
        "**Payroll** · On track · 40% · next: Sprint 3 demo — "
        "Priya Nair (product manager): note on Payroll"
    ) in paragraphs
    table = [line for line in document.splitlines() if line.startswith("| Priya Nair")]
    assert table == ["| Priya Nair | product manager | Accepted | 3 July 16:59 | Laura Becker |"]


def test_the_export_of_an_empty_workspace_says_nobody_owes_a_pre_read(tmp_path: Path) -> None:
    repo = Repository.create(tmp_path / "empty.db")
    try:
        config = Config()
        snapshot, previous = review_snapshots(
            repo, WEEK, date(2026, 7, 6), config.targets, config.health
        )
        blocks = section(render_week(snapshot, previous), "Friday pre-read")
        assert blocks == [
            ("paragraph_open", "No product managers or engineering leads owe a pre-read.")
        ]
        assert week_preread(repo, WEEK).rows == ()
    finally:
        repo.close()


# -- in the app -----------------------------------------------------------------------------


def weekly(app: object) -> WeeklyScreen:
    screen = app.screen  # type: ignore[attr-defined]
    assert isinstance(screen, WeeklyScreen)
    return screen


def checklist_line(screen: WeeklyScreen, name: str) -> str:
    table = screen.table("checklist")
    rows = table.source.rows(0, len(table.source))
    return next(
        " | ".join(c.plain for c in row.cells) for row in rows if row.cells[0].plain == name
    )


class FakeClock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


async def test_a_product_manager_fills_saves_and_submits_their_pre_read_in_the_form(
    demo_repo: Repository,
) -> None:
    demo_repo.record_history("Daniel Okafor")  # at the keyboard; not started in the demo
    daniel = next(p for p in demo_repo.people() if p.name == "Daniel Okafor")
    app = demo_app(demo_repo, screen="weekly", clock=FakeClock(datetime(2026, 7, 3, 16, 30)))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = weekly(app)
        screen.week = WEEK
        screen.load()
        await settle(pilot)
        assert "missing" in checklist_line(screen, "Daniel Okafor")
        await pilot.press("S")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, SubmissionForm)
        form.query_one(f"#field-{part_field(0)}", TextArea).text = "Ledger Sync on track"
        await pilot.press("ctrl+r")  # submitting with three parts empty is refused
        await pilot.pause()
        assert app.screen is form
        error = form.query_one(f"#error-{part_field(1)}")
        assert error.display
        await pilot.press("ctrl+s")  # a draft is saved as it is
        await settle(pilot)
        assert isinstance(app.screen, WeeklyScreen)
        assert "draft: 1/4 parts written" in checklist_line(screen, "Daniel Okafor")

        await pilot.press("S")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, SubmissionForm)
        assert form.query_one(f"#field-{part_field(0)}", TextArea).text == "Ledger Sync on track"
        for index in range(1, 4):
            form.query_one(f"#field-{part_field(index)}", TextArea).text = f"part {index + 1}"
        project = form.row.projects[0]
        progress = form.query_one(f"#field-{project_field(project.id, 'progress')}", Input)
        progress.value = "150"  # out of range: said on the field, nothing stored
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert app.screen is form
        assert form.query_one(f"#error-{project_field(project.id, 'progress')}").display
        progress.value = "65"
        status = form.query_one(f"#field-{project_field(project.id, 'status')}", Select)
        status.value = ProjectStatus.AT_RISK
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert isinstance(app.screen, WeeklyScreen)
        line = checklist_line(screen, "Daniel Okafor")
        assert "submitted" in line and "awaiting the director" in line and "late" not in line
    stored = demo_repo.preread_submission(WEEK, daniel.id or 0)
    assert stored is not None and stored.state is SubmissionState.SUBMITTED
    assert stored.submitted_at == datetime(2026, 7, 3, 16, 30)
    assert demo_repo.get(Project, project.id or 0).progress == 65  # type: ignore[union-attr]
    assert demo_repo.get(Project, project.id or 0).status is ProjectStatus.AT_RISK  # type: ignore[union-attr]


async def test_a_form_refused_because_someone_else_saved_keeps_the_typing(
    demo_repo: Repository, demo_path: Path
) -> None:
    demo_repo.record_history("Carmen Vidal")  # her draft is in the demo
    carmen = next(p for p in demo_repo.people() if p.name == "Carmen Vidal")
    app = demo_app(demo_repo, screen="weekly", clock=FakeClock(datetime(2026, 7, 3, 16, 0)))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = weekly(app)
        screen.week = WEEK
        screen.load()
        await settle(pilot)
        await pilot.press("S")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, SubmissionForm)
        # Meanwhile, in another terminal, the same pre-read is saved.
        other = Repository.open(demo_path)
        try:
            row = person_preread(other, WEEK, carmen.id or 0)
            assert row is not None
            save_preread(other, row, preread_seen(row, WEEK), edit(row, submit=False), BEFORE)
        finally:
            other.close()
        form.query_one(f"#field-{part_field(3)}", TextArea).text = "mine"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form, "refused: the form stays open"
        assert "changed this pre-read" in str(form.query_one(f"#error-{ROOT}").render())
        assert form.query_one(f"#field-{part_field(3)}", TextArea).text == "mine"
        await pilot.press("ctrl+s")  # saving again, on purpose, over the newer version
        await settle(pilot)
        assert isinstance(app.screen, WeeklyScreen)
    stored = demo_repo.preread_submission(WEEK, carmen.id or 0)
    assert stored is not None and stored.text_of(SUBMISSION_PARTS[carmen.role][3]) == "mine"


async def test_the_director_accepts_and_returns_pre_reads_from_the_checklist(
    demo_repo: Repository,
) -> None:
    demo_repo.record_history("Laura Becker")
    people = {p.name: p for p in demo_repo.people()}
    app = demo_app(demo_repo, screen="weekly")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = weekly(app)
        assert screen.week == WEEK
        table = screen.table("checklist")
        assert "late" in checklist_line(screen, "Lucas Moreau")

        table.move_cursor(table.index_of(f"person:{people['Priya Nair'].id}") or 0)
        await pilot.press("enter")  # the director reads it first
        await settle(pilot)
        view = app.screen
        assert isinstance(view, SubmissionView) and view.may_review
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, WeeklyScreen)
        assert "✔ accepted" in checklist_line(screen, "Priya Nair")
        assert "accepted by Laura Becker" in checklist_line(screen, "Priya Nair")

        table.move_cursor(table.index_of(f"person:{people['Lucas Moreau'].id}") or 0)
        await pilot.press("R")
        await settle(pilot)
        assert isinstance(app.screen, TextPrompt)
        await pilot.press(*"Add the payroll dates", "enter")
        await settle(pilot)
        line = checklist_line(screen, "Lucas Moreau")
        assert "returned" in line and "Add the payroll dates" in line

        table.move_cursor(table.index_of(f"person:{people['Carmen Vidal'].id}") or 0)
        await pilot.press("A")  # a draft is not reviewed: said, nothing changes
        await settle(pilot)
        assert "draft" in checklist_line(screen, "Carmen Vidal")
    lucas = demo_repo.preread_submission(WEEK, people["Lucas Moreau"].id or 0)
    assert lucas is not None and lucas.state is SubmissionState.RETURNED
    assert lucas.reviewer_id == people["Laura Becker"].id


async def test_the_author_sees_the_return_comment_in_their_form(demo_repo: Repository) -> None:
    demo_repo.record_history("Rahul Mehta")  # returned in the demo
    app = demo_app(demo_repo, screen="weekly")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("S")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, SubmissionForm)
        comment = str(form.query_one("#form-comment").render())
        assert "Returned by Laura Becker" in comment and "quality-gate results" in comment


async def test_someone_who_is_no_person_of_the_workspace_is_told_so(tmp_path: Path) -> None:
    repo = Repository.create(tmp_path / "new.db")
    repo.record_history("Nobody Known")
    try:
        app = demo_app(repo, screen="weekly", as_of=date(2026, 7, 6))
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            screen = weekly(app)
            assert "No product managers or engineering leads yet" in " ".join(
                " ".join(c.plain for c in row.cells)
                for row in screen.table("checklist").source.rows(0, 3)
            )
            await pilot.press("S")
            await settle(pilot)
            assert isinstance(app.screen, WeeklyScreen)
            assert any("no person of this workspace" in n.message for n in app._notifications)
    finally:
        repo.close()


async def test_meeting_mode_opens_with_the_pre_read_the_checklist_and_export_show(
    demo_repo: Repository,
) -> None:
    summary = week_preread(demo_repo, WEEK)
    assert (summary.accepted, summary.late, len(summary.rows)) == (7, 1, 12)
    app = demo_app(demo_repo, screen="weekly")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MeetingScreen)
        assert (
            "Friday pre-read  7/12 accepted · 1 submitted · 1 late · 1 returned · 1 draft · "
            "1 missing"
        ) in screen.section_content().plain


async def test_on_a_workspace_built_from_nothing_the_pm_submits_and_the_director_accepts(
    team: Team,
) -> None:
    clock = FakeClock(datetime(2026, 7, 3, 17, 1))  # one minute late
    app = demo_app(team.repo, screen="weekly", as_of=date(2026, 7, 6), clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = weekly(app)
        screen.week = WEEK
        screen.load()
        await settle(pilot)
        await pilot.press("S")  # Priya Nair is at the keyboard (the team's recorded name)
        await settle(pilot)
        form = app.screen
        assert isinstance(form, SubmissionForm)
        assert "submitting now is late" in str(form.query_one("#form-state").render())
        for index in range(len(PM_PARTS)):
            form.query_one(f"#field-{part_field(index)}", TextArea).text = f"part {index}"
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert isinstance(app.screen, WeeklyScreen)
        assert "late" in checklist_line(screen, "Priya Nair")
    team.repo.record_history("Laura Becker")  # the director, at the keyboard next
    app = demo_app(team.repo, screen="weekly", as_of=date(2026, 7, 6))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = weekly(app)
        table = screen.table("checklist")
        table.move_cursor(table.index_of(f"person:{team.pm.id}") or 0)
        await pilot.press("A")
        await settle(pilot)
        assert "✔ accepted · late" in checklist_line(screen, "Priya Nair")
    assert team.row().status is PrereadStatus.ACCEPTED


async def test_on_a_friday_s_opens_the_pre_read_for_next_mondays_review(team: Team) -> None:
    app = demo_app(team.repo, screen="weekly", as_of=date(2026, 7, 3))  # Friday of W27
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = weekly(app)
        assert screen.week == "2026-W27"
        await pilot.press("S")
        await settle(pilot)
        assert screen.week == WEEK
        form = app.screen
        assert isinstance(form, SubmissionForm)
        assert form.submission.week == WEEK


async def test_in_privacy_mode_a_pre_read_shows_no_customer_name_and_the_form_stays_shut(
    demo_repo: Repository,
) -> None:
    customer = demo_repo.customers()[0].name
    daniel = next(p for p in demo_repo.people() if p.name == "Daniel Okafor")
    row = person_preread(demo_repo, WEEK, daniel.id or 0)
    assert row is not None
    typed = edit(row, submit=False, text=f"{customer} asked for SSO")
    save_preread(demo_repo, row, preread_seen(row, WEEK), typed, BEFORE)
    demo_repo.record_history("Daniel Okafor")
    app = demo_app(demo_repo, screen="weekly")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("P")  # privacy on, for the whole session
        await settle(pilot)
        await pilot.press("S")  # his draft's form would show the name: it does not open
        await settle(pilot)
        assert isinstance(app.screen, WeeklyScreen)
        screen = weekly(app)
        table = screen.table("checklist")
        table.move_cursor(table.index_of(f"person:{daniel.id}") or 0)
        demo_repo.record_history("Laura Becker")
        await pilot.press("enter")
        await settle(pilot)
        view = app.screen
        assert isinstance(view, SubmissionView)
        shown = view.query_one("#view-content").render()
        assert customer not in str(shown) and "asked for SSO" in str(shown)
