"""Records meet the workspace: names become people, companies and customers, each record is
created, updated or left alone, and the whole file is one transaction.

Rows stream from the reader in batches: each batch looks up the rows it may update by
source key (one query), compares field by field, and writes what changed, so a file of any
length is never held in memory. A field the record does not say keeps its stored value; a
stored value equal to the record's is not written, so importing a file again writes nothing.
A bad row stops every write (the transaction is rolled back at the end, and each bad row is
reported with its line); with `skip_bad` the good rows go in and the bad ones are listed.
A dry run reads the workspace only and reports exactly what the import would change.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from opstui.data.importing.reading import Reading
from opstui.data.importing.records import SINGULAR, Kind, Problem, Record, Skip
from opstui.data.importing.values import name_key
from opstui.data.repository import Repository
from opstui.domain.enums import PersonRole
from opstui.domain.import_rules import ImportRules
from opstui.domain.models import (
    Bug,
    Company,
    Customer,
    FeedbackEntry,
    Model,
    NpsResponse,
    Person,
    PhaseChange,
    Product,
    Project,
    field_errors,
)
from opstui.domain.text import clean_line
from opstui.domain.wording import field_label, quoted

BATCH_ROWS = 1000
"""Records compared and written together (one lookup query per batch)."""
PROBLEMS_KEPT = 1000
"""Bad rows listed in a report; the rest are counted."""
PROGRESS_EVERY = 2000

MODELS: dict[Kind, type[Model]] = {
    Kind.BUGS: Bug,
    Kind.CUSTOMERS: Customer,
    Kind.NPS: NpsResponse,
    Kind.FEEDBACK: FeedbackEntry,
    Kind.PROJECTS: Project,
}
ROLES = {
    "assignee": PersonRole.OTHER,
    "csm": PersonRole.CSM,
    "pm": PersonRole.PRODUCT_MANAGER,
    "lead": PersonRole.ENGINEERING_LEAD,
}
"""The role a person gets when an import creates them, by where the name was."""
_REF_FIELDS = {"assignee": "assignee_id", "csm": "csm_id", "pm": "pm_id", "lead": "lead_id"}

Progress = Callable[[int, int, int], None]
"""Called now and then with (rows read, bytes read, bytes in the file)."""

IMPORT_CACHE_KIB = 64 * 1024
"""SQLite's page cache during an import, in KiB."""


@dataclass(slots=True)
class ImportOptions:
    """What `opstui import` was asked (see `--help`)."""

    format: str | None = None
    kind: Kind | None = None
    company: str | None = None
    """The company of rows that name none (tracker exports, customers, projects)."""
    mapping: dict[str, str] = field(default_factory=dict)
    skip_bad: bool = False
    rules: ImportRules = field(default_factory=ImportRules)
    today: date = field(default_factory=date.today)
    """The day a new or moved project enters its phase."""


@dataclass(slots=True)
class Tally:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0

    @property
    def written(self) -> int:
        return self.created + self.updated


@dataclass(frozen=True, slots=True)
class Change:
    """One record an import creates or updates, for a dry run's list."""

    action: str
    what: str
    label: str
    fields: tuple[str, ...] = ()

    def __str__(self) -> str:
        text = f"{self.action} {self.what} {quoted(self.label)}"
        return clean_line(f"{text}: {', '.join(self.fields)}" if self.fields else text)


