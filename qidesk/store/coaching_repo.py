"""Coaching sessions, their actions and stories of impact in tables <-> ``qidesk.core.coaching``.

The only module that knows how these records are laid out. Writes go through
:mod:`qidesk.store.records` (audited, revisioned, tombstoned) and run inside the caller's
``ws.atomic()``; nothing is ever hard-deleted.

Schema (migration 5 in :mod:`qidesk.store.migrations`):
``coaching_session``, ``coaching_action`` (a child record table, so each
action travels to the hub on its own and can be ticked off without rewriting its session) and
``story``. All three are record tables with a foreign key to ``project``; actions also refer to
their session. Attendees are stored as a JSON list of names.
"""

from __future__ import annotations

import builtins
import json
from datetime import date

from qidesk.core.coaching import (
    CoachingAction,
    CoachingSession,
    Story,
    StoryKind,
    validate_session,
    validate_story,
)
from qidesk.core.errors import NotFoundError
from qidesk.core.records import utc_now
from qidesk.store import records
from qidesk.store.database import Workspace
from qidesk.store.records import Row, meta_from_row
from qidesk.store.values import iso_date, optional_date

SESSION = "coaching_session"
ACTION = "coaching_action"
STORY = "story"
#: a session's actions, by the column that holds the session's id
_SESSION_CHILDREN = {ACTION: "session_id"}


# --------------------------------------------------------------------------- rows


def session_columns(s: CoachingSession) -> Row:
    """The stored columns of a session (without id, metadata and actions)."""
    return {
        "project_id": s.project_id,
        "held_on": s.held_on.isoformat(),
        "coach": s.coach.strip(),
        "attendees": json.dumps(list(s.attendees), ensure_ascii=False),
        "notes": s.notes,
    }


def action_columns(a: CoachingAction, session: CoachingSession, order: int) -> Row:
    """The stored columns of an action of ``session`` at position ``order``."""
    return {
        "project_id": session.project_id,
        "session_id": session.id,
        "text": a.text.strip(),
        "owner": a.owner.strip(),
        "due": iso_date(a.due),
        "done": int(a.done),
        "sort_order": order,
    }


def action_from_row(row: Row) -> CoachingAction:
    """A :class:`CoachingAction` from its row."""
    return CoachingAction(
        text=str(row["text"]),
        owner=str(row["owner"]),
        due=optional_date(row["due"]),
        done=bool(row["done"]),
        id=str(row["id"]),
        meta=meta_from_row(row),
    )


def session_from_row(row: Row, actions: builtins.list[CoachingAction]) -> CoachingSession:
    """A :class:`CoachingSession` from its row and its live actions (in order)."""
    return CoachingSession(
        project_id=str(row["project_id"]),
        held_on=date.fromisoformat(str(row["held_on"])),
        coach=str(row["coach"]),
        attendees=tuple(str(n) for n in json.loads(row["attendees"])),
        notes=str(row["notes"]),
        actions=tuple(actions),
        id=str(row["id"]),
        meta=meta_from_row(row),
    )


def story_columns(s: Story) -> Row:
    """The stored columns of a story (without id and metadata)."""
    return {
        "project_id": s.project_id,
        "told_on": s.told_on.isoformat(),
        "kind": s.kind.value,
        "title": s.title.strip(),
        "text": s.text,
        "attachment": s.attachment,
    }


def story_from_row(row: Row) -> Story:
    """A :class:`Story` from its row."""
    return Story(
        project_id=str(row["project_id"]),
        told_on=date.fromisoformat(str(row["told_on"])),
        kind=StoryKind(row["kind"]),
        title=str(row["title"]),
        text=str(row["text"]),
        attachment=row["attachment"],
        id=str(row["id"]),
        meta=meta_from_row(row),
    )


# --------------------------------------------------------------------------- repository


