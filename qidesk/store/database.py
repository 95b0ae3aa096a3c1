"""Opening, creating, checking and backing up workspaces: the only code that opens the database.

A workspace is one SQLite file. Opening one (:func:`open_workspace`) goes, in order:

1. the file exists and starts with the SQLite header (else ``WorkspaceError`` /
   ``NotAWorkspaceError``) — SQLite never sees a file that is not a database;
2. a read-only connection with ``trusted_schema=OFF`` checks ``application_id``
   (``NotAWorkspaceError``) and ``user_version`` (``NewerSchemaError``), so a foreign or
   newer file is never modified;
3. if the file and folder can be written, the workspace lock is taken
   (``WorkspaceLockedError`` naming who holds it), otherwise the workspace opens read-only;
4. ``quick_check`` (``CorruptWorkspaceError``; the damaged file is left exactly where it is);
5. the writable connection: WAL, the rolling backup, then pending migrations.

Read-only opens do not take the lock: SQLite lets readers share a WAL database safely.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType

from sqlite_utils import Database

from qidesk.core.errors import (
    CorruptWorkspaceError,
    NewerSchemaError,
    NotAWorkspaceError,
    ReadOnlyWorkspaceError,
    StorageFullError,
    WorkspaceError,
)
from qidesk.core.records import new_id, utc_now
from qidesk.store import backups, migrations
from qidesk.store.connection import (
    SQLITE_CANTOPEN,
    SQLITE_READONLY,
    check_sqlite_file,
    connect,
    enable_wal,
    is_writable,
    primary_code,
    translate_error,
)
from qidesk.store.lock import WorkspaceLock
from qidesk.store.schema import AUDIT_TABLE, quote, record_tables, user_tables

__all__ = [
    "APPLICATION_ID",
    "SCHEMA_VERSION",
    "Workspace",
    "backup_now",
    "check_file",
    "check_workspace",
    "create_workspace",
    "default_workspace_path",
    "discard_workspace",
    "inspect_file",
    "list_backups",
    "open_workspace",
    "workspace_counts",
]

APPLICATION_ID: int = migrations.APPLICATION_ID
SCHEMA_VERSION: int = migrations.SCHEMA_VERSION

WORKSPACE_FILE_NAME = "workspace.qidesk"

_log = logging.getLogger(__name__)


class Workspace:
    """An open workspace: one SQLite connection, the lock that guards it, and its user.

    Attributes: ``path``, ``db`` (the ``sqlite_utils.Database``), ``read_only``, ``user``
    (who is making changes, e.g. ``"alice@Ward 7"``), ``schema_version``, and
    ``backup_warning`` (why the rolling backup at open failed, or ``None``; the workspace
    opens anyway and the UI should show it). Use from one thread only.
    """

    def __init__(
        self,
        *,
        path: Path,
        db: Database,
        read_only: bool,
        user: str,
        schema_version: int,
        lock: WorkspaceLock | None,
        keep_backups: int,
    ) -> None:
        self.path = path
        self.db = db
        self.read_only = read_only
        self.user = user
        self.schema_version = schema_version
        self.backup_warning: str | None = None
        self.keep_backups = keep_backups
        self._lock = lock
        self._closed = False

    @property
    def closed(self) -> bool:
        """True once :meth:`close` has run."""
        return self._closed

    def ensure_writable(self) -> None:
        """Raise :class:`ReadOnlyWorkspaceError` if this workspace is open read-only."""
        if self.read_only:
            raise ReadOnlyWorkspaceError(
                f"Nothing was saved: {self.path} is open for reading only "
                "(the file or its folder cannot be written, or it was opened read-only)."
            )

    @contextlib.contextmanager
    def atomic(self) -> Iterator[Database]:
        """One transaction (a savepoint when nested): everything inside commits or nothing does.

        A full disk or I/O failure becomes :class:`StorageFullError`, a write to a read-only
        workspace :class:`ReadOnlyWorkspaceError`, another program holding the file
        :class:`WorkspaceLockedError`; each says that nothing was saved.
        """
        if self._closed:
            raise RuntimeError(f"workspace {self.path} is closed")
        try:
            with self.db.atomic():
                yield self.db
        except sqlite3.Error as exc:
            error = translate_error(exc, self.path)
            if error is None:
                raise
            raise error from exc

    def close(self) -> None:
        """Checkpoint the WAL, close the connection and release the lock. Idempotent."""
        if self._closed:
            return
        self._closed = True
        try:
            if not self.read_only and not self.db.conn.in_transaction:
                self.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        except sqlite3.Error as exc:  # SQLite checkpoints again on close; log and go on
            _log.warning("checkpoint of %s failed: %s", self.path, exc)
        finally:
            self.db.close()
            if self._lock is not None:
                self._lock.release()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        state = "closed" if self._closed else ("read-only" if self.read_only else "open")
        return f"<Workspace {str(self.path)!r} {state} v{self.schema_version}>"


def default_workspace_path(data_dir: Path) -> Path:
    """Where the workspace lives inside the app's data folder."""
    return Path(data_dir) / WORKSPACE_FILE_NAME


