"""Customer figures: NPS, the health score and its reasons, feature requests ranked."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from opstui.domain.customers import (
    ROADMAP_CANDIDATE_MIN_CUSTOMERS,
    Health,
    health,
    health_band,
    nps,
    rank_requests,
)
from opstui.domain.enums import ChurnRisk, HealthBand
from opstui.domain.models import Customer, FeatureRequest
from opstui.domain.settings import HealthModel, HealthWeights

TODAY = date(2026, 7, 6)


def customer(**fields: Any) -> Customer:
    values: dict[str, Any] = {"id": 1, "name": "Acme", "company_id": 1}
    values.update(fields)
    return Customer(**values)


def factors(result: Health) -> dict[str, tuple[float, float, bool]]:
    """Each factor's (weight, points, has_data), by key."""
    return {f.key: (f.weight, f.points, f.has_data) for f in result.factors}


# ---- NPS -----------------------------------------------------------------------------------


def test_a_customer_who_never_answered_has_no_nps() -> None:
    assert nps([]) is None


def test_passives_alone_give_an_nps_of_zero() -> None:
    assert nps([7, 8, 8, 7]) == 0.0


def test_two_promoters_and_two_detractors_among_six_cancel_out() -> None:
    # Promoters 10 and 9, passives 8 and 7, detractors 6 and 0: (2 - 2) / 6.
    assert nps([10, 9, 8, 7, 6, 0]) == 0.0


def test_three_promoters_and_one_detractor_out_of_four_is_fifty() -> None:
    assert nps([10, 10, 9, 3]) == 50.0


def test_nps_spans_minus_one_hundred_to_one_hundred_rounded_to_a_decimal() -> None:
    assert nps([0, 6, 3]) == -100.0
    assert nps([9, 10]) == 100.0
    assert nps([9, 9, 6]) == 33.3  # (2 - 1) / 3


# ---- Health score --------------------------------------------------------------------------

HEALTHY = {
    "seats": 25,
    "active_users": 25,
    "critical_features_used": 5,
    "tickets_this_week": 0,
    "churn_risk": ChurnRisk.LOW,
    "renewal_date": TODAY + timedelta(days=200),
}

# NPS +40 is 0.7 of its weight; 10/20 users 0.5; 3/5 features 0.6; 4 of 10 tickets 0.6;
# Medium churn 0.5; renewal in 90 of 180 days 0.5.
MIDDLING = {
    "seats": 20,
    "active_users": 10,
    "critical_features_used": 3,
    "tickets_this_week": 4,
    "churn_risk": ChurnRisk.MEDIUM,
    "renewal_date": TODAY + timedelta(days=90),
}


def test_a_fully_healthy_customer_scores_100_and_is_green() -> None:
    result = health(customer(**HEALTHY), 100.0, 4, HealthModel(), TODAY)

    assert result.score == 100
    assert result.band is HealthBand.GREEN
    assert factors(result) == {
        "nps": (25.0, 25.0, True),
        "usage": (20.0, 20.0, True),
        "features": (15.0, 15.0, True),
        "tickets": (15.0, 15.0, True),
        "churn_risk": (15.0, 15.0, True),
        "renewal": (10.0, 10.0, True),
    }


def test_each_factor_says_what_it_was_computed_from() -> None:
    result = health(customer(**MIDDLING), 40.0, 5, HealthModel(), TODAY)

    assert [(f.label, f.value) for f in result.factors] == [
        ("NPS", "+40 (5 responses)"),
        ("Usage", "10/20 active users"),
        ("Features", "3/5 critical features"),
        ("Tickets", "4 tickets this week"),
        ("Churn risk", "Medium risk"),
        ("Renewal", "renews in 90 days"),
    ]


def test_a_middling_customer_earns_a_share_of_each_weight() -> None:
    result = health(customer(**MIDDLING), 40.0, 5, HealthModel(), TODAY)

    # 25 x 0.7 + 20 x 0.5 + 15 x 0.6 + 15 x 0.6 + 15 x 0.5 + 10 x 0.5 = 58
    assert [f.points for f in result.factors] == [17.5, 10.0, 9.0, 9.0, 7.5, 5.0]
    assert result.score == 58
    assert result.band is HealthBand.YELLOW


