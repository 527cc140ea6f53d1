"""``docs/cli.md`` describes the command line the parser builds: every command and
its options, the saving ones, and every exit code.

Read from ``storage.cli.build_parser()`` itself, so a command added without its
documentation fails here.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

import mus.errors
from mus.sync import EXIT_SYNC_PENDING
from storage.cli import EXIT_BUG, EXIT_INTERRUPTED, build_parser

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "cli.md").read_text("utf-8")
GENERAL = frozenset({"-h", "--help", "--data-dir", "--recovery-code"})
"""Options every command takes, documented once at the top."""


def _commands(
    parser: argparse.ArgumentParser, words: tuple[str, ...] = ()
) -> dict[str, argparse.ArgumentParser]:
    found: dict[str, argparse.ArgumentParser] = {}
    subparsers = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subparsers and words:
        found[" ".join(words)] = parser
    for action in subparsers:
        for name, sub in action.choices.items():
            found |= _commands(sub, (*words, name))
    return found


COMMANDS = _commands(build_parser())


def section(command: str) -> str:
    """The text under ``### `command …``` up to the next heading."""
    match = re.search(rf"^### `{re.escape(command)}[` ].*?(?=^#)", DOC, re.MULTILINE | re.DOTALL)
    assert match, f"docs/cli.md has no section '### `{command} …`'"
    return match.group(0)


def test_the_parser_was_read() -> None:
    assert {"vault init", "demo", "sync run", "sync retry", "sync password"} <= COMMANDS.keys()


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_has_a_section_with_its_arguments_and_options(command: str) -> None:
    text = section(command)
    heading = text.splitlines()[0]
    parser = COMMANDS[command]
    for action in parser._actions:
        if not action.option_strings:
            metavar = action.metavar or action.dest.upper()
            assert str(metavar) in heading, f"{command}: {metavar} missing from its heading"
            continue
        options = set(action.option_strings) - GENERAL
        for option in options:
            assert option in text, f"{command}: {option} is not documented in its section"


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_is_in_the_overview(command: str) -> None:
    overview = DOC.split("```")[1]
    *group, action = command.split()
    assert re.search(rf"\b{re.escape(action)}\b", overview), command
    if group:
        assert group[0] in overview, command


def test_the_saving_commands_are_the_ones_named_as_saving() -> None:
    """The data-folder rule lists which commands save (refused on a read-only folder)."""
    saving = DOC[DOC.index("every command that saves") : DOC.index("The commands that only read")]
    reading = DOC[DOC.index("The commands that only read") : DOC.index("on a read-only folder")]
    for command, parser in COMMANDS.items():
        last = command.split()[-1]
        writes = parser.get_default("writes")
        where = saving if writes else reading
        assert f"`{last}`" in where or f"{last}`" in where, (command, writes)


def test_every_exit_code_is_in_the_table() -> None:
    codes = {v for k, v in vars(mus.errors).items() if k.startswith("EXIT_")}
    codes |= {EXIT_SYNC_PENDING, EXIT_BUG, EXIT_INTERRUPTED}
    table = DOC[DOC.index("## Exit codes") :]
    assert sorted(c for c in codes if not re.search(rf"^\| {c} \|", table, re.MULTILINE)) == []
