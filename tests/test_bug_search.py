"""Searching bug titles: the trigram index finds exactly what a case-insensitive substring
search (SQLite's LIKE) finds, for every query length, and stays right through imports, edits,
deletes and writes by other tools; every sort pages through the same rows as before.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opstui.data.bug_queries import SORT_COLUMNS, BugQuery
from opstui.data.repository import Repository
from opstui.domain.enums import BugStatus, PersonRole, Priority
from opstui.domain.models import Bug, Company, Person

TODAY = date(2026, 7, 6)

TITLES = [
    "Payroll TIMEOUT on export",
    "payroll timeout on import",
    "Timeouts everywhere",
    "Résumé upload fails",
    "RÉSUMÉ parser",
    "100% CPU in the scheduler",
    "snake_case field lost",
    'Quote "marks" in names',
    "ab",
    "a",
    "Straße address wrong",
    "STRASSE address",
    "Ünïcode ünïcode",
    "x_y%z\\w",
    "",
]


def _ascii_lower(text: str) -> str:
    return "".join(chr(ord(c) + 32) if "A" <= c <= "Z" else c for c in text)


def _like_matches(title: str, word: str) -> bool:
    """SQLite's LIKE '%word%': a substring, with only ASCII letters matched in any case."""
    return _ascii_lower(word) in _ascii_lower(title)


def _expected(titles: dict[int, str], text: str) -> list[int]:
    words = text.split()
    return sorted(
        bug_id
        for bug_id, title in titles.items()
        if all(
            _like_matches(title, word) or word.removeprefix("#") == str(bug_id) for word in words
        )
    )


def _found(repo: Repository, text: str) -> list[int]:
    query = BugQuery(text=text, sort="id")
    count = repo.bug_list_count(query, TODAY)
    rows = repo.bug_list_page(query, TODAY, 0, 10_000)
    assert count == len(rows)
    return sorted(row.id for row in rows)


def _titles(repo: Repository) -> dict[int, str]:
    return {int(r[0]): str(r[1]) for r in repo.db.execute("SELECT id, title FROM bugs")}


@pytest.fixture
def repo(tmp_path: Path) -> Iterator[Repository]:
    repo = Repository.create(tmp_path / "search.db")
    company = repo.add(Company(name="Acme"))
    opened = datetime(2026, 6, 1, 9, 0)
    repo.add_many(
        Bug(
            title=title or "untitled",
            company_id=company.id,
            opened_at=opened + timedelta(minutes=number),
        )
        for number, title in enumerate(TITLES)
    )
    try:
        yield repo
    finally:
        repo.close()


QUERIES = [
    "a",
    "A",
    "ab",
    "AB",
    "time",
    "TIMEOUT",
    "timeouts",
    "payroll timeout",
    "résumé",
    "RÉSUMÉ",
    "Résumé",
    "sumé",
    "100%",
    "%",
    "_",
    "e_c",
    "snake_case",
    '"marks"',
    '"',
    "straße",
    "strasse",
    "ünï",
    "ÜNÏ",
    "x_y%z\\w",
    "\\",
    "nothing-matches-this",
    "zzz",
    "#3",
    "#3 payroll",
    "on",
    "ere",
]


@pytest.mark.parametrize("text", QUERIES)
def test_title_search_finds_exactly_what_a_case_insensitive_substring_search_finds(
    repo: Repository, text: str
) -> None:
    assert _found(repo, text) == _expected(_titles(repo), text)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(alphabet='aAbBéÉ_%\\" timeOUT', min_size=1, max_size=6))
def test_any_typed_text_finds_what_like_finds(repo: Repository, text: str) -> None:
    assert _found(repo, text) == _expected(_titles(repo), text)


