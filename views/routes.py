"""Every path of the app, built here and nowhere else (no inline route f-strings)."""

from __future__ import annotations

from urllib.parse import quote

from mus.wheel import Element

HOME = "/"
WHEEL = "/wheel"
SETTINGS = "/settings"
CONVERSATIONS = "/conversations"
NEW_CONVERSATION = "/conversations/new"
PLAN = "/plan"
REMINDERS = "/reminders"
SYNC_TARGETS = "/settings/sync"
OUTBOX = "/settings/outbox"


def step(element: Element) -> str:
    """The screen of one wheel element (or the strategy centre)."""
    return f"{WHEEL}/{element.id}"


def check_in() -> str:
    """The self-review (check-in) of the follow-up step."""
    return f"{WHEEL}/follow_up/check-in"


def reminder(conversation_id: str, reminder_id: str) -> str:
    """One reminder of a conversation's follow-up schedule (its id holds a colon)."""
    return f"{REMINDERS}/{quote(conversation_id, safe='')}/{quote(reminder_id, safe='')}"


def reminder_check_in(conversation_id: str, reminder_id: str) -> str:
    """The check-in, opened from a reminder: back (and Save) return to the reminder."""
    return f"{reminder(conversation_id, reminder_id)}/check-in"


def goal(goal_id: str) -> str:
    """One development goal with its activities."""
    return f"{WHEEL}/goals/{goal_id}"


def goal_strategy(goal_id: str) -> str:
    """The strategy, opened from inside a goal: back returns to that goal."""
    return f"{goal(goal_id)}/strategy"
