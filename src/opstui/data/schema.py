"""The workspace schema, as an ordered set of migrations.

Each migration runs once per workspace and is recorded in `_sqlite_migrations`; a
workspace that has applied a migration this module does not know was written by a newer
opstui and is refused. Statements go through sqlite-utils' `Database.execute` so that the
whole upgrade can run inside one transaction (`executescript` would commit half-way).

Opening a workspace compares its applied migrations with `MIGRATION_NAMES` in plain SQL;
the migration set itself (sqlite-utils' `Migrations`, `MIGRATIONS`) is built only when a
workspace is created or needs an upgrade.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlite_utils import Database
    from sqlite_utils.migrations import Migrations

    MIGRATIONS: Migrations

MIGRATION_SET = "opstui"

MIGRATIONS_TABLE = "_sqlite_migrations"
"""Where sqlite-utils records the migrations a workspace has applied."""

MIGRATION_NAMES = (
    "0001_initial",
    "0002_triage",
    "0003_weekly",
    "0004_records",
    "0005_source_keys",
    "0006_history",
    "0007_bug_search",
    "0008_submissions",
    "0009_access_codes",
)
"""The migrations of this version of opstui, in order (`build_migrations` registers them)."""

APPLICATION_ID = 0x6F707374
"""`PRAGMA application_id` of every workspace ("opst"): how a workspace is recognised."""

_INITIAL = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

CREATE TABLE companies (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);

CREATE TABLE products (
    id INTEGER PRIMARY KEY,
    company_id INTEGER NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    UNIQUE (company_id, name)
);

CREATE TABLE people (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    company_id INTEGER REFERENCES companies(id) ON DELETE SET NULL,
    email TEXT
);

CREATE TABLE projects (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    company_id INTEGER NOT NULL REFERENCES companies(id),
    product_id INTEGER REFERENCES products(id) ON DELETE SET NULL,
    phase TEXT NOT NULL,
    progress REAL NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
    status TEXT NOT NULL,
    next_milestone TEXT NOT NULL DEFAULT '',
    milestone_date TEXT,
    risk TEXT NOT NULL,
    completion_date TEXT,
    baseline_completion TEXT,
    pm_id INTEGER REFERENCES people(id) ON DELETE SET NULL,
    lead_id INTEGER REFERENCES people(id) ON DELETE SET NULL,
    cpto_input TEXT NOT NULL DEFAULT '',
    problem TEXT NOT NULL DEFAULT '',
    interviews_done INTEGER,
    key_findings TEXT NOT NULL DEFAULT '',
    market_validation TEXT,
    go_no_go_date TEXT,
    scope_finalised INTEGER,
    scope_remaining TEXT NOT NULL DEFAULT '',
    feasibility TEXT,
    resource_requirements TEXT NOT NULL DEFAULT '',
    dev_start_date TEXT,
    sprint_current INTEGER,
    sprint_total INTEGER,
    velocity_trend TEXT,
    quality_gates TEXT,
    key_blockers TEXT NOT NULL DEFAULT '',
    beta_feedback TEXT NOT NULL DEFAULT '',
    launch_phase TEXT,
    adoption_pct REAL,
    business_impact_arr REAL,
    satisfaction TEXT NOT NULL DEFAULT '',
    support_impact TEXT NOT NULL DEFAULT ''
);
CREATE INDEX projects_phase ON projects(phase, name);

CREATE TABLE phase_changes (
    id INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    phase TEXT NOT NULL,
    entered_on TEXT NOT NULL
);
CREATE INDEX phase_changes_project ON phase_changes(project_id, entered_on);

CREATE TABLE customers (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    company_id INTEGER NOT NULL REFERENCES companies(id),
    arr REAL NOT NULL DEFAULT 0 CHECK (arr >= 0),
    csm_id INTEGER REFERENCES people(id) ON DELETE SET NULL,
    renewal_date TEXT,
    seats INTEGER,
    active_users INTEGER,
    critical_features_used INTEGER,
    tickets_this_week INTEGER NOT NULL DEFAULT 0,
    tickets_last_week INTEGER NOT NULL DEFAULT 0,
    churn_risk TEXT NOT NULL,
    escalated INTEGER NOT NULL DEFAULT 0,
    escalation_note TEXT NOT NULL DEFAULT ''
);

CREATE TABLE nps_responses (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    score INTEGER NOT NULL CHECK (score BETWEEN 0 AND 10),
    responded_on TEXT NOT NULL,
    comment TEXT NOT NULL DEFAULT ''
);
CREATE INDEX nps_responses_customer ON nps_responses(customer_id);

CREATE TABLE feature_requests (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    status TEXT NOT NULL,
    effort TEXT NOT NULL DEFAULT '',
    epic TEXT NOT NULL DEFAULT ''
);

CREATE TABLE request_customers (
    request_id INTEGER NOT NULL REFERENCES feature_requests(id) ON DELETE CASCADE,
    customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    PRIMARY KEY (request_id, customer_id)
);

CREATE TABLE feedback (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    logged_on TEXT NOT NULL,
    kind TEXT NOT NULL,
    text TEXT NOT NULL,
    request_id INTEGER REFERENCES feature_requests(id) ON DELETE SET NULL
);
CREATE INDEX feedback_customer ON feedback(customer_id, logged_on);

CREATE TABLE bugs (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    company_id INTEGER REFERENCES companies(id),
    product_id INTEGER REFERENCES products(id) ON DELETE SET NULL,
    priority TEXT CHECK (priority IN ('P0', 'P1', 'P2', 'P3')),
    status TEXT NOT NULL,
    opened_at TEXT NOT NULL,
    resolved_at TEXT,
    assignee_id INTEGER REFERENCES people(id) ON DELETE SET NULL,
    project_id INTEGER REFERENCES projects(id) ON DELETE SET NULL,
    duplicate_of INTEGER REFERENCES bugs(id) ON DELETE SET NULL,
    snoozed_until TEXT,
    security_flag INTEGER NOT NULL DEFAULT 0,
    customers_affected INTEGER,
    revenue_impact REAL,
    root_cause TEXT NOT NULL DEFAULT '',
    expected_fix_date TEXT,
    prevention TEXT NOT NULL DEFAULT ''
);
CREATE INDEX bugs_company_status_priority ON bugs(company_id, status, priority);
CREATE INDEX bugs_opened ON bugs(opened_at);

CREATE TABLE bug_customers (
    bug_id INTEGER NOT NULL REFERENCES bugs(id) ON DELETE CASCADE,
    customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    PRIMARY KEY (bug_id, customer_id)
);

CREATE TABLE playbook_checks (
    bug_id INTEGER NOT NULL REFERENCES bugs(id) ON DELETE CASCADE,
    step TEXT NOT NULL,
    done_at TEXT NOT NULL,
    PRIMARY KEY (bug_id, step)
);

CREATE TABLE action_items (
    id INTEGER PRIMARY KEY,
    what TEXT NOT NULL,
    owner_id INTEGER REFERENCES people(id) ON DELETE SET NULL,
    due_date TEXT,
    company_id INTEGER REFERENCES companies(id),
    priority TEXT NOT NULL,
    status TEXT NOT NULL,
    week TEXT NOT NULL,
    closed_on TEXT
);
CREATE INDEX action_items_week ON action_items(week);

CREATE TABLE decisions (
    id INTEGER PRIMARY KEY,
    what TEXT NOT NULL,
    context TEXT NOT NULL DEFAULT '',
    recommendation TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL,
    category TEXT NOT NULL,
    week TEXT NOT NULL,
    raised_at TEXT NOT NULL,
    decided_at TEXT
);
CREATE INDEX decisions_week ON decisions(week);

CREATE TABLE risks (
    id INTEGER PRIMARY KEY,
    risk TEXT NOT NULL,
    owner_id INTEGER REFERENCES people(id) ON DELETE SET NULL,
    mitigation TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL
);

CREATE TABLE review_weeks (
    week TEXT PRIMARY KEY,
    director_id INTEGER REFERENCES people(id) ON DELETE SET NULL,
    director_accepted_at TEXT,
    notes TEXT NOT NULL DEFAULT ''
);

CREATE TABLE submissions (
    week TEXT NOT NULL,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    part TEXT NOT NULL,
    submitted_at TEXT,
    PRIMARY KEY (week, person_id, part)
);

CREATE TABLE kpis (
    week TEXT PRIMARY KEY,
    customers_signed INTEGER,
    arr REAL,
    pipeline REAL,
    churn_customers INTEGER,
    churn_mrr_pct REAL,
    uptime_pct REAL,
    p95_ms REAL,
    test_coverage_pct REAL,
    nps REAL,
    support_tickets INTEGER,
    features_shipped INTEGER,
    story_points INTEGER,
    team_size REAL
);

CREATE TABLE snapshots (
    week TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    frozen_at TEXT NOT NULL,
    data TEXT NOT NULL
);
"""