class CoachingRepository:
    """Load and store the coaching sessions (with actions) and stories of a workspace."""

    def __init__(self, ws: Workspace) -> None:
        self._ws = ws

    # sessions ------------------------------------------------------------------------
    def sessions(self, project_id: str) -> builtins.list[CoachingSession]:
        """The project's live sessions, newest first, each with its live actions."""
        rows = builtins.list(
            self._ws.db.query(
                "SELECT * FROM coaching_session WHERE project_id = ? AND deleted_at IS NULL "
                "ORDER BY held_on DESC, created_at DESC, id",
                [project_id],
            )
        )
        actions: dict[str, builtins.list[CoachingAction]] = {}
        for arow in self._ws.db.query(
            "SELECT * FROM coaching_action WHERE project_id = ? AND deleted_at IS NULL "
            "ORDER BY sort_order, created_at, id",
            [project_id],
        ):
            actions.setdefault(str(arow["session_id"]), []).append(action_from_row(arow))
        return [session_from_row(r, actions.get(str(r["id"]), [])) for r in rows]

    def session(self, session_id: str, include_deleted: bool = False) -> CoachingSession:
        """One session with its live actions (``NotFoundError`` when absent or deleted)."""
        row = records.fetch(self._ws, SESSION, session_id)
        if row is None or (row["deleted_at"] is not None and not include_deleted):
            raise NotFoundError("That coaching session does not exist (it may have been deleted).")
        actions = [
            action_from_row(r)
            for r in self._ws.db.query(
                "SELECT * FROM coaching_action WHERE session_id = ? AND deleted_at IS NULL "
                "ORDER BY sort_order, created_at, id",
                [session_id],
            )
        ]
        return session_from_row(row, actions)

    def exists(self, table: str, record_id: str) -> bool:
        """True when a row ``record_id`` of ``table`` exists (deleted or not)."""
        return records.fetch(self._ws, table, record_id) is not None

    def add_session(self, session: CoachingSession) -> CoachingSession:
        """Store a new session and its actions; return it as stored."""
        validate_session(session)
        with self._ws.atomic():
            records.insert(self._ws, SESSION, {"id": session.id, **session_columns(session)})
            for order, action in enumerate(session.actions):
                records.insert(
                    self._ws, ACTION, {"id": action.id, **action_columns(action, session, order)}
                )
        return self.session(session.id)

    def save_session(self, session: CoachingSession) -> CoachingSession:
        """Save a live session: changed columns, and its actions added, changed or removed.

        An action id that was removed earlier comes back (so undoing a removal keeps its
        history); actions no longer listed are tombstoned.
        """
        validate_session(session)
        with self._ws.atomic():
            records.update(self._ws, SESSION, session.id, session_columns(session))
            self._save_actions(session)
        return self.session(session.id)

    def _save_actions(self, session: CoachingSession) -> None:
        stored = {
            str(r["id"]): r
            for r in self._ws.db.query(
                "SELECT * FROM coaching_action WHERE session_id = ?", [session.id]
            )
        }
        kept: set[str] = set()
        for order, action in enumerate(session.actions):
            kept.add(action.id)
            columns = action_columns(action, session, order)
            existing = stored.get(action.id)
            if existing is None:
                records.insert(self._ws, ACTION, {"id": action.id, **columns})
                continue
            if existing["session_id"] != session.id:
                raise NotFoundError("That action belongs to another coaching session.")
            if existing["deleted_at"] is not None:
                records.restore(self._ws, ACTION, action.id)
            del columns["project_id"], columns["session_id"]
            records.update(self._ws, ACTION, action.id, columns)
        for action_id, row in stored.items():
            if action_id not in kept and row["deleted_at"] is None:
                records.tombstone(self._ws, ACTION, action_id)

    def set_action_done(self, action_id: str, done: bool) -> CoachingAction:
        """Tick an action off (or back on)."""
        _, after = records.update(self._ws, ACTION, action_id, {"done": int(done)})
        return action_from_row(after)

    def action_session_id(self, action_id: str) -> str:
        """The id of the session an action belongs to."""
        row = records.fetch(self._ws, ACTION, action_id)
        if row is None:
            raise NotFoundError("That action does not exist.")
        return str(row["session_id"])

    def delete_session(self, session_id: str) -> None:
        """Tombstone a session and its live actions, all at one moment."""
        with self._ws.atomic():
            self.session(session_id)  # must exist and be live
            records.tombstone_with_children(
                self._ws, SESSION, session_id, _SESSION_CHILDREN, now=utc_now()
            )

    def restore_session(self, session_id: str) -> CoachingSession:
        """Bring back a deleted session with the actions deleted along with it."""
        if not records.restore_with_children(self._ws, SESSION, session_id, _SESSION_CHILDREN):
            raise NotFoundError("That coaching session does not exist.")
        return self.session(session_id)

    # stories -------------------------------------------------------------------------
    def stories(self, project_id: str) -> builtins.list[Story]:
        """The project's live stories, newest first."""
        rows = self._ws.db.query(
            "SELECT * FROM story WHERE project_id = ? AND deleted_at IS NULL "
            "ORDER BY told_on DESC, created_at DESC, id",
            [project_id],
        )
        return [story_from_row(r) for r in rows]

    def story(self, story_id: str, include_deleted: bool = False) -> Story:
        """One story (``NotFoundError`` when absent, or deleted unless ``include_deleted``)."""
        row = records.fetch(self._ws, STORY, story_id)
        if row is None or (row["deleted_at"] is not None and not include_deleted):
            raise NotFoundError("That story does not exist (it may have been deleted).")
        return story_from_row(row)

    def add_story(self, story: Story) -> Story:
        """Store a new story."""
        validate_story(story)
        return story_from_row(
            records.insert(self._ws, STORY, {"id": story.id, **story_columns(story)})
        )

    def save_story(self, story: Story) -> Story:
        """Save every field of a live story."""
        validate_story(story)
        _, after = records.update(self._ws, STORY, story.id, story_columns(story))
        return story_from_row(after)

    def delete_story(self, story_id: str) -> None:
        """Tombstone a story."""
        records.tombstone(self._ws, STORY, story_id)

    def restore_story(self, story_id: str) -> Story:
        """Bring a deleted story back."""
        return story_from_row(records.restore(self._ws, STORY, story_id))
