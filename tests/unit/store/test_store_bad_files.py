"""Files that are not good workspaces: each gives the right error and stays byte-for-byte."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from qidesk.core.errors import (
    CorruptWorkspaceError,
    NotAWorkspaceError,
    QideskError,
    WorkspaceError,
)
from qidesk.core.project import Project
from qidesk.store.database import Workspace, open_workspace
from qidesk.store.lock import lock_path_for
from qidesk.store.projects_repo import ProjectRepository

USER = "alice@Ward 7"
Snapshot = Callable[[Path], tuple[str, int, int]]
PAGE = 4096


@pytest.fixture
def real_ws(ws: Workspace, ws_path: Path, make_project: Callable[..., Project]) -> Path:
    """A closed workspace spread over many pages."""
    repo = ProjectRepository(ws)
    with ws.atomic():
        for i in range(60):
            repo.add(make_project(f"Project {i:03d} " + "x" * 150))
    ws.close()
    assert ws_path.stat().st_size > 20 * PAGE
    return ws_path


def refuse(
    path: Path, error: type[QideskError], match: str, snapshot: Snapshot, **kwargs: object
) -> str:
    before = snapshot(path)
    siblings = sorted(p.name for p in path.parent.iterdir())
    with pytest.raises(error, match=match) as caught:
        open_workspace(path, user=USER, **kwargs)  # type: ignore[arg-type]
    assert type(caught.value) is error
    assert snapshot(path) == before
    assert str(path) in caught.value.message
    assert not lock_path_for(path).exists()
    assert not path.with_name(f"{path.stem}-backups").exists()
    assert path.exists()  # never deleted or renamed
    new = {p.name for p in path.parent.iterdir()} - set(siblings)
    assert new <= {f"{path.name}-wal", f"{path.name}-shm"}  # SQLite's own reader files at most
    return caught.value.message


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(WorkspaceError, match="There is no workspace file at"):
        open_workspace(tmp_path / "nope.qidesk", user=USER)
    assert list(tmp_path.iterdir()) == []


def test_a_folder(tmp_path: Path) -> None:
    with pytest.raises(WorkspaceError, match="is a folder"):
        open_workspace(tmp_path, user=USER)


def test_zero_byte_file(tmp_path: Path, snapshot: Snapshot) -> None:
    path = tmp_path / "empty.qidesk"
    path.touch()
    refuse(path, NotAWorkspaceError, "is empty, so it is not a qidesk workspace", snapshot)


def test_text_file_renamed(tmp_path: Path, snapshot: Snapshot) -> None:
    path = tmp_path / "notes.qidesk"
    path.write_text("Ward 7 falls meeting notes\n" * 50, encoding="utf-8")
    refuse(path, NotAWorkspaceError, "is not a qidesk workspace", snapshot)


def test_workbook_renamed(tmp_path: Path, snapshot: Snapshot) -> None:
    path = tmp_path / "export.qidesk"
    path.write_bytes(b"PK\x03\x04" + bytes(range(256)) * 10)
    refuse(path, NotAWorkspaceError, "not a database file", snapshot)


def test_short_file_with_the_sqlite_magic(tmp_path: Path, snapshot: Snapshot) -> None:
    path = tmp_path / "short.qidesk"
    path.write_bytes(b"SQLite format 3\x00\x10\x00")
    refuse(path, NotAWorkspaceError, "is not a qidesk workspace", snapshot)


def test_sqlite_file_of_another_program(tmp_path: Path, snapshot: Snapshot) -> None:
    path = tmp_path / "other.qidesk"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE contacts (name TEXT)")
    conn.execute("INSERT INTO contacts VALUES ('x')")
    conn.commit()
    conn.close()
    refuse(path, NotAWorkspaceError, "database of another program", snapshot)
    refuse(path, NotAWorkspaceError, "database of another program", snapshot, read_only=True)


def test_sqlite_file_with_another_application_id(tmp_path: Path, snapshot: Snapshot) -> None:
    path = tmp_path / "other.qidesk"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA application_id = 1234")
    conn.execute("PRAGMA user_version = 1")
    conn.execute("CREATE TABLE project (id TEXT)")
    conn.commit()
    conn.close()
    refuse(path, NotAWorkspaceError, "is not a qidesk workspace", snapshot)


def test_hostile_schema_is_never_run(tmp_path: Path, snapshot: Snapshot) -> None:
    """A foreign file with a trigger and a view: refused before any of it is touched."""
    path = tmp_path / "hostile.qidesk"
    conn = sqlite3.connect(path)
    conn.executescript(
        """
        CREATE TABLE t (x);
        CREATE VIEW v AS SELECT load_extension('evil') AS y;
        CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT load_extension('evil'); END;
        """
    )
    conn.close()
    refuse(path, NotAWorkspaceError, "another program", snapshot)


def test_overwritten_pages_are_corrupt(real_ws: Path, snapshot: Snapshot) -> None:
    conn = sqlite3.connect(f"file:{real_ws}?mode=ro", uri=True)
    root = conn.execute("SELECT rootpage FROM sqlite_schema WHERE name = 'project'").fetchone()[0]
    conn.close()
    data = bytearray(real_ws.read_bytes())
    middle = len(data) // 2 // PAGE * PAGE
    for start in ((root - 1) * PAGE, middle):
        data[start : start + 512] = b"\xa5" * 512
    real_ws.write_bytes(bytes(data))
    message = refuse(real_ws, CorruptWorkspaceError, "is damaged", snapshot)
    assert "restore" in message
    refuse(real_ws, CorruptWorkspaceError, "is damaged", snapshot, read_only=True)


def test_truncated_file_is_corrupt(real_ws: Path, snapshot: Snapshot) -> None:
    data = real_ws.read_bytes()
    real_ws.write_bytes(data[: len(data) // 2])
    refuse(real_ws, CorruptWorkspaceError, "is damaged", snapshot)


def test_damaged_header_is_refused(real_ws: Path, snapshot: Snapshot) -> None:
    data = bytearray(real_ws.read_bytes())
    data[16:100] = b"\xff" * 84  # page size, counts, application_id … all garbage
    real_ws.write_bytes(bytes(data))
    before = snapshot(real_ws)
    with pytest.raises((CorruptWorkspaceError, NotAWorkspaceError)):
        open_workspace(real_ws, user=USER)
    assert snapshot(real_ws) == before
    assert not lock_path_for(real_ws).exists()


def test_functions_planted_in_a_workspace_schema_do_not_run(ws: Workspace, ws_path: Path) -> None:
    """trusted_schema=OFF: a trigger smuggled into a workspace cannot call unsafe functions."""
    ws.close()
    raw = sqlite3.connect(ws_path)
    raw.execute(
        "CREATE TRIGGER planted AFTER INSERT ON project BEGIN "
        "INSERT INTO settings (key, value) VALUES ('planted', json_valid('{}')); END"
    )
    raw.commit()
    raw.close()
    with open_workspace(ws_path, user=USER, backup=False) as again:
        with pytest.raises(sqlite3.OperationalError, match="unsafe use of json_valid"):
            ProjectRepository(again).add(Project(title="x"))
        assert again.db.execute("SELECT count(*) FROM settings").fetchone()[0] == 0
        assert again.db.execute("SELECT count(*) FROM project").fetchone()[0] == 0
