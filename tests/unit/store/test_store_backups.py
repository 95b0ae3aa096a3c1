"""Rolling backups at open, explicit backups, rotation, and failures that leave nothing behind."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from qidesk.core.errors import StorageFullError, WorkspaceError
from qidesk.core.project import Project
from qidesk.store import backups
from qidesk.store.database import (
    APPLICATION_ID,
    Workspace,
    backup_now,
    list_backups,
    open_workspace,
)
from qidesk.store.projects_repo import ProjectRepository

USER = "alice@Ward 7"


def backup_dir(ws_path: Path) -> Path:
    return ws_path.parent / "workspace-backups"


def count_projects(path: Path) -> int:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return int(conn.execute("SELECT count(*) FROM project").fetchone()[0])
    finally:
        conn.close()


@pytest.fixture
def closed_ws(ws: Workspace, ws_path: Path, full_project: Project) -> Path:
    """A workspace holding one project, closed."""
    ProjectRepository(ws).add(full_project)
    ws.close()
    return ws_path


def test_backup_at_open(closed_ws: Path) -> None:
    with open_workspace(closed_ws, user=USER) as ws:
        assert ws.backup_warning is None
    (made,) = list_backups(closed_ws)
    assert made.parent == backup_dir(closed_ws)
    assert made.name.startswith("workspace-") and made.suffix == ".qidesk"
    assert backups.verify_copy(made) == []
    assert count_projects(made) == 1
    conn = sqlite3.connect(f"file:{made}?mode=ro", uri=True)
    try:
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()
    assert [p.name for p in backup_dir(closed_ws).iterdir()] == [made.name]  # no temp files


def test_no_backup_when_disabled_or_read_only(closed_ws: Path) -> None:
    with open_workspace(closed_ws, user=USER, backup=False):
        pass
    with open_workspace(closed_ws, user=USER, read_only=True):
        pass
    assert list_backups(closed_ws) == []


def test_rotation_keeps_the_newest(closed_ws: Path) -> None:
    made: list[Path] = []
    for _ in range(5):
        with open_workspace(closed_ws, user=USER, keep_backups=3) as ws:
            made.append(list_backups(closed_ws)[0])
            assert ws.backup_warning is None
    kept = list_backups(closed_ws)
    assert kept == made[:-4:-1]  # the three newest, newest first
    assert sorted(p.name for p in backup_dir(closed_ws).iterdir()) == sorted(p.name for p in kept)


def test_keep_backups_must_be_positive(closed_ws: Path) -> None:
    with pytest.raises(ValueError, match="keep_backups"):
        open_workspace(closed_ws, user=USER, keep_backups=0)


def test_backups_in_the_same_millisecond_get_distinct_names(ws: Workspace) -> None:
    first = backup_now(ws)
    second = backup_now(ws)
    third = backup_now(ws)
    assert len({first, second, third}) == 3
    assert list_backups(ws.path)[0] == third
    assert list_backups(ws.path)[-1] == first


def test_backup_now_into_a_folder_is_not_pruned(ws: Workspace, tmp_path: Path) -> None:
    ws.keep_backups = 1
    target = tmp_path / "usb" / "my backups"
    copies = [backup_now(ws, folder=target) for _ in range(3)]
    assert all(c.parent == target and c.exists() for c in copies)
    assert len(list(target.iterdir())) == 3
    assert list_backups(ws.path) == []  # the rolling folder is untouched


def test_backup_now_of_a_read_only_workspace(closed_ws: Path, tmp_path: Path) -> None:
    with open_workspace(closed_ws, user=USER, read_only=True) as ws:
        made = backup_now(ws, folder=tmp_path / "out")
        assert ws.db.execute("PRAGMA query_only").fetchone()[0] == 1
    assert backups.verify_copy(made) == []


def test_backup_refuses_to_run_inside_a_transaction(ws: Workspace) -> None:
    with ws.atomic(), pytest.raises(RuntimeError, match="inside a transaction"):
        backup_now(ws)


@pytest.mark.parametrize("step", ["verify", "fsync", "rename", "vacuum"])
def test_a_failed_step_leaves_nothing_under_a_final_name(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch, step: str, full_project: Project
) -> None:
    ProjectRepository(ws).add(full_project)
    if step == "verify":
        monkeypatch.setattr(backups, "verify_copy", lambda path: ["page 3 is damaged"])
    elif step == "fsync":

        def no_fsync(path: Path) -> None:
            raise OSError(5, "Input/output error")

        monkeypatch.setattr(backups, "_fsync_file", no_fsync)
    elif step == "rename":

        def no_rename(src: object, dst: object) -> None:
            raise PermissionError(13, "Permission denied")

        monkeypatch.setattr(os, "rename", no_rename)
    else:
        real = backups._vacuum_into

        def partial_vacuum(conn: sqlite3.Connection, target: Path) -> None:
            real(conn, target)
            raise sqlite3.OperationalError("disk I/O error")

        monkeypatch.setattr(backups, "_vacuum_into", partial_vacuum)
    with pytest.raises(WorkspaceError, match=r"No backup of .* was saved") as caught:
        backup_now(ws)
    assert "unchanged" in caught.value.message
    folder = backup_dir(ws.path)
    assert list(folder.iterdir()) == []
    assert ProjectRepository(ws).list()  # the workspace is fine


def test_disk_full_during_backup_is_storage_full(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(conn: sqlite3.Connection, target: Path) -> None:
        target.write_bytes(b"partial")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(backups, "_vacuum_into", full)
    with pytest.raises(StorageFullError, match="No backup"):
        backup_now(ws)
    assert list(backup_dir(ws.path).iterdir()) == []


def test_failed_backup_at_open_still_opens_with_a_warning(
    closed_ws: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with open_workspace(closed_ws, user=USER, keep_backups=1):
        pass
    (good,) = list_backups(closed_ws)
    monkeypatch.setattr(backups, "verify_copy", lambda path: ["broken"])
    with open_workspace(closed_ws, user=USER, keep_backups=1) as ws:
        assert ws.backup_warning is not None
        assert "No backup" in ws.backup_warning
        assert ProjectRepository(ws).list()
    assert list_backups(closed_ws) == [good]  # the older good backup was not pruned


def test_leftover_temporary_files_are_removed_on_the_next_backup(closed_ws: Path) -> None:
    folder = backup_dir(closed_ws)
    folder.mkdir()
    leftover = folder / "workspace-20240101-000000-000.qidesk.tmp"
    leftover.write_bytes(b"half a backup")
    unrelated = folder / "notes.txt"
    unrelated.write_text("mine", encoding="utf-8")
    with open_workspace(closed_ws, user=USER):
        pass
    assert not leftover.exists()
    assert unrelated.exists()
    assert len(list_backups(closed_ws)) == 1


def test_list_backups_of_a_workspace_without_any(tmp_path: Path) -> None:
    assert list_backups(tmp_path / "nothing.qidesk") == []
