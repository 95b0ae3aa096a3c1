"""Bad input at the store: odd paths, replacing a workspace, checking and inspecting bad files."""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from qidesk.core.errors import (
    NotAWorkspaceError,
    ReadOnlyWorkspaceError,
    StorageFullError,
    WorkspaceError,
    WorkspaceLockedError,
)
from qidesk.core.project import Project
from qidesk.services import demo
from qidesk.services.workspace import WorkspaceService
from qidesk.store import backups
from qidesk.store.database import (
    SCHEMA_VERSION,
    Workspace,
    backup_now,
    check_file,
    create_workspace,
    discard_workspace,
    inspect_file,
    open_workspace,
)
from qidesk.store.lock import lock_path_for
from qidesk.store.projects_repo import ProjectRepository

USER = "alice@Ward 7"
PAGE = 4096
Snapshot = Callable[[Path], tuple[str, int, int]]
StartChild = Callable[..., subprocess.Popen[str]]

HOLD = """
    import sys
    from qidesk.store.database import open_workspace
    ws = open_workspace(sys.argv[1], user="bob@Ward 9", backup=False)
    print("HELD", flush=True)
    sys.stdin.readline()
"""


@pytest.fixture
def closed_ws(ws: Workspace, ws_path: Path, make_project: Callable[..., Project]) -> Path:
    """A closed workspace with 40 projects (many pages)."""
    repo = ProjectRepository(ws)
    with ws.atomic():
        for i in range(40):
            repo.add(make_project(f"Project {i:03d} " + "x" * 150))
    ws.close()
    return ws_path


def _set_user_version(path: Path, version: int) -> None:
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {version}")
    conn.commit()
    conn.close()


# -- paths that are not ordinary files ----------------------------------------------------------


def test_a_name_too_long_is_a_workspace_error(tmp_path: Path) -> None:
    path = tmp_path / ("n" * 300 + ".qidesk")
    with pytest.raises(WorkspaceError, match=r"cannot be read \(File name too long\)"):
        open_workspace(path, user=USER)
    with pytest.raises(WorkspaceError, match=r"cannot be created at .*File name too long"):
        create_workspace(path, user=USER)
    assert list(tmp_path.iterdir()) == []


def test_a_path_through_a_file_is_missing(tmp_path: Path) -> None:
    blocker = tmp_path / "notes.txt"
    blocker.write_text("x")
    with pytest.raises(WorkspaceError, match="There is no workspace file at"):
        open_workspace(blocker / "w.qidesk", user=USER)
    with pytest.raises(WorkspaceError, match="a file is in the way of one of its folders"):
        create_workspace(blocker / "sub" / "w.qidesk", user=USER)
    assert blocker.read_text() == "x"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX only")
def test_a_named_pipe_is_not_called_a_folder(tmp_path: Path) -> None:
    path = tmp_path / "pipe.qidesk"
    os.mkfifo(path)
    with pytest.raises(WorkspaceError, match="is not a workspace file \\(it is not an ordinary"):
        open_workspace(path, user=USER)


def test_create_never_deletes_a_dangling_link(tmp_path: Path) -> None:
    """It used to take the link for "nothing there" and unlink it when the create failed."""
    link = tmp_path / "w.qidesk"
    link.symlink_to(tmp_path / "gone" / "w.qidesk")
    with pytest.raises(WorkspaceError, match="already exists"):
        create_workspace(link, user=USER)
    assert link.is_symlink()


def test_create_through_a_link_loop_is_a_workspace_error(tmp_path: Path) -> None:
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    with pytest.raises(WorkspaceError):
        create_workspace(tmp_path / "a", user=USER)
    assert (tmp_path / "a").is_symlink() and (tmp_path / "b").is_symlink()


