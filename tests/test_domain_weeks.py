"""Review weeks: naming ISO weeks, walking between them, the Friday pre-read deadline."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from opstui.domain.weeks import (
    is_late,
    iso_week,
    next_week,
    preread_deadline,
    previous_week,
    week_days,
    week_monday,
)


def test_every_day_from_monday_to_sunday_belongs_to_the_same_review_week() -> None:
    assert iso_week(date(2026, 7, 6)) == "2026-W28"  # Monday
    assert iso_week(date(2026, 7, 12)) == "2026-W28"  # Sunday
    assert iso_week(date(2026, 7, 13)) == "2026-W29"  # next Monday


def test_new_years_day_on_a_friday_still_belongs_to_last_years_week_53() -> None:
    assert iso_week(date(2027, 1, 1)) == "2026-W53"


def test_single_digit_weeks_are_zero_padded() -> None:
    assert iso_week(date(2026, 1, 5)) == "2026-W02"


def test_a_week_starts_on_its_monday_and_ends_on_its_sunday() -> None:
    assert week_monday("2026-W28") == date(2026, 7, 6)
    assert week_days("2026-W28") == (date(2026, 7, 6), date(2026, 7, 12))


def test_week_one_can_start_in_december() -> None:
    assert week_monday("2025-W01") == date(2024, 12, 30)


@pytest.mark.parametrize("text", ["2026-28", "2026-W7", "W28", "2026-w28", " 2026-W28", ""])
def test_text_that_is_not_an_iso_week_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="ISO week"):
        week_monday(text)


def test_a_week_the_year_does_not_have_is_refused() -> None:
    with pytest.raises(ValueError, match="2025 has no week 53"):
        week_monday("2025-W53")


def test_stepping_back_and_forth_crosses_year_ends_including_week_53() -> None:
    assert previous_week("2026-W28") == "2026-W27"
    assert next_week("2026-W28") == "2026-W29"
    assert next_week("2026-W53") == "2027-W01"
    assert previous_week("2027-W01") == "2026-W53"
    assert next_week("2025-W52") == "2026-W01"
    assert previous_week("2026-W01") == "2025-W52"


def test_the_preread_for_a_monday_review_is_due_the_friday_before_at_five() -> None:
    assert preread_deadline("2026-W28") == datetime(2026, 7, 3, 17, 0)


def test_the_first_review_of_a_year_is_read_before_new_year() -> None:
    # 2027-W01 starts Monday 2027-01-04; its pre-read is due on New Year's Day.
    assert preread_deadline("2027-W01") == datetime(2027, 1, 1, 17, 0)


def test_submitting_on_the_stroke_of_five_is_on_time_and_a_minute_later_is_late() -> None:
    assert not is_late(datetime(2026, 7, 3, 17, 0), "2026-W28")
    assert not is_late(datetime(2026, 7, 3, 9, 30), "2026-W28")
    assert is_late(datetime(2026, 7, 3, 17, 1), "2026-W28")
    assert is_late(datetime(2026, 7, 6, 8, 0), "2026-W28")  # Monday morning


def test_a_preread_sent_early_for_next_week_is_not_late() -> None:
    assert not is_late(datetime(2026, 7, 3, 12, 0), "2026-W29")