def create_workspace(
    path: Path | str,
    *,
    user: str,
    site_name: str = "",
    division: str = "",
    organisation: str = "",
) -> Workspace:
    """Create a new, empty workspace at ``path`` (parent folders too) and open it.

    Refuses (``WorkspaceError``) when a non-empty file already exists there.
    """
    path = Path(path)
    try:
        existed = os.path.lexists(path)  # a dangling link counts: it is never cleaned up
        if existed and (not path.is_file() or path.stat().st_size > 0):
            raise WorkspaceError(
                f"{path} already exists; qidesk will not overwrite it. Choose another name."
            )
        path.parent.mkdir(parents=True, exist_ok=True)
        lock = WorkspaceLock.acquire(path, user)
    except (FileExistsError, NotADirectoryError) as exc:  # a file where a folder should be
        raise WorkspaceError(
            f"A workspace cannot be created at {path}: a file is in the way of one of its "
            "folders. Choose another place."
        ) from exc
    except OSError as exc:
        raise WorkspaceError(
            f"A workspace cannot be created at {path} ({exc.strerror or exc})."
        ) from exc
    ws: Workspace | None = None
    try:
        conn = _connect_new(path)
        ws = Workspace(
            path=path,
            db=Database(conn, execute_plugins=False),
            read_only=False,
            user=user,
            schema_version=0,
            lock=lock,
            keep_backups=7,
        )
        enable_wal(conn, path)
        _migrate(ws)
        with ws.atomic() as db:
            db.execute(
                "INSERT INTO site (id, name, division, organisation, created_at) "
                "VALUES (?, ?, ?, ?, ?)",
                [new_id(), site_name, division, organisation, utc_now()],
            )
    except BaseException:
        if ws is not None:
            ws.close()
        lock.release()
        if not existed:
            for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
                with contextlib.suppress(OSError):
                    leftover.unlink()
        raise
    return ws


def _connect_new(path: Path) -> sqlite3.Connection:
    try:
        return connect(path, read_only=False, create=True)
    except sqlite3.Error as exc:
        error = translate_error(exc, path)
        if error is not None:
            raise error from exc
        raise WorkspaceError(f"A workspace cannot be created at {path} ({exc}).") from exc