def test_sqlite_refusing_to_create_is_a_workspace_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Any SQLite failure while creating is a message naming the file, and nothing is left."""
    from qidesk.store import database

    def cannot_open(*_args: object, **_kwargs: object) -> sqlite3.Connection:
        return sqlite3.connect(tmp_path / "no-such-folder" / "x.db")  # a real SQLITE_CANTOPEN

    monkeypatch.setattr(database, "connect", cannot_open)
    path = tmp_path / "w.qidesk"
    with pytest.raises(WorkspaceError, match=f"A workspace cannot be created at {path}"):
        create_workspace(path, user=USER)
    assert sorted(p.name for p in tmp_path.iterdir()) == []


# -- replacing a workspace (demo --force) -------------------------------------------------------


def test_discard_removes_the_workspace_and_its_sqlite_files(closed_ws: Path) -> None:
    Path(f"{closed_ws}-wal").write_bytes(b"")
    Path(f"{closed_ws}-shm").write_bytes(b"")
    discard_workspace(closed_ws, user=USER)
    assert sorted(p.name for p in closed_ws.parent.iterdir()) == []


def test_discard_replaces_a_stale_lock(closed_ws: Path) -> None:
    lock = lock_path_for(closed_ws)
    lock.write_text(
        json.dumps({"pid": 999_999_999, "host": socket.gethostname(), "user": "x", "since": ""})
    )
    discard_workspace(closed_ws, user=USER)
    assert not closed_ws.exists() and not lock.exists()


def test_discard_refuses_a_workspace_open_in_another_process(
    closed_ws: Path, start_child: StartChild, snapshot: Snapshot
) -> None:
    child = start_child(HOLD, str(closed_ws))
    assert child.stdout is not None and child.stdout.readline().strip() == "HELD"
    before = snapshot(closed_ws)
    files = sorted(p.name for p in closed_ws.parent.iterdir())
    with pytest.raises(WorkspaceLockedError, match="already open in qidesk: bob@Ward 9"):
        discard_workspace(closed_ws, user=USER)
    assert snapshot(closed_ws) == before
    assert sorted(p.name for p in closed_ws.parent.iterdir()) == files


def test_discard_refuses_a_workspace_open_in_this_process(ws: Workspace, ws_path: Path) -> None:
    with pytest.raises(WorkspaceLockedError):
        discard_workspace(ws_path, user=USER)
    assert ws_path.exists()
    assert ProjectRepository(ws).list() == []  # still usable


@pytest.mark.parametrize(
    ("content", "error", "says"),
    [
        (b"", NotAWorkspaceError, "is empty"),
        (b"the only copy of the audit\n" * 20, NotAWorkspaceError, "not a database file"),
        (None, NotAWorkspaceError, "so qidesk will not replace it"),
    ],
    ids=["empty", "text", "other-program"],
)
def test_discard_refuses_what_is_not_a_workspace(
    tmp_path: Path,
    snapshot: Snapshot,
    content: bytes | None,
    error: type[Exception],
    says: str,
) -> None:
    path = tmp_path / "audit.xlsx"
    if content is None:
        conn = sqlite3.connect(path)
        conn.execute("CREATE TABLE t (x)")
        conn.commit()
        conn.close()
    else:
        path.write_bytes(content)
    before = snapshot(path)
    with pytest.raises(error, match=says):
        discard_workspace(path, user=USER)
    assert snapshot(path) == before


def test_discard_refuses_a_folder(tmp_path: Path) -> None:
    with pytest.raises(WorkspaceError, match="is a folder"):
        discard_workspace(tmp_path, user=USER)
    assert tmp_path.is_dir()


def test_discard_refuses_a_read_only_file(closed_ws: Path, snapshot: Snapshot) -> None:
    closed_ws.chmod(0o444)
    try:
        before = snapshot(closed_ws)
        with pytest.raises(ReadOnlyWorkspaceError, match="will not replace it"):
            discard_workspace(closed_ws, user=USER)
        assert snapshot(closed_ws) == before
        assert not lock_path_for(closed_ws).exists()
    finally:
        closed_ws.chmod(0o644)


def test_a_demo_that_fails_half_way_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The disk fills while the demo is written: no empty workspace is left to trip over."""

    def full(*_args: object, **_kwargs: object) -> None:
        raise StorageFullError("Nothing was saved: the disk is full.")

    monkeypatch.setattr(demo, "_add_demo_measures", full)
    path = tmp_path / "demo.qidesk"
    with pytest.raises(StorageFullError):
        demo.create_demo(path, user=USER)
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_demo_force_keeps_a_workspace_that_is_open(ws: Workspace, ws_path: Path) -> None:
    ProjectRepository(ws).add(Project(title="Real work"))
    with pytest.raises(WorkspaceLockedError):
        demo.create_demo(ws_path, user=USER, force=True)
    assert [p.title for p in ProjectRepository(ws).list()] == ["Real work"]
    assert ws_path.exists()