def test_missing_usage_is_left_out_and_the_other_weights_grow_to_fill_100() -> None:
    no_usage = customer(**{**MIDDLING, "seats": None, "active_users": None})

    result = health(no_usage, 40.0, 5, HealthModel(), TODAY)

    # The 80 points with data are scaled by 100 / 80 = 1.25: NPS 31.25, features, tickets
    # and churn 18.75 each, renewal 12.5. Earned: 31.25 x 0.7 = 21.875, 18.75 x 0.6 = 11.25
    # twice, 18.75 x 0.5 = 9.375, 12.5 x 0.5 = 6.25; 60 in all.
    by_key = {f.key: f for f in result.factors}
    usage = by_key["usage"]
    assert (usage.has_data, usage.weight, usage.points, usage.value) == (
        False,
        0.0,
        0.0,
        "no data",
    )
    # Shown to a tenth, halves rounded up.
    assert [(f.key, f.weight, f.points) for f in result.factors if f.has_data] == [
        ("nps", 31.3, 21.9),
        ("features", 18.8, 11.3),
        ("tickets", 18.8, 11.3),
        ("churn_risk", 18.8, 9.4),
        ("renewal", 12.5, 6.3),
    ]
    assert sum(f.weight for f in result.factors) == pytest.approx(100, abs=0.5)
    assert result.score == 60
    assert result.band is HealthBand.YELLOW


def test_seats_of_zero_mean_no_usage_data_rather_than_a_division_by_zero() -> None:
    result = health(customer(**{**HEALTHY, "seats": 0}), 100.0, 4, HealthModel(), TODAY)

    assert factors(result)["usage"] == (0.0, 0.0, False)
    assert result.score == 100


def test_a_customer_with_no_survey_no_usage_and_no_renewal_is_judged_on_the_rest() -> None:
    sparse = customer(tickets_this_week=5, churn_risk=ChurnRisk.LOW)

    result = health(sparse, None, 0, HealthModel(), TODAY)

    # Only tickets (15) and churn (15) have data: 50 points each after scaling.
    # Tickets 1 - 5/10 = 0.5 -> 25, churn Low -> 50.
    assert factors(result) == {
        "nps": (0.0, 0.0, False),
        "usage": (0.0, 0.0, False),
        "features": (0.0, 0.0, False),
        "tickets": (50.0, 25.0, True),
        "churn_risk": (50.0, 50.0, True),
        "renewal": (0.0, 0.0, False),
    }
    assert result.score == 75
    assert result.band is HealthBand.GREEN


def test_changing_the_weights_in_the_config_changes_the_score() -> None:
    voice_and_usage = HealthModel(
        weights=HealthWeights(nps=50, usage=50, features=0, tickets=0, churn_risk=0, renewal=0)
    )

    result = health(customer(**MIDDLING), 40.0, 5, voice_and_usage, TODAY)

    # 50 x 0.7 + 50 x 0.5 = 60, against 58 with the default weights.
    assert result.score == 60
    assert factors(result)["tickets"] == (0.0, 0.0, True)


def test_more_tickets_than_the_ceiling_earn_nothing_and_never_go_negative() -> None:
    swamped = customer(**{**HEALTHY, "tickets_this_week": 14})

    result = health(swamped, 100.0, 4, HealthModel(), TODAY)

    assert factors(result)["tickets"] == (15.0, 0.0, True)
    assert result.score == 85


def test_more_active_users_or_features_than_expected_are_capped_at_full_points() -> None:
    keen = customer(**{**HEALTHY, "active_users": 30, "critical_features_used": 7})

    result = health(keen, 100.0, 4, HealthModel(), TODAY)

    assert factors(result)["usage"] == (20.0, 20.0, True)
    assert factors(result)["features"] == (15.0, 15.0, True)


