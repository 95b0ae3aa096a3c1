"""Project charters and their teams: rows of ``project`` and ``team_member`` <-> ``Project``.

This module is the only place that knows how a :class:`Project` is laid out in tables.
Every write validates the project first (:func:`validate_project`; the ``ValidationError``
is raised unchanged) and goes through :mod:`qidesk.store.records`, so it is audited.
"""

from __future__ import annotations

import builtins
import json
from collections.abc import Iterable

from qidesk.core.errors import NotFoundError
from qidesk.core.project import (
    Aim,
    EvaluationLevel,
    Involvement,
    JourneyPhase,
    ProgressScore,
    Project,
    Status,
    TeamMember,
    TeamRole,
    WorkType,
    validate_project,
)
from qidesk.core.records import utc_now
from qidesk.store import records
from qidesk.store.database import Workspace
from qidesk.store.records import Row, meta_from_row
from qidesk.store.values import iso_date, optional_date

PROJECT = "project"
TEAM_MEMBER = "team_member"
#: a project's team, by the column that holds the project's id
_PROJECT_CHILDREN = {TEAM_MEMBER: "project_id"}

_MEMBERS_SQL = (
    "SELECT * FROM team_member WHERE deleted_at IS NULL AND project_id IN ({marks}) "
    "ORDER BY sort_order, created_at, id"
)


class ProjectRepository:
    """Load and store project charters of one workspace."""

    def __init__(self, ws: Workspace) -> None:
        self._ws = ws

    def get(self, project_id: str, include_deleted: bool = False) -> Project:
        """The project ``project_id`` with its current team; :class:`NotFoundError` if absent.

        A deleted project counts as absent unless ``include_deleted``.
        """
        row = records.fetch(self._ws, PROJECT, project_id)
        if row is None or (row["deleted_at"] is not None and not include_deleted):
            raise NotFoundError(
                f"There is no project with id {project_id} (it may have been deleted)."
            )
        return self._with_teams([row])[0]

    def list(self, include_deleted: bool = False) -> builtins.list[Project]:
        """Every project (deleted ones only if ``include_deleted``), by title."""
        where = "" if include_deleted else "WHERE deleted_at IS NULL"
        rows = builtins.list(
            self._ws.db.query(
                f"SELECT * FROM project {where} ORDER BY title COLLATE NOCASE, created_at, id"
            )
        )
        return self._with_teams(rows)

    def add(self, project: Project) -> Project:
        """Store a new project and its team; return it as stored (metadata filled in)."""
        validate_project(project)
        self._ws.ensure_writable()
        with self._ws.atomic():
            records.insert(self._ws, PROJECT, {"id": project.id, **_project_columns(project)})
            for order, member in enumerate(project.team):
                records.insert(self._ws, TEAM_MEMBER, _member_row(member, project.id, order))
        return self.get(project.id)

    def save(self, project: Project) -> Project:
        """Store the changes to an existing project; return it as stored.

        Only changed columns are written. Team members new to the project are added, changed
        ones updated, missing ones deleted (tombstoned); a member id that was deleted earlier
        comes back (so undoing a removal keeps the member's history).
        """
        validate_project(project)
        self._ws.ensure_writable()
        with self._ws.atomic():
            self.get(project.id)  # must exist and be live
            records.update(self._ws, PROJECT, project.id, _project_columns(project))
            self._save_team(project)
        return self.get(project.id)

    def delete(self, project_id: str) -> None:
        """Delete (tombstone) the project and its current team members, all at one moment."""
        self._ws.ensure_writable()
        with self._ws.atomic():
            self.get(project_id)  # must exist and be live
            records.tombstone_with_children(
                self._ws, PROJECT, project_id, _PROJECT_CHILDREN, now=utc_now()
            )

    def restore(self, project_id: str) -> Project:
        """Bring back a deleted project with the members deleted along with it."""
        self._ws.ensure_writable()
        if not records.restore_with_children(self._ws, PROJECT, project_id, _PROJECT_CHILDREN):
            raise NotFoundError(f"There is no project with id {project_id}.")
        return self.get(project_id)

    def last_changed(self, project_id: str) -> str:
        """The latest ``updated_at`` over the project and all its team members (even deleted)."""
        value = self._ws.db.execute(
            "SELECT max(updated_at) FROM (SELECT updated_at FROM project WHERE id = ? "
            "UNION ALL SELECT updated_at FROM team_member WHERE project_id = ?)",
            [project_id, project_id],
        ).fetchone()[0]
        if value is None:
            raise NotFoundError(f"There is no project with id {project_id}.")
        return str(value)

    def last_changed_by_project(self) -> dict[str, str]:
        """Project id -> the latest change to anything of that project, in one query.

        Counts the charter, its team, its measures and their data, and its driver diagram
        (tables added by later migrations are included when they exist).
        """
        tables = set(self._ws.db.table_names())
        parts = [
            "SELECT id AS project_id, updated_at FROM project",
            "SELECT project_id, updated_at FROM team_member",
        ]
        if "measure" in tables:
            parts.append("SELECT project_id, updated_at FROM measure")
            parts.append(
                "SELECT m.project_id, o.updated_at FROM observation o "
                "JOIN measure m ON m.id = o.measure_id"
            )
        for table in (
            "driver_node",
            "driver_link",
            "driver_measure_link",
            "pdsa_cycle",
            "coaching_session",
            "coaching_action",
            "story",
        ):
            if table in tables:
                parts.append(f"SELECT project_id, updated_at FROM {table}")
        sql = (
            "SELECT project_id, max(updated_at) FROM ("
            + " UNION ALL ".join(parts)
            + ") GROUP BY project_id"
        )
        return {str(pid): str(at) for pid, at in self._ws.db.execute(sql).fetchall()}

    def _save_team(self, project: Project) -> None:
        stored = {
            row["id"]: row
            for row in self._ws.db.query(
                "SELECT * FROM team_member WHERE project_id = ?", [project.id]
            )
        }
        kept: set[str] = set()
        for order, member in enumerate(project.team):
            row = _member_row(member, project.id, order)
            kept.add(member.id)
            existing = stored.get(member.id)
            if existing is None:
                records.insert(self._ws, TEAM_MEMBER, row)
                continue
            if existing["deleted_at"] is not None:
                records.restore(self._ws, TEAM_MEMBER, member.id)
            del row["id"], row["project_id"]
            records.update(self._ws, TEAM_MEMBER, member.id, row)
        for member_id, existing in stored.items():
            if member_id not in kept and existing["deleted_at"] is None:
                records.tombstone(self._ws, TEAM_MEMBER, member_id)

    def _with_teams(self, rows: Iterable[Row]) -> builtins.list[Project]:
        rows = builtins.list(rows)
        teams: dict[str, builtins.list[TeamMember]] = {row["id"]: [] for row in rows}
        ids = builtins.list(teams)
        for start in range(0, len(ids), 500):  # stay under SQLite's parameter limit
            chunk = ids[start : start + 500]
            sql = _MEMBERS_SQL.format(marks=", ".join("?" for _ in chunk))
            for member in self._ws.db.query(sql, chunk):
                teams[member["project_id"]].append(_row_to_member(member))
        return [_row_to_project(row, teams[row["id"]]) for row in rows]


