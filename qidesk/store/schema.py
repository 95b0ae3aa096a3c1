"""Schema introspection shared by the record writer and the workspace tools.

A *record table* is one whose rows travel to the hub: it has a text ``id`` primary key and
the metadata columns in :data:`META_COLUMNS`. Record tables are found from the schema
itself, so a table added by a later migration is picked up without a list to maintain.
"""

from __future__ import annotations

import sqlite_utils

#: Metadata columns every record table carries (see :class:`qidesk.core.records.RecordMeta`).
META_COLUMNS: tuple[str, ...] = (
    "created_at",
    "created_by",
    "updated_at",
    "updated_by",
    "revision",
    "deleted_at",
)

#: The append-only change history (not a record table: it never travels as records).
AUDIT_TABLE = "audit_log"


def quote(identifier: str) -> str:
    """``identifier`` quoted for use as an SQL name."""
    return '"' + identifier.replace('"', '""') + '"'


def table_columns(db: sqlite_utils.Database, table: str) -> list[str]:
    """The column names of ``table`` in order (empty when there is no such table)."""
    rows = db.execute("SELECT name FROM pragma_table_info(?)", [table]).fetchall()
    return [str(row[0]) for row in rows]


def user_tables(db: sqlite_utils.Database) -> list[str]:
    """Every table of the schema except SQLite's own, by name."""
    rows = db.execute(
        "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' "
        "ESCAPE '\\' ORDER BY name"
    ).fetchall()
    return [str(row[0]) for row in rows]


def is_record_table(columns: list[str]) -> bool:
    """True when a table with these columns is a record table."""
    return "id" in columns and all(column in columns for column in META_COLUMNS)


def record_tables(db: sqlite_utils.Database) -> list[str]:
    """The record tables of the schema, by name."""
    return [name for name in user_tables(db) if is_record_table(table_columns(db, name))]


def record_table_columns(db: sqlite_utils.Database, table: str) -> list[str]:
    """The columns of record table ``table``; ``ValueError`` if it is not one (a bug)."""
    columns = table_columns(db, table)
    if not is_record_table(columns):
        raise ValueError(f"{table!r} is not a record table of this workspace")
    return columns
