"""Coaching: undo commands, the coaching panel's parts, the projector view and the summary PDF."""