def test_the_index_follows_edits_deletes_imports_and_other_tools(
    repo: Repository, tmp_path: Path
) -> None:
    bug = repo.bugs_by_ids([1])[0]
    repo.update(bug.model_copy(update={"title": "Ledger drift after close"}))
    assert _found(repo, "ledger") == [1]
    assert _found(repo, "payroll timeout") == [2]  # the old title is gone from the index

    repo.delete(Bug, 2)
    assert _found(repo, "timeout") == [3]

    repo.add_many(
        [Bug(title="Imported ledger bug", opened_at=datetime(2026, 6, 2), status=BugStatus.OPEN)]
    )
    imported = max(_titles(repo))
    assert _found(repo, "ledger") == [1, imported]

    # Another program writes the file directly: the triggers keep the index right.
    assert repo.path is not None
    with contextlib.closing(sqlite3.connect(repo.path)) as other:
        other.execute(
            "INSERT INTO bugs (title, status, opened_at) VALUES ('Other tool LEDGER', 'open', ?)",
            ["2026-06-03T09:00:00"],
        )
        other.execute("UPDATE bugs SET title = 'renamed by hand' WHERE id = 1")
        other.commit()
    assert _found(repo, "ledger") == sorted([imported, max(_titles(repo))])
    assert _found(repo, "by hand") == [1]
    for text in QUERIES:
        assert _found(repo, text) == _expected(_titles(repo), text), text
    integrity = repo.db.execute(
        "INSERT INTO bugs_title_search (bugs_title_search, rank) VALUES ('integrity-check', 1)"
    )
    assert integrity is not None  # raises "database disk image is malformed" when out of step


def test_every_sort_pages_through_every_bug_once_in_its_order(tmp_path: Path) -> None:
    repo = Repository.create(tmp_path / "sorts.db")
    try:
        companies = [repo.add(Company(name=name)) for name in ("beta", "Alpha", "gamma")]
        people = [
            repo.add(Person(name=name, role=PersonRole.ENGINEERING_LEAD))
            for name in ("zoe", "Adam", "mia")
        ]
        bugs = [
            Bug(
                title=f"{'Bb' if n % 3 else 'aa'} bug {n % 7}",
                company_id=companies[n % 3].id if n % 5 else None,
                assignee_id=people[n % 3].id if n % 4 else None,
                priority=list(Priority)[n % 4] if n % 6 else None,
                status=list(BugStatus)[n % 5],
                opened_at=datetime(2026, 1, 1) + timedelta(hours=n % 11),
            )
            for n in range(230)
        ]
        repo.add_many(bugs)
        for sort in SORT_COLUMNS:
            for reverse in (False, True):
                query = BugQuery(sort=sort, reverse=reverse)
                whole = repo.bug_list_page(query, TODAY, 0, 1000)
                paged = [
                    row
                    for offset in range(0, 230, 40)
                    for row in repo.bug_list_page(query, TODAY, offset, 40)
                ]
                assert [row.id for row in paged] == [row.id for row in whole]
                assert sorted(row.id for row in whole) == list(range(1, 231))
                assert [_key(sort, row) for row in whole] == sorted(
                    (_key(sort, row) for row in whole), reverse=reverse
                ), (sort, reverse)
    finally:
        repo.close()


def _key(sort: str, row: object) -> tuple[object, ...]:
    from opstui.data.bug_queries import BugListRow

    assert isinstance(row, BugListRow)
    value: object = {
        "id": row.id,
        "priority": row.priority.value if row.priority else "P9",
        "title": row.title.lower(),
        "company": (row.company.lower() if row.company_id is not None else ""),
        "status": row.status.value,
        "assignee": row.assignee.lower(),
        "opened": row.opened_at,
    }[sort]
    return (value, row.id)


def test_bugs_stored_before_the_title_index_existed_are_found_after_the_upgrade(
    tmp_path: Path,
) -> None:
    from sqlite_utils.migrations import Migrations

    from opstui.data.schema import MIGRATION_SET, MIGRATIONS
    from opstui.data.workspace import create_workspace

    path = tmp_path / "older.db"
    db = create_workspace(path, migrations=Migrations(MIGRATION_SET))
    MIGRATIONS.apply(db, stop_before="0007_bug_search")
    for number, title in enumerate(TITLES):
        db.table("bugs").insert(
            {"title": title, "status": "open", "opened_at": f"2026-06-01T09:{number:02d}:00"}
        )
    db.close()

    repo = Repository.open(path)
    try:
        for text in QUERIES:
            assert _found(repo, text) == _expected(_titles(repo), text), text
    finally:
        repo.close()


