"""The generic record writer: metadata, revisions, tombstones and one audit row per change."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

import pytest

from qidesk.core.errors import NotFoundError
from qidesk.store import records
from qidesk.store.database import Workspace

PROJECT: dict[str, Any] = {
    "title": "Falls",
    "work_type": "strategic",
    "status": "active",
    "phase": "testing",
    "involvement": "none",
}


def audit_rows(ws: Workspace) -> list[dict[str, Any]]:
    rows = list(ws.db.query("SELECT * FROM audit_log ORDER BY id"))
    for row in rows:
        row["before"] = json.loads(row["before"]) if row["before"] else None
        row["after"] = json.loads(row["after"]) if row["after"] else None
    return rows


def test_insert_fills_metadata_and_audits(ws: Workspace) -> None:
    stored = records.insert(ws, "project", PROJECT)
    assert len(stored["id"]) == 36
    assert stored["created_by"] == stored["updated_by"] == ws.user
    assert stored["created_at"] == stored["updated_at"]
    assert stored["created_at"].endswith("Z")
    assert stored["revision"] == 1
    assert stored["deleted_at"] is None
    (audit,) = audit_rows(ws)
    assert audit["action"] == "insert"
    assert audit["table_name"] == "project"
    assert audit["record_id"] == stored["id"]
    assert audit["user"] == ws.user
    assert audit["at"] == stored["created_at"]
    assert audit["before"] is None
    assert audit["after"] == stored


def test_insert_keeps_a_given_id(ws: Workspace) -> None:
    stored = records.insert(ws, "project", {"id": "fixed-id", **PROJECT})
    assert stored["id"] == "fixed-id"
    assert records.fetch(ws, "project", "fixed-id") == stored


def test_update_writes_only_changes_bumps_revision_and_audits(ws: Workspace) -> None:
    stored = records.insert(ws, "project", PROJECT)
    before, after = records.update(
        ws, "project", stored["id"], {"title": "Fewer falls", "status": "active"}
    )
    assert before == stored
    assert after["title"] == "Fewer falls"
    assert after["revision"] == 2
    assert after["updated_at"] >= stored["updated_at"]
    assert after["created_at"] == stored["created_at"]
    audit = audit_rows(ws)[-1]
    assert audit["action"] == "update"
    assert audit["before"] == before
    assert audit["after"] == after
    _, again = records.update(ws, "project", stored["id"], {"phase": "spread"})
    assert again["revision"] == 3


def test_update_without_real_changes_writes_nothing(ws: Workspace) -> None:
    stored = records.insert(ws, "project", PROJECT)
    before, after = records.update(ws, "project", stored["id"], {"title": "Falls"})
    assert before == after == stored
    assert len(audit_rows(ws)) == 1
    assert records.fetch(ws, "project", stored["id"]) == stored


def test_tombstone_and_restore(ws: Workspace) -> None:
    stored = records.insert(ws, "project", PROJECT)
    deleted = records.tombstone(ws, "project", stored["id"])
    assert deleted["deleted_at"] is not None
    assert deleted["revision"] == 2
    assert deleted["updated_at"] == deleted["deleted_at"]
    assert records.fetch(ws, "project", stored["id"]) == deleted  # still in the table
    assert records.tombstone(ws, "project", stored["id"]) == deleted  # idempotent
    restored = records.restore(ws, "project", stored["id"])
    assert restored["deleted_at"] is None
    assert restored["revision"] == 3
    assert records.restore(ws, "project", stored["id"]) == restored  # idempotent
    actions = [(a["action"], a["before"], a["after"]) for a in audit_rows(ws)]
    assert actions == [
        ("insert", None, stored),
        ("delete", stored, deleted),
        ("restore", deleted, restored),
    ]


def test_tombstone_at_a_given_moment(ws: Workspace) -> None:
    stored = records.insert(ws, "project", PROJECT)
    deleted = records.tombstone(ws, "project", stored["id"], at="2030-01-01T00:00:00.000Z")
    assert deleted["deleted_at"] == "2030-01-01T00:00:00.000Z"


def test_deleted_records_cannot_be_updated(ws: Workspace) -> None:
    stored = records.insert(ws, "project", PROJECT)
    records.tombstone(ws, "project", stored["id"])
    with pytest.raises(NotFoundError, match="deleted"):
        records.update(ws, "project", stored["id"], {"title": "x"})


def test_missing_records(ws: Workspace) -> None:
    assert records.fetch(ws, "project", "nope") is None
    for call in (
        lambda: records.update(ws, "project", "nope", {"title": "x"}),
        lambda: records.tombstone(ws, "project", "nope"),
        lambda: records.restore(ws, "project", "nope"),
    ):
        with pytest.raises(NotFoundError, match="no project with id nope"):
            call()
    assert audit_rows(ws) == []


@pytest.mark.parametrize(
    "row", [{"revision": 5}, {"deleted_at": "x"}, {"created_by": "me"}, {"colour": "red"}]
)
def test_metadata_and_unknown_columns_are_refused(ws: Workspace, row: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="cannot write column"):
        records.insert(ws, "project", {**PROJECT, **row})
    stored = records.insert(ws, "project", PROJECT)
    with pytest.raises(ValueError, match="cannot write column"):
        records.update(ws, "project", stored["id"], row)
    with pytest.raises(ValueError, match="cannot write column"):
        records.update(ws, "project", stored["id"], {"id": "other"})


@pytest.mark.parametrize("table", ["audit_log", "site", "settings", "nope", 'project"; --'])
def test_only_record_tables_are_written(ws: Workspace, table: str) -> None:
    with pytest.raises(ValueError, match="not a record table"):
        records.insert(ws, table, {})


def test_a_failed_write_leaves_no_audit_row(ws: Workspace) -> None:
    with pytest.raises(sqlite3.IntegrityError):
        records.insert(ws, "project", {**PROJECT, "work_type": "nonsense"})
    assert audit_rows(ws) == []


def test_the_audit_log_cannot_be_changed(ws: Workspace) -> None:
    records.insert(ws, "project", PROJECT)
    for sql in ("UPDATE audit_log SET user = 'mallory'", "DELETE FROM audit_log"):
        with pytest.raises(sqlite3.IntegrityError, match="audit log cannot be changed"):
            ws.db.execute(sql)
    assert audit_rows(ws)[0]["user"] == ws.user


def test_writes_join_the_callers_transaction(ws: Workspace) -> None:
    def insert_two_then_fail() -> None:
        with ws.atomic():
            records.insert(ws, "project", PROJECT)
            records.insert(ws, "project", PROJECT)
            raise RuntimeError("later step failed")

    with pytest.raises(RuntimeError):
        insert_two_then_fail()
    assert ws.db.execute("SELECT count(*) FROM project").fetchone()[0] == 0
    assert audit_rows(ws) == []


def test_put_inserts_revives_and_updates_the_same_record(ws: Workspace) -> None:
    row = {"id": "put-id", **PROJECT}
    stored, live_again = records.put(ws, "project", row)
    assert live_again
    assert stored["revision"] == 1
    same, live_again = records.put(ws, "project", row)  # nothing changed: nothing written
    assert not live_again
    assert same == stored
    records.tombstone(ws, "project", "put-id")
    revived, live_again = records.put(ws, "project", {**row, "title": "Fewer falls"})
    assert live_again
    assert revived["deleted_at"] is None
    assert revived["title"] == "Fewer falls"
    assert [a["action"] for a in audit_rows(ws)] == ["insert", "delete", "restore", "update"]