def discard_workspace(path: Path | str, *, user: str) -> None:
    """Delete the workspace file at ``path`` with SQLite's ``-wal``/``-shm`` files beside it.

    Only for a deliberate overwrite (``qidesk demo --force``); nothing else in qidesk deletes
    these files. Refuses, deleting nothing, when ``path`` is not a qidesk workspace
    (``NotAWorkspaceError`` or ``WorkspaceError``), cannot be written
    (``ReadOnlyWorkspaceError``) or is open in another qidesk process
    (``WorkspaceLockedError``): the workspace lock is held while the files go. The ``-wal``
    goes first, so that it can never be replayed into another file of the same name.
    """
    path = Path(path)
    check_sqlite_file(path)
    if _header_application_id(path) != APPLICATION_ID:
        raise NotAWorkspaceError(
            f"{path} is not a qidesk workspace, so qidesk will not replace it."
        )
    if not is_writable(path):
        raise ReadOnlyWorkspaceError(
            f"{path} is read-only (or its folder is), so qidesk will not replace it."
        )
    try:
        lock = WorkspaceLock.acquire(path, user)
    except OSError as exc:
        raise WorkspaceError(
            f"{path} cannot be replaced: qidesk could not write its lock file beside it "
            f"({exc.strerror or exc}). Nothing was changed."
        ) from exc
    try:
        for item in (Path(f"{path}-wal"), Path(f"{path}-shm"), path):
            item.unlink(missing_ok=True)
    except OSError as exc:
        raise WorkspaceError(f"{path} could not be removed ({exc.strerror or exc}).") from exc
    finally:
        lock.release()


def _header_application_id(path: Path) -> int:
    """The ``application_id`` of the file at ``path``, read read-only.

    Through SQLite first: a workspace that has not been checkpointed yet (open elsewhere, or
    left by a crash) has its header only in the ``-wal``. A file SQLite cannot read (damaged)
    falls back to the header bytes on disk (offset 68, big-endian).
    """
    try:
        conn = connect(path, read_only=True)
    except sqlite3.Error:
        conn = None
    if conn is not None:
        try:
            return int(conn.execute("PRAGMA application_id").fetchone()[0])
        except sqlite3.Error:
            pass
        finally:
            conn.close()
    try:
        with path.open("rb") as handle:
            header = handle.read(72)
    except OSError as exc:
        raise WorkspaceError(f"{path} cannot be read ({exc.strerror or exc}).") from exc
    return int.from_bytes(header[68:72], "big") if len(header) == 72 else -1


def open_workspace(
    path: Path | str,
    *,
    user: str,
    read_only: bool = False,
    backup: bool = True,
    keep_backups: int = 7,
) -> Workspace:
    """Open the workspace at ``path``; see the module docstring for the checks, in order.

    The workspace opens read-only (``ws.read_only``) when asked to or when the file or its
    folder cannot be written. Unless ``backup`` is false or the workspace is read-only, a
    rolling backup is made first (keeping the newest ``keep_backups``); if that fails the
    workspace still opens and ``ws.backup_warning`` says why.
    """
    if keep_backups < 1:
        raise ValueError("keep_backups must be at least 1")
    path = Path(path)
    check_sqlite_file(path)
    writable = not read_only and is_writable(path)
    probe = _probe(path)
    lock: WorkspaceLock | None = None
    try:
        version = _check_identity(probe, path)
        if writable:
            lock = _try_lock(path, user)
        _quick_check(probe, path)
        if lock is None:
            if version < SCHEMA_VERSION and read_only:
                raise ReadOnlyWorkspaceError(
                    f"{path} was made by an older qidesk and must be upgraded before it can be "
                    "opened read-only. Open it for editing once (that upgrades it), or use "
                    "qidesk info / qidesk check, which read it as it is."
                )
            if version < SCHEMA_VERSION:
                raise ReadOnlyWorkspaceError(
                    f"{path} was made by an older qidesk and must be upgraded, but it cannot "
                    "be written here. Copy it to a folder you can write to and open it again."
                )
            return Workspace(
                path=path,
                db=Database(probe, execute_plugins=False),
                read_only=True,
                user=user,
                schema_version=version,
                lock=None,
                keep_backups=keep_backups,
            )
    except BaseException:
        probe.close()
        if lock is not None:
            lock.release()
        raise
    probe.close()
    return _open_writable(path, user, lock, backup=backup, keep_backups=keep_backups)


