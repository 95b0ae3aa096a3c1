"""The world failing: read-only files and folders, a full disk, a process killed mid-write."""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from qidesk.core.errors import ReadOnlyWorkspaceError, StorageFullError
from qidesk.core.project import Project
from qidesk.store import records
from qidesk.store.database import (
    Workspace,
    check_workspace,
    create_workspace,
    open_workspace,
    workspace_counts,
)
from qidesk.store.lock import lock_path_for
from qidesk.store.projects_repo import ProjectRepository

USER = "alice@Ward 7"
Snapshot = Callable[[Path], tuple[str, int, int]]
StartChild = Callable[..., subprocess.Popen[str]]
ROWS = 400

WRITE_MANY = f"""
    import sys, time
    from qidesk.core.project import Project
    from qidesk.store.database import open_workspace
    from qidesk.store.projects_repo import ProjectRepository
    ws = open_workspace(sys.argv[1], user="crash", backup=False)
    repo = ProjectRepository(ws)
    mode = sys.argv[2]
    print("START", flush=True)
    with ws.atomic():
        for i in range({ROWS}):
            repo.add(Project(title=f"row {{i}}"))
            if mode == "pause-inside" and i == {ROWS // 2}:
                print("INSIDE", flush=True)
                time.sleep(600)
    print("COMMITTED", flush=True)
    time.sleep(600)
"""


def _core_counts(counts: dict[str, int]) -> dict[str, int]:
    """The counts of the tables of migration 1 (later migrations add more tables)."""
    return {k: v for k, v in counts.items() if k in ("project", "team_member", "audit_log")}


@pytest.fixture
def closed_ws(ws: Workspace, ws_path: Path) -> Path:
    ProjectRepository(ws).add(Project(title="Existing"))
    ws.close()
    return ws_path


def assert_refuses_writes(ws: Workspace) -> None:
    repo = ProjectRepository(ws)
    with pytest.raises(ReadOnlyWorkspaceError, match="reading only"):
        repo.add(Project(title="new"))
    (existing,) = repo.list()
    with pytest.raises(ReadOnlyWorkspaceError):
        repo.save(existing.with_changes(title="changed"))
    with pytest.raises(ReadOnlyWorkspaceError):
        repo.delete(existing.id)
    with pytest.raises(ReadOnlyWorkspaceError), ws.atomic() as db:
        db.execute("INSERT INTO settings (key, value) VALUES ('a', 'b')")  # SQLite refuses too


# --- read-only ---------------------------------------------------------------------------


def test_read_only_on_request(closed_ws: Path, snapshot: Snapshot) -> None:
    before = snapshot(closed_ws)
    with open_workspace(closed_ws, user=USER, read_only=True) as ws:
        assert ws.read_only
        assert_refuses_writes(ws)
    assert snapshot(closed_ws) == before


def test_read_only_file(closed_ws: Path, snapshot: Snapshot) -> None:
    """chmod 0o444. As root os.access still says "writable"; the missing write bits decide."""
    os.chmod(closed_ws, 0o444)
    try:
        before = snapshot(closed_ws)
        with open_workspace(closed_ws, user=USER) as ws:
            assert ws.read_only
            assert ws.backup_warning is None
            assert_refuses_writes(ws)
        assert snapshot(closed_ws) == before
        assert not lock_path_for(closed_ws).exists()
        assert not (closed_ws.parent / "workspace-backups").exists()
    finally:
        os.chmod(closed_ws, 0o644)


def test_read_only_folder(closed_ws: Path, snapshot: Snapshot) -> None:
    folder = closed_ws.parent
    os.chmod(folder, 0o555)
    try:
        before = snapshot(closed_ws)
        with open_workspace(closed_ws, user=USER) as ws:
            assert ws.read_only
            assert_refuses_writes(ws)
        assert snapshot(closed_ws) == before
    finally:
        os.chmod(folder, 0o755)


def test_os_access_saying_no_means_read_only(
    closed_ws: Path, monkeypatch: pytest.MonkeyPatch, snapshot: Snapshot
) -> None:
    """What a non-root user sees on a read-only file, simulated for root."""
    real_access = os.access

    def access(path: object, mode: int, **kwargs: object) -> bool:
        if mode == os.W_OK and Path(str(path)) == closed_ws:
            return False
        return real_access(path, mode, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "access", access)
    before = snapshot(closed_ws)
    with open_workspace(closed_ws, user=USER) as ws:
        assert ws.read_only
        assert_refuses_writes(ws)
    assert snapshot(closed_ws) == before


