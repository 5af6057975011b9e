"""Customers, NPS responses, feedback and projects (and bugs) from a plain CSV: the columns
the README documents, in any case and spacing, or the file's own names with `--map`."""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from pathlib import Path

import pytest

from opstui.cli import main
from opstui.data.repository import Repository
from opstui.domain.enums import (
    BugStatus,
    ChurnRisk,
    FeedbackKind,
    PersonRole,
    Phase,
    Priority,
    ProjectStatus,
)
from opstui.domain.models import Bug, Customer, FeedbackEntry, NpsResponse, Person, Project

FIXTURES = Path(__file__).parent / "fixtures" / "import"


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    path = tmp_path / "team.db"
    assert main(["init", str(path)]) == 0
    return path


def load(path: Path) -> Repository:
    return Repository.open(path)


def test_customers_land_with_their_figures_csm_and_company(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert FIXTURES.joinpath("customers.csv").read_bytes().startswith(b"\xef\xbb\xbf")

    code = main(["import", str(workspace), str(FIXTURES / "customers.csv")])

    out = capsys.readouterr().out
    assert code == 0
    assert "CSV of customers, 3 rows" in out
    assert "customers: 3 created, 0 updated, 0 unchanged, 0 skipped" in out
    assert "companies: 2 created (Company A, Company B)" in out
    assert "people: 2 created (Alice Moreau, Ben Okafor; role csm" in out
    repo = load(workspace)
    try:
        customers = {c.name: c for c in repo.all(Customer)}
        people = {p.id: p for p in repo.all(Person)}
        companies = {c.id: c.name for c in repo.companies()}
    finally:
        repo.close()
    meridian = customers["Meridian Bank"]
    assert meridian.arr == 120_000  # "$120,000"
    assert (meridian.seats, meridian.active_users, meridian.critical_features_used) == (200, 150, 4)
    assert meridian.renewal_date == date(2026, 9, 30)
    assert meridian.tickets_this_week == 3
    assert companies[meridian.company_id] == "Company A"
    csm = people[meridian.csm_id or 0]
    assert (csm.name, csm.role) == ("Alice Moreau", PersonRole.CSM)
    northwind = customers["Northwind Traders"]
    assert northwind.arr == 80_000  # "80k"
    assert northwind.churn_risk is ChurnRisk.MEDIUM  # "medium"
    assert northwind.renewal_date is None
    assert customers["Harbor & Pine"].churn_risk is ChurnRisk.HIGH


def test_a_customers_file_updates_the_customers_of_the_same_name_instead_of_adding_them(
    workspace: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["import", str(workspace), str(FIXTURES / "customers.csv")]) == 0
    later = tmp_path / "crm.csv"
    later.write_text(
        "name,company,arr,seats\nmeridian bank,company a,130000,\nNew Co,Company B,9000,5\n",
        encoding="utf-8",
    )
    capsys.readouterr()

    assert main(["import", str(workspace), str(later)]) == 0

    assert "customers: 1 created, 1 updated, 0 unchanged, 0 skipped" in capsys.readouterr().out
    repo = load(workspace)
    try:
        customers = {c.name: c for c in repo.all(Customer)}
    finally:
        repo.close()
    assert len(customers) == 4
    assert customers["Meridian Bank"].arr == 130_000
    assert customers["Meridian Bank"].seats == 200  # a blank cell keeps what was there


def test_nps_responses_land_once_even_when_two_answers_are_alike(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["import", str(workspace), str(FIXTURES / "customers.csv")]) == 0
    capsys.readouterr()

    assert main(["import", str(workspace), str(FIXTURES / "nps.csv")]) == 0
    first = capsys.readouterr().out
    before = hashlib.sha256(workspace.read_bytes()).hexdigest()
    assert main(["import", str(workspace), str(FIXTURES / "nps.csv")]) == 0
    second = capsys.readouterr().out

    assert "NPS responses: 5 created, 0 updated, 0 unchanged, 0 skipped" in first
    assert "NPS responses: 0 created, 0 updated, 5 unchanged, 0 skipped" in second
    assert hashlib.sha256(workspace.read_bytes()).hexdigest() == before
    repo = load(workspace)
    try:
        names = {c.id: c.name for c in repo.all(Customer)}
        responses = sorted(
            (names[r.customer_id], r.score, r.responded_on, r.comment)
            for r in repo.all(NpsResponse)
        )
    finally:
        repo.close()
    # Two respondents of Harbor & Pine answered alike on the same day: two responses.
    assert responses == [
        ("Harbor & Pine", 3, date(2026, 3, 3), "Export keeps timing out"),
        ("Harbor & Pine", 3, date(2026, 3, 3), "Export keeps timing out"),
        ("Meridian Bank", 9, date(2026, 3, 2), "Fast support"),
        ("Meridian Bank", 10, date(2026, 3, 2), ""),
        ("Northwind Traders", 8, date(2026, 3, 4), ""),
    ]


def test_an_nps_row_for_an_unknown_customer_names_its_line_and_imports_nothing(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["import", str(workspace), str(FIXTURES / "nps.csv")])

    err = capsys.readouterr().err.splitlines()
    assert code == 1
    assert (
        err[0] == "  line 2, customer: no customer named 'Meridian Bank' (import customers first)"
    )
    assert err[-1].endswith(
        "5 bad rows (listed above); nothing was imported (--skip-bad imports the 0 good rows)"
    )


def test_feedback_lands_with_its_kind_and_multi_line_text(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["import", str(workspace), str(FIXTURES / "customers.csv")]) == 0

    assert main(["import", str(workspace), str(FIXTURES / "feedback.csv")]) == 0

    assert "feedback entries: 3 created" in capsys.readouterr().out
    repo = load(workspace)
    try:
        entries = sorted(repo.all(FeedbackEntry), key=lambda e: e.logged_on)
    finally:
        repo.close()
    assert [e.kind for e in entries] == [
        FeedbackKind.FEATURE_REQUEST,
        FeedbackKind.PAIN_POINT,
        FeedbackKind.PRAISE,
    ]
    assert entries[1].text == "CSV export times out\nwith more than 10,000 rows"


def test_projects_land_in_their_phase_with_the_phase_recorded(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["import", str(workspace), str(FIXTURES / "projects.csv")]) == 0

    out = capsys.readouterr().out
    assert "projects: 2 created" in out
    assert "products: 1 created (Payments)" in out
    repo = load(workspace)
    try:
        projects = {p.name: p for p in repo.all(Project)}
        people = {p.id: p for p in repo.all(Person)}
        history = repo.phase_history(projects["Checkout v2"].id)
    finally:
        repo.close()
    checkout = projects["Checkout v2"]
    assert (checkout.phase, checkout.progress, checkout.status) == (
        Phase.DEVELOPMENT,
        45,
        ProjectStatus.AT_RISK,
    )
    assert checkout.completion_date == checkout.baseline_completion == date(2026, 6, 30)
    assert people[checkout.pm_id or 0].role is PersonRole.PRODUCT_MANAGER
    assert people[checkout.lead_id or 0].role is PersonRole.ENGINEERING_LEAD
    assert [change.phase for change in history] == [Phase.DEVELOPMENT]


def test_map_names_the_files_own_columns(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mapping = "Ticket=key,Headline=title,Opened on=opened,Sev=priority,State=status,Owner=assignee"
    assert main(["import", str(workspace), str(FIXTURES / "customers.csv")]) == 0
    capsys.readouterr()

    code = main(
        [
            *("import", str(workspace), str(FIXTURES / "bugs_mapped.csv"), "--kind", "bugs"),
            *("--map", mapping + ",Accounts=customers", "--company", "Company A"),
        ]
    )

    out = capsys.readouterr().out
    assert code == 0
    assert "bugs: 2 created" in out
    assert "customer links: 3 created" in out
    repo = load(workspace)
    try:
        bugs = {b.source_key: b for b in repo.all(Bug)}
        linked = repo.bug_customer_ids(bugs["csv:T-2"].id or 0)
    finally:
        repo.close()
    assert (bugs["csv:T-1"].priority, bugs["csv:T-1"].opened_at) == (
        Priority.P1,
        datetime(2026, 3, 1, 9, 0),
    )
    assert (bugs["csv:T-2"].priority, bugs["csv:T-2"].status) == (None, BugStatus.IN_PROGRESS)
    assert len(linked) == 2


def test_a_csv_that_lacks_a_required_column_is_refused_in_one_line(
    workspace: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "nps.csv"
    path.write_text("customer,score\nAcme,9\n", encoding="utf-8")

    code = main(["import", str(workspace), str(path)])

    err = capsys.readouterr().err.splitlines()
    assert code == 1
    assert err == [
        f"opstui: error: {path}: a CSV of NPS responses needs the column date (documented in "
        "the README; --map COLUMN=FIELD names another column); nothing was imported"
    ]


def test_a_csv_whose_columns_say_nothing_asks_for_kind(
    workspace: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "x.csv"
    path.write_text("alpha,beta\n1,2\n", encoding="utf-8")

    code = main(["import", str(workspace), str(path)])

    err = capsys.readouterr().err.splitlines()
    assert code == 1
    assert len(err) == 1
    assert "cannot tell what it holds (columns: alpha, beta); pass --kind" in err[0]


def test_a_bad_map_is_a_usage_error(workspace: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["import", str(workspace), str(FIXTURES / "nps.csv"), "--map", "score"])

    assert caught.value.code == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and "'score' is not COLUMN=FIELD" in err[0]