@dataclass(slots=True)
class ImportReport:
    """What an import did (or, for a dry run, would do)."""

    path: Path
    dry_run: bool
    title: str = ""
    kind: Kind = Kind.BUGS
    rows: int = 0
    tallies: dict[str, Tally] = field(default_factory=dict)
    created_names: dict[str, list[str]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    roles_created: Counter[str] = field(default_factory=Counter)
    """The roles of the people created, counted."""
    skip_reasons: Counter[str] = field(default_factory=Counter)
    unmatched_customers: Counter[str] = field(default_factory=Counter)
    without_company: int = 0
    changes: list[Change] = field(default_factory=list)
    """The first changes (a preview shows them); `on_change` hears every one."""
    seconds: float = 0.0
    written: bool = False
    """Whether the import was committed (never for a dry run or a refused file)."""

    def tally(self, what: str) -> Tally:
        return self.tallies.setdefault(what, Tally())


class BadRowsError(Exception):
    """Rows could not be imported and `skip_bad` was not given: nothing was written."""

    def __init__(self, report: ImportReport) -> None:
        super().__init__(f"{report.problem_count} bad row(s)")
        self.report = report


@dataclass(slots=True)
class _Pending:
    record: Record
    values: dict[str, Any]
    """The model's values as read (names looked up), not validated yet: a record equal to
    its stored row needs no validation."""
    said: frozenset[str]
    """The model fields the record says (the others keep their stored values)."""
    links: tuple[int, ...] = ()
    match: int | None = None
    """The stored row matched by name (customers, projects without a known key)."""
    model: Model | None = None
    """The validated record (`_Importer._validate`)."""


class _Importer:
    """One run over one reading; see the module docstring."""

    def __init__(
        self,
        repo: Repository,
        reading: Reading,
        options: ImportOptions,
        report: ImportReport,
        *,
        on_change: Callable[[Change], None] | None,
        progress: Progress | None,
        position: Callable[[], int],
        size: int,
        keep_changes: int,
    ) -> None:
        self.repo = repo
        self.reading = reading
        self.kind = reading.kind
        self.model = MODELS[reading.kind]
        self.options = options
        self.report = report
        self.dry_run = report.dry_run
        self.on_change = on_change
        self.progress = progress
        self.position = position
        self.size = size
        self.keep_changes = keep_changes
        self.writing = True
        """False once a bad row means nothing will be kept (no `skip_bad`)."""
        self._fake = 0
        self._seen: dict[str, int] = {}
        self._batch: list[_Pending] = []
        self._inserts = _BackgroundInserts(repo)
        self._default_company: int | None = None
        self.companies = {name_key(c.name): c.id for c in repo.companies() if c.id is not None}
        self.people: dict[str, int] = {}
        self._people_as_written: dict[str, int] = {}
        for person in repo.people():
            if person.id is not None:
                self.people.setdefault(name_key(person.name), person.id)
        self.products = {
            (p.company_id, name_key(p.name)): p.id for p in repo.products() if p.id is not None
        }
        self.customers: dict[str, list[tuple[int, int, bool]]] = {}
        for customer_id, name, company_id, retired in repo.customer_index():
            self.customers.setdefault(name_key(name), []).append((customer_id, company_id, retired))
        self.projects: dict[tuple[int, str], int] = {}
        for project_id, name, company_id in repo.project_names():
            self.projects.setdefault((company_id, name_key(name)), project_id)

    # -- the run -----------------------------------------------------------------------------

    def run(self) -> None:
        try:
            self._run()
        finally:
            self._inserts.close()  # every row handed to SQLite is in before the commit

    def _run(self) -> None:
        report = self.report
        for item in self.reading.items:
            report.rows += 1
            if self.progress is not None and report.rows % PROGRESS_EVERY == 0:
                self.progress(report.rows, self.position(), self.size)
            if isinstance(item, Problem):
                self._problem(item)
            elif isinstance(item, Skip):
                report.skip_reasons[item.reason or "no type"] += 1
                report.tally(self.kind.value).skipped += 1
            else:
                pending = self._build(item)
                if isinstance(pending, Problem):
                    self._problem(pending)
                else:
                    self._batch.append(pending)
                    if len(self._batch) >= BATCH_ROWS:
                        self._flush()
        self._flush()
        if self.progress is not None:
            self.progress(report.rows, self.size, self.size)

    def _problem(self, problem: Problem) -> None:
        report = self.report
        report.problem_count += 1
        if len(report.problems) < PROBLEMS_KEPT:
            report.problems.append(problem)
        report.tally(self.kind.value).skipped += 1
        if not self.options.skip_bad:
            self.writing = False

    def _change(self, action: str, what: str, label: str, fields: Iterable[str] = ()) -> None:
        keep = len(self.report.changes) < self.keep_changes
        if not keep and self.on_change is None:
            return  # nobody asks: a long import builds no change it would drop
        change = Change(action, what, label, tuple(fields))
        if keep:
            self.report.changes.append(change)
        if self.on_change is not None:
            self.on_change(change)

    def _fake_id(self) -> int:
        """An id for a record a dry run would create (never stored)."""
        self._fake -= 1
        return self._fake

    # -- names -------------------------------------------------------------------------------

    def _company(self, name: str) -> int:
        key = name_key(name)
        found = self.companies.get(key)
        if found is None:
            company = Company(name=name)
            found = self._fake_id() if self.dry_run else self._add(company)
            self.companies[key] = found
            self.report.created_names.setdefault("companies", []).append(company.name)
            self.report.tally("companies").created += 1
            self._change("create", "company", company.name)
        return found

    def default_company(self) -> int | None:
        """`--company`, found or created the first time a record needs it."""
        if self._default_company is None and self.options.company:
            self._default_company = self._company(self.options.company)
        return self._default_company

    def _person(self, name: str, role: PersonRole) -> int:
        known = self._people_as_written.get(name)
        if known is not None:
            return known
        key = name_key(name)
        found = self.people.get(key)
        if found is None:
            person = Person(name=name, role=role)
            found = self._fake_id() if self.dry_run else self._add(person)
            self.people[key] = found
            self.report.created_names.setdefault("people", []).append(person.name)
            self.report.roles_created[role.value] += 1
            self.report.tally("people").created += 1
            self._change("create", f"person ({role.value})", person.name)
        self._people_as_written[name] = found
        return found

    def _product(self, company_id: int, name: str) -> int:
        key = (company_id, name_key(name))
        found = self.products.get(key)
        if found is None:
            product = Product(company_id=company_id, name=name)
            found = self._fake_id() if self.dry_run else self._add(product)
            self.products[key] = found
            self.report.created_names.setdefault("products", []).append(product.name)
            self.report.tally("products").created += 1
            self._change("create", "product", product.name)
        return found

    def _add(self, model: Model) -> int:
        if not self.writing:
            return self._fake_id()
        self._inserts.wait()
        stored = self.repo.add(model)
        entity_id = getattr(stored, "id", None)
        assert isinstance(entity_id, int)
        return entity_id

    def _customer(self, name: str, company_id: int | None) -> list[int]:
        """Customers called `name`, those of `company_id` first, those in service first."""
        candidates = self.customers.get(name_key(name), [])
        ranked = sorted(candidates, key=lambda c: (c[1] != company_id, c[2], c[0]))
        if company_id is not None and any(c[1] == company_id for c in ranked):
            ranked = [c for c in ranked if c[1] == company_id]
        return [c[0] for c in ranked]

    # -- building a record -------------------------------------------------------------------

    def _column(self, name: str) -> str:
        base = name.removesuffix("_id")
        if base in self.reading.columns:
            return self.reading.columns[base]
        return self.reading.columns.get(name, field_label(name))

    def _build(self, record: Record) -> _Pending | Problem:
        kind = self.kind
        if record.key is not None:
            first = self._seen.get(record.key)
            if first is not None:
                return Problem(
                    record.line,
                    self._column("key"),
                    f"{quoted(record.label)} is also on line {first}; each row once",
                )
            self._seen[record.key] = record.line
        values = dict(record.values)
        refs = record.refs
        company_id: int | None = None
        if kind in (Kind.NPS, Kind.FEEDBACK):
            # The company only tells apart customers of the same name: never created.
            if "company" in refs:
                company_id = self.companies.get(name_key(refs["company"]))
                if company_id is None:
                    return Problem(
                        record.line,
                        self._column("company"),
                        f"no company named {quoted(refs['company'])}",
                    )
        elif "company" in refs:
            company_id = self._company(refs["company"])
            values["company_id"] = company_id
        elif kind in (Kind.CUSTOMERS, Kind.PROJECTS):
            company_id = self.default_company()
            if company_id is None:
                return Problem(
                    record.line, self._column("company"), "is empty, and no --company names one"
                )
            values["company_id"] = company_id
        for ref, target in _REF_FIELDS.items():
            if ref in refs:
                values[target] = self._person(refs[ref], ROLES[ref])
        links: tuple[int, ...] = ()
        defaulted = False
        if kind is Kind.BUGS:
            problem = self._bug_refs(record, values, company_id)
            if isinstance(problem, Problem):
                return problem
            links = problem
            if company_id is None:
                # `--company` is for new bugs: a stored bug keeps the company it has.
                company_id = self.default_company()
                if company_id is not None:
                    values["company_id"] = company_id
                    defaulted = True
        elif kind in (Kind.NPS, Kind.FEEDBACK):
            found = self._customer(refs["customer"], company_id)
            if not found:
                return Problem(
                    record.line,
                    self._column("customer"),
                    f"no customer named {quoted(refs['customer'])} (import customers first)",
                )
            values["customer_id"] = found[0]
        elif "product" in refs and company_id is not None:
            values["product_id"] = self._product(company_id, refs["product"])
        if kind is Kind.PROJECTS and "completion_date" in values:
            values.setdefault("baseline_completion", values["completion_date"])
        if record.key is not None:
            values["source_key"] = record.key
        said = frozenset(values) - ({"source_key", "company_id"} if defaulted else {"source_key"})
        match = None
        if kind in (Kind.CUSTOMERS, Kind.PROJECTS):
            match = self._match_by_name(values, company_id)
            if record.key is None:
                # Matched by name: the same name twice in one company is one record twice.
                identity = f"~{company_id}/{name_key(str(values.get('name', '')))}"
                first = self._seen.get(identity)
                if first is not None:
                    return Problem(
                        record.line,
                        self._column("name"),
                        f"{quoted(record.label)} is also on line {first}; each row once",
                    )
                self._seen[identity] = record.line
        return _Pending(record, values, said, links, match)

    def _validate(self, pending: _Pending) -> Model | None:
        """The record as its model, or None (its problem reported) when it is not valid."""
        try:
            pending.model = self.model.model_validate(pending.values)
        except ValidationError as error:
            name, message = next(iter(field_errors(error).items()))
            column = "" if name == "__root__" else self._column(name)
            self._problem(Problem(pending.record.line, column, message))
            return None
        return pending.model

    def _bug_refs(
        self, record: Record, values: dict[str, Any], company_id: int | None
    ) -> tuple[int, ...] | Problem:
        refs = record.refs
        company = company_id if company_id is not None else self.default_company()
        if "product" in refs:
            if company is None:
                return Problem(
                    record.line, self._column("product"), "needs a company (column or --company)"
                )
            values["product_id"] = self._product(company, refs["product"])
        if "project" in refs:
            project_id = self._project(refs["project"], company)
            if project_id is None:
                return Problem(
                    record.line,
                    self._column("project"),
                    f"no project named {quoted(refs['project'])}",
                )
            values["project_id"] = project_id
        links: list[int] = []
        for name in refs.get("customers", ()):
            found = self._customer(name, company)
            if found:
                links.append(found[0])
            else:
                self.report.unmatched_customers[name] += 1
        return tuple(dict.fromkeys(links))

    def _project(self, name: str, company_id: int | None) -> int | None:
        key = name_key(name)
        if company_id is not None and (company_id, key) in self.projects:
            return self.projects[(company_id, key)]
        return next((pid for (_, found), pid in self.projects.items() if found == key), None)

    def _match_by_name(self, values: dict[str, Any], company_id: int | None) -> int | None:
        if self.kind is Kind.CUSTOMERS and company_id is not None:
            key = name_key(str(values.get("name", "")))
            found = [c[0] for c in self.customers.get(key, []) if c[1] == company_id]
            return found[0] if found else None
        if self.kind is Kind.PROJECTS and company_id is not None:
            return self.projects.get((company_id, name_key(str(values.get("name", "")))))
        return None

    # -- comparing and writing ---------------------------------------------------------------

    def _flush(self) -> None:
        batch, self._batch = self._batch, []
        if not batch:
            return
        if not self.writing and not self.dry_run:
            for pending in batch:  # nothing will be kept: the rest is only checked
                self._validate(pending)
            return
        repo = self.repo
        keys = [p.record.key for p in batch if p.record.key is not None]
        columns = {"id", "source_key"}.union(*(p.said for p in batch))
        by_key = repo.rows_by_source_key(self.model, keys, sorted(columns))
        by_id = repo.rows_by_ids(self.model, [p.match for p in batch if p.match is not None])
        found: list[tuple[_Pending, dict[str, Any] | None]] = []
        for pending in batch:
            key = pending.record.key
            row = by_key.get(key) if key is not None else None
            if row is None and pending.match is not None:
                row = by_id.get(pending.match)
                if row is not None:
                    # Found by its name: the name as stored (its spelling) stays.
                    pending.said = pending.said - {"name"}
            found.append((pending, row))
        linked: set[tuple[int, int]] = set()
        if self.kind is Kind.BUGS:
            linked = repo.bug_customer_links([row["id"] for _, row in found if row is not None])
        creates = []
        for pending, row in found:
            if row is not None and _as_stored(pending, row):
                self._unchanged(pending, row, linked)
            elif self._validate(pending) is None:
                continue
            elif row is None:
                creates.append(pending)
            else:
                self._update(pending, row, linked)
        if creates:
            self._create(creates)

    def _create(self, creates: list[_Pending]) -> None:
        report = self.report
        models = [pending.model for pending in creates if pending.model is not None]
        ids = self._insert(models, need_ids=[bool(pending.links) for pending in creates])
        what = SINGULAR[self.kind]
        for pending, model, new_id in zip(creates, models, ids, strict=True):
            if isinstance(model, Bug) and model.company_id is None:
                report.without_company += 1
            elif isinstance(model, Customer):
                self.customers.setdefault(name_key(model.name), []).append(
                    (new_id, model.company_id, False)
                )
            elif isinstance(model, Project):
                self.projects.setdefault((model.company_id, name_key(model.name)), new_id)
                if self.writing and not self.dry_run:
                    self.repo.add(
                        PhaseChange(
                            project_id=new_id, phase=model.phase, entered_on=self.options.today
                        )
                    )
            self._change("create", what, pending.record.label)
            if pending.links:
                self._link(new_id, pending.links, set())
        report.tally(self.kind.value).created += len(creates)

    def _insert(self, models: list[Model], need_ids: list[bool]) -> list[int]:
        """Store new records; their ids (a dry run's are made up, as are those of records a
        bad row keeps from being written; bugs that link no customer need none)."""
        if self.dry_run or not self.writing:
            return [self._fake_id() for _ in models]
        if self.kind is not Kind.BUGS:
            self._inserts.wait()
            return [self.repo.insert_validated(model) for model in models]
        if not any(need_ids):
            self._inserts.submit(models)
            return [0] * len(models)
        self._inserts.wait()
        self.repo.insert_many_validated(models)
        keys = [getattr(m, "source_key", None) for m in models]
        wanted = [key for key, need in zip(keys, need_ids, strict=True) if need and key]
        found = self.repo.ids_by_source_key(Bug, wanted)
        return [
            found.get(key or "", 0) if need else 0 for key, need in zip(keys, need_ids, strict=True)
        ]

    def _unchanged(
        self, pending: _Pending, row: dict[str, Any], linked: set[tuple[int, int]]
    ) -> None:
        """A record that reads exactly as stored: only its customer links may be new."""
        new_links = self._link(int(row["id"]), pending.links, linked)
        if new_links:
            self._counted_update(pending, {}, new_links)
        else:
            self.report.tally(self.kind.value).unchanged += 1

    def _update(self, pending: _Pending, row: dict[str, Any], linked: set[tuple[int, int]]) -> None:
        model = pending.model
        assert model is not None
        new = model.model_dump(mode="json", include=set(pending.said) | {"source_key"})
        changes = {
            name: new[name] for name in pending.said if not _same(row.get(name), new.get(name))
        }
        if new.get("source_key") and row.get("source_key") != new["source_key"]:
            changes["source_key"] = new["source_key"]
        entity_id = int(row["id"])
        if changes:
            stored = self.repo.rows_by_ids(self.model, [entity_id]).get(entity_id, row)
            try:
                self.model.model_validate({**stored, **changes})
            except ValidationError as error:
                message = "; ".join(
                    f"{field_label(k)}: {v}" for k, v in field_errors(error).items()
                )
                self._problem(
                    Problem(
                        pending.record.line,
                        "",
                        f"the stored {SINGULAR[self.kind]} #{entity_id} would break: {message}",
                    )
                )
                return
            if not self.dry_run and self.writing:
                self._inserts.wait()
                self.repo.update_columns(self.model, entity_id, changes)
                if isinstance(model, Project) and "phase" in changes:
                    self.repo.add(
                        PhaseChange(
                            project_id=entity_id, phase=model.phase, entered_on=self.options.today
                        )
                    )
        new_links = self._link(entity_id, pending.links, linked)
        if changes or new_links:
            self._counted_update(pending, changes, new_links)
        else:
            self.report.tally(self.kind.value).unchanged += 1

    def _counted_update(self, pending: _Pending, changes: dict[str, Any], new_links: int) -> None:
        self.report.tally(self.kind.value).updated += 1
        fields = [self._column(name) for name in changes if name != "source_key"]
        if "source_key" in changes:
            fields.append("key")
        if new_links:
            fields.append(f"{new_links} customer link{'s' if new_links > 1 else ''}")
        self._change("update", SINGULAR[self.kind], pending.record.label, fields)

    def _link(self, bug_id: int, customers: tuple[int, ...], linked: set[tuple[int, int]]) -> int:
        """Link the bug to the customers its labels name; returns how many links are new."""
        if not customers:
            return 0
        new = [(bug_id, customer) for customer in customers if (bug_id, customer) not in linked]
        tally = self.report.tally("customer links")
        tally.unchanged += len(customers) - len(new)
        tally.created += len(new)
        if new and not self.dry_run and self.writing:
            self._inserts.wait()
            self.repo.add_bug_customer_links(new)
        return len(new)


class _BackgroundInserts:
    """New bugs stored by a thread, one batch at a time: SQLite works without holding
    Python's lock, so the next rows are read and checked meanwhile. The thread shares the
    import's connection and transaction; every other write waits for it first, and reads
    never ask for a row still on its way (a file names each key once)."""

    def __init__(self, repo: Repository) -> None:
        self.repo = repo
        self._executor: ThreadPoolExecutor | None = None
        self._pending: Future[None] | None = None

    def submit(self, models: list[Model]) -> None:
        self.wait()
        if self._executor is None:
            self._executor = ThreadPoolExecutor(1, thread_name_prefix="opstui-import")
        self._pending = self._executor.submit(self.repo.insert_many_validated, models)

    def wait(self) -> None:
        """Until the batch on its way is stored (its failure is raised here)."""
        pending, self._pending = self._pending, None
        if pending is not None:
            pending.result()

    def close(self) -> None:
        try:
            self.wait()
        finally:
            if self._executor is not None:
                self._executor.shutdown(wait=True)
                self._executor = None


def _stored_form(value: Any) -> Any:
    """A value as its column holds it (`model_dump(mode="json")`, booleans as 0/1)."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _as_stored(pending: _Pending, row: dict[str, Any]) -> bool:
    """Whether every value the record says is already stored, exactly as read (a title
    that cleaning would change, a date in another shape, are not): then there is nothing
    to validate or write."""
    values = pending.values
    if values.get("source_key") != row.get("source_key"):
        return False
    return all(_stored_form(values[name]) == row.get(name) for name in pending.said)


def _same(stored: Any, new: Any) -> bool:
    """Whether a stored column holds the value a record's field dumps to (booleans are
    stored as 0/1, whole floats may come back as integers)."""
    if isinstance(new, bool):
        return bool(stored == int(new))
    return bool(stored == new)


def run_import(
    repo: Repository,
    reading: Reading,
    options: ImportOptions,
    *,
    path: Path,
    position: Callable[[], int],
    size: int,
    dry_run: bool,
    on_change: Callable[[Change], None] | None = None,
    progress: Progress | None = None,
    keep_changes: int = 20,
) -> ImportReport:
    """Import `reading` into `repo` (see the module docstring). A dry run only reads.

    Raises `BadRowsError` — having written nothing — when a row is bad and
    `options.skip_bad` is not set; the report lists the bad rows.
    """
    report = ImportReport(path=path, dry_run=dry_run, title=reading.title, kind=reading.kind)
    report.tally(reading.kind.value)
    started = time.monotonic()
    importer = _Importer(
        repo,
        reading,
        options,
        report,
        on_change=on_change,
        progress=progress,
        position=position,
        size=size,
        keep_changes=keep_changes,
    )
    if dry_run:
        importer.run()
    else:
        # A large page cache while the indexes of a big file are built (64 MB at most).
        repo.db.conn.execute(f"PRAGMA cache_size = {-IMPORT_CACHE_KIB}")
        with repo.db.atomic(), repo.adding_in_bulk(Bug):
            importer.run()
            if report.problem_count and not options.skip_bad:
                raise BadRowsError(report)  # rolls the transaction back
        report.written = True
    report.seconds = time.monotonic() - started
    if dry_run and report.problem_count and not options.skip_bad:
        raise BadRowsError(report)
    return report
