"""Form errors speak the user's language: what is wrong with the value, about that field."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from opstui.domain.models import Customer, Kpis, NpsResponse, Project, field_errors


def errors_of(model: Any, **data: Any) -> dict[str, str]:
    with pytest.raises(ValidationError) as caught:
        model.model_validate(data)
    return field_errors(caught.value)


@pytest.mark.parametrize(
    ("model", "data", "field", "words"),
    [
        (
            Project,
            {"milestone_date": "2026-02-30"},
            "milestone_date",
            "30 February 2026 is not a date",
        ),
        (
            Project,
            {"milestone_date": "2026-13-01"},
            "milestone_date",
            "'2026-13-01' is not a date: there is no month 13",
        ),
        (
            Project,
            {"milestone_date": "next week"},
            "milestone_date",
            "'next week' is not a date (YYYY-MM-DD)",
        ),
        (Project, {"progress": 150}, "progress", "Progress is a percentage from 0 to 100"),
        (Project, {"progress": "lots"}, "progress", "'lots' is not a number"),
        (
            Project,
            {"status": "Weird"},
            "status",
            "'Weird' is not one of 'On track', 'At risk' or 'Off track'",
        ),
        (NpsResponse, {"score": 11}, "score", "Score is a whole number from 0 to 10"),
        (Customer, {"arr": -5}, "arr", "ARR is a number of at least 0"),
        (Customer, {"seats": 1.5}, "seats", "1.5 is not a whole number"),
        (Kpis, {"uptime_pct": "inf"}, "uptime_pct", "Uptime must be a finite number"),
        (Project, {"company_id": None}, "company_id", "Company is required"),
    ],
)
def test_each_kind_of_bad_value_is_said_in_words(
    model: Any, data: dict[str, Any], field: str, words: str
) -> None:
    base: dict[str, Any] = {
        Project: {"name": "Atlas", "company_id": 1},
        NpsResponse: {"customer_id": 1, "responded_on": "2026-07-01", "score": 9},
        Customer: {"name": "Acme", "company_id": 1},
        Kpis: {"week": "2026-W28"},
    }[model]
    errors = errors_of(model, **{**base, **data})
    assert errors[field] == words
    assert "Input should" not in " ".join(errors.values())
