"""The repository's part for one aggregate. Companies, products, people and the projects of the
portfolio, with their phase history."""

from __future__ import annotations

from datetime import date

from opstui.data.store import NotFoundError, Store
from opstui.domain.enums import (
    PersonRole,
    Phase,
)
from opstui.domain.models import (
    Company,
    Person,
    PhaseChange,
    Product,
    Project,
)


class PortfolioRecords(Store):
    """Companies, products, people and the projects of the portfolio, with their phase
    history."""

    # -- people and companies -------------------------------------------------------------

    def companies(self) -> list[Company]:
        return self.all(Company, "name")

    def people(self, role: PersonRole | None = None) -> list[Person]:
        if role is None:
            return self.all(Person, "name")
        return self._models(Person, "SELECT * FROM people WHERE role = ? ORDER BY name", [role])

    def products(self, company_id: int | None = None) -> list[Product]:
        if company_id is None:
            return self.all(Product, "name")
        return self._models(
            Product, "SELECT * FROM products WHERE company_id = ? ORDER BY name", [company_id]
        )

    # -- projects -------------------------------------------------------------------------

    def projects(self) -> list[Project]:
        return self.all(Project, "name")

    def project_names(self) -> list[tuple[int, str, int]]:
        """(id, name, company id) of every project, by name: for pickers, without building
        a model per project."""
        return [
            # A company id another tool stored as text or NULL names no company.
            (int(row[0]), str(row[1] or ""), row[2] if isinstance(row[2], int) else 0)
            for row in self.db.execute(
                "SELECT id, name, company_id FROM projects ORDER BY name, id"
            ).fetchall()
        ]

    def phase_history(self, project_id: int | None = None) -> list[PhaseChange]:
        if project_id is None:
            return self.all(PhaseChange, "project_id, entered_on, id")
        return self._models(
            PhaseChange,
            "SELECT * FROM phase_changes WHERE project_id = ? ORDER BY entered_on, id",
            [project_id],
        )

    def add_project(self, project: Project, entered_on: date) -> Project:
        """Store a new project and record that it entered its phase on `entered_on`."""
        with self.db.atomic():
            stored = self._insert(project)
            assert stored.id is not None
            self._insert(
                PhaseChange(project_id=stored.id, phase=stored.phase, entered_on=entered_on)
            )
            return stored

    def save_project(
        self, project: Project, today: date, original: Project | None = None
    ) -> Project:
        """Store an edited project; a change of phase is recorded with today's date. With
        the `original` the user edited, only the fields they changed are written, and only
        if nobody changed those since (see `save_changes`)."""
        with self.db.atomic():
            assert project.id is not None
            before = self.get(Project, project.id)
            if before is None:
                raise NotFoundError(f"project {project.id} no longer exists")
            if original is not None:
                project = self._save_changes(original, project)
            else:
                self._update(project)
            if before.phase is not project.phase:
                self._insert(
                    PhaseChange(project_id=project.id, phase=project.phase, entered_on=today)
                )
            return project

    def move_phase(self, project_id: int, phase: Phase, on: date) -> Project:
        """Move a project to `phase` and record the transition with its date."""
        with self.db.atomic():
            project = self.get(Project, project_id)
            if project is None:
                raise NotFoundError(f"project {project_id} no longer exists")
            moved = project.model_copy(update={"phase": phase})
            self._update(moved)
            self._insert(PhaseChange(project_id=project_id, phase=phase, entered_on=on))
            return moved

    # -- escalation candidates and snapshot parts -----------------------------------------

    def slipped_projects(self) -> list[Project]:
        """Projects whose completion date is later than their baseline (slip candidates)."""
        return self._models(
            Project,
            "SELECT * FROM projects WHERE completion_date > baseline_completion ORDER BY name",
        )