_TRIAGE = """
CREATE TABLE saved_filters (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    query TEXT NOT NULL DEFAULT '',
    company_id INTEGER REFERENCES companies(id) ON DELETE CASCADE,
    priority TEXT,
    status TEXT,
    assignee_id INTEGER REFERENCES people(id) ON DELETE CASCADE
);
-- The triage inbox reads untriaged open bugs oldest first.
CREATE INDEX bugs_untriaged ON bugs(opened_at, id)
    WHERE priority IS NULL AND status IN ('open', 'in progress');
"""


_WEEKLY = """
CREATE TABLE meeting_notes (
    week TEXT NOT NULL,
    section TEXT NOT NULL,
    text TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (week, section)
);
CREATE TABLE follow_ups (
    week TEXT NOT NULL,
    day TEXT NOT NULL,
    done_at TEXT NOT NULL,
    PRIMARY KEY (week, day)
);
"""


_RECORDS = """
-- Retired records are hidden from pickers and kept for history and snapshots.
ALTER TABLE companies ADD COLUMN retired_on TEXT;
ALTER TABLE products ADD COLUMN retired_on TEXT;
ALTER TABLE people ADD COLUMN retired_on TEXT;
ALTER TABLE customers ADD COLUMN retired_on TEXT;
-- A risk can name the project or company it threatens.
ALTER TABLE risks ADD COLUMN project_id INTEGER REFERENCES projects(id) ON DELETE SET NULL;
ALTER TABLE risks ADD COLUMN company_id INTEGER REFERENCES companies(id) ON DELETE SET NULL;
"""