@pytest.mark.parametrize(
    ("days", "points", "value"),
    [
        (360, 10.0, "renews in 360 days"),
        (180, 10.0, "renews in 180 days"),
        (45, 2.5, "renews in 45 days"),
        (1, 0.1, "renews in 1 day"),
        (0, 0.0, "renews today"),
        (-10, 0.0, "renewal 10 days ago"),
    ],
)
def test_a_renewal_coming_closer_earns_fewer_points(days: int, points: float, value: str) -> None:
    renewing = customer(**{**HEALTHY, "renewal_date": TODAY + timedelta(days=days)})

    result = health(renewing, 100.0, 4, HealthModel(), TODAY)

    renewal = {f.key: f for f in result.factors}["renewal"]
    assert (renewal.points, renewal.value) == (points, value)


@pytest.mark.parametrize(
    ("churn", "points"), [(ChurnRisk.LOW, 15.0), (ChurnRisk.MEDIUM, 7.5), (ChurnRisk.HIGH, 0.0)]
)
def test_the_csms_churn_call_earns_all_half_or_none_of_its_weight(
    churn: ChurnRisk, points: float
) -> None:
    result = health(customer(**{**HEALTHY, "churn_risk": churn}), 100.0, 4, HealthModel(), TODAY)

    assert factors(result)["churn_risk"] == (15.0, points, True)


def test_a_score_of_exactly_one_half_rounds_up() -> None:
    # Only NPS counts: (45 + 100) / 200 = 0.725 of 100 points is 72.5, shown as 73.
    voice_only = HealthModel(
        weights=HealthWeights(nps=1, usage=0, features=0, tickets=0, churn_risk=0, renewal=0)
    )

    result = health(customer(**HEALTHY), 45.0, 3, voice_only, TODAY)

    assert result.factors[0].points == 72.5
    assert result.score == 73


@pytest.mark.parametrize(
    ("nps_value", "responses", "points", "value"),
    [
        (100.0, 2, 25.0, "+100 (2 responses)"),
        (0.0, 3, 12.5, "0 (3 responses)"),
        (-12.5, 1, 10.9, "-12.5 (1 response)"),
        (-100.0, 1, 0.0, "-100 (1 response)"),
    ],
)
def test_nps_earns_in_proportion_from_minus_100_to_plus_100(
    nps_value: float, responses: int, points: float, value: str
) -> None:
    result = health(customer(**HEALTHY), nps_value, responses, HealthModel(), TODAY)

    nps_factor = result.factors[0]
    assert (nps_factor.key, nps_factor.points, nps_factor.value) == ("nps", points, value)


def test_the_band_follows_the_rounded_score_that_is_shown() -> None:
    # Only NPS counts: (49.2 + 100) / 200 = 74.6 points, shown as 75, so Green.
    voice_only = HealthModel(
        weights=HealthWeights(nps=1, usage=0, features=0, tickets=0, churn_risk=0, renewal=0)
    )

    result = health(customer(**HEALTHY), 49.2, 10, voice_only, TODAY)

    assert result.score == 75
    assert result.band is HealthBand.GREEN


def test_with_no_weighted_factor_measured_the_score_is_zero_rather_than_an_error() -> None:
    voice_only = HealthModel(
        weights=HealthWeights(nps=1, usage=0, features=0, tickets=0, churn_risk=0, renewal=0)
    )

    result = health(customer(), None, 0, voice_only, TODAY)

    assert result.score == 0
    assert result.band is HealthBand.RED
    assert all(f.weight == 0 for f in result.factors)


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (0, HealthBand.RED),
        (49.9, HealthBand.RED),
        (50, HealthBand.YELLOW),
        (74.9, HealthBand.YELLOW),
        (75, HealthBand.GREEN),
        (100, HealthBand.GREEN),
    ],
)
def test_default_bands_red_below_50_green_from_75(score: float, band: HealthBand) -> None:
    assert health_band(score, HealthModel()) is band


