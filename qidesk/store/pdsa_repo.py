"""PDSA cycles in tables: ``pdsa_cycle`` and its child tables <-> :class:`PdsaCycle`.

The only module that knows how a cycle is laid out in tables. Writes go through
:mod:`qidesk.store.records` (audited, revisioned, tombstoned) and run inside the caller's
``ws.atomic()``.

Schema (migration 4 in :mod:`qidesk.store.migrations`; needs ``project``, ``measure`` and
``driver_node``, that is migrations 1 to 3):

``pdsa_cycle``
    one row per cycle: identity, Plan (objective, the test, data-collection plan), Do, Study
    (summary and "did it improve") and Act, flattened into columns.
``pdsa_question`` and ``pdsa_task``
    one row per question (with its prediction, reasoning, result, learning and whether the
    prediction held) and per task, ordered by ``sort_order``.
``pdsa_change_idea`` and ``pdsa_measure``
    one row per link from a cycle to a change idea (``driver_node``) or a measure.

Why child tables rather than JSON text for questions and tasks: every row that travels to the
hub is a record with its own id, revision and tombstone, so that the exchange workbook can list
questions and tasks on their own sheets and the three-way merge can take one site's new
question and another site's edited result without a conflict on the whole cycle. JSON text
would turn any two edits of a cycle into one conflict, and could not be read by people who
open the workbook without qidesk. Links are records for the same reason: removing a link
tombstones its row, so the removal travels, and adding it again revives the same row. A link
row's id is derived from the cycle and the linked record (:func:`link_id`), so two sites that
make the same link make the same row.

Deleting a cycle tombstones it with its live questions, tasks and links at one moment;
restoring it brings back exactly the rows deleted at that moment.
"""

from __future__ import annotations

import builtins
import uuid
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from qidesk.core.errors import NotFoundError
from qidesk.core.pdsa import (
    Confirmation,
    CycleStatus,
    Decision,
    Improvement,
    PdsaCycle,
    Purpose,
    Question,
    Task,
    TestPlan,
    TestScale,
)
from qidesk.core.records import utc_now
from qidesk.store import records
from qidesk.store.database import Workspace
from qidesk.store.records import Row, meta_from_row
from qidesk.store.values import iso_date, optional_date

CYCLE = "pdsa_cycle"
QUESTION = "pdsa_question"
TASK = "pdsa_task"
CHANGE_IDEA_LINK = "pdsa_change_idea"
MEASURE_LINK = "pdsa_measure"
CHILD_TABLES = (QUESTION, TASK, CHANGE_IDEA_LINK, MEASURE_LINK)
#: every child table, with its column that holds the cycle's id
_CHILDREN = dict.fromkeys(CHILD_TABLES, "pdsa_id")

_LINK_NAMESPACE = uuid.UUID("0b7f3c1e-5a2d-4e8b-9c41-7d2e6f9a1b35")


def link_id(pdsa_id: str, target_id: str) -> str:
    """The id of the link row from cycle ``pdsa_id`` to a change idea or measure."""
    return str(uuid.uuid5(_LINK_NAMESPACE, f"{pdsa_id}/{target_id}"))


# ---------------------------------------------------------------------- rows <-> objects


def cycle_columns(c: PdsaCycle) -> Row:
    """The stored columns of a cycle's own row (no id, metadata, children or links)."""
    return {
        "project_id": c.project_id,
        "ramp_id": c.ramp_id,
        "ramp_name": " ".join(c.ramp_name.split()),
        "number": c.number,
        "previous_cycle_id": c.previous_cycle_id,
        "purpose": c.purpose.value,
        "owner": c.owner,
        "start_date": iso_date(c.start),
        "end_date": iso_date(c.end),
        "status": c.status.value,
        "objective": c.objective,
        "test_what": c.test.what,
        "test_who": c.test.who,
        "test_where": c.test.where,
        "test_when": c.test.when,
        "test_scale": c.test.scale.value if c.test.scale else None,
        "test_scale_detail": c.test.scale_detail,
        "data_plan": c.data_plan,
        "do_what_happened": c.what_happened,
        "do_problems": c.problems,
        "do_deviations": c.deviations,
        "study_improved": c.improved.value if c.improved else None,
        "study_summary": c.study_summary,
        "act_decision": c.decision.value if c.decision else None,
        "act_next_steps": c.next_steps,
    }


def question_columns(q: Question, pdsa_id: str, order: int) -> Row:
    """The stored columns of a question (no id or metadata)."""
    return {
        "pdsa_id": pdsa_id,
        "sort_order": order,
        "question": q.text,
        "prediction": q.prediction,
        "reasoning": q.reasoning,
        "result": q.result,
        "learning": q.learning,
        "confirmed": q.confirmed.value if q.confirmed else None,
    }


