"""Project charters: create, edit, archive, delete and restore (each one transaction)."""

from __future__ import annotations

from typing import NamedTuple

from qidesk.core.changes import Changes, Entity
from qidesk.core.portfolio import ProjectRow
from qidesk.core.project import Project, validate_project
from qidesk.store.database import Workspace
from qidesk.store.projects_repo import ProjectRepository


class ProjectResult(NamedTuple):
    """A stored project and what the operation changed."""

    project: Project
    changes: Changes


def _member_changes(before: Project | None, after: Project) -> dict[Entity, set[str]]:
    old = {m.id for m in before.team} if before else set()
    new = {m.id for m in after.team}
    return {Entity.TEAM_MEMBER: old | new}


class ProjectService:
    """Use cases on project charters in one workspace."""

    def __init__(self, workspace: Workspace) -> None:
        self._ws = workspace
        self._repo = ProjectRepository(workspace)

    def rows(self, include_deleted: bool = False) -> list[ProjectRow]:
        """Every project with the time it last changed (for the project list)."""
        changed = self._repo.last_changed_by_project()
        return [
            ProjectRow(p, changed.get(p.id, p.meta.updated_at))
            for p in self._repo.list(include_deleted=include_deleted)
        ]

    def get(self, project_id: str) -> Project:
        """One project (raises ``NotFoundError``)."""
        return self._repo.get(project_id)

    def create(self, project: Project) -> ProjectResult:
        """Store a new project."""
        validate_project(project)
        with self._ws.atomic():
            stored = self._repo.add(project)
        return ProjectResult(
            stored,
            Changes.of(
                created={Entity.PROJECT: [stored.id], **_member_changes(None, stored)},
            ),
        )

    def update(self, project: Project) -> ProjectResult:
        """Save every field of ``project`` (its id must exist)."""
        validate_project(project)
        with self._ws.atomic():
            before = self._repo.get(project.id)
            stored = self._repo.save(project)
        return ProjectResult(
            stored,
            Changes.of(
                updated={Entity.PROJECT: [stored.id], **_member_changes(before, stored)},
            ),
        )

    def set_archived(self, project_id: str, archived: bool) -> ProjectResult:
        """Archive or un-archive a project (archived projects are hidden by default)."""
        return self.update(self.get(project_id).with_changes(archived=archived))

    def delete(self, project_id: str) -> Changes:
        """Delete a project (a tombstone: it can be restored and the deletion can travel)."""
        with self._ws.atomic():
            self._repo.delete(project_id)
        return Changes.of(deleted={Entity.PROJECT: [project_id]})

    def restore(self, project_id: str) -> ProjectResult:
        """Bring a deleted project back."""
        with self._ws.atomic():
            self._repo.restore(project_id)
            stored = self._repo.get(project_id)
        return ProjectResult(stored, Changes.of(created={Entity.PROJECT: [project_id]}))
