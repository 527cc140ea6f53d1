"""The command line's first words, in a module that imports nothing.

``main.py`` checks them before deciding between the app and a command, so
starting the app does not load the command line's code.
"""

COMMANDS: frozenset[str] = frozenset({"vault", "data", "demo", "pdf", "reminders", "sync"})
"""First words that make ``main.py`` run a command instead of starting the app."""
