"""`opstui check`: every stored row that breaks the model, named in words.

Each table with a model is read whole, the way every screen and the export read it; the rows
that fail validation are listed (see `row_problems`). Nothing is written.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import ValidationError

from opstui.data.repository import KEYED_TABLES, TABLES, Repository
from opstui.data.row_problems import RowProblem, read_bad_row, row_name
from opstui.domain.models import Model


@dataclass(frozen=True, slots=True)
class CheckReport:
    """What a check of a workspace found."""

    rows: int
    """How many rows were checked."""
    problems: tuple[RowProblem, ...]
    """One per bad field of a bad row, table by table, rows in stored order."""

    @property
    def ok(self) -> bool:
        return not self.problems


def check_workspace(repo: Repository) -> CheckReport:
    """Read every row of every table with a model and report the ones that break it, with
    the words and in the way the repository reads them."""
    tables: list[tuple[type[Model], str, tuple[str, ...]]] = [
        *((model, table, ("id",)) for model, table in TABLES.items()),
        *((model, table, keys) for model, (table, keys) in KEYED_TABLES.items()),
    ]
    rows = 0
    problems: list[RowProblem] = []
    for model, table, keys in tables:
        for row in repo.db.query(f"SELECT * FROM [{table}] ORDER BY rowid"):
            rows += 1
            try:
                model.model_validate(row)
            except ValidationError as error:
                problems.extend(read_bad_row(model, row, error, table, row_name(row, keys))[1])
    return CheckReport(rows, tuple(problems))