def _project_columns(project: Project) -> Row:
    """The ``project`` columns of ``project`` (no id, no metadata)."""
    score = project.score
    return {
        "title": project.title,
        "work_type": project.work_type.value,
        "division": project.division,
        "directorate": project.directorate,
        "ward": project.ward,
        "programme": project.programme,
        "status": project.status.value,
        "phase": project.phase.value,
        "score_value": float(score.value) if score else None,
        "score_set_by": score.set_by if score else "",
        "score_set_on": iso_date(score.set_on) if score else None,
        "score_evidence": score.evidence if score else "",
        "problem": project.problem,
        "aim_what": project.aim.what,
        "aim_for_whom": project.aim.for_whom,
        "aim_from": project.aim.from_value,
        "aim_to": project.aim.to_value,
        "aim_by_when": iso_date(project.aim.by_when),
        "start_date": iso_date(project.start_date),
        "planned_end": iso_date(project.planned_end),
        "actual_end": iso_date(project.actual_end),
        "involvement": project.involvement.value,
        "involvement_note": project.involvement_note,
        "evaluation_levels": json.dumps(sorted(level.value for level in project.evaluation_levels)),
        "spread": project.spread,
        "sustainability": project.sustainability,
        "closure": project.closure,
        "archived": int(project.archived),
    }


def _row_to_project(row: Row, team: Iterable[TeamMember]) -> Project:
    score = None
    if row["score_value"] is not None:
        score = ProgressScore(
            value=float(row["score_value"]),
            set_by=row["score_set_by"],
            set_on=optional_date(row["score_set_on"]),
            evidence=row["score_evidence"],
        )
    return Project(
        id=row["id"],
        title=row["title"],
        work_type=WorkType(row["work_type"]),
        division=row["division"],
        directorate=row["directorate"],
        ward=row["ward"],
        programme=row["programme"],
        status=Status(row["status"]),
        phase=JourneyPhase(row["phase"]),
        score=score,
        problem=row["problem"],
        aim=Aim(
            what=row["aim_what"],
            for_whom=row["aim_for_whom"],
            from_value=row["aim_from"],
            to_value=row["aim_to"],
            by_when=optional_date(row["aim_by_when"]),
        ),
        team=tuple(team),
        start_date=optional_date(row["start_date"]),
        planned_end=optional_date(row["planned_end"]),
        actual_end=optional_date(row["actual_end"]),
        involvement=Involvement(row["involvement"]),
        involvement_note=row["involvement_note"],
        evaluation_levels=frozenset(
            EvaluationLevel(value) for value in json.loads(row["evaluation_levels"])
        ),
        spread=row["spread"],
        sustainability=row["sustainability"],
        closure=row["closure"],
        archived=bool(row["archived"]),
        meta=meta_from_row(row),
    )


def _member_row(member: TeamMember, project_id: str, order: int) -> Row:
    return {
        "id": member.id,
        "project_id": project_id,
        "name": member.name,
        "role": member.role.value,
        "sort_order": order,
    }


def _row_to_member(row: Row) -> TeamMember:
    return TeamMember(
        id=row["id"], name=row["name"], role=TeamRole(row["role"]), meta=meta_from_row(row)
    )