def task_columns(t: Task, pdsa_id: str, order: int) -> Row:
    """The stored columns of a task (no id or metadata)."""
    return {
        "pdsa_id": pdsa_id,
        "sort_order": order,
        "task": t.text,
        "who": t.who,
        "due": iso_date(t.due),
        "done": int(t.done),
    }


def _question(row: Row) -> Question:
    return Question(
        text=row["question"],
        prediction=row["prediction"],
        reasoning=row["reasoning"],
        result=row["result"],
        learning=row["learning"],
        confirmed=Confirmation(row["confirmed"]) if row["confirmed"] else None,
        id=row["id"],
        meta=meta_from_row(row),
    )


def _task(row: Row) -> Task:
    return Task(
        text=row["task"],
        who=row["who"],
        due=optional_date(row["due"]),
        done=bool(row["done"]),
        id=row["id"],
        meta=meta_from_row(row),
    )


def cycle_from_rows(
    row: Row,
    questions: Iterable[Row] = (),
    tasks: Iterable[Row] = (),
    change_idea_ids: Iterable[str] = (),
    measure_ids: Iterable[str] = (),
) -> PdsaCycle:
    """A :class:`PdsaCycle` from its row, its live child rows (in order) and its link targets."""
    scale = row["test_scale"]
    return PdsaCycle(
        project_id=row["project_id"],
        ramp_id=row["ramp_id"],
        ramp_name=row["ramp_name"],
        number=int(row["number"]),
        previous_cycle_id=row["previous_cycle_id"],
        change_idea_ids=tuple(change_idea_ids),
        measure_ids=tuple(measure_ids),
        purpose=Purpose(row["purpose"]),
        owner=row["owner"],
        start=optional_date(row["start_date"]),
        end=optional_date(row["end_date"]),
        status=CycleStatus(row["status"]),
        objective=row["objective"],
        questions=tuple(_question(q) for q in questions),
        test=TestPlan(
            what=row["test_what"],
            who=row["test_who"],
            where=row["test_where"],
            when=row["test_when"],
            scale=TestScale(scale) if scale else None,
            scale_detail=row["test_scale_detail"],
        ),
        tasks=tuple(_task(t) for t in tasks),
        data_plan=row["data_plan"],
        what_happened=row["do_what_happened"],
        problems=row["do_problems"],
        deviations=row["do_deviations"],
        improved=Improvement(row["study_improved"]) if row["study_improved"] else None,
        study_summary=row["study_summary"],
        decision=Decision(row["act_decision"]) if row["act_decision"] else None,
        next_steps=row["act_next_steps"],
        id=row["id"],
        meta=meta_from_row(row),
    )


# ---------------------------------------------------------------------- repository

_LINK_COLUMN = {CHANGE_IDEA_LINK: "change_idea_id", MEASURE_LINK: "measure_id"}


