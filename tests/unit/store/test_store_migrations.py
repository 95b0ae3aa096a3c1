"""Migrations: fresh files reach the current version, failures roll back, newer files refused."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlite_utils import Database

from qidesk.core.errors import NewerSchemaError
from qidesk.core.project import (
    Involvement,
    JourneyPhase,
    Project,
    Status,
    TeamMember,
    TeamRole,
    WorkType,
)
from qidesk.store import migrations
from qidesk.store.database import SCHEMA_VERSION, Workspace, open_workspace
from qidesk.store.projects_repo import ProjectRepository

USER = "alice@Ward 7"
Snapshot = Callable[[Path], tuple[str, int, int]]


def raw_db(path: Path) -> Database:
    return Database(sqlite3.connect(path), execute_plugins=False)


def test_schema_version_is_the_number_of_migrations() -> None:
    assert SCHEMA_VERSION == len(migrations.MIGRATIONS) >= 1


def test_fresh_workspace_has_every_table(ws: Workspace) -> None:
    assert ws.schema_version == SCHEMA_VERSION
    assert migrations.user_version(ws.db) == SCHEMA_VERSION
    assert migrations.pending(ws.db) == 0
    tables = set(ws.db.table_names())
    assert {"site", "project", "team_member", "audit_log", "settings"} <= tables
    strict = {
        row[0]
        for row in ws.db.execute("SELECT name FROM pragma_table_list WHERE strict = 1").fetchall()
    }
    assert {"site", "project", "team_member", "audit_log", "settings"} <= strict


def test_record_tables_have_the_sync_columns(ws: Workspace) -> None:
    for table in ("project", "team_member"):
        columns = ws.db[table].columns_dict
        for name in ("id", "created_at", "created_by", "updated_at", "updated_by", "deleted_at"):
            assert columns[name] is str, (table, name)
        assert columns["revision"] is int
        assert ws.db.table(table).pks == ["id"]


def test_project_table_has_every_charter_column(ws: Workspace) -> None:
    expected = {
        "title", "work_type", "division", "directorate", "ward", "programme", "status",
        "phase", "score_value", "score_set_by", "score_set_on", "score_evidence", "problem",
        "aim_what", "aim_for_whom", "aim_from", "aim_to", "aim_by_when", "start_date",
        "planned_end", "actual_end", "involvement", "involvement_note", "evaluation_levels",
        "spread", "sustainability", "closure", "archived",
    }  # fmt: skip
    assert expected <= set(ws.db["project"].columns_dict)


def test_check_constraints_refuse_bad_values(ws: Workspace) -> None:
    base = (
        "INSERT INTO project (id, title, work_type, status, phase, involvement, created_at,"
        " created_by, updated_at, updated_by{extra}) VALUES ('p', 'T', {wt}, 'active',"
        " 'testing', 'none', 'a', 'b', 'c', 'd'{value})"
    )
    bad = [
        ("", "'nonsense'", ""),
        (", score_value", "'strategic'", ", 7.0"),
        (", start_date", "'strategic'", ", '2025-02-30'"),
        (", archived", "'strategic'", ", 2"),
        (", revision", "'strategic'", ", 0"),
        (", score_set_by", "'strategic'", ", 'someone without a score'"),
    ]
    for extra, wt, value in bad:
        with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
            ws.db.execute(base.format(extra=extra, wt=wt, value=value))
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
        ws.db.execute(
            "INSERT INTO audit_log (at, user, table_name, record_id, action)"
            " VALUES ('a', 'u', 't', 'r', 'purge')"
        )


def test_every_enum_value_is_accepted_by_the_schema(ws: Workspace) -> None:
    """The CHECK lists of migration 1 match today's enums (a new value needs a migration)."""
    repo = ProjectRepository(ws)
    for work_type, status, phase, involvement, role in zip(
        list(WorkType) * 2, list(Status) * 2, list(JourneyPhase) * 2, list(Involvement) * 2,
        list(TeamRole), strict=False,
    ):  # fmt: skip
        repo.add(
            Project(
                title=f"{work_type} {status}",
                work_type=work_type,
                status=status,
                phase=phase,
                involvement=involvement,
                team=(TeamMember("Someone", role),),
            )
        )
    stored = repo.list()
    assert {p.work_type for p in stored} == set(WorkType)
    assert {p.status for p in stored} == set(Status)
    assert {p.phase for p in stored} == set(JourneyPhase)
    assert {p.involvement for p in stored} == set(Involvement)
    assert {m.role for p in stored for m in p.team} == set(TeamRole)


def test_migrate_brings_an_empty_database_to_the_current_version(tmp_path: Path) -> None:
    db = raw_db(tmp_path / "plain.db")
    try:
        assert migrations.pending(db) == SCHEMA_VERSION
        assert migrations.migrate(db) == SCHEMA_VERSION
        assert db.execute("PRAGMA application_id").fetchone()[0] == migrations.APPLICATION_ID
        assert migrations.migrate(db) == SCHEMA_VERSION  # nothing left to do
    finally:
        db.close()


def test_a_failing_migration_rolls_back_completely(tmp_path: Path) -> None:
    def m002_half_done(db: Database) -> None:
        db.execute("CREATE TABLE future_thing (id TEXT PRIMARY KEY) STRICT")
        db.execute("INSERT INTO settings (key, value) VALUES ('half', 'done')")
        raise RuntimeError("migration 2 failed half way")

    db = raw_db(tmp_path / "w.db")
    try:
        migrations.migrate(db)
        with pytest.raises(RuntimeError, match="half way"):
            migrations.migrate(db, [*migrations.MIGRATIONS, m002_half_done])
        assert migrations.user_version(db) == SCHEMA_VERSION
        assert "future_thing" not in db.table_names()
        assert db.execute("SELECT count(*) FROM settings").fetchone()[0] == 0
        assert not db.conn.in_transaction
    finally:
        db.close()


def test_an_appended_migration_runs_once_on_open(tmp_path: Path, ws: Workspace) -> None:
    calls: list[int] = []

    def m_future(db: Database) -> None:
        calls.append(1)
        db.execute(f"CREATE TABLE future_thing (id TEXT PRIMARY KEY NOT NULL, name TEXT NOT NULL,"
                   f"{migrations.RECORD_META_V1}) STRICT")  # fmt: skip

    db = ws.db
    assert migrations.migrate(db, [*migrations.MIGRATIONS, m_future]) == SCHEMA_VERSION + 1
    assert migrations.migrate(db, [*migrations.MIGRATIONS, m_future]) == SCHEMA_VERSION + 1
    assert calls == [1]
    from qidesk.store.database import workspace_counts

    assert workspace_counts(ws)["future_thing"] == 0  # found as a record table by its columns


def test_newer_schema_is_refused_and_the_file_is_unchanged(
    ws: Workspace, ws_path: Path, snapshot: Snapshot
) -> None:
    ws.close()
    raw = sqlite3.connect(ws_path)
    raw.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    raw.close()
    before = snapshot(ws_path)
    for read_only in (False, True):
        with pytest.raises(NewerSchemaError, match="newer version of qidesk; nothing was changed"):
            open_workspace(ws_path, user=USER, read_only=read_only)
    assert snapshot(ws_path) == before
    assert not Path(f"{ws_path}.lock").exists()
    assert not (ws_path.parent / "workspace-backups").exists()
    with pytest.raises(NewerSchemaError) as caught:
        open_workspace(ws_path, user=USER)
    assert str(ws_path) in caught.value.message