def test_lock_file_cannot_be_created_means_read_only(
    closed_ws: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The folder looked writable but was not (e.g. an access-control list)."""
    from qidesk.store import lock

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(lock.WorkspaceLock, "acquire", classmethod(refuse))
    with open_workspace(closed_ws, user=USER) as ws:
        assert ws.read_only


def test_disk_full_for_the_lock_file_is_storage_full(
    closed_ws: Path, monkeypatch: pytest.MonkeyPatch, snapshot: Snapshot
) -> None:
    from qidesk.store import lock

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(lock.WorkspaceLock, "acquire", classmethod(full))
    before = snapshot(closed_ws)
    with pytest.raises(StorageFullError, match="lock file"):
        open_workspace(closed_ws, user=USER)
    assert snapshot(closed_ws) == before


DROP_PRIVILEGES = """
    import os, sys
    from qidesk.core.errors import ReadOnlyWorkspaceError
    from qidesk.core.project import Project
    from qidesk.store.database import open_workspace
    from qidesk.store.projects_repo import ProjectRepository
    os.setgid(65534)
    os.setuid(65534)  # nobody: from here on permissions really apply
    ws = open_workspace(sys.argv[1], user="nobody")
    print("READ_ONLY" if ws.read_only else "WRITABLE", len(ProjectRepository(ws).list()))
    try:
        ProjectRepository(ws).add(Project(title="x"))
    except ReadOnlyWorkspaceError:
        print("REFUSED")
    ws.close()
"""


@pytest.fixture
def shared_dir() -> Iterator[Path]:
    """A temporary folder other users can enter (pytest's own tmp folders are root-only)."""
    folder = Path(tempfile.mkdtemp(prefix="qidesk-ro-"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder)


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to drop to 'nobody'"
)
def test_read_only_for_an_unprivileged_user(
    shared_dir: Path,
    run_child: Callable[..., subprocess.CompletedProcess[str]],
    snapshot: Snapshot,
) -> None:
    """Real permissions: a WAL workspace in a folder 'nobody' cannot write (no -shm file)."""
    path = shared_dir / "workspace.qidesk"
    with create_workspace(path, user=USER) as ws:
        ProjectRepository(ws).add(Project(title="Existing"))
    assert not Path(f"{path}-shm").exists()
    before = snapshot(path)
    result = run_child(DROP_PRIVILEGES, str(path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["READ_ONLY", "1", "REFUSED"]
    assert snapshot(path) == before
    assert sorted(p.name for p in shared_dir.iterdir()) == ["workspace.qidesk"]


# --- disk full ---------------------------------------------------------------------------


def test_disk_full_saves_nothing_and_the_workspace_stays_usable(ws: Workspace) -> None:
    repo = ProjectRepository(ws)
    repo.add(Project(title="Existing"))
    counts = workspace_counts(ws)
    pages = ws.db.execute("PRAGMA page_count").fetchone()[0]
    ws.db.execute(f"PRAGMA max_page_count = {pages}")

    def import_many() -> None:
        with ws.atomic():
            for i in range(300):
                repo.add(Project(title=f"Imported {i}", problem="text " * 200))

    with pytest.raises(StorageFullError, match="Nothing was saved") as caught:
        import_many()
    assert str(ws.path) in caught.value.message
    assert isinstance(caught.value.__cause__, sqlite3.OperationalError)
    assert not ws.db.conn.in_transaction
    assert workspace_counts(ws) == counts
    assert check_workspace(ws) == []

    ws.db.execute("PRAGMA max_page_count = 1073741823")
    import_many()
    assert workspace_counts(ws)["project"] == counts["project"] + 300


def test_disk_full_on_a_single_write(ws: Workspace) -> None:
    pages = ws.db.execute("PRAGMA page_count").fetchone()[0]
    ws.db.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(StorageFullError):
        records.insert(
            ws,
            "project",
            {"title": "big", "work_type": "strategic", "status": "active", "phase": "testing",
             "involvement": "none", "problem": "x" * 100_000},
        )  # fmt: skip
    assert _core_counts(workspace_counts(ws)) == {"project": 0, "team_member": 0, "audit_log": 0}


# --- crash -------------------------------------------------------------------------------


def reopen_and_count(path: Path) -> int:
    with open_workspace(path, user=USER, backup=False) as ws:  # replaces the dead child's lock
        assert check_workspace(ws) == []
        counts = workspace_counts(ws)
    assert counts["audit_log"] == counts["project"]  # audit rows exist exactly with the rows
    return counts["project"]


def kill(child: subprocess.Popen[str]) -> None:
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_killed_inside_a_transaction_leaves_none_of_it(
    ws_path: Path, start_child: StartChild
) -> None:
    create_workspace(ws_path, user=USER).close()
    child = start_child(WRITE_MANY, str(ws_path), "pause-inside")
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "START"
    assert child.stdout.readline().strip() == "INSIDE"
    kill(child)
    assert lock_path_for(ws_path).exists()  # the dead process could not clean up
    assert reopen_and_count(ws_path) == 0


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_killed_after_commit_keeps_all_of_it(ws_path: Path, start_child: StartChild) -> None:
    create_workspace(ws_path, user=USER).close()
    child = start_child(WRITE_MANY, str(ws_path), "run")
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "START"
    assert child.stdout.readline().strip() == "COMMITTED"
    kill(child)
    assert reopen_and_count(ws_path) == ROWS


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_killed_at_random_moments_is_all_or_nothing(ws_path: Path, start_child: StartChild) -> None:
    create_workspace(ws_path, user=USER).close()
    rng = random.Random(20250301)
    count = 0
    for _ in range(6):
        child = start_child(WRITE_MANY, str(ws_path), "run")
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "START"
        with contextlib.suppress(subprocess.TimeoutExpired):
            child.wait(timeout=rng.uniform(0.0, 0.6))
        kill(child)
        previous, count = count, reopen_and_count(ws_path)
        assert count in (previous, previous + ROWS)
