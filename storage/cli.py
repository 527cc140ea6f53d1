"""Musling's command line: the vault, the data, PDFs and reminders without the app.

``python main.py vault check`` and friends; ``docs/cli.md`` lists every command,
variable and exit code. One code path with the app: each command calls the same
``storage`` and ``mus`` functions the screens use, so no rule exists twice.

Errors are one plain line on stderr in the user's language (the preferences'
language, Danish by default), never a traceback, with the exit codes of
``mus.errors``: 0 ok, 1 usage, 2 wrong passphrase or recovery code, 3 damaged
or tampered, 4 open elsewhere, 5 newer format, 6 disk or permission error,
7 some exported PDFs still wait (``sync run``, ``sync retry``), 70 a bug (an
exception no rule expected). argparse's own exit code 2 for usage
errors is replaced by 1, since 2 means "wrong passphrase" here.

Heavy libraries (fpdf2, pypdf, icalendar) are imported by the commands that
need them, so ``vault check`` starts as fast as the app's lock screen.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import traceback
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, TextIO, TypeAlias

from mus.errors import EXIT_DISK, EXIT_USAGE, VaultError
from mus.i18n import LANGUAGES, Translator
from storage.cli_commands import COMMANDS
from storage.cli_context import CliError, Clock, Console, Context, utc_now
from storage.crypto import DEFAULT_LIMITS, KdfLimits, KdfParams
from storage.fs import disk_error
from storage.paths import DataPaths, default_data_dir
from storage.preferences import JsonPreferences

EXIT_INTERRUPTED = 130
EXIT_BUG = 70
"""An exception no rule expected: a bug in Musling (sysexits' EX_SOFTWARE), never a
usage error. Its line names the exception's type and where, not its message."""
ROOT = Path(__file__).resolve().parents[1]
Handler = Callable[[Context], int]


class UsageError(Exception):
    """argparse found the command line wrong; shown as one line, exit 1."""


class Parser(argparse.ArgumentParser):
    """argparse that raises instead of printing usage and exiting with 2."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: {message}")


if TYPE_CHECKING:
    Commands: TypeAlias = argparse._SubParsersAction[Parser]


def _handler(module: str, name: str) -> Handler:
    """Import a command's module when it runs, not when the parser is built."""

    def run_it(ctx: Context) -> int:
        import importlib

        function: Handler = getattr(importlib.import_module(module), name)
        return function(ctx)

    return run_it


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="python main.py",
        description="Musling: MUS-forberedelse og opfølgning (command line).",
        epilog="Exit codes: 0 ok, 1 usage, 2 wrong passphrase/recovery code, 3 damaged or "
        "tampered, 4 open elsewhere, 5 newer format, 6 disk or permission error, 7 sync: "
        "some PDFs still wait, 70 a bug. See docs/cli.md.",
    )
    where = Parser(add_help=False)
    where.add_argument(
        "--data-dir",
        metavar="DIR",
        help="data folder (default: the app's, or FLET_APP_STORAGE_DATA)",
    )
    opens = Parser(add_help=False, parents=[where])
    opens.add_argument(
        "--recovery-code",
        action="store_true",
        help="unlock with the recovery code (MUSLING_RECOVERY_CODE or a prompt)",
    )
    top = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    _vault_commands(top, where, opens)
    _data_commands(top, opens)
    _pdf_commands(top, opens)
    _reminder_commands(top, opens)
    _sync_commands(top, opens)
    return parser


def _actions(top: Commands, name: str, text: str) -> Commands:
    return top.add_parser(name, help=text).add_subparsers(
        dest="action", metavar="ACTION", required=True
    )


def _command(
    actions: Commands,
    name: str,
    parent: Parser,
    text: str,
    handler: Handler,
    *,
    writes: bool = False,
) -> argparse.ArgumentParser:
    """``writes``: the command saves into the data folder, so a read-only one is
    refused before anything is asked (``DataPaths.problem``)."""
    cmd = actions.add_parser(name, parents=[parent], help=text)
    cmd.set_defaults(handler=handler, writes=writes)
    return cmd


def _vault_commands(top: Commands, where: Parser, opens: Parser) -> None:
    vault = _actions(top, "vault", "the encrypted vault")
    module = "storage.cli_vault"
    _command(vault, "init", where, "create the vault", _handler(module, "init"), writes=True)
    _command(vault, "check", opens, "authenticate every part", _handler(module, "check"))
    text = "recover a damaged vault (shows what would be lost first)"
    cmd = _command(vault, "recover", opens, text, _handler(module, "recover"), writes=True)
    cmd.add_argument("--yes", action="store_true", help="do not ask (no typed SLET)")
    passwd = _handler(module, "passwd")
    _command(vault, "passwd", opens, "change the passphrase", passwd, writes=True)
    code = _handler(module, "recovery_code")
    _command(vault, "recovery-code", opens, "new recovery code", code, writes=True)
    cmd = _command(vault, "backup", opens, "encrypted backup file", _handler(module, "backup"))
    cmd.add_argument("file", metavar="FILE")
    _backup_passphrase_option(cmd)
    restore = _handler(module, "restore")
    cmd = _command(vault, "restore", opens, "restore a backup", restore, writes=True)
    cmd.add_argument("file", metavar="FILE")
    _backup_passphrase_option(cmd)
    cmd.add_argument("--yes", action="store_true", help="replace an existing vault")
    erase = _handler(module, "erase")
    cmd = _command(vault, "erase", where, "destroy the vault", erase, writes=True)
    cmd.add_argument("--yes", action="store_true", help="do not ask (no typed SLET)")