_SOURCE_KEYS = """
-- Where an imported row came from ("jira:ACME-12", "linear:ENG-3", "github:URL", "csv:…"):
-- importing the same file again finds the row instead of adding it twice.
ALTER TABLE bugs ADD COLUMN source_key TEXT;
CREATE UNIQUE INDEX bugs_source_key ON bugs(source_key) WHERE source_key IS NOT NULL;
ALTER TABLE customers ADD COLUMN source_key TEXT;
CREATE UNIQUE INDEX customers_source_key ON customers(source_key) WHERE source_key IS NOT NULL;
ALTER TABLE projects ADD COLUMN source_key TEXT;
CREATE UNIQUE INDEX projects_source_key ON projects(source_key) WHERE source_key IS NOT NULL;
ALTER TABLE nps_responses ADD COLUMN source_key TEXT;
CREATE UNIQUE INDEX nps_responses_source_key ON nps_responses(source_key)
    WHERE source_key IS NOT NULL;
ALTER TABLE feedback ADD COLUMN source_key TEXT;
CREATE UNIQUE INDEX feedback_source_key ON feedback(source_key) WHERE source_key IS NOT NULL;
"""


_HISTORY = """
-- Who changed what: one row per write of a record (see data/history.py). `changes` holds
-- each changed field as [before, after] (JSON), `at` is UTC.
CREATE TABLE history (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    person TEXT,
    entity TEXT NOT NULL,
    entity_key TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('created', 'changed', 'deleted')),
    changes TEXT
);
CREATE INDEX history_entity ON history(entity, entity_key, id);
CREATE INDEX history_at ON history(at)
"""