def _open_writable(
    path: Path, user: str, lock: WorkspaceLock, *, backup: bool, keep_backups: int
) -> Workspace:
    try:
        conn = connect(path, read_only=False)
    except BaseException:
        lock.release()
        raise
    ws = Workspace(
        path=path,
        db=Database(conn, execute_plugins=False),
        read_only=False,
        user=user,
        schema_version=0,
        lock=lock,
        keep_backups=keep_backups,
    )
    try:
        enable_wal(conn, path)
        if backup:
            try:
                backup_now(ws)
            except WorkspaceError as exc:
                ws.backup_warning = exc.message
                _log.warning("rolling backup failed: %s", exc.message)
        _migrate(ws)
    except BaseException:
        ws.close()
        raise
    return ws


def _probe(path: Path) -> sqlite3.Connection:
    """A read-only connection for the checks that must not change the file."""
    try:
        return connect(path, read_only=True)
    except sqlite3.DatabaseError as exc:
        if primary_code(exc) in (SQLITE_READONLY, SQLITE_CANTOPEN):
            raise ReadOnlyWorkspaceError(
                f"{path} cannot be opened in this folder: it holds changes from a session "
                "that did not close properly, and they can only be recovered where the "
                "folder can be written. Copy the folder to this computer and open it there."
            ) from exc
        raise CorruptWorkspaceError(
            f"{path} is damaged and cannot be opened ({exc}). It has been left as it is; "
            "restore a backup."
        ) from exc


def _check_identity(conn: sqlite3.Connection, path: Path) -> int:
    """Refuse foreign and newer files; return the schema version."""
    try:
        app_id = int(conn.execute("PRAGMA application_id").fetchone()[0])
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    except sqlite3.DatabaseError as exc:
        raise CorruptWorkspaceError(
            f"{path} is damaged and cannot be opened ({exc}). It has been left as it is; "
            "restore a backup."
        ) from exc
    if app_id != APPLICATION_ID:
        raise NotAWorkspaceError(
            f"{path} is not a qidesk workspace (it is a database of another program)."
        )
    if version > SCHEMA_VERSION:
        raise NewerSchemaError(
            f"{path} was made by a newer version of qidesk; nothing was changed. "
            "Update qidesk to open it."
        )
    return version


def _try_lock(path: Path, user: str) -> WorkspaceLock | None:
    """The lock, or ``None`` when the folder turns out not to be writable (open read-only)."""
    try:
        return WorkspaceLock.acquire(path, user)
    except OSError as exc:
        if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            _log.info("cannot write beside %s (%s): opening read-only", path, exc)
            return None
        error = StorageFullError if exc.errno == errno.ENOSPC else WorkspaceError
        raise error(
            f"{path} cannot be opened: qidesk could not write its lock file beside it "
            f"({exc.strerror or exc}). Nothing was changed."
        ) from exc


def _quick_check(conn: sqlite3.Connection, path: Path) -> None:
    try:
        rows = conn.execute("PRAGMA quick_check").fetchall()
    except sqlite3.DatabaseError as exc:
        rows = [(str(exc),)]
    if [tuple(row) for row in rows] != [("ok",)]:
        raise CorruptWorkspaceError(
            f"{path} is damaged ({rows[0][0]}). Nothing was changed and the file has been "
            "left as it is; restore the newest backup."
        )


def _migrate(ws: Workspace) -> None:
    try:
        ws.schema_version = migrations.migrate(ws.db)
    except sqlite3.Error as exc:
        error = translate_error(exc, ws.path)
        if error is None:
            raise
        raise error from exc


def backup_now(ws: Workspace, folder: Path | str | None = None) -> Path:
    """Back up ``ws`` now and return the new file.

    Without ``folder`` the copy joins the rolling backups beside the workspace (pruned to
    ``ws.keep_backups``); with ``folder`` it goes there and is never pruned. Raises
    ``StorageFullError`` or ``WorkspaceError`` (nothing left under a final name).
    """
    if ws.closed:
        raise RuntimeError(f"workspace {ws.path} is closed")
    if folder is not None:
        return backups.write_backup(ws.db.conn, ws.path, Path(folder))
    rolling = backups.backup_folder(ws.path)
    made = backups.write_backup(ws.db.conn, ws.path, rolling)
    if not ws.read_only:
        backups.prune(rolling, ws.path.stem, ws.keep_backups)
    return made


