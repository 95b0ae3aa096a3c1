"""Creating, opening and closing workspaces; pragmas; transactions; checks and counts."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from qidesk.core.errors import WorkspaceError
from qidesk.core.project import Project
from qidesk.store import records
from qidesk.store.database import (
    APPLICATION_ID,
    SCHEMA_VERSION,
    Workspace,
    check_workspace,
    create_workspace,
    default_workspace_path,
    open_workspace,
    workspace_counts,
)
from qidesk.store.projects_repo import ProjectRepository

USER = "alice@Ward 7"


def _core_counts(counts: dict[str, int]) -> dict[str, int]:
    """The counts of the tables of migration 1 (later migrations add more tables)."""
    return {k: v for k, v in counts.items() if k in ("project", "team_member", "audit_log")}


def pragma(ws: Workspace, name: str) -> object:
    return ws.db.execute(f"PRAGMA {name}").fetchone()[0]


def test_sqlite_is_recent_enough() -> None:
    assert sqlite3.sqlite_version_info >= (3, 38, 0), sqlite3.sqlite_version


def test_default_workspace_path(tmp_path: Path) -> None:
    assert default_workspace_path(tmp_path) == tmp_path / "workspace.qidesk"


def test_application_id_is_a_fixed_32_bit_value() -> None:
    assert APPLICATION_ID == 0x5144534B
    assert 0 < APPLICATION_ID < 2**31


def test_create_makes_parent_folders_and_site_row(ws: Workspace, ws_path: Path) -> None:
    assert ws.path == ws_path
    assert ws_path.is_file()
    assert ws.user == USER
    assert ws.read_only is False
    assert ws.schema_version == SCHEMA_VERSION
    (site,) = list(ws.db.query("SELECT * FROM site"))
    assert (site["name"], site["division"], site["organisation"]) == (
        "Ward 7",
        "Medicine",
        "NHS Trust",
    )
    assert len(site["id"]) == 36
    assert site["created_at"].endswith("Z")


def test_create_refuses_an_existing_file(tmp_path: Path) -> None:
    path = tmp_path / "notes.qidesk"
    path.write_text("precious", encoding="utf-8")
    with pytest.raises(WorkspaceError, match="already exists"):
        create_workspace(path, user=USER)
    assert path.read_text(encoding="utf-8") == "precious"
    assert not (tmp_path / "notes.qidesk.lock").exists()


def test_create_refuses_an_existing_folder(tmp_path: Path) -> None:
    with pytest.raises(WorkspaceError, match="already exists"):
        create_workspace(tmp_path, user=USER)


def test_create_accepts_an_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.qidesk"
    path.touch()
    with create_workspace(path, user=USER) as ws:
        assert ws.schema_version == SCHEMA_VERSION


def test_create_failure_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "new.qidesk"

    def boom(db: object) -> int:
        raise RuntimeError("migration bug")

    monkeypatch.setattr("qidesk.store.migrations.migrate", boom)
    with pytest.raises(RuntimeError, match="migration bug"):
        create_workspace(path, user=USER)
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_pragmas_on_every_connection(ws: Workspace, ws_path: Path) -> None:
    def check(w: Workspace, *, wal: bool) -> None:
        assert pragma(w, "foreign_keys") == 1
        assert pragma(w, "busy_timeout") == 5000
        assert pragma(w, "trusted_schema") == 0
        assert pragma(w, "cell_size_check") == 1
        assert pragma(w, "secure_delete") == 1
        assert pragma(w, "mmap_size") == 0
        assert pragma(w, "synchronous") == 2  # FULL
        assert pragma(w, "application_id") == APPLICATION_ID
        assert pragma(w, "user_version") == SCHEMA_VERSION
        if wal:
            assert pragma(w, "journal_mode") == "wal"

    check(ws, wal=True)
    ws.close()
    with open_workspace(ws_path, user=USER, backup=False) as again:
        check(again, wal=True)
    with open_workspace(ws_path, user=USER, read_only=True) as reader:
        check(reader, wal=False)
        assert pragma(reader, "query_only") == 1


def test_round_trip_survives_close_and_reopen(
    ws: Workspace, ws_path: Path, full_project: Project
) -> None:
    stored = ProjectRepository(ws).add(full_project)
    ws.close()
    with open_workspace(ws_path, user="bob@Ward 7", backup=False) as again:
        assert again.user == "bob@Ward 7"
        assert ProjectRepository(again).get(full_project.id) == stored


def test_close_is_idempotent_and_context_manager_closes(ws_path: Path) -> None:
    with create_workspace(ws_path, user=USER) as ws:
        pass
    assert ws.closed
    ws.close()
    with pytest.raises(sqlite3.ProgrammingError):
        ws.db.execute("SELECT 1")
    with pytest.raises(RuntimeError, match="closed"), ws.atomic():
        pass


def test_close_checkpoints_the_wal(ws: Workspace, ws_path: Path, full_project: Project) -> None:
    ProjectRepository(ws).add(full_project)
    ws.close()
    wal = Path(f"{ws_path}-wal")
    assert not wal.exists() or wal.stat().st_size == 0
    with sqlite3.connect(f"file:{ws_path}?mode=ro", uri=True) as raw:
        assert raw.execute("SELECT count(*) FROM project").fetchone()[0] == 1
    raw.close()


def test_atomic_rolls_back_everything_on_error(ws: Workspace) -> None:
    repo = ProjectRepository(ws)
    before = workspace_counts(ws)

    def add_two_then_fail() -> None:
        with ws.atomic():
            repo.add(Project(title="one"))
            repo.add(Project(title="two"))
            raise KeyError("bug in the middle")

    with pytest.raises(KeyError):
        add_two_then_fail()
    assert workspace_counts(ws) == before
    assert repo.list() == []


def test_nested_atomic_is_a_savepoint(ws: Workspace) -> None:
    repo = ProjectRepository(ws)

    def add_then_fail() -> None:
        with ws.atomic():
            repo.add(Project(title="undone"))
            raise ValueError("inner")

    with ws.atomic():
        repo.add(Project(title="kept"))
        with pytest.raises(ValueError, match="inner"):
            add_then_fail()
    assert [p.title for p in repo.list()] == ["kept"]


def test_counts_are_live_rows_per_record_table(ws: Workspace, full_project: Project) -> None:
    assert _core_counts(workspace_counts(ws)) == {"project": 0, "team_member": 0, "audit_log": 0}
    repo = ProjectRepository(ws)
    repo.add(full_project)
    repo.add(Project(title="Second"))
    assert _core_counts(workspace_counts(ws)) == {"project": 2, "team_member": 3, "audit_log": 5}
    repo.delete(full_project.id)
    assert _core_counts(workspace_counts(ws)) == {"project": 1, "team_member": 0, "audit_log": 9}


def test_check_workspace_clean(ws: Workspace, full_project: Project) -> None:
    ProjectRepository(ws).add(full_project)
    assert check_workspace(ws) == []


def test_check_workspace_reports_a_broken_reference(ws: Workspace) -> None:
    ws.db.execute("PRAGMA foreign_keys = OFF")
    with ws.atomic():
        records.insert(ws, "team_member", {"project_id": "missing", "name": "X", "role": "lead"})
    ws.db.execute("PRAGMA foreign_keys = ON")
    problems = check_workspace(ws)
    assert len(problems) == 1
    assert "team_member" in problems[0]
    assert "missing project" in problems[0]


def test_foreign_keys_are_enforced(ws: Workspace) -> None:
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        records.insert(ws, "team_member", {"project_id": "nope", "name": "X", "role": "lead"})
    assert workspace_counts(ws)["team_member"] == 0