_BUG_SEARCH = (
    # Every order a bug list can be sorted by reads an index instead of sorting the table
    # (the expressions are those of `bug_queries.SORT_COLUMNS`); ties go by id.
    "CREATE INDEX bugs_priority_sort ON bugs(coalesce(priority, 'P9'), id)",
    "CREATE INDEX bugs_title_sort ON bugs(title COLLATE NOCASE, id)",
    "CREATE INDEX bugs_status_sort ON bugs(status, id)",
    "CREATE INDEX bugs_company_sort ON bugs(company_id, id)",
    "CREATE INDEX bugs_assignee_sort ON bugs(assignee_id, id)",
    # The triage inbox, counted and paged from the index alone (`bug_queries._INBOX`).
    "CREATE INDEX bugs_inbox ON bugs(opened_at, id, snoozed_until) "
    "WHERE priority IS NULL AND status IN ('open', 'in progress')",
    # Title search: every three-character piece of every title, kept in step with the
    # bugs table by its triggers whoever writes it (an import, an edit, another tool).
    "CREATE VIRTUAL TABLE bugs_title_search USING fts5("
    "title, content='bugs', content_rowid='id', tokenize='trigram')",
    """CREATE TRIGGER bugs_title_search_insert AFTER INSERT ON bugs BEGIN
        INSERT INTO bugs_title_search (rowid, title) VALUES (new.id, new.title);
    END""",
    """CREATE TRIGGER bugs_title_search_delete AFTER DELETE ON bugs BEGIN
        INSERT INTO bugs_title_search (bugs_title_search, rowid, title)
            VALUES ('delete', old.id, old.title);
    END""",
    """CREATE TRIGGER bugs_title_search_update AFTER UPDATE OF id, title ON bugs BEGIN
        INSERT INTO bugs_title_search (bugs_title_search, rowid, title)
            VALUES ('delete', old.id, old.title);
        INSERT INTO bugs_title_search (rowid, title) VALUES (new.id, new.title);
    END""",
    "INSERT INTO bugs_title_search (bugs_title_search) VALUES ('rebuild')",
)
"""Indexes for sorting bug lists and the trigram index for searching their titles."""


_SUBMISSIONS = """
-- The Friday pre-read with its content: one row per person and review week (see
-- `PrereadSubmission`). `parts` and `project_notes` are JSON objects of text, and `version`
-- goes up with every write so that a write made on an older version is refused.
CREATE TABLE preread_submissions (
    week TEXT NOT NULL,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    state TEXT NOT NULL DEFAULT 'draft'
        CHECK (state IN ('draft', 'submitted', 'returned', 'accepted')),
    version INTEGER NOT NULL DEFAULT 1,
    parts TEXT NOT NULL DEFAULT '{}',
    project_notes TEXT NOT NULL DEFAULT '{}',
    saved_at TEXT,
    first_submitted_at TEXT,
    submitted_at TEXT,
    comment TEXT NOT NULL DEFAULT '',
    reviewer_id INTEGER REFERENCES people(id) ON DELETE SET NULL,
    reviewed_at TEXT,
    PRIMARY KEY (week, person_id)
);
CREATE INDEX preread_submissions_reviewer ON preread_submissions(reviewer_id);
-- The ticks kept until now carry over: every part ticked is a submission (at the last
-- tick), some is a draft, and one the director accepted the week of is accepted.
INSERT INTO preread_submissions (week, person_id, state, first_submitted_at, submitted_at,
        reviewer_id, reviewed_at)
    SELECT s.week, s.person_id,
        CASE WHEN count(s.submitted_at) < count(*) THEN 'draft'
             WHEN max(w.director_accepted_at) IS NOT NULL THEN 'accepted'
             ELSE 'submitted' END,
        CASE WHEN count(s.submitted_at) = count(*) THEN max(s.submitted_at) END,
        CASE WHEN count(s.submitted_at) = count(*) THEN max(s.submitted_at) END,
        CASE WHEN count(s.submitted_at) = count(*) THEN max(w.director_id) END,
        CASE WHEN count(s.submitted_at) = count(*) THEN max(w.director_accepted_at) END
    FROM submissions AS s LEFT JOIN review_weeks AS w ON w.week = s.week
    GROUP BY s.week, s.person_id
    HAVING count(s.submitted_at) > 0
"""