class PdsaRepository:
    """Load and store the PDSA cycles of one workspace."""

    def __init__(self, ws: Workspace) -> None:
        self._ws = ws

    # ------------------------------------------------------------------ reading
    def get(self, cycle_id: str, include_deleted: bool = False) -> PdsaCycle:
        """One cycle with its live children and links (``NotFoundError`` when absent/deleted)."""
        row = records.fetch(self._ws, CYCLE, cycle_id)
        if row is None or (row["deleted_at"] is not None and not include_deleted):
            raise NotFoundError("That PDSA cycle does not exist (it may have been deleted).")
        return self._assemble([row])[0]

    def for_project(self, project_id: str) -> builtins.list[PdsaCycle]:
        """The live cycles of a project, by ramp, then number."""
        rows = self._ws.db.query(
            "SELECT * FROM pdsa_cycle WHERE project_id = ? AND deleted_at IS NULL "
            "ORDER BY ramp_id, number, start_date, id",
            [project_id],
        )
        return self._assemble(rows)

    def linked_to_measure(self, measure_id: str) -> builtins.list[PdsaCycle]:
        """The live cycles with a live link to ``measure_id``."""
        rows = self._ws.db.query(
            "SELECT c.* FROM pdsa_cycle c JOIN pdsa_measure l ON l.pdsa_id = c.id "
            "WHERE l.measure_id = ? AND l.deleted_at IS NULL AND c.deleted_at IS NULL "
            "ORDER BY c.start_date, c.ramp_id, c.number, c.id",
            [measure_id],
        )
        return self._assemble(rows)

    def counts_by_change_idea(self, project_id: str) -> dict[str, int]:
        """How many live cycles of the project test each change idea (for the diagram's gaps)."""
        rows = self._ws.db.execute(
            "SELECT l.change_idea_id, count(*) FROM pdsa_change_idea l "
            "JOIN pdsa_cycle c ON c.id = l.pdsa_id WHERE c.project_id = ? "
            "AND l.deleted_at IS NULL AND c.deleted_at IS NULL GROUP BY l.change_idea_id",
            [project_id],
        ).fetchall()
        return {str(r[0]): int(r[1]) for r in rows}

    def _assemble(self, rows: Iterable[Row]) -> builtins.list[PdsaCycle]:
        rows = builtins.list(rows)
        ids = [str(r["id"]) for r in rows]
        children: dict[str, dict[str, builtins.list[Any]]] = {
            i: {t: [] for t in CHILD_TABLES} for i in ids
        }
        for start in range(0, len(ids), 500):  # stay under SQLite's parameter limit
            chunk = ids[start : start + 500]
            marks = ", ".join("?" for _ in chunk)
            for table in (QUESTION, TASK):
                for r in self._ws.db.query(
                    f"SELECT * FROM {table} WHERE pdsa_id IN ({marks}) AND deleted_at IS NULL "
                    "ORDER BY sort_order, created_at, id",
                    chunk,
                ):
                    children[r["pdsa_id"]][table].append(r)
            for table, column in _LINK_COLUMN.items():
                for r in self._ws.db.query(
                    f"SELECT pdsa_id, {column} AS target FROM {table} "
                    f"WHERE pdsa_id IN ({marks}) AND deleted_at IS NULL ORDER BY created_at, id",
                    chunk,
                ):
                    children[r["pdsa_id"]][table].append(r["target"])
        return [
            cycle_from_rows(
                r,
                children[r["id"]][QUESTION],
                children[r["id"]][TASK],
                children[r["id"]][CHANGE_IDEA_LINK],
                children[r["id"]][MEASURE_LINK],
            )
            for r in rows
        ]

    # ------------------------------------------------------------------ writing
    def add(self, cycle: PdsaCycle) -> PdsaCycle:
        """Store a new cycle with its questions, tasks and links (the caller validated it)."""
        with self._ws.atomic():
            records.insert(self._ws, CYCLE, {"id": cycle.id, **cycle_columns(cycle)})
            self._save_children(cycle)
        return self.get(cycle.id)

    def save(self, cycle: PdsaCycle) -> tuple[PdsaCycle, PdsaCycle]:
        """Write every field of an existing live cycle; return ``(before, after)``.

        Questions and tasks new to the cycle are added, changed ones updated, missing ones
        tombstoned, and ones deleted earlier come back (undo). Links likewise.
        """
        with self._ws.atomic():
            before = self.get(cycle.id)
            records.update(self._ws, CYCLE, cycle.id, cycle_columns(cycle))
            self._save_children(cycle)
            after = self.get(cycle.id)
        return before, after

    def delete(self, cycle_id: str) -> PdsaCycle:
        """Tombstone a live cycle and its live children and links at one moment; return it."""
        with self._ws.atomic():
            cycle = self.get(cycle_id)
            records.tombstone_with_children(self._ws, CYCLE, cycle_id, _CHILDREN, now=utc_now())
        return cycle

    def restore(self, cycle_id: str) -> PdsaCycle:
        """Bring back a deleted cycle with the children and links deleted along with it."""
        if not records.restore_with_children(self._ws, CYCLE, cycle_id, _CHILDREN):
            raise NotFoundError("That PDSA cycle does not exist.")
        return self.get(cycle_id)

    # ------------------------------------------------------------------ helpers
    def _save_children(self, cycle: PdsaCycle) -> None:
        self._sync_rows(
            QUESTION,
            cycle.id,
            [(q.id, question_columns(q, cycle.id, i)) for i, q in enumerate(cycle.questions)],
        )
        self._sync_rows(
            TASK,
            cycle.id,
            [(t.id, task_columns(t, cycle.id, i)) for i, t in enumerate(cycle.tasks)],
        )
        for table, targets in (
            (CHANGE_IDEA_LINK, cycle.change_idea_ids),
            (MEASURE_LINK, cycle.measure_ids),
        ):
            column = _LINK_COLUMN[table]
            unique = dict.fromkeys(targets)
            self._sync_rows(
                table,
                cycle.id,
                [(link_id(cycle.id, t), {"pdsa_id": cycle.id, column: t}) for t in unique],
            )

    def _sync_rows(self, table: str, cycle_id: str, wanted: Sequence[tuple[str, Row]]) -> None:
        """Make ``table``'s live rows of ``cycle_id`` exactly ``wanted`` (id, columns)."""
        stored: Mapping[str, Row] = {
            r["id"]: r
            for r in self._ws.db.query(f"SELECT * FROM {table} WHERE pdsa_id = ?", [cycle_id])
        }
        kept: set[str] = set()
        for row_id, columns in wanted:
            kept.add(row_id)
            existing = stored.get(row_id)
            if existing is None:
                records.insert(self._ws, table, {"id": row_id, **columns})
                continue
            if existing["deleted_at"] is not None:
                records.restore(self._ws, table, row_id)
            records.update(self._ws, table, row_id, columns)
        for row_id, existing in stored.items():
            if row_id not in kept and existing["deleted_at"] is None:
                records.tombstone(self._ws, table, row_id)