def test_a_bulk_import_indexes_its_titles_once_and_leaves_every_index_in_place(
    tmp_path: Path,
) -> None:
    from opstui.cli import main

    workspace = tmp_path / "new.db"
    Repository.create(workspace).close()
    before = sqlite3.connect(workspace)
    shape = sorted(
        before.execute("SELECT type, name, sql FROM sqlite_master WHERE tbl_name = 'bugs'")
    )
    before.close()
    export = tmp_path / "jira.csv"
    words = ("Timeout", "invoice", "SSO", "crash")
    export.write_text(
        "Summary,Issue key,Issue Type,Status,Priority,Created\n"
        + "".join(
            f"{words[n % 4]} on page {n},ACME-{n},Bug,Open,High,5/Apr/26 11:03 AM\n"
            for n in range(1, 401)
        ),
        encoding="utf-8",
    )
    assert main(["import", str(workspace), str(export), "--company", "Company A"]) == 0

    repo = Repository.open(workspace)
    try:
        titles = _titles(repo)
        assert len(titles) == 400
        for text in ("timeout", "invoice page", "sso", "e 1", "crash on page 39"):
            assert _found(repo, text) == _expected(titles, text)
        repo.db.execute(
            "INSERT INTO bugs_title_search (bugs_title_search) VALUES ('integrity-check')"
        )
        after = sorted(
            repo.db.execute("SELECT type, name, sql FROM sqlite_master WHERE tbl_name = 'bugs'")
        )
        assert after == shape  # the sort indexes and the title triggers are all back
    finally:
        repo.close()


@pytest.mark.parametrize("text", QUERIES)
def test_a_word_in_many_titles_is_tested_along_the_order_and_finds_the_same_rows(
    repo: Repository, text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past `TITLE_INDEX_MOST` titles a word is tested on each title of the list's order
    instead of looked up: every sort pages through exactly the same rows, and the
    palette's bug search finds the same bugs."""

    def pages() -> dict[tuple[str, bool], list[int]]:
        return {
            (sort, reverse): [
                row.id
                for row in repo.bug_list_page(
                    BugQuery(text=text, sort=sort, reverse=reverse), TODAY, 0, 99
                )
            ]
            for sort in SORT_COLUMNS
            for reverse in (False, True)
        }

    looked_up, searched = pages(), repo.search_bug_titles(text, 99)
    monkeypatch.setattr("opstui.data.bug_queries.TITLE_INDEX_MOST", 0)
    assert pages() == looked_up
    assert repo.search_bug_titles(text, 99) == searched
    assert sorted(looked_up["id", False]) == _expected(_titles(repo), text)


def test_only_words_in_many_titles_are_tested_along_the_order(
    repo: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A word is walked when more titles than `TITLE_INDEX_MOST` hold it, and only when no
    other word of three letters or more is rarer (its index lookup is then the small set)."""
    from opstui.data.bug_queries import walked_words

    assert walked_words(repo.db, ["timeout"]) == frozenset()  # 3 titles: looked up
    monkeypatch.setattr("opstui.data.bug_queries.TITLE_INDEX_MOST", 2)
    assert walked_words(repo.db, ["timeout"]) == {"timeout"}
    assert walked_words(repo.db, ["timeout", "on"]) == {"timeout"}  # short words always walk
    assert walked_words(repo.db, ["timeout", "payroll"]) == frozenset()  # payroll: 2 titles


def test_a_cancelled_count_stops_and_leaves_the_connection_as_it_was(tmp_path: Path) -> None:
    many = Repository.create(tmp_path / "many.db")
    try:
        opened = datetime(2026, 6, 1, 9, 0)
        many.add_many(
            Bug(title=f"Ledger row {n}", opened_at=opened + timedelta(minutes=n))
            for n in range(3_000)
        )
        query = BugQuery(text="le")  # two letters: every title is tested
        assert many.bug_list_count_unless(query, TODAY, lambda: True) is None
        assert many.bug_list_count_unless(query, TODAY, lambda: False) == 3_000
        assert many.bug_list_count(query, TODAY) == 3_000  # no progress handler left behind
    finally:
        many.close()