def _data_commands(top: Commands, opens: Parser) -> None:
    data = _actions(top, "data", "all my data as JSON (not encrypted)")
    module = "storage.cli_data"
    cmd = _command(data, "export", opens, "export everything", _handler(module, "export"))
    cmd.add_argument("file", metavar="FILE.json")
    import_ = _handler(module, "import_")
    cmd = _command(data, "import", opens, "import an export", import_, writes=True)
    cmd.add_argument("file", metavar="FILE.json")
    cmd.add_argument("--replace", action="store_true", help="replace records with the same id")
    cmd = top.add_parser("demo", parents=[opens], help="write the fictional example")
    cmd.set_defaults(handler=_handler(module, "demo"), writes=True)


def _pdf_commands(top: Commands, opens: Parser) -> None:
    pdf = _actions(top, "pdf", "plan and summary PDFs")
    module = "storage.cli_pdf"
    cmd = _command(pdf, "export", opens, "write a PDF", _handler(module, "export"))
    cmd.add_argument("--conversation", required=True, metavar="ID|latest")
    cmd.add_argument("--out", required=True, metavar="FILE")
    cmd.add_argument("--summary", action="store_true", help="the summary (referat)")
    cmd.add_argument("--password-env", metavar="VAR", help="encrypt with the password in VAR")
    _language_option(cmd)
    cmd = _command(pdf, "verify", opens, "is this the agreed plan?", _handler(module, "verify"))
    cmd.add_argument("file", metavar="FILE")
    cmd.add_argument("--password-env", metavar="VAR", help="open with the password in VAR")


def _reminder_commands(top: Commands, opens: Parser) -> None:
    reminders = _actions(top, "reminders", "follow-up reminders")
    module = "storage.cli_reminders"
    text = "due, overdue and upcoming"
    cmd = _command(reminders, "list", opens, text, _handler(module, "list_"))
    cmd.add_argument("--days", type=days, default=30, metavar="N", help="ahead (default 30)")
    _reminder_options(cmd)
    cmd = _command(reminders, "ics", opens, "calendar file", _handler(module, "ics"))
    cmd.add_argument("--out", required=True, metavar="FILE")
    _reminder_options(cmd)


def _sync_commands(top: Commands, opens: Parser) -> None:
    sync = _actions(top, "sync", "deliver exported PDFs to WebDAV or a folder")
    module = "storage.cli_sync"
    _command(sync, "targets", opens, "list the sync targets", _handler(module, "targets"))
    webdav = _handler(module, "add_webdav")
    cmd = _command(sync, "add-webdav", opens, "add a WebDAV target", webdav, writes=True)
    cmd.add_argument("name", metavar="NAME")
    cmd.add_argument("url", metavar="URL")
    cmd.add_argument("--user", required=True, metavar="U")
    cmd.add_argument("--folder", required=True, metavar="F")
    cmd.add_argument("--role", required=True, choices=["mine", "leader"])
    folder = _handler(module, "add_folder")
    cmd = _command(sync, "add-folder", opens, "add a folder target", folder, writes=True)
    cmd.add_argument("name", metavar="NAME")
    cmd.add_argument("path", metavar="PATH")
    cmd.add_argument("--role", required=True, choices=["mine", "leader"])
    text = "a WebDAV target's new app password (MUSLING_WEBDAV_PASSWORD or a prompt)"
    cmd = _command(sync, "password", opens, text, _handler(module, "password"), writes=True)
    cmd.add_argument("target", metavar="TARGET", help="id (or its start) or name")
    text = "forget a target and its password; its unsent files are cancelled"
    cmd = _command(sync, "remove", opens, text, _handler(module, "remove"), writes=True)
    cmd.add_argument("target", metavar="TARGET", help="id (or its start) or name")
    cmd.add_argument("--yes", action="store_true", help="do not ask (no typed SLET)")
    text = "deliver what is due (exit 7: some still wait)"
    cmd = _command(sync, "run", opens, text, _handler(module, "run"), writes=True)
    cmd.add_argument(
        "--now",
        action="store_true",
        help="also what waits for its retry time or is paused, except a refused login's",
    )
    text = "retry one file now, then deliver what is due"
    cmd = _command(sync, "retry", opens, text, _handler(module, "retry"), writes=True)
    cmd.add_argument("item", metavar="ITEM", help="id (or its start), as sync status shows")
    _command(sync, "status", opens, "the outbox", _handler(module, "status"))


