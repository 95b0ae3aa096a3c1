"""Backups with ``VACUUM INTO``: written under a temporary name, checked, flushed, renamed.

A copy only ever appears under its final name ``<stem>-YYYYmmdd-HHMMSS-fff.qidesk`` (UTC
time) once it has passed ``PRAGMA integrity_check`` and been flushed to disk; any failure
removes the temporary file. Rolling backups live in ``<stem>-backups/`` beside the
workspace and are pruned to the newest *N*.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from qidesk.core.errors import StorageFullError, WorkspaceError
from qidesk.store.connection import (
    SQLITE_CANTOPEN,
    SQLITE_PERM,
    SQLITE_READONLY,
    connect,
    primary_code,
    translate_error,
)
from qidesk.store.migrations import APPLICATION_ID

BACKUP_SUFFIX = ".qidesk"
_TMP_SUFFIX = ".tmp"


def backup_folder(db_path: Path) -> Path:
    """The rolling-backup folder of the workspace at ``db_path``."""
    return db_path.with_name(f"{db_path.stem}-backups")


def _pattern(stem: str) -> re.Pattern[str]:
    return re.compile(
        rf"^{re.escape(stem)}-(\d{{8}}-\d{{6}}-\d{{3}})(?:-(\d+))?{re.escape(BACKUP_SUFFIX)}$"
    )


def backups_in(folder: Path, stem: str) -> list[Path]:
    """The finished backups of ``stem`` in ``folder``, newest first."""
    if not folder.is_dir():
        return []
    pattern = _pattern(stem)
    found: list[tuple[str, int, Path]] = []
    for item in folder.iterdir():
        match = pattern.match(item.name)
        if match and item.is_file():
            found.append((match.group(1), int(match.group(2) or 0), item))
    found.sort(reverse=True)
    return [item for _, _, item in found]


def _free_name(folder: Path, stem: str) -> Path:
    now = datetime.now(UTC)
    base = f"{stem}-{now:%Y%m%d-%H%M%S}-{now.microsecond // 1000:03d}"
    candidate = folder / f"{base}{BACKUP_SUFFIX}"
    counter = 1
    while candidate.exists() or candidate.with_name(candidate.name + _TMP_SUFFIX).exists():
        candidate = folder / f"{base}-{counter}{BACKUP_SUFFIX}"
        counter += 1
    return candidate


def verify_copy(path: Path) -> list[str]:
    """Problems found in the database copy at ``path`` (empty = a good qidesk copy)."""
    conn = connect(path, read_only=True)
    try:
        if int(conn.execute("PRAGMA application_id").fetchone()[0]) != APPLICATION_ID:
            return ["the copy is not a qidesk workspace"]
        rows = conn.execute("PRAGMA integrity_check").fetchall()
        return [] if [tuple(r) for r in rows] == [("ok",)] else [str(r[0]) for r in rows]
    except sqlite3.DatabaseError as exc:
        return [str(exc)]
    finally:
        conn.close()


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDWR)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_folder(folder: Path) -> None:
    if os.name != "posix":
        return  # Windows cannot open folders for fsync; NTFS journals the rename.
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _vacuum_into(conn: sqlite3.Connection, target: Path) -> None:
    # query_only (read-only workspaces) also blocks VACUUM INTO; mode=ro still protects
    # the source, so lift it for this one statement.
    query_only = int(conn.execute("PRAGMA query_only").fetchone()[0])
    if query_only:
        conn.execute("PRAGMA query_only = OFF")
    try:
        conn.execute("VACUUM INTO ?", [str(target)])
    finally:
        if query_only:
            conn.execute("PRAGMA query_only = ON")


def _backup_failed(db_path: Path, folder: Path, reason: str, full: bool = False) -> WorkspaceError:
    message = (
        f"No backup of {db_path} was saved in {folder} ({reason}). "
        "The workspace itself is unchanged."
    )
    return StorageFullError(message) if full else WorkspaceError(message)


def write_backup(conn: sqlite3.Connection, db_path: Path, folder: Path) -> Path:
    """Copy the database open on ``conn`` into ``folder``; return the finished file.

    Raises :class:`StorageFullError` when the disk is full and :class:`WorkspaceError` for
    any other failure; in both cases nothing is left under a final name and the workspace
    itself is unchanged.
    """
    if conn.in_transaction:
        raise RuntimeError("a backup cannot be made inside a transaction")
    tmp: Path | None = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        final = _free_name(folder, db_path.stem)
        tmp = final.with_name(final.name + _TMP_SUFFIX)
        _vacuum_into(conn, tmp)
        _fsync_file(tmp)
        problems = verify_copy(tmp)
        if problems:
            raise _backup_failed(db_path, folder, f"the copy failed its check: {problems[0]}")
        os.rename(tmp, final)
        tmp = None
    except sqlite3.Error as exc:
        full = isinstance(translate_error(exc, db_path), StorageFullError)
        if full:
            reason = "the disk is full or could not be written"
        elif primary_code(exc) in (SQLITE_CANTOPEN, SQLITE_READONLY, SQLITE_PERM):
            reason = "that folder cannot be written to"
        else:
            reason = str(exc)
        raise _backup_failed(db_path, folder, reason, full) from exc
    except OSError as exc:
        full = exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC))
        raise _backup_failed(db_path, folder, exc.strerror or str(exc), full) from exc
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                tmp.unlink()
    with contextlib.suppress(OSError):  # the copy is complete and checked; this is extra care
        _fsync_folder(folder)
    return final


def prune(folder: Path, stem: str, keep: int) -> list[Path]:
    """Delete all but the newest ``keep`` backups of ``stem`` and leftover temporary files.

    Returns the files removed. Only names this module writes are touched.
    """
    removed: list[Path] = []
    leftovers = [
        item
        for item in (folder.iterdir() if folder.is_dir() else [])
        if item.name.endswith(BACKUP_SUFFIX + _TMP_SUFFIX)
        and _pattern(stem).match(item.name[: -len(_TMP_SUFFIX)])
    ]
    for item in [*backups_in(folder, stem)[keep:], *leftovers]:
        with contextlib.suppress(FileNotFoundError):
            item.unlink()
            removed.append(item)
    return removed
