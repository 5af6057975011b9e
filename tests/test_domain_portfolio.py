"""Portfolio figures: slip, on track by phase, average weeks per phase, slipping projects."""

from __future__ import annotations

from datetime import date

from opstui.domain.enums import Phase, ProjectStatus
from opstui.domain.models import PhaseChange, Project
from opstui.domain.portfolio import (
    SLIP_ESCALATION_DAYS,
    is_slipping,
    portfolio_summary,
    slip_days,
    sort_projects_by_phase,
)

TODAY = date(2026, 7, 6)


def project(
    project_id: int,
    name: str,
    phase: Phase = Phase.DISCOVERY,
    status: ProjectStatus = ProjectStatus.ON_TRACK,
    slip: int | None = None,
) -> Project:
    baseline = date(2026, 9, 1)
    return Project(
        id=project_id,
        name=name,
        company_id=1,
        phase=phase,
        status=status,
        baseline_completion=baseline if slip is not None else None,
        completion_date=date.fromordinal(baseline.toordinal() + slip) if slip is not None else None,
    )


def change(
    project_id: int, phase: Phase, entered_on: date, change_id: int | None = None
) -> PhaseChange:
    return PhaseChange(id=change_id, project_id=project_id, phase=phase, entered_on=entered_on)


def test_slip_is_how_many_days_the_target_moved_past_its_baseline() -> None:
    moved = Project(
        name="Atlas",
        company_id=1,
        baseline_completion=date(2026, 8, 8),
        completion_date=date(2026, 8, 20),
    )
    assert slip_days(moved) == 12


def test_a_project_ahead_of_its_baseline_has_a_negative_slip() -> None:
    early = Project(
        name="Atlas",
        company_id=1,
        baseline_completion=date(2026, 8, 8),
        completion_date=date(2026, 8, 1),
    )
    assert slip_days(early) == -7
    assert not is_slipping(early)


def test_without_a_baseline_or_a_target_there_is_no_slip_to_speak_of() -> None:
    assert slip_days(Project(name="A", company_id=1, completion_date=date(2026, 8, 1))) is None
    assert slip_days(Project(name="A", company_id=1, baseline_completion=date(2026, 8, 1))) is None
    assert not is_slipping(Project(name="A", company_id=1))


def test_exactly_one_week_late_is_not_yet_slipping_one_more_day_is() -> None:
    assert SLIP_ESCALATION_DAYS == 7
    assert not is_slipping(project(1, "On the edge", slip=7))
    assert is_slipping(project(2, "Over the edge", slip=8))


def test_the_summary_counts_projects_on_track_overall_and_per_phase_in_4d_order() -> None:
    projects = [
        project(1, "Atlas", Phase.DISCOVERY, ProjectStatus.ON_TRACK),
        project(2, "Beacon", Phase.DEVELOPMENT, ProjectStatus.AT_RISK, slip=12),
        project(3, "Comet", Phase.DEVELOPMENT, ProjectStatus.ON_TRACK, slip=8),
        project(4, "Dune", Phase.DELIVERY, ProjectStatus.OFF_TRACK, slip=7),
    ]

    summary = portfolio_summary(projects, [], TODAY)

    assert summary.total == 4
    assert summary.on_track == 2
    assert list(summary.by_phase.items()) == [
        (Phase.DISCOVERY, 1),
        (Phase.DEFINITION, 0),
        (Phase.DEVELOPMENT, 2),
        (Phase.DELIVERY, 1),
    ]
    assert list(summary.on_track_by_phase.items()) == [
        (Phase.DISCOVERY, 1),
        (Phase.DEFINITION, 0),
        (Phase.DEVELOPMENT, 1),
        (Phase.DELIVERY, 0),
    ]


def test_slipping_projects_are_listed_most_slipped_first() -> None:
    projects = [
        project(1, "Comet", slip=8),
        project(2, "Dune", slip=7),
        project(3, "Beacon", slip=12),
        project(4, "Atlas"),
    ]

    summary = portfolio_summary(projects, [], TODAY)

    assert [p.name for p in summary.slipping] == ["Beacon", "Comet"]


def test_average_weeks_per_phase_counts_only_stays_the_project_has_finished() -> None:
    projects = [
        project(1, "Atlas", Phase.DISCOVERY),
        project(2, "Beacon", Phase.DEVELOPMENT),
        project(3, "Comet", Phase.DEVELOPMENT),
        project(4, "Dune", Phase.DELIVERY),
    ]
    history = [
        # Atlas is still in Discovery: nothing finished yet.
        change(1, Phase.DISCOVERY, date(2026, 6, 1)),
        # Beacon: Discovery 28 days, Definition 42 days, Development ongoing.
        change(2, Phase.DISCOVERY, date(2026, 1, 5)),
        change(2, Phase.DEFINITION, date(2026, 2, 2)),
        change(2, Phase.DEVELOPMENT, date(2026, 3, 16)),
        # Comet: Discovery 21 days, Definition 35 days.
        change(3, Phase.DISCOVERY, date(2026, 1, 5)),
        change(3, Phase.DEFINITION, date(2026, 1, 26)),
        change(3, Phase.DEVELOPMENT, date(2026, 3, 2)),
        # Dune: Discovery 28, Definition 28, Development 154 days, Delivery ongoing.
        change(4, Phase.DISCOVERY, date(2025, 10, 6)),
        change(4, Phase.DEFINITION, date(2025, 11, 3)),
        change(4, Phase.DEVELOPMENT, date(2025, 12, 1)),
        change(4, Phase.DELIVERY, date(2026, 5, 4)),
    ]

    summary = portfolio_summary(projects, history, TODAY)

    # Discovery (28 + 21 + 28) / 3 = 25.67 days = 3.67 weeks; Definition (42 + 35 + 28) / 3
    # = 35 days = 5 weeks; Development 154 days = 22 weeks; nobody has left Delivery.
    assert summary.avg_weeks_per_phase == {
        Phase.DISCOVERY: 3.7,
        Phase.DEFINITION: 5.0,
        Phase.DEVELOPMENT: 22.0,
        Phase.DELIVERY: None,
    }