def days(text: str) -> int:
    value = int(text)
    if not 0 <= value <= 3660:
        raise ValueError(text)
    return value


def _backup_passphrase_option(cmd: argparse.ArgumentParser) -> None:
    cmd.add_argument(
        "--backup-passphrase-env",
        metavar="VAR",
        help="environment variable holding the backup's passphrase (default: the vault's)",
    )


def _language_option(cmd: argparse.ArgumentParser) -> None:
    cmd.add_argument("--language", choices=LANGUAGES, help="default: the app's language")


def _reminder_options(cmd: argparse.ArgumentParser) -> None:
    cmd.add_argument(
        "--no-activity-text", action="store_true", help="leave activity descriptions out"
    )
    _language_option(cmd)


# ---------------------------------------------------------------- running


def _data_dir(argv: Sequence[str], environ: Mapping[str, str]) -> DataPaths:
    """The data folder, found even when the rest of the command line is wrong."""
    scout = argparse.ArgumentParser(add_help=False)
    scout.add_argument("--data-dir")
    known, _ = scout.parse_known_args(list(argv))
    return DataPaths.resolve(known.data_dir or default_data_dir(dict(environ)))


def _translator(paths: DataPaths, language: str | None = None) -> Translator:
    return Translator(language or JsonPreferences(paths.preferences).load().language)


def run(
    args: Sequence[str],
    *,
    stdin: TextIO,
    stdout: TextIO,
    stderr: TextIO,
    environ: Mapping[str, str],
    kdf: KdfParams | None = None,
    limits: KdfLimits = DEFAULT_LIMITS,
    clock: Clock = utc_now,
    ask_hidden: Callable[[str], str] | None = None,
) -> int:
    """Run one command; every failure becomes one line on ``stderr`` and an exit code.

    ``kdf``/``limits``/``clock`` are for tests (a cheap KDF, a fixed day); the
    command line itself always uses the app's defaults.
    """
    paths = _data_dir(args, environ)
    console = Console(stdin, stdout, stderr, environ, _translator(paths), ask_hidden)
    try:
        with contextlib.redirect_stdout(stdout):  # --help prints to the given stream
            namespace = build_parser().parse_args(list(args))
        language = getattr(namespace, "language", None)
        if language:
            console.t = _translator(paths, language)
        _check_data_dir(paths, writing=namespace.writes)
        ctx = Context(namespace, console, paths, kdf=kdf, limits=limits, clock=clock)
        handler: Handler = namespace.handler
        return handler(ctx)
    except (Exception, KeyboardInterrupt, SystemExit) as e:  # the promise: never a traceback
        return _failure(console, e)


def _check_data_dir(paths: DataPaths, *, writing: bool) -> None:
    """A file where the folder should be (exit 1), or a folder a saving command
    cannot write (exit 6): one line before anything is asked."""
    problem = paths.problem(writing=writing)
    if problem == "not_a_folder":
        raise CliError("cli.data_dir.not_a_folder", EXIT_USAGE)
    if problem == "read_only":
        raise CliError("cli.data_dir.read_only", EXIT_DISK)


def _failure(console: Console, error: BaseException) -> int:
    """One plain line on stderr, and the exit code of ``mus.errors``."""
    if isinstance(error, SystemExit):  # --help printed its text and ended here
        return error.code if isinstance(error.code, int) else EXIT_USAGE
    if isinstance(error, KeyboardInterrupt):
        console.note("")
        return EXIT_INTERRUPTED
    key, params, code = _explain(error)
    console.note(console.t(key, **params))
    return code


def _explain(error: BaseException) -> tuple[str, dict[str, object], int]:
    """The catalog key, its parameters and the exit code for a failure."""
    if isinstance(error, UsageError):
        return "cli.usage", {"detail": str(error)}, EXIT_USAGE
    if isinstance(error, CliError):
        return error.key, error.params, error.exit_code
    if isinstance(error, OSError):  # outside the vault's own renaming edge
        error = disk_error(error)
    if isinstance(error, VaultError):
        return f"error.{error.code}", {}, error.exit_code
    return "cli.unexpected", {"error": type(error).__name__, "where": _where(error)}, EXIT_BUG


def _where(error: BaseException) -> str:
    """The innermost line of Musling's own code it passed through (``storage/x.py:12``).

    Never the message: an exception's text may hold a file name or a record's
    content. A path relative to the source tree holds neither.
    """
    for frame in reversed(traceback.extract_tb(error.__traceback__)):
        path = Path(frame.filename)
        if path.is_relative_to(ROOT) and ".venv" not in path.parts:
            return f"{path.relative_to(ROOT).as_posix()}:{frame.lineno}"
    return "?"


def main(argv: list[str]) -> int:
    """Entry from ``main.py``: the real streams and environment, the app's KDF."""
    return run(argv, stdin=sys.stdin, stdout=sys.stdout, stderr=sys.stderr, environ=os.environ)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1:]))


__all__ = ["COMMANDS", "build_parser", "main", "run"]
