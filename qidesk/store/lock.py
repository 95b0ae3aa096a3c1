"""One qidesk process per workspace: a lock file beside the database.

``<name>.lock`` is created atomically (``O_CREAT | O_EXCL``) and holds JSON
``{"pid", "host", "user", "since"}``, so a refusal can say who has the workspace open, on
which computer and since when. A lock is *stale* when it was written on this computer by a
process that no longer runs; a stale lock is replaced. Locks written on another computer are
never judged stale (we cannot see its processes): the message tells the user what to do.
Locks are released on close and, as a last resort, when the interpreter exits.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import socket
import sys
import time
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

from qidesk.core.errors import WorkspaceLockedError
from qidesk.core.records import utc_now

#: How long a lock file may stay unreadable (being written) before it counts as debris.
_UNREADABLE_GRACE_SECONDS = 10.0
_READ_RETRIES = 10
_READ_RETRY_DELAY = 0.05


@dataclass(frozen=True)
class LockInfo:
    """Who holds a workspace lock."""

    pid: int
    host: str
    user: str
    since: str

    def describe(self) -> str:
        """Who, where and since when, in words."""
        who = self.user or "someone"
        return f"{who} on computer {self.host} since {_friendly_time(self.since)}"


def _friendly_time(iso: str) -> str:
    try:
        moment = datetime.fromisoformat(iso.replace("Z", "+00:00")).astimezone()
    except ValueError:
        return iso or "an unknown time"
    return moment.strftime("%H:%M on %d %B %Y").lstrip("0")


def lock_path_for(db_path: Path) -> Path:
    """The lock file that guards ``db_path``."""
    return db_path.with_name(db_path.name + ".lock")


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    if sys.platform == "win32":
        import ctypes

        synchronize, still_active = 0x00100000, 259
        kernel32 = ctypes.windll.kernel32
        handle = kernel32.OpenProcess(0x1000 | synchronize, False, pid)
        if not handle:
            return False
        try:
            code = ctypes.c_ulong()
            kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
            return code.value == still_active
        finally:
            kernel32.CloseHandle(handle)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _parse(raw: bytes) -> LockInfo | None:
    try:
        data = json.loads(raw.decode("utf-8"))
        return LockInfo(
            pid=int(data["pid"]),
            host=str(data["host"]),
            user=str(data.get("user", "")),
            since=str(data.get("since", "")),
        )
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        return None


class WorkspaceLock:
    """A held lock on one workspace. Create with :meth:`acquire`; end with :meth:`release`."""

    _held: dict[str, WorkspaceLock] = {}  # noqa: RUF012 - process-wide registry by design

    def __init__(self, path: Path, info: LockInfo, key: str) -> None:
        self.path = path
        self.info = info
        self._key = key
        self._raw = json.dumps(asdict(info)).encode("utf-8")

    @classmethod
    def acquire(cls, db_path: Path, user: str) -> WorkspaceLock:
        """Take the lock for ``db_path`` or raise :class:`WorkspaceLockedError`.

        Raises ``OSError`` (for example ``PermissionError``) when the folder cannot be written.
        """
        path = lock_path_for(db_path)
        key = str(path.resolve())
        if key in cls._held:
            raise WorkspaceLockedError(f"{db_path} is already open in this qidesk window.")
        info = LockInfo(os.getpid(), socket.gethostname(), user, utc_now())
        lock = cls(path, info, key)
        for _attempt in range(5):
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            except FileExistsError:
                cls._judge_existing(db_path, path, key)
                continue
            try:
                os.write(fd, lock._raw)
                os.fsync(fd)
            except BaseException:
                os.close(fd)
                path.unlink()
                raise
            os.close(fd)
            cls._held[key] = lock
            return lock
        raise WorkspaceLockedError(
            f"{db_path} is being opened by another program at this moment. Try again."
        )

    @classmethod
    def _judge_existing(cls, db_path: Path, path: Path, key: str) -> None:
        """Remove the lock at ``path`` if it is stale; otherwise raise WorkspaceLockedError."""
        raw = b""
        holder: LockInfo | None = None
        for _ in range(_READ_RETRIES):
            try:
                raw = path.read_bytes()
            except FileNotFoundError:
                return  # released meanwhile: try to create it again
            holder = _parse(raw)
            if holder is not None:
                break
            time.sleep(_READ_RETRY_DELAY)
        if holder is None:
            try:
                age = time.time() - path.stat().st_mtime
            except FileNotFoundError:
                return
            if age < _UNREADABLE_GRACE_SECONDS:
                raise WorkspaceLockedError(
                    f"{db_path} is being opened by another program at this moment. Try again."
                )
        elif not cls._is_stale(holder, key):
            raise WorkspaceLockedError(
                f"{db_path} is already open in qidesk: {holder.describe()}. Close it there "
                f"first. If qidesk is not running on {holder.host}, delete the file "
                f"{path} and try again."
            )
        # Stale: remove it, unless someone replaced it since we read it.
        with contextlib.suppress(FileNotFoundError):
            if path.read_bytes() == raw:
                path.unlink()

    @classmethod
    def _is_stale(cls, holder: LockInfo, key: str) -> bool:
        if holder.host != socket.gethostname():
            return False
        if holder.pid == os.getpid():
            return key not in cls._held  # our pid, but not our lock: an earlier process's
        return not _pid_alive(holder.pid)

    def release(self) -> None:
        """Remove the lock file if it is still ours. Safe to call more than once."""
        if WorkspaceLock._held.get(self._key) is self:
            del WorkspaceLock._held[self._key]
        with contextlib.suppress(FileNotFoundError):
            if self.path.read_bytes() == self._raw:
                self.path.unlink()

    @classmethod
    def release_all(cls) -> None:
        """Release every lock this process holds (run at interpreter exit)."""
        for lock in list(cls._held.values()):
            with contextlib.suppress(OSError):
                lock.release()


atexit.register(WorkspaceLock.release_all)