def test_a_phase_change_planned_after_today_does_not_end_the_stay_yet() -> None:
    projects = [project(1, "Atlas", Phase.DISCOVERY)]
    history = [
        change(1, Phase.DISCOVERY, date(2026, 6, 1)),
        change(1, Phase.DEFINITION, date(2026, 8, 3)),
    ]

    summary = portfolio_summary(projects, history, TODAY)

    assert summary.avg_weeks_per_phase[Phase.DISCOVERY] is None
    assert summary.avg_weeks_per_phase[Phase.DEFINITION] is None


def test_a_move_dated_today_has_happened() -> None:
    history = [
        change(1, Phase.DISCOVERY, date(2026, 6, 22)),
        change(1, Phase.DEFINITION, TODAY),
    ]

    summary = portfolio_summary([project(1, "Atlas", Phase.DEFINITION)], history, TODAY)

    assert summary.avg_weeks_per_phase[Phase.DISCOVERY] == 2.0


def test_recording_the_same_phase_twice_does_not_split_the_stay() -> None:
    history = [
        change(1, Phase.DISCOVERY, date(2026, 1, 5)),
        change(1, Phase.DISCOVERY, date(2026, 1, 19)),
        change(1, Phase.DEFINITION, date(2026, 2, 2)),
    ]

    summary = portfolio_summary([project(1, "Atlas", Phase.DEFINITION)], history, TODAY)

    assert summary.avg_weeks_per_phase[Phase.DISCOVERY] == 4.0


def test_changes_on_the_same_day_keep_the_order_they_were_recorded_in() -> None:
    # Given out of order; id 11 was recorded after id 10 on the same day.
    history = [
        change(1, Phase.DEVELOPMENT, date(2026, 3, 16), change_id=12),
        change(1, Phase.DEFINITION, date(2026, 3, 2), change_id=11),
        change(1, Phase.DISCOVERY, date(2026, 3, 2), change_id=10),
    ]

    summary = portfolio_summary([project(1, "Atlas", Phase.DEVELOPMENT)], history, TODAY)

    assert summary.avg_weeks_per_phase[Phase.DISCOVERY] == 0.0
    assert summary.avg_weeks_per_phase[Phase.DEFINITION] == 2.0


def test_a_project_that_went_back_a_phase_counts_both_stays_in_it() -> None:
    history = [
        change(1, Phase.DEFINITION, date(2026, 1, 5)),  # 14 days
        change(1, Phase.DEVELOPMENT, date(2026, 1, 19)),
        change(1, Phase.DEFINITION, date(2026, 2, 2)),  # 28 days
        change(1, Phase.DEVELOPMENT, date(2026, 3, 2)),
    ]

    summary = portfolio_summary([project(1, "Atlas", Phase.DEVELOPMENT)], history, TODAY)

    assert summary.avg_weeks_per_phase[Phase.DEFINITION] == 3.0  # (14 + 28) / 2 / 7
    assert summary.avg_weeks_per_phase[Phase.DEVELOPMENT] == 2.0


def test_history_of_projects_outside_the_summary_is_left_out() -> None:
    history = [
        change(1, Phase.DISCOVERY, date(2026, 1, 5)),
        change(1, Phase.DEFINITION, date(2026, 1, 19)),
        change(99, Phase.DISCOVERY, date(2025, 1, 6)),
        change(99, Phase.DEFINITION, date(2026, 1, 5)),
    ]

    summary = portfolio_summary([project(1, "Atlas", Phase.DEFINITION)], history, TODAY)

    assert summary.avg_weeks_per_phase[Phase.DISCOVERY] == 2.0


def test_an_empty_portfolio_has_zeroes_and_no_averages() -> None:
    summary = portfolio_summary([], [], TODAY)

    assert summary.total == 0
    assert summary.on_track == 0
    assert summary.by_phase == dict.fromkeys(Phase, 0)
    assert summary.avg_weeks_per_phase == dict.fromkeys(Phase)
    assert summary.slipping == ()


def test_projects_sort_by_4d_phase_then_by_name() -> None:
    projects = [
        project(1, "zeta", Phase.DELIVERY),
        project(2, "Beacon", Phase.DISCOVERY),
        project(3, "alpha", Phase.DEVELOPMENT),
        project(4, "Atlas", Phase.DISCOVERY),
        project(5, "Comet", Phase.DEFINITION),
    ]

    ordered = sort_projects_by_phase(projects)

    assert [p.name for p in ordered] == ["Atlas", "Beacon", "Comet", "alpha", "zeta"]
