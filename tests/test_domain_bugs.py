"""Bug figures: the company matrix against targets, resolution rate and time, trends, and the
P0 incident playbook.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from opstui.domain.bugs import (
    TOTAL_LABEL,
    BugMatrix,
    CompanyBugCounts,
    average_resolution_days,
    bug_matrix,
    minutes_since,
    playbook_state,
    resolution_rate,
    trend,
)
from opstui.domain.enums import PlaybookStep, Priority, Trend
from opstui.domain.settings import BugTargets

P0, P1, P2, P3 = Priority.P0, Priority.P1, Priority.P2, Priority.P3


def counts(
    company: str,
    company_id: int | None,
    open_p0_p1_p2: tuple[int, int, int],
    *,
    done: int,
    total: int,
    days: float = 0.0,
    resolved: int = 0,
    untriaged: int = 0,
) -> CompanyBugCounts:
    p0, p1, p2 = open_p0_p1_p2
    return CompanyBugCounts(
        company_id=company_id,
        company=company,
        open_by_priority={P0: p0, P1: p1, P2: p2},
        untriaged=untriaged,
        window_total=total,
        window_done=done,
        resolution_days_sum=days,
        resolution_count=resolved,
    )


def seed_table(previous: dict[str, float | None] | None = None) -> BugMatrix:
    """The seed's "Bug Status by Company" table, given out of order."""
    rows = [
        counts("Company C", 3, (0, 3, 15), done=93, total=100, days=186, resolved=93),
        counts("Company A", 1, (0, 5, 18), done=87, total=100, days=261, resolved=87, untriaged=4),
        counts("Company B", 2, (1, 8, 22), done=82, total=100, days=410, resolved=82, untriaged=2),
    ]
    return bug_matrix(rows, BugTargets(), previous)


def test_the_seed_table_lists_companies_by_name_with_their_counts_and_rates() -> None:
    matrix = seed_table()

    assert [row.company for row in matrix.rows] == ["Company A", "Company B", "Company C"]
    assert [row.company_id for row in matrix.rows] == [1, 2, 3]
    assert [row.counts for row in matrix.rows] == [
        {P0: 0, P1: 5, P2: 18, P3: 0},
        {P0: 1, P1: 8, P2: 22, P3: 0},
        {P0: 0, P1: 3, P2: 15, P3: 0},
    ]
    assert [row.resolution_rate for row in matrix.rows] == [87.0, 82.0, 93.0]
    # 261 / 87, 410 / 82, 186 / 93 days.
    assert [row.avg_resolution_days for row in matrix.rows] == [3.0, 5.0, 2.0]
    assert [row.untriaged for row in matrix.rows] == [4, 2, 0]
    assert not any(row.is_total for row in matrix.rows)


def test_the_total_row_adds_counts_and_takes_its_rate_from_the_summed_bugs() -> None:
    total = seed_table().total

    assert total.company == TOTAL_LABEL == "Total"
    assert total.company_id is None
    assert total.is_total
    assert total.counts == {P0: 1, P1: 16, P2: 55, P3: 0}
    assert total.untriaged == 6
    # (87 + 82 + 93) / 300 = 262 / 300 = 87.33 %, the seed's 87 %.
    assert total.resolution_rate == 87.3
    # (261 + 410 + 186) days / 262 resolutions = 857 / 262 = 3.27 days.
    assert total.avg_resolution_days == 3.3


def test_cells_over_target_are_the_p0_above_zero_and_the_p2_at_or_above_fifteen() -> None:
    matrix = seed_table()

    assert [row.over_target for row in matrix.rows] == [
        frozenset({P2}),  # A: 18 >= 15
        frozenset({P0, P2}),  # B: 1 > 0, 22 >= 15
        frozenset({P2}),  # C: 15 >= 15
    ]
    # Targets are per company: 16 P1 bugs across three companies breaks none.
    assert matrix.total.over_target == frozenset()


def test_targets_from_the_config_move_the_cells_that_stand_out() -> None:
    rows = [counts("Company A", 1, (0, 5, 18), done=0, total=0)]
    lenient = BugTargets(p1_below=5, p2_below=20)

    (row,) = bug_matrix(rows, lenient).rows

    assert row.over_target == frozenset({P1})


def test_trends_compare_each_rate_with_last_weeks_snapshot() -> None:
    previous: dict[str, float | None] = {
        "Company A": 85.0,
        "Company B": 82.4,
        "Company C": 90.0,
        "Total": 86.0,
    }

    matrix = seed_table(previous)

    # The seed's arrows: A ↑, B →, C ↑, Total ↑.
    assert [row.trend for row in matrix.rows] == [Trend.UP, Trend.FLAT, Trend.UP]
    assert matrix.total.trend is Trend.UP


def test_without_a_previous_snapshot_there_are_no_arrows() -> None:
    matrix = seed_table()

    assert [row.trend for row in matrix.rows] == [None, None, None]
    assert matrix.total.trend is None


def test_a_company_new_since_the_last_snapshot_has_no_arrow() -> None:
    matrix = seed_table({"Company A": 80.0, "Company B": None})

    assert [row.trend for row in matrix.rows] == [Trend.UP, None, None]


def test_a_company_with_no_bugs_in_the_window_has_no_rate_and_no_average() -> None:
    rows = [
        counts("Quiet Co", 4, (0, 0, 2), done=0, total=0),
        counts("Busy Co", 5, (0, 1, 0), done=3, total=4, days=9, resolved=3),
    ]

    matrix = bug_matrix(rows, BugTargets())

    quiet = matrix.rows[1]
    assert quiet.company == "Quiet Co"
    assert quiet.resolution_rate is None
    assert quiet.avg_resolution_days is None
    assert matrix.total.resolution_rate == 75.0
    assert matrix.total.avg_resolution_days == 3.0


