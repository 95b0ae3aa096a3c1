"""ProjectRepository: full charters round-trip; team diff; delete, restore and audit."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest

from qidesk.core.errors import NotFoundError, ValidationError
from qidesk.core.project import (
    Aim,
    ProgressScore,
    Project,
    Status,
    TeamMember,
    TeamRole,
)
from qidesk.core.records import RecordMeta
from qidesk.store.database import Workspace, open_workspace, workspace_counts
from qidesk.store.projects_repo import ProjectRepository


def _core_counts(counts: dict[str, int]) -> dict[str, int]:
    """The counts of the tables of migration 1 (later migrations add more tables)."""
    return {k: v for k, v in counts.items() if k in ("project", "team_member", "audit_log")}


def without_meta(project: Project) -> Project:
    team = tuple(dataclasses.replace(m, meta=RecordMeta()) for m in project.team)
    return dataclasses.replace(project, meta=RecordMeta(), team=team)


def audit(ws: Workspace, table: str | None = None) -> list[dict[str, Any]]:
    sql = "SELECT * FROM audit_log" + (" WHERE table_name = ?" if table else "") + " ORDER BY id"
    return list(ws.db.query(sql, [table] if table else []))


def test_full_charter_round_trip(ws: Workspace, ws_path: Path, full_project: Project) -> None:
    repo = ProjectRepository(ws)
    stored = repo.add(full_project)
    assert without_meta(stored) == without_meta(full_project)
    assert stored.meta.revision == 1
    assert stored.meta.created_by == ws.user
    assert all(m.meta.revision == 1 for m in stored.team)
    assert [m.name for m in stored.team] == ["Dr Sponsor", "Nurse Lead", "Pat Partner"]
    ws.close()
    with open_workspace(ws_path, user="bob", backup=False) as again:
        loaded = ProjectRepository(again).get(full_project.id)
    assert loaded == stored
    assert loaded.score == full_project.score
    assert loaded.aim == full_project.aim
    assert loaded.evaluation_levels == full_project.evaluation_levels


def test_minimal_charter_round_trip(ws: Workspace) -> None:
    project = Project(title="Just a title")
    stored = ProjectRepository(ws).add(project)
    assert without_meta(stored) == project
    assert stored.score is None
    assert stored.aim == Aim()


def test_enums_and_dates_are_stored_as_text(ws: Workspace, full_project: Project) -> None:
    ProjectRepository(ws).add(full_project)
    (row,) = ws.db.query("SELECT * FROM project")
    assert row["work_type"] == "strategic"
    assert row["start_date"] == "2025-01-06"
    assert row["aim_by_when"] == "2025-12-31"
    assert row["score_value"] == 2.5
    assert row["score_set_on"] == "2025-02-01"
    assert json.loads(row["evaluation_levels"]) == ["individual_team", "organisation"]
    assert row["archived"] == 1


def test_add_validates_before_writing(ws: Workspace) -> None:
    repo = ProjectRepository(ws)
    bad = Project(title=" ", score=ProgressScore(7.0), team=(TeamMember(""),))
    with pytest.raises(ValidationError) as caught:
        repo.add(bad)
    assert set(caught.value.problems) == {"title", "score", "team[0]"}
    assert _core_counts(workspace_counts(ws)) == {"project": 0, "team_member": 0, "audit_log": 0}


def test_save_validates_before_writing(ws: Workspace, full_project: Project) -> None:
    repo = ProjectRepository(ws)
    stored = repo.add(full_project)
    with pytest.raises(ValidationError, match="title"):
        repo.save(stored.with_changes(title=""))
    assert repo.get(stored.id) == stored


def test_get_missing_and_deleted(ws: Workspace, full_project: Project) -> None:
    repo = ProjectRepository(ws)
    with pytest.raises(NotFoundError):
        repo.get("nope")
    repo.add(full_project)
    repo.delete(full_project.id)
    with pytest.raises(NotFoundError):
        repo.get(full_project.id)
    assert repo.get(full_project.id, include_deleted=True).meta.deleted


def test_save_writes_changed_columns_and_bumps_revision(
    ws: Workspace, full_project: Project
) -> None:
    repo = ProjectRepository(ws)
    stored = repo.add(full_project)
    saved = repo.save(stored.with_changes(status=Status.COMPLETED, score=None))
    assert saved.status is Status.COMPLETED
    assert saved.score is None
    assert saved.meta.revision == 2
    assert saved.team == stored.team  # untouched members keep their revision
    update = audit(ws, "project")[-1]
    assert update["action"] == "update"
    before, after = json.loads(update["before"]), json.loads(update["after"])
    changed = {k for k in after if before[k] != after[k]} - {"updated_at"}
    assert changed == {
        "status",
        "score_value",
        "score_set_by",
        "score_set_on",
        "score_evidence",
        "revision",
    }


def test_save_without_changes_writes_nothing(ws: Workspace, full_project: Project) -> None:
    repo = ProjectRepository(ws)
    stored = repo.add(full_project)
    count = len(audit(ws))
    assert repo.save(stored) == stored
    assert len(audit(ws)) == count


def test_save_diffs_the_team(ws: Workspace, full_project: Project) -> None:
    repo = ProjectRepository(ws)
    stored = repo.add(full_project)
    sponsor, lead, partner = stored.team
    newcomer = TeamMember("New Coach", TeamRole.QI_COACH)
    renamed = dataclasses.replace(lead, name="Nurse Lead (Band 7)")
    saved = repo.save(stored.with_changes(team=(newcomer, renamed, sponsor)))

    assert [m.name for m in saved.team] == ["New Coach", "Nurse Lead (Band 7)", "Dr Sponsor"]
    by_id = {m.id: m for m in saved.team}
    assert by_id[newcomer.id].meta.revision == 1
    assert by_id[lead.id].meta.revision == 2  # renamed and moved
    assert by_id[sponsor.id].meta.revision == 2  # moved (sort order)
    assert partner.id not in by_id
    removed = ws.db.execute(
        "SELECT deleted_at FROM team_member WHERE id = ?", [partner.id]
    ).fetchone()[0]
    assert removed is not None  # tombstoned, not deleted
    actions = sorted((a["record_id"], a["action"]) for a in audit(ws, "team_member")[3:])
    assert actions == sorted(
        [
            (newcomer.id, "insert"),
            (lead.id, "update"),
            (sponsor.id, "update"),
            (partner.id, "delete"),
        ]
    )


def test_a_removed_member_can_come_back(ws: Workspace, full_project: Project) -> None:
    repo = ProjectRepository(ws)
    stored = repo.add(full_project)
    without = repo.save(stored.with_changes(team=stored.team[:2]))
    back = repo.save(without.with_changes(team=stored.team))
    assert [m.id for m in back.team] == [m.id for m in stored.team]
    assert back.team[2].meta.revision == 3  # deleted, then restored
    assert audit(ws, "team_member")[-1]["action"] == "restore"


def test_delete_tombstones_project_and_members_and_restore_brings_them_back(
    ws: Workspace, full_project: Project
) -> None:
    repo = ProjectRepository(ws)
    stored = repo.add(full_project)
    earlier_removed = stored.team[2]
    stored = repo.save(stored.with_changes(team=stored.team[:2]))
    repo.delete(stored.id)

    assert repo.list() == []
    assert [p.id for p in repo.list(include_deleted=True)] == [stored.id]
    rows = list(ws.db.query("SELECT id, deleted_at FROM team_member"))
    assert len(rows) == 3
    assert all(r["deleted_at"] for r in rows)  # still in the table, tombstoned
    (project_row,) = ws.db.query("SELECT deleted_at FROM project")
    live_deleted = {r["deleted_at"] for r in rows if r["id"] != earlier_removed.id}
    assert live_deleted == {project_row["deleted_at"]}  # one moment for the whole deletion

    restored = repo.restore(stored.id)
    assert not restored.meta.deleted
    assert [m.id for m in restored.team] == [m.id for m in stored.team]
    assert earlier_removed.id not in {m.id for m in restored.team}
    assert restored.meta.revision == stored.meta.revision + 2
    assert [p.id for p in repo.list()] == [stored.id]
    assert repo.restore(stored.id) == restored  # restoring a live project changes nothing


def test_restore_tells_apart_members_removed_in_the_same_millisecond(
    ws: Workspace, full_project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    frozen = "2025-03-01T09:30:00.000Z"
    monkeypatch.setattr("qidesk.store.records.utc_now", lambda: frozen)
    monkeypatch.setattr("qidesk.store.projects_repo.utc_now", lambda: frozen)
    repo = ProjectRepository(ws)
    stored = repo.add(full_project)
    stored = repo.save(stored.with_changes(team=stored.team[:2]))  # removed at `frozen`
    repo.delete(stored.id)  # at the same clock reading
    assert repo.get(stored.id, include_deleted=True).meta.deleted_at == "2025-03-01T09:30:00.001Z"
    restored = repo.restore(stored.id)
    assert [m.id for m in restored.team] == [m.id for m in stored.team]


def test_delete_and_restore_missing(ws: Workspace) -> None:
    repo = ProjectRepository(ws)
    with pytest.raises(NotFoundError):
        repo.delete("nope")
    with pytest.raises(NotFoundError):
        repo.restore("nope")
    with pytest.raises(NotFoundError):
        repo.last_changed("nope")


def test_list_orders_by_title_and_loads_teams(ws: Workspace, full_project: Project) -> None:
    repo = ProjectRepository(ws)
    repo.add(Project(title="zebra crossing"))
    repo.add(full_project)
    repo.add(Project(title="Antibiotic timing", team=(TeamMember("Ann"),)))
    listed = repo.list()
    assert [p.title for p in listed] == ["Antibiotic timing", full_project.title, "zebra crossing"]
    assert [len(p.team) for p in listed] == [1, 3, 0]


def test_last_changed_covers_members(ws: Workspace, full_project: Project) -> None:
    repo = ProjectRepository(ws)
    stored = repo.add(full_project)
    stamps = [stored.meta.updated_at, *(m.meta.updated_at for m in stored.team)]
    assert repo.last_changed(stored.id) == max(stamps)
    member = stored.team[0]
    saved = repo.save(
        stored.with_changes(team=(dataclasses.replace(member, name="Renamed"), *stored.team[1:]))
    )
    assert saved.meta.updated_at == stored.meta.updated_at  # project row unchanged
    assert repo.last_changed(stored.id) == saved.team[0].meta.updated_at
    assert repo.last_changed(stored.id) >= stored.meta.updated_at
