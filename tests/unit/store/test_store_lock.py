"""One process per workspace: the lock file, stale locks, release on close and at exit."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from qidesk.core.errors import WorkspaceLockedError
from qidesk.core.project import Project
from qidesk.store.database import Workspace, create_workspace, open_workspace
from qidesk.store.lock import lock_path_for
from qidesk.store.projects_repo import ProjectRepository

USER = "alice@Ward 7"
Snapshot = Callable[[Path], tuple[str, int, int]]

TRY_TO_OPEN_AND_WRITE = """
    import sys
    from qidesk.core.errors import WorkspaceLockedError
    from qidesk.core.project import Project
    from qidesk.store.database import open_workspace
    from qidesk.store.projects_repo import ProjectRepository
    try:
        ws = open_workspace(sys.argv[1], user="bob@Ward 8")
    except WorkspaceLockedError as exc:
        print("LOCKED", exc.message)
        sys.exit(3)
    ProjectRepository(ws).add(Project(title="written by the second process"))
    ws.close()
    print("WROTE")
"""

HOLD_OPEN = """
    import sys
    from qidesk.store.database import open_workspace
    ws = open_workspace(sys.argv[1], user="carol@Ward 9", backup=False)
    print("OPEN", flush=True)
    sys.stdin.readline()
    if sys.argv[2] == "close":
        ws.close()
    print("BYE", flush=True)
