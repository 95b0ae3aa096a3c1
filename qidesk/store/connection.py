"""Low-level SQLite access: file checks, connections with fixed pragmas, error translation.

Every connection qidesk makes goes through :func:`connect`, so every connection gets the
same settings (reliability note SQL-R3). The security pragmas come first, before anything
reads the schema, because a workspace may come from someone else (``trusted_schema=OFF``
stops a hostile schema from running functions through triggers, views or defaults).
"""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

from qidesk.core.errors import (
    CorruptWorkspaceError,
    NotAWorkspaceError,
    ReadOnlyWorkspaceError,
    StorageFullError,
    WorkspaceError,
    WorkspaceLockedError,
)

#: The first 16 bytes of every SQLite database file.
SQLITE_MAGIC = b"SQLite format 3\x00"
_HEADER_SIZE = 100

BUSY_TIMEOUT_MS = 5000

#: Set first on every connection: make an untrusted file safe to read.
SECURITY_PRAGMAS: tuple[tuple[str, str], ...] = (
    ("trusted_schema", "OFF"),
    ("cell_size_check", "ON"),
    ("mmap_size", "0"),
)
#: Then these: integrity and durability.
SAFETY_PRAGMAS: tuple[tuple[str, str], ...] = (
    ("foreign_keys", "ON"),
    ("busy_timeout", str(BUSY_TIMEOUT_MS)),
    ("secure_delete", "ON"),
    ("synchronous", "FULL"),
)

# Primary SQLite result codes (https://sqlite.org/rescode.html).
SQLITE_PERM = 3
SQLITE_BUSY = 5
SQLITE_LOCKED = 6
SQLITE_READONLY = 8
SQLITE_IOERR = 10
SQLITE_CORRUPT = 11
SQLITE_CANTOPEN = 14
SQLITE_FULL = 13
SQLITE_NOTADB = 26


def sqlite_uri(path: Path, *, mode: str, immutable: bool = False) -> str:
    """An SQLite URI for ``path`` opened with ``mode`` (``ro``, ``rw`` or ``rwc``)."""
    return f"{path.absolute().as_uri()}?mode={mode}" + ("&immutable=1" if immutable else "")


def primary_code(exc: sqlite3.Error) -> int | None:
    """The primary SQLite result code of ``exc`` (``None`` if it carries none)."""
    code = getattr(exc, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def connect(path: Path, *, read_only: bool, create: bool = False) -> sqlite3.Connection:
    """Open ``path`` with qidesk's pragmas (not yet WAL: see :func:`enable_wal`).

    ``read_only`` opens with ``mode=ro`` and ``query_only=ON``, so SQLite itself refuses
    writes; otherwise ``mode=rw`` (the file must exist) or, with ``create``, ``mode=rwc``.

    A WAL database in a folder that cannot be written cannot be opened ``mode=ro`` when its
    ``-shm`` file is missing (SQLite must create it). If there is no ``-wal`` content to
    recover either, the file on disk is complete and it is opened ``immutable=1`` instead;
    otherwise the ``sqlite3.OperationalError`` propagates.
    """
    if not read_only:
        return _open(sqlite_uri(path, mode="rwc" if create else "rw"), read_only=False)
    try:
        return _open(sqlite_uri(path, mode="ro"), read_only=True)
    except sqlite3.OperationalError as exc:
        wal = Path(f"{path}-wal")
        if primary_code(exc) not in (SQLITE_READONLY, SQLITE_CANTOPEN) or (
            wal.exists() and wal.stat().st_size > 0
        ):
            raise
        return _open(sqlite_uri(path, mode="ro", immutable=True), read_only=True)


def _open(uri: str, *, read_only: bool) -> sqlite3.Connection:
    conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        for name, value in (*SECURITY_PRAGMAS, *SAFETY_PRAGMAS):
            conn.execute(f"PRAGMA {name} = {value}")
        if read_only:
            conn.execute("PRAGMA query_only = ON")
        conn.execute("PRAGMA schema_version").fetchone()  # touch the file: fail here
    except BaseException:
        conn.close()
        raise
    return conn


def enable_wal(conn: sqlite3.Connection, path: Path) -> None:
    """Switch to WAL journaling and check that SQLite really did (it refuses on some disks)."""
    mode = str(conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]).lower()
    if mode != "wal":
        raise WorkspaceError(
            f"{path} cannot be used safely in this folder (SQLite would not use its WAL "
            "journal). Keep workspaces on this computer's own disk, not on a network drive "
            "or USB stick."
        )


def check_sqlite_file(path: Path) -> None:
    """Refuse a missing, empty or non-SQLite file before SQLite ever opens it."""
    try:
        mode = path.stat().st_mode
    except (FileNotFoundError, NotADirectoryError):
        raise WorkspaceError(f"There is no workspace file at {path}.") from None
    except OSError as exc:  # a name too long, a folder that cannot be entered, a link loop
        raise WorkspaceError(f"{path} cannot be read ({exc.strerror or exc}).") from exc
    if stat.S_ISDIR(mode):
        raise WorkspaceError(f"{path} is a folder, not a workspace file.")
    if not stat.S_ISREG(mode):
        raise WorkspaceError(f"{path} is not a workspace file (it is not an ordinary file).")
    try:
        with path.open("rb") as handle:
            header = handle.read(_HEADER_SIZE)
    except OSError as exc:
        raise WorkspaceError(f"{path} cannot be read ({exc.strerror or exc}).") from exc
    if not header:
        raise NotAWorkspaceError(f"{path} is empty, so it is not a qidesk workspace.")
    if len(header) < _HEADER_SIZE or not header.startswith(SQLITE_MAGIC):
        raise NotAWorkspaceError(f"{path} is not a qidesk workspace (it is not a database file).")


def is_writable(path: Path) -> bool:
    """True when both ``path`` and its folder can be written.

    ``os.access`` alone is not enough: it says yes to the root user whatever the
    permissions. A file or folder with no write permission bits at all is therefore
    treated as read-only too, and the file is really opened for writing (nothing is
    written) to catch read-only disks and access-control lists.
    """
    folder = path.absolute().parent
    for item in (path, folder):
        if not os.access(item, os.W_OK) or not item.stat().st_mode & 0o222:
            return False
    try:
        fd = os.open(path, os.O_RDWR)
    except OSError:
        return False
    os.close(fd)
    return True


def translate_error(exc: sqlite3.Error, path: Path) -> WorkspaceError | None:
    """The plain-language error for a failure of the world, or ``None`` for a bug."""
    primary = primary_code(exc)
    if primary in (SQLITE_FULL, SQLITE_IOERR):
        return StorageFullError(
            f"Nothing was saved: the disk holding {path} is full or could not be written. "
            "Free some space (or check the disk) and try again."
        )
    if primary == SQLITE_READONLY:
        return ReadOnlyWorkspaceError(f"Nothing was saved: {path} is open for reading only.")
    if primary in (SQLITE_BUSY, SQLITE_LOCKED):
        return WorkspaceLockedError(
            f"Nothing was saved: {path} is busy in another program. Try again in a moment."
        )
    if primary in (SQLITE_CORRUPT, SQLITE_NOTADB):
        return CorruptWorkspaceError(
            f"Nothing was saved: {path} is damaged. Restore it from a backup."
        )
    return None