def list_backups(path: Path | str) -> list[Path]:
    """The rolling backups of the workspace at ``path``, newest first."""
    path = Path(path)
    return backups.backups_in(backups.backup_folder(path), path.stem)


def check_workspace(ws: Workspace) -> list[str]:
    """Run ``integrity_check`` and ``foreign_key_check``; one line per problem (empty = clean)."""
    return _problems(ws.db.conn)


def check_file(path: Path | str) -> list[str]:
    """Check the workspace file at ``path`` read-only and report damage (``qidesk check``).

    Unlike :func:`open_workspace`, a damaged file is not refused: its damage comes back as
    problem lines (empty = clean). A file that is not a qidesk workspace still raises
    (``NotAWorkspaceError`` / ``WorkspaceError``). The file is never written, and the check
    works while another qidesk process has it open and on a file from a newer qidesk (the
    checks do not depend on the schema).
    """
    path = Path(path)
    check_sqlite_file(path)
    try:
        probe = _probe(path)
    except CorruptWorkspaceError as exc:
        return [exc.message]
    try:
        with contextlib.suppress(NewerSchemaError):
            _check_identity(probe, path)
        return _problems(probe)
    except CorruptWorkspaceError as exc:
        return [exc.message]
    finally:
        probe.close()


def inspect_file(path: Path | str) -> tuple[int, dict[str, int]]:
    """The schema version and record counts of the workspace file at ``path`` (``qidesk info``).

    Read-only and without the lock, like :func:`check_file`, so it works while another qidesk
    process has the file open, and on files from an older or a newer qidesk (the counts come
    from the schema itself). Raises like :func:`open_workspace` for files that are not
    workspaces or are damaged; never changes the file.
    """
    path = Path(path)
    check_sqlite_file(path)
    probe = _probe(path)
    try:
        try:
            version = _check_identity(probe, path)
        except NewerSchemaError:
            version = int(probe.execute("PRAGMA user_version").fetchone()[0])
        _quick_check(probe, path)
        try:
            return version, _counts(Database(probe, execute_plugins=False))
        except sqlite3.DatabaseError as exc:
            raise CorruptWorkspaceError(
                f"{path} is damaged and cannot be read ({exc}). It has been left as it is; "
                "restore a backup."
            ) from exc
    finally:
        probe.close()


def _problems(conn: sqlite3.Connection) -> list[str]:
    problems: list[str] = []
    try:
        rows = conn.execute("PRAGMA integrity_check").fetchall()
        if [tuple(row) for row in rows] != [("ok",)]:
            problems.extend(f"Damage found: {row[0]}" for row in rows)
        for table, rowid, parent, _fk in conn.execute("PRAGMA foreign_key_check").fetchall():
            problems.append(f"A row in {table} (row {rowid}) refers to a missing {parent} record.")
    except sqlite3.DatabaseError as exc:
        problems.append(f"The check could not finish because the file is too damaged ({exc}).")
    return problems


def workspace_counts(ws: Workspace) -> dict[str, int]:
    """Live (not deleted) rows per record table, plus every row of ``audit_log``."""
    return _counts(ws.db)


def _counts(db: Database) -> dict[str, int]:
    counts: dict[str, int] = {}
    for table in record_tables(db):
        sql = f"SELECT count(*) FROM {quote(table)} WHERE deleted_at IS NULL"
        counts[table] = int(db.execute(sql).fetchone()[0])
    if AUDIT_TABLE in user_tables(db):
        counts[AUDIT_TABLE] = int(db.execute(f"SELECT count(*) FROM {AUDIT_TABLE}").fetchone()[0])
    return counts
