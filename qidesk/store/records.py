"""The generic, audited record writer every repository uses.

Each function writes one record of a *record table* (see :mod:`qidesk.store.schema`) and
one ``audit_log`` row holding the record before and after as JSON, inside ``ws.atomic()``
(a savepoint when the caller already has a transaction, which is the normal case: a service
wraps a whole user action in one ``ws.atomic()``). The metadata columns are managed here:
callers never set ``created_*``, ``updated_*``, ``revision`` or ``deleted_at`` themselves.
Rows are never deleted; :func:`tombstone` sets ``deleted_at``.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from datetime import datetime, timedelta
from typing import Any

from qidesk.core.errors import NotFoundError
from qidesk.core.records import RecordMeta, new_id, utc_now
from qidesk.store.database import Workspace
from qidesk.store.schema import AUDIT_TABLE, META_COLUMNS, quote, record_table_columns

#: A record as a plain dict of column name -> SQLite value.
Row = dict[str, Any]


def meta_from_row(row: Row) -> RecordMeta:
    """The :class:`RecordMeta` of a stored record row (every repository uses this)."""
    return RecordMeta(
        created_at=str(row["created_at"]),
        created_by=str(row["created_by"]),
        updated_at=str(row["updated_at"]),
        updated_by=str(row["updated_by"]),
        revision=int(row["revision"]),
        deleted_at=row["deleted_at"],
    )


def fetch(ws: Workspace, table: str, id: str) -> Row | None:
    """The row ``id`` of ``table`` (tombstoned or not), or ``None``."""
    record_table_columns(ws.db, table)
    rows = list(ws.db.query(f"SELECT * FROM {quote(table)} WHERE id = ?", [id]))
    return rows[0] if rows else None


def insert(ws: Workspace, table: str, row: Mapping[str, Any]) -> Row:
    """Insert ``row`` (a new ``id`` is made if it has none); return the stored row.

    ``created_*``/``updated_*`` are set to now and ``ws.user``, ``revision`` to 1.
    """
    ws.ensure_writable()
    columns = record_table_columns(ws.db, table)
    _check_columns(table, columns, row)
    now = utc_now()
    values: Row = {"id": new_id(), **row}
    values.update(
        created_at=now,
        created_by=ws.user,
        updated_at=now,
        updated_by=ws.user,
        revision=1,
        deleted_at=None,
    )
    names = ", ".join(quote(name) for name in values)
    marks = ", ".join("?" for _ in values)
    with ws.atomic() as db:
        db.execute(f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})", list(values.values()))
        stored = _require(ws, table, str(values["id"]))
        _audit(ws, table, "insert", None, stored, now)
    return stored


def put(ws: Workspace, table: str, row: Mapping[str, Any]) -> tuple[Row, bool]:
    """Insert ``row``, or bring back and update the record with its ``id``.

    Undo and redo write the same record again: a record that was never stored is inserted, a
    deleted one is restored, and its columns are then set to ``row``. Returns the stored row
    and whether the record is live again after being absent or deleted.
    """
    record_id = str(row["id"])
    existing = fetch(ws, table, record_id)
    if existing is None:
        return insert(ws, table, row), True
    revived = existing["deleted_at"] is not None
    with ws.atomic():
        if revived:
            restore(ws, table, record_id)
        _, after = update(ws, table, record_id, {k: v for k, v in row.items() if k != "id"})
    return after, revived


def update(ws: Workspace, table: str, id: str, changes: Mapping[str, Any]) -> tuple[Row, Row]:
    """Change some columns of live record ``id``; return ``(before, after)``.

    Only columns whose value really differs are written; when none does, nothing is written
    (no revision bump, no audit row) and ``before`` is returned twice. Raises
    :class:`NotFoundError` when the record does not exist or is deleted.
    """
    ws.ensure_writable()
    columns = record_table_columns(ws.db, table)
    _check_columns(table, columns, changes, allow_id=False)
    with ws.atomic():
        before = _require(ws, table, id)
        if before["deleted_at"] is not None:
            raise NotFoundError(f"This {_label(table)} has been deleted, so it cannot be changed.")
        changed = {k: v for k, v in changes.items() if before[k] != v}
        if not changed:
            return before, before
        after = _write_meta(ws, table, before, "update", changed)
    return before, after


def tombstone(ws: Workspace, table: str, id: str, *, at: str | None = None) -> Row:
    """Mark record ``id`` deleted (at ``at``, default now); return the stored row.

    Deleting an already deleted record changes nothing. Raises :class:`NotFoundError` when
    there is no such record.
    """
    ws.ensure_writable()
    record_table_columns(ws.db, table)
    with ws.atomic():
        before = _require(ws, table, id)
        if before["deleted_at"] is not None:
            return before
        moment = at or utc_now()
        return _write_meta(ws, table, before, "delete", {"deleted_at": moment}, at=moment)


def restore(ws: Workspace, table: str, id: str) -> Row:
    """Undo the deletion of record ``id``; return the stored row (unchanged if not deleted)."""
    ws.ensure_writable()
    record_table_columns(ws.db, table)
    with ws.atomic():
        before = _require(ws, table, id)
        if before["deleted_at"] is None:
            return before
        return _write_meta(ws, table, before, "restore", {"deleted_at": None})


def _unshared_moment(start: str, taken: Collection[str | None]) -> str:
    """The first moment from ``start`` on, a millisecond at a time, that is not in ``taken``.

    Moments are written as :func:`~qidesk.core.records.utc_now` writes them.
    """
    moment = start
    while moment in taken:
        later = datetime.fromisoformat(moment.replace("Z", "+00:00")) + timedelta(milliseconds=1)
        moment = later.isoformat(timespec="milliseconds").replace("+00:00", "Z")
    return moment


def tombstone_with_children(
    ws: Workspace, table: str, id: str, children: Mapping[str, str], *, now: str
) -> str:
    """Tombstone live record ``id`` and its live children at one moment; return the moment.

    ``children`` maps each child table to its column that holds the parent's id. Parent and
    children share the one ``deleted_at``, which is how :func:`restore_with_children` finds
    the children to bring back; so the moment is ``now`` or the first millisecond after it at
    which no child of ``id`` was deleted on its own.
    """
    with ws.atomic():
        taken: set[str | None] = set()
        for child, column in children.items():
            sql = f"SELECT DISTINCT deleted_at FROM {quote(child)} WHERE {quote(column)} = ?"
            taken |= {row[0] for row in ws.db.execute(sql, [id]).fetchall()}
        at = _unshared_moment(now, taken)
        for child, column in children.items():
            for child_id in _child_ids(ws, child, column, id, deleted_at=None):
                tombstone(ws, child, child_id, at=at)
        tombstone(ws, table, id, at=at)
    return at


def restore_with_children(ws: Workspace, table: str, id: str, children: Mapping[str, str]) -> bool:
    """Undo :func:`tombstone_with_children` (``children`` as there); False when no record ``id``.

    Brings back record ``id`` and the children deleted at its moment; a live record is left
    as it is.
    """
    with ws.atomic():
        row = fetch(ws, table, id)
        if row is None:
            return False
        at = row["deleted_at"]
        if at is not None:
            restore(ws, table, id)
            for child, column in children.items():
                for child_id in _child_ids(ws, child, column, id, deleted_at=str(at)):
                    restore(ws, child, child_id)
    return True


def _child_ids(
    ws: Workspace, child: str, column: str, parent_id: str, *, deleted_at: str | None
) -> list[str]:
    """Ids of ``child`` rows of ``parent_id``: live ones, or those deleted at ``deleted_at``."""
    where = "deleted_at IS NULL" if deleted_at is None else "deleted_at = ?"
    params = [parent_id] if deleted_at is None else [parent_id, deleted_at]
    sql = f"SELECT id FROM {quote(child)} WHERE {quote(column)} = ? AND {where}"
    return [str(row[0]) for row in ws.db.execute(sql, params).fetchall()]


def _write_meta(
    ws: Workspace,
    table: str,
    before: Row,
    action: str,
    changed: Mapping[str, Any],
    *,
    at: str | None = None,
) -> Row:
    """Write ``changed`` plus the bumped metadata to ``before``'s row and audit it."""
    now = at or utc_now()
    values: Row = {
        **changed,
        "updated_at": now,
        "updated_by": ws.user,
        "revision": int(before["revision"]) + 1,
    }
    assignments = ", ".join(f"{quote(name)} = ?" for name in values)
    ws.db.execute(
        f"UPDATE {quote(table)} SET {assignments} WHERE id = ?",
        [*values.values(), before["id"]],
    )
    after = _require(ws, table, str(before["id"]))
    _audit(ws, table, action, before, after, now)
    return after


def _require(ws: Workspace, table: str, id: str) -> Row:
    row = fetch(ws, table, id)
    if row is None:
        raise NotFoundError(f"There is no {_label(table)} with id {id}.")
    return row


def _check_columns(
    table: str, columns: list[str], row: Mapping[str, Any], *, allow_id: bool = True
) -> None:
    """Refuse unknown columns and metadata columns (programming errors)."""
    managed = set(META_COLUMNS) | (set() if allow_id else {"id"})
    bad = sorted(set(row) - (set(columns) - managed))
    if bad:
        raise ValueError(f"cannot write column(s) {', '.join(bad)} of {table!r} directly")


def _audit(
    ws: Workspace, table: str, action: str, before: Row | None, after: Row | None, at: str
) -> None:
    ws.db.execute(
        f'INSERT INTO {AUDIT_TABLE} (at, "user", table_name, record_id, action, before, after) '
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            at,
            ws.user,
            table,
            str((after or before or {})["id"]),
            action,
            _json(before),
            _json(after),
        ],
    )


def _json(row: Row | None) -> str | None:
    if row is None:
        return None
    return json.dumps(row, ensure_ascii=False, sort_keys=True)


def _label(table: str) -> str:
    return table.replace("_", " ")