def test_bands_move_with_the_config() -> None:
    strict = HealthModel(red_below=60, green_from=90)

    assert health_band(59, strict) is HealthBand.RED
    assert health_band(60, strict) is HealthBand.YELLOW
    assert health_band(89, strict) is HealthBand.YELLOW
    assert health_band(90, strict) is HealthBand.GREEN


# ---- Feature requests ----------------------------------------------------------------------


def test_requests_rank_by_customers_asking_then_by_the_arr_behind_them_then_title() -> None:
    a, b, c, d, e, f, g, h = (
        customer(id=i, name=name, arr=arr)
        for i, (name, arr) in enumerate(
            [
                ("Acme", 100_000),
                ("Bolt", 50_000),
                ("Core", 20_000),
                ("Delta", 500_000),
                ("Echo", 10_000),
                ("Flux", 200_000),
                ("Gale", 10_000),
                ("Halo", 100_000),
            ],
            start=1,
        )
    )
    requests = [
        FeatureRequest(id=1, title="SSO login"),
        FeatureRequest(id=2, title="Audit export"),
        FeatureRequest(id=3, title="Dark mode"),
        FeatureRequest(id=4, title="Zapier"),
        FeatureRequest(id=5, title="API keys"),
        FeatureRequest(id=6, title="Bulk edit"),
    ]
    askers = {
        1: [a, b, c],
        2: [d, e],
        3: [f, g],
        4: [h],
        6: [a, a],  # Acme asked twice; it is one customer.
    }

    ranked = rank_requests(requests, askers)

    assert [(r.request.title, r.customers, r.arr, r.candidate) for r in ranked] == [
        ("SSO login", 3, 170_000, True),
        ("Audit export", 2, 510_000, False),
        ("Dark mode", 2, 210_000, False),
        ("Bulk edit", 1, 100_000, False),
        ("Zapier", 1, 100_000, False),
        ("API keys", 0, 0, False),
    ]


def test_three_customers_asking_make_a_roadmap_candidate_two_do_not() -> None:
    assert ROADMAP_CANDIDATE_MIN_CUSTOMERS == 3
    three = [customer(id=i, name=f"Customer {i}") for i in (1, 2, 3)]
    requests = [FeatureRequest(id=1, title="Three"), FeatureRequest(id=2, title="Two")]

    ranked = rank_requests(requests, {1: three, 2: three[:2]})

    assert [(r.request.title, r.candidate) for r in ranked] == [("Three", True), ("Two", False)]


def test_no_requests_rank_to_nothing() -> None:
    assert rank_requests([], {}) == ()


# ---- Edge cases end to end: survey scores → NPS → health -----------------------------------


def test_a_customer_whose_answers_are_all_passive_earns_half_the_nps_weight() -> None:
    passives = [7, 8, 7, 8, 8]

    result = health(customer(**HEALTHY), nps(passives), len(passives), HealthModel(), TODAY)

    nps_factor = result.factors[0]
    assert (nps_factor.value, nps_factor.weight, nps_factor.points) == (
        "0 (5 responses)",
        25.0,
        12.5,
    )
    assert result.score == 88  # 100 - 12.5, halves rounded up


def test_with_no_survey_responses_the_nps_weight_goes_to_the_other_factors() -> None:
    result = health(customer(**HEALTHY), nps([]), 0, HealthModel(), TODAY)

    by_key = {f.key: f for f in result.factors}
    assert (by_key["nps"].has_data, by_key["nps"].value) == (False, "no data")
    # 75 points have data, scaled by 100 / 75: usage 20 -> 26.7, renewal 10 -> 13.3.
    assert (by_key["usage"].weight, by_key["renewal"].weight) == (26.7, 13.3)
    assert result.score == 100


def test_seats_known_but_active_users_unknown_is_missing_usage() -> None:
    unknown_users = customer(**{**MIDDLING, "active_users": None})

    result = health(unknown_users, 40.0, 5, HealthModel(), TODAY)

    assert factors(result)["usage"] == (0.0, 0.0, False)
    assert result.score == 60  # as with no usage data at all