def test_an_empty_portfolio_has_a_total_row_of_zeroes() -> None:
    matrix = bug_matrix([], BugTargets())

    assert matrix.rows == ()
    assert matrix.total.counts == {P0: 0, P1: 0, P2: 0, P3: 0}
    assert matrix.total.resolution_rate is None
    assert matrix.total.avg_resolution_days is None


def test_bugs_under_no_company_get_their_own_row() -> None:
    rows = [counts("(no company)", None, (0, 0, 1), done=1, total=2)]

    (row,) = bug_matrix(rows, BugTargets()).rows

    assert row.company_id is None
    assert row.resolution_rate == 50.0


def test_resolution_rate_is_the_share_of_the_windows_bugs_that_are_done() -> None:
    assert resolution_rate(87, 100) == 87.0
    assert resolution_rate(2, 3) == 66.7
    assert resolution_rate(0, 5) == 0.0
    assert resolution_rate(5, 5) == 100.0
    assert resolution_rate(0, 0) is None


def test_average_resolution_days_needs_at_least_one_resolution() -> None:
    assert average_resolution_days(10.0, 4) == 2.5
    assert average_resolution_days(0.0, 0) is None


def test_a_rise_of_a_point_or_more_is_up_and_a_fall_is_down() -> None:
    assert trend(87.0, 85.0) is Trend.UP
    assert trend(87.0, 86.0) is Trend.UP  # exactly one point
    assert trend(87.3, 86.3) is Trend.UP  # one point, despite float rounding
    assert trend(87.0, 86.5) is Trend.FLAT
    assert trend(87.0, 87.0) is Trend.FLAT
    assert trend(85.0, 86.0) is Trend.DOWN
    assert trend(85.5, 86.0) is Trend.FLAT


def test_when_lower_is_better_a_fall_is_up() -> None:
    # Resolution days going from 5 to 3 is an improvement.
    assert trend(3.0, 5.0, higher_is_better=False) is Trend.UP
    assert trend(5.0, 3.0, higher_is_better=False) is Trend.DOWN
    assert trend(3.0, 3.5, higher_is_better=False) is Trend.FLAT


def test_the_tolerance_decides_what_counts_as_flat() -> None:
    assert trend(10.0, 7.0, tolerance=5.0) is Trend.FLAT
    assert trend(10.0, 5.0, tolerance=5.0) is Trend.UP
    assert trend(10.2, 10.0, tolerance=0.1) is Trend.UP


def test_a_missing_figure_has_no_trend() -> None:
    assert trend(None, 80.0) is None
    assert trend(80.0, None) is None
    assert trend(None, None) is None


DETECTED = datetime(2026, 7, 6, 10, 0)


def test_the_playbook_lists_every_step_in_order_with_its_window() -> None:
    states = playbook_state(DETECTED, {}, DETECTED)

    assert [s.step for s in states] == list(PlaybookStep)
    assert [(s.window_start_min, s.window_end_min) for s in states] == [
        (0, 1),
        (1, 5),
        (5, 10),
        (10, 30),
        (60, 1440),
    ]
    assert states[3].due_at == datetime(2026, 7, 6, 10, 30)
    assert states[4].due_at == datetime(2026, 7, 7, 10, 0)
    assert not any(s.late for s in states)
    assert all(s.done_at is None for s in states)


def test_twelve_minutes_in_a_late_response_and_a_missed_communication_stand_out() -> None:
    checks = {
        PlaybookStep.DETECT: DETECTED + timedelta(seconds=30),
        PlaybookStep.RESPOND: DETECTED + timedelta(minutes=7),  # window closed at 5
    }
    now = DETECTED + timedelta(minutes=12)

    states = {s.step: s for s in playbook_state(DETECTED, checks, now)}

    assert states[PlaybookStep.DETECT].done_at == DETECTED + timedelta(seconds=30)
    assert not states[PlaybookStep.DETECT].late
    assert states[PlaybookStep.RESPOND].late
    assert states[PlaybookStep.COMMUNICATE].late  # not done, closed at 10 minutes
    assert not states[PlaybookStep.RECOVER].late  # still open until 30 minutes
    assert not states[PlaybookStep.POST_INCIDENT].late


def test_a_step_checked_off_as_its_window_closes_is_on_time() -> None:
    checks = {PlaybookStep.RESPOND: DETECTED + timedelta(minutes=5)}
    now = DETECTED + timedelta(hours=2)

    states = {s.step: s for s in playbook_state(DETECTED, checks, now)}

    assert not states[PlaybookStep.RESPOND].late


def test_a_step_done_late_stays_late_whatever_the_time_now() -> None:
    checks = {PlaybookStep.DETECT: DETECTED + timedelta(minutes=2)}

    (detect, *_) = playbook_state(DETECTED, checks, DETECTED + timedelta(minutes=2))

    assert detect.late


@pytest.mark.parametrize(
    ("elapsed", "minutes"),
    [
        (timedelta(0), 0),
        (timedelta(seconds=59), 0),
        (timedelta(minutes=12, seconds=59), 12),
        (timedelta(hours=2), 120),
        (timedelta(minutes=-3), 0),  # detection typed slightly in the future
    ],
)
def test_the_incident_clock_counts_whole_minutes_since_detection(
    elapsed: timedelta, minutes: int
) -> None:
    assert minutes_since(DETECTED, DETECTED + elapsed) == minutes