# -- checking and inspecting a file without opening it -----------------------------------------


def _damage_middle(path: Path) -> None:
    data = bytearray(path.read_bytes())
    middle = len(data) // 2 // PAGE * PAGE
    data[middle : middle + PAGE] = b"\xa5" * PAGE
    path.write_bytes(bytes(data))


def test_check_file_reports_damage_instead_of_refusing(closed_ws: Path, snapshot: Snapshot) -> None:
    assert check_file(closed_ws) == []
    _damage_middle(closed_ws)
    before = snapshot(closed_ws)
    problems = check_file(closed_ws)
    assert problems and all("damaged" in line or "Damage found" in line for line in problems)
    assert snapshot(closed_ws) == before
    assert not lock_path_for(closed_ws).exists()


def test_check_file_reports_a_truncated_file(closed_ws: Path) -> None:
    closed_ws.write_bytes(closed_ws.read_bytes()[: closed_ws.stat().st_size // 2])
    (problem,) = check_file(closed_ws)
    assert f"{closed_ws} is damaged" in problem


def test_check_file_still_refuses_what_is_not_a_workspace(tmp_path: Path) -> None:
    path = tmp_path / "x.qidesk"
    path.write_bytes(b"")
    with pytest.raises(NotAWorkspaceError):
        check_file(path)


@pytest.mark.parametrize("version", [1, 999], ids=["older", "newer"])
def test_check_and_inspect_read_older_and_newer_files(
    closed_ws: Path, snapshot: Snapshot, version: int
) -> None:
    _set_user_version(closed_ws, version)
    before = snapshot(closed_ws)
    assert check_file(closed_ws) == []
    schema, counts = inspect_file(closed_ws)
    assert schema == version
    assert counts["project"] == 40 and counts["audit_log"] >= 40
    assert snapshot(closed_ws) == before


def test_inspect_works_while_another_process_writes(
    closed_ws: Path, start_child: StartChild, snapshot: Snapshot
) -> None:
    child = start_child(HOLD, str(closed_ws))
    assert child.stdout is not None and child.stdout.readline().strip() == "HELD"
    assert inspect_file(closed_ws)[0] == SCHEMA_VERSION
    assert check_file(closed_ws) == []


def test_opening_an_older_file_read_only_says_how_to_read_it(closed_ws: Path) -> None:
    """It used to say the file "cannot be written here" and to copy it somewhere writable."""
    _set_user_version(closed_ws, 1)
    with pytest.raises(ReadOnlyWorkspaceError) as caught:
        open_workspace(closed_ws, user=USER, read_only=True)
    assert "must be upgraded before it can be opened read-only" in caught.value.message
    assert "cannot be written here" not in caught.value.message


def test_the_service_inspects_without_opening(closed_ws: Path) -> None:
    info = WorkspaceService.inspect(closed_ws)
    assert (info.path, info.schema_version, info.counts["project"]) == (
        closed_ws,
        SCHEMA_VERSION,
        40,
    )
    assert WorkspaceService.occupied(closed_ws)
    assert not WorkspaceService.occupied(closed_ws.parent / ("x" * 300))


# -- backups into a folder that cannot take them ------------------------------------------------


def test_a_backup_folder_sqlite_cannot_write_is_named_in_plain_words(
    ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite's own words ("unable to open database file") used to reach the user."""
    target = tmp_path / "usb"

    def unreachable(folder: Path, stem: str) -> Path:
        return folder / "vanished" / f"{stem}.qidesk"  # VACUUM INTO fails: SQLITE_CANTOPEN

    monkeypatch.setattr(backups, "_free_name", unreachable)
    with pytest.raises(WorkspaceError) as caught:
        backup_now(ws, target)
    message = caught.value.message
    assert message == (
        f"No backup of {ws.path} was saved in {target} (that folder cannot be written to). "
        "The workspace itself is unchanged."
    )
    assert list(target.iterdir()) == []
