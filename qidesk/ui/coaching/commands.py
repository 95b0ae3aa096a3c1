"""Undo commands of coaching sessions, their actions and stories of impact.

Each calls :class:`~qidesk.services.coaching.CoachingService`; the base class broadcasts the
returned ``Changes``. Pushing a command runs its ``redo()``: callers never do the edit too.
"""

from __future__ import annotations

from qidesk.core.changes import Changes
from qidesk.core.coaching import CoachingSession, Story
from qidesk.services.coaching import CoachingService
from qidesk.ui.commands import ServiceCommand
from qidesk.ui.context import WorkspaceContext


class CoachingCommand(ServiceCommand):
    """Base: holds the window's :class:`CoachingService`."""

    def __init__(self, context: WorkspaceContext, service: CoachingService, text: str) -> None:
        super().__init__(context, text)
        self.service = service


class AddSessionCommand(CoachingCommand):
    """Record a new coaching session; undo deletes it, redo brings the same record back."""

    def __init__(
        self, context: WorkspaceContext, service: CoachingService, session: CoachingSession
    ) -> None:
        super().__init__(context, service, f"Add coaching session of {session.title}")
        self.session = session

    def _do(self) -> Changes:
        return self.service.create_session(self.session).changes

    def _undo(self) -> Changes:
        return self.service.delete_session(self.session.id)


class EditSessionCommand(CoachingCommand):
    """Save a session (notes, attendees and actions together); undo saves the previous one."""

    def __init__(
        self,
        context: WorkspaceContext,
        service: CoachingService,
        before: CoachingSession,
        after: CoachingSession,
        text: str = "",
    ) -> None:
        super().__init__(context, service, text or f"Edit coaching session of {after.title}")
        self.before = before
        self.after = after

    def _do(self) -> Changes:
        return self.service.update_session(self.after).changes

    def _undo(self) -> Changes:
        return self.service.update_session(self.before).changes


class DeleteSessionCommand(CoachingCommand):
    """Delete a session with its actions; undo restores them."""

    def __init__(
        self, context: WorkspaceContext, service: CoachingService, session: CoachingSession
    ) -> None:
        super().__init__(context, service, f"Delete coaching session of {session.title}")
        self.session = session

    def _do(self) -> Changes:
        return self.service.delete_session(self.session.id)

    def _undo(self) -> Changes:
        return self.service.restore_session(self.session.id).changes


class SetActionDoneCommand(CoachingCommand):
    """Tick an action off (or back on); undo does the opposite."""

    def __init__(
        self,
        context: WorkspaceContext,
        service: CoachingService,
        action_id: str,
        text: str,
        done: bool,
    ) -> None:
        verb = "Mark done" if done else "Mark not done"
        super().__init__(context, service, f"{verb}: {text}")
        self.action_id = action_id
        self.done = done

    def _do(self) -> Changes:
        return self.service.set_action_done(self.action_id, self.done)

    def _undo(self) -> Changes:
        return self.service.set_action_done(self.action_id, not self.done)


class AddStoryCommand(CoachingCommand):
    """Record a new story; undo deletes it, redo brings the same record back."""

    def __init__(self, context: WorkspaceContext, service: CoachingService, story: Story) -> None:
        super().__init__(context, service, f"Add story “{story.title}”")
        self.story = story

    def _do(self) -> Changes:
        return self.service.create_story(self.story).changes

    def _undo(self) -> Changes:
        return self.service.delete_story(self.story.id)


class EditStoryCommand(CoachingCommand):
    """Save a story; undo saves the previous version."""

    def __init__(
        self, context: WorkspaceContext, service: CoachingService, before: Story, after: Story
    ) -> None:
        super().__init__(context, service, f"Edit story “{after.title}”")
        self.before = before
        self.after = after

    def _do(self) -> Changes:
        return self.service.update_story(self.after).changes

    def _undo(self) -> Changes:
        return self.service.update_story(self.before).changes


class DeleteStoryCommand(CoachingCommand):
    """Delete a story; undo restores it."""

    def __init__(self, context: WorkspaceContext, service: CoachingService, story: Story) -> None:
        super().__init__(context, service, f"Delete story “{story.title}”")
        self.story = story

    def _do(self) -> Changes:
        return self.service.delete_story(self.story.id)

    def _undo(self) -> Changes:
        return self.service.restore_story(self.story.id).changes