"""


def dead_pid() -> int:
    proc = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    return int(proc.stdout)


def write_lock(ws_path: Path, **info: object) -> Path:
    lock = lock_path_for(ws_path)
    data = {
        "pid": 1,
        "host": socket.gethostname(),
        "user": "ghost",
        "since": "2025-01-01T09:00:00.000Z",
    }
    data.update(info)
    lock.write_text(json.dumps(data), encoding="utf-8")
    return lock


@pytest.fixture
def closed_ws(ws: Workspace, ws_path: Path) -> Path:
    ProjectRepository(ws).add(Project(title="Falls"))
    ws.close()
    return ws_path


def test_lock_file_holds_who_where_and_since(ws: Workspace, ws_path: Path) -> None:
    lock = lock_path_for(ws_path)
    assert lock == ws_path.parent / "workspace.qidesk.lock"
    info = json.loads(lock.read_text(encoding="utf-8"))
    assert info["pid"] == os.getpid()
    assert info["host"] == socket.gethostname()
    assert info["user"] == USER
    assert info["since"].endswith("Z")


def test_lock_is_released_on_close(ws: Workspace, ws_path: Path) -> None:
    ws.close()
    assert not lock_path_for(ws_path).exists()
    with open_workspace(ws_path, user=USER, backup=False):
        assert lock_path_for(ws_path).exists()
    assert not lock_path_for(ws_path).exists()


def test_a_second_process_is_refused_and_the_file_is_unchanged(
    closed_ws: Path, run_child: Callable[..., subprocess.CompletedProcess[str]], snapshot: Snapshot
) -> None:
    with open_workspace(closed_ws, user=USER, backup=False) as ws:
        wal = Path(f"{closed_ws}-wal")
        before = (snapshot(closed_ws), wal.read_bytes() if wal.exists() else b"")
        lock_before = lock_path_for(closed_ws).read_bytes()
        result = run_child(TRY_TO_OPEN_AND_WRITE, str(closed_ws))
        assert result.returncode == 3, result.stderr
        assert "LOCKED" in result.stdout
        assert USER in result.stdout
        assert socket.gethostname() in result.stdout
        assert str(closed_ws) in result.stdout
        assert (snapshot(closed_ws), wal.read_bytes() if wal.exists() else b"") == before
        assert lock_path_for(closed_ws).read_bytes() == lock_before
        assert [p.title for p in ProjectRepository(ws).list()] == ["Falls"]
    result = run_child(TRY_TO_OPEN_AND_WRITE, str(closed_ws))  # free again
    assert result.returncode == 0, result.stderr


def test_this_process_is_refused_while_another_holds_it(
    closed_ws: Path, start_child: Callable[..., subprocess.Popen[str]]
) -> None:
    child = start_child(HOLD_OPEN, str(closed_ws), "close")
    assert child.stdout is not None and child.stdin is not None
    assert child.stdout.readline().strip() == "OPEN"
    with pytest.raises(WorkspaceLockedError) as caught:
        open_workspace(closed_ws, user=USER)
    message = caught.value.message
    assert "carol@Ward 9" in message and socket.gethostname() in message and "since" in message
    child.stdin.write("\n")
    child.stdin.flush()
    assert child.stdout.readline().strip() == "BYE"
    child.wait(timeout=30)
    with open_workspace(closed_ws, user=USER, backup=False):
        pass


def test_the_lock_is_released_at_interpreter_exit(
    closed_ws: Path, start_child: Callable[..., subprocess.Popen[str]]
) -> None:
    child = start_child(HOLD_OPEN, str(closed_ws), "exit-without-close")
    assert child.stdout is not None and child.stdin is not None
    assert child.stdout.readline().strip() == "OPEN"
    assert lock_path_for(closed_ws).exists()
    child.stdin.write("\n")
    child.stdin.flush()
    child.wait(timeout=30)
    assert not lock_path_for(closed_ws).exists()


def test_the_same_process_cannot_open_it_twice(ws: Workspace, ws_path: Path) -> None:
    with pytest.raises(WorkspaceLockedError, match="already open in this qidesk window"):
        open_workspace(ws_path, user=USER)
    assert not ws.closed


def test_a_stale_lock_from_a_dead_process_is_replaced(closed_ws: Path) -> None:
    write_lock(closed_ws, pid=dead_pid())
    with open_workspace(closed_ws, user=USER, backup=False):
        info = json.loads(lock_path_for(closed_ws).read_text(encoding="utf-8"))
        assert info["pid"] == os.getpid()
        assert info["user"] == USER
    assert not lock_path_for(closed_ws).exists()


def test_a_stale_lock_with_our_own_pid_is_replaced(closed_ws: Path) -> None:
    """A crashed earlier process may have had the pid we have now."""
    write_lock(closed_ws, pid=os.getpid())
    with open_workspace(closed_ws, user=USER, backup=False):
        pass


def test_a_live_process_lock_is_respected(closed_ws: Path, snapshot: Snapshot) -> None:
    before = snapshot(closed_ws)
    lock = write_lock(closed_ws, pid=os.getppid(), user="dave")
    with pytest.raises(WorkspaceLockedError, match="dave on computer"):
        open_workspace(closed_ws, user=USER)
    assert snapshot(closed_ws) == before
    assert json.loads(lock.read_text(encoding="utf-8"))["user"] == "dave"


def test_a_lock_from_another_computer_is_respected(closed_ws: Path) -> None:
    lock = write_lock(closed_ws, host="WARD-PC-42", pid=dead_pid())
    with pytest.raises(WorkspaceLockedError) as caught:
        open_workspace(closed_ws, user=USER)
    assert "WARD-PC-42" in caught.value.message
    assert str(lock) in caught.value.message  # tells the user what to do if it is stale
    assert lock.exists()


def test_an_unreadable_lock_being_written_is_respected(closed_ws: Path) -> None:
    lock = lock_path_for(closed_ws)
    lock.write_bytes(b"")
    with pytest.raises(WorkspaceLockedError, match="being opened"):
        open_workspace(closed_ws, user=USER)
    assert lock.exists()


def test_an_old_unreadable_lock_is_debris(closed_ws: Path) -> None:
    lock = lock_path_for(closed_ws)
    lock.write_bytes(b"\x00garbage")
    old = time.time() - 3600
    os.utime(lock, (old, old))
    with open_workspace(closed_ws, user=USER, backup=False):
        assert json.loads(lock.read_text(encoding="utf-8"))["pid"] == os.getpid()


def test_create_takes_the_lock_too(ws_path: Path) -> None:
    ws_path.parent.mkdir(parents=True)
    write_lock(ws_path, pid=os.getppid())
    with pytest.raises(WorkspaceLockedError):
        create_workspace(ws_path, user=USER)
    assert not ws_path.exists()


def test_read_only_opens_do_not_need_the_lock(closed_ws: Path) -> None:
    with open_workspace(closed_ws, user=USER, backup=False) as writer:
        with open_workspace(closed_ws, user="viewer", read_only=True) as reader:
            assert reader.read_only
            ProjectRepository(writer).add(Project(title="Second"))
            assert len(ProjectRepository(reader).list()) == 2
        assert lock_path_for(closed_ws).exists()  # the writer's lock is untouched