_ACCESS_CODES = """
-- Personal access codes for signing in to a served workspace (see data/access_codes.py):
-- only a salted scrypt hash of each code's secret is kept. `lookup` is the code's public
-- first part, to find its row. A re-issued code revokes the one before it.
CREATE TABLE access_codes (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    lookup TEXT NOT NULL UNIQUE,
    salt TEXT NOT NULL,
    hash TEXT NOT NULL,
    issued_at TEXT NOT NULL,
    revoked_at TEXT
);
CREATE UNIQUE INDEX access_codes_current ON access_codes(person_id) WHERE revoked_at IS NULL;
-- Every sign-in attempt, let in or refused (`outcome`), with the person when the code
-- named one. Refused ones are counted to slow the next attempts down.
CREATE TABLE sign_ins (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    person_id INTEGER REFERENCES people(id) ON DELETE SET NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('signed in', 'wrong', 'unknown', 'revoked', 'retired'))
);
CREATE INDEX sign_ins_at ON sign_ins(at)
"""


def _run(db: Database, script: str) -> None:
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)


def build_migrations() -> Migrations:
    """The migration set of this version of opstui, in order."""
    from sqlite_utils.migrations import Migrations

    migrations = Migrations(MIGRATION_SET)

    @migrations(name="0001_initial")
    def initial(db: Database) -> None:
        _run(db, _INITIAL)

    @migrations(name="0002_triage")
    def triage(db: Database) -> None:
        _run(db, _TRIAGE)

    @migrations(name="0003_weekly")
    def weekly(db: Database) -> None:
        _run(db, _WEEKLY)

    @migrations(name="0004_records")
    def records(db: Database) -> None:
        _run(db, _RECORDS)

    @migrations(name="0005_source_keys")
    def source_keys(db: Database) -> None:
        _run(db, _SOURCE_KEYS)

    @migrations(name="0006_history")
    def history(db: Database) -> None:
        _run(db, _HISTORY)

    @migrations(name="0007_bug_search")
    def bug_search(db: Database) -> None:
        for statement in _BUG_SEARCH:  # the triggers hold `;`: one statement at a time
            db.execute(statement)

    @migrations(name="0008_submissions")
    def submissions(db: Database) -> None:
        _run(db, _SUBMISSIONS)

    @migrations(name="0009_access_codes")
    def access_codes(db: Database) -> None:
        _run(db, _ACCESS_CODES)

    if migration_names(migrations) != MIGRATION_NAMES:
        raise RuntimeError("MIGRATION_NAMES does not list the migrations in order")
    return migrations


def migration_names(migrations: Migrations) -> tuple[str, ...]:
    """Every migration name of a set, in order: all of them are pending on an empty
    database."""
    from sqlite_utils import Database

    empty = Database(memory=True, execute_plugins=False)
    try:
        return tuple(migration.name for migration in migrations.pending(empty))
    finally:
        empty.close()


_built: list[Migrations] = []


def __getattr__(name: str) -> Any:
    """`MIGRATIONS`, the migration set, built on first use."""
    if name != "MIGRATIONS":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    if not _built:
        _built.append(build_migrations())
    return _built[0]
