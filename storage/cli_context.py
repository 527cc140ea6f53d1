"""What every command of the command line shares: the console, the vault opener, files.

The CLI speaks to a person through one ``Console`` (so tests hand in their own
streams and environment), opens the vault the same way for every command
(passphrase or recovery code, from the environment or a prompt), and writes
its output files atomically and privately. Failures a person can act on are
``CliError`` (a catalog key and an exit code) or ``mus.errors.VaultError``;
``storage.cli`` turns either into one line on stderr.
"""

from __future__ import annotations

import argparse
import getpass
import os
import stat
import tempfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

from mus.errors import EXIT_USAGE
from mus.i18n import LANGUAGES, Translator, catalog
from mus.passphrase import MIN_LENGTH, assess
from storage.atomic import replace_file
from storage.crypto import DEFAULT_LIMITS, KdfLimits, KdfParams
from storage.fs import FileSystem, disk_error
from storage.paths import DataPaths
from storage.session import VaultSession

PASSPHRASE_ENV = "MUSLING_PASSPHRASE"  # noqa: S105 - a variable's name, not a secret
NEW_PASSPHRASE_ENV = "MUSLING_NEW_PASSPHRASE"  # noqa: S105
RECOVERY_CODE_ENV = "MUSLING_RECOVERY_CODE"

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


class CliError(Exception):
    """A refusal the person can act on: ``key`` is a catalog key, shown as one line."""

    def __init__(self, key: str, exit_code: int = EXIT_USAGE, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.exit_code = exit_code
        self.params = params


@dataclass
class Console:
    """The person at the terminal: streams, environment, language and prompts.

    Secrets come from the environment first (scripts), then a no-echo prompt
    when stdin is a terminal, else one line of stdin (``printf '%s\\n' … |``).
    """

    stdin: TextIO
    stdout: TextIO
    stderr: TextIO
    environ: Mapping[str, str]
    t: Translator = field(default_factory=Translator)
    ask_hidden: Callable[[str], str] | None = None
    """Reads a secret without echo; ``getpass`` on the terminal by default."""

    @property
    def interactive(self) -> bool:
        try:
            return self.stdin.isatty()
        except (AttributeError, ValueError):
            return False

    def say(self, text: str) -> None:
        """A line of the command's result (stdout)."""
        print(text, file=self.stdout, flush=True)

    def note(self, text: str) -> None:
        """A line for the person, not the result: warnings, explanations (stderr)."""
        print(text, file=self.stderr, flush=True)

    def _read_line(self, prompt: str) -> str | None:
        if self.interactive:
            self.stderr.write(prompt)
            self.stderr.flush()
        line = self.stdin.readline()
        return line.rstrip("\r\n") if line else None

    def _hidden(self, prompt: str) -> str | None:
        if self.interactive:
            if self.ask_hidden is not None:
                return self.ask_hidden(prompt)
            return getpass.getpass(prompt, stream=self.stderr)
        return self._read_line(prompt)

    def secret(self, prompt: str, env_var: str | None, *, hint: str = "") -> str:
        """A secret that already exists (passphrase, recovery code): ``env_var`` first.

        ``hint`` names the other way to give it when there is no such variable.
        """
        value = self.environ.get(env_var) if env_var else None
        if value:
            return value
        typed = self._hidden(prompt)
        if typed is None:
            raise CliError("cli.secret.missing", env=env_var or hint)
        return typed

    def new_passphrase(self, env_var: str) -> str:
        """A passphrase being chosen: typed twice at a terminal, held to the length rule."""
        chosen = self.environ.get(env_var)
        if not chosen:
            typed = self._hidden(self.t("cli.prompt.new_passphrase"))
            if typed is None:
                raise CliError("cli.secret.missing", env=env_var)
            if self.interactive and self._hidden(self.t("cli.prompt.repeat_passphrase")) != typed:
                raise CliError("passphrase.mismatch")
            chosen = typed
        check_passphrase_rule(chosen)
        return chosen

    def confirm(self, yes: bool) -> None:
        """A destructive step goes ahead only after ``--yes`` or the typed word (SLET)."""
        if yes:
            return
        word = self.t("cli.confirm.word")
        answer = self._read_line(self.t("cli.confirm.prompt", word=word) + " ")
        if answer is None:
            raise CliError("cli.confirm.needed", word=word)
        words = {catalog(lang)["cli.confirm.word"] for lang in LANGUAGES}
        if answer.strip().upper() not in words:
            raise CliError("cli.confirm.cancelled")


def check_passphrase_rule(passphrase: str) -> None:
    """The app's rule (``mus.passphrase``), with its reason, for every new passphrase."""
    if not assess(passphrase).acceptable:
        raise CliError("passphrase.too_short", min=MIN_LENGTH)


@dataclass
class Context:
    """One command's run: its arguments, the console, the data folder and the key costs."""

    args: argparse.Namespace
    console: Console
    paths: DataPaths
    kdf: KdfParams | None = None
    """KDF for new keys; None is the app's default (Argon2id, else scrypt)."""
    limits: KdfLimits = DEFAULT_LIMITS
    clock: Clock = utc_now

    @property
    def t(self) -> Translator:
        return self.console.t

    def session(self) -> VaultSession:
        return VaultSession(self.paths.vault, kdf=self.kdf, limits=self.limits)

    @property
    def use_recovery_code(self) -> bool:
        flag = bool(getattr(self.args, "recovery_code", False))
        return flag or bool(self.console.environ.get(RECOVERY_CODE_ENV))

    def unlock(self, session: VaultSession, *, read_only: bool = False) -> str | None:
        """Open with the recovery code or the passphrase; returns the passphrase used.

        ``read_only``: write nothing at all, not even an open's tidying (``vault check``)."""
        session.require()  # nothing here, or a damaged vault without its key file
        if self.use_recovery_code:
            code = self.console.secret(self.t("cli.prompt.recovery_code"), RECOVERY_CODE_ENV)
            session.unlock_with_recovery_code(code, read_only=read_only)
            return None
        passphrase = self.console.secret(self.t("cli.prompt.passphrase"), PASSPHRASE_ENV)
        session.unlock(passphrase, read_only=read_only)
        return passphrase

    @contextmanager
    def opened(self, *, read_only: bool = False) -> Iterator[VaultSession]:
        """The vault unlocked for the length of the block, locked again whatever happens."""
        session = self.session()
        try:
            self.unlock(session, read_only=read_only)
            yield session
        finally:
            session.lock()

    def env_secret(self, variable: str) -> str:
        """The secret in a variable named on the command line (never the secret itself)."""
        value = self.console.environ.get(variable)
        if not value:
            raise CliError("cli.env.missing", variable=variable)
        return value


class TooLarge(Exception):
    """The named input is longer than the command accepts (``read_input``'s ``limit``)."""


def read_input(path: Path, limit: int | None = None) -> bytes:
    """A file the person named; a wrong name is a usage error, not a disk error.

    With ``limit``, a regular file's size is looked at before anything is read,
    and a device or pipe (``/dev/zero``, ``/dev/stdin``) is read no further than
    ``limit + 1`` bytes: neither can fill the memory. Longer is ``TooLarge``.
    """
    try:
        with path.open("rb") as f:
            if limit is None:
                return f.read()
            info = os.fstat(f.fileno())
            if stat.S_ISREG(info.st_mode) and info.st_size > limit:
                raise TooLarge(path.name)
            raw = f.read(limit + 1)
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        raise CliError("cli.file.missing") from None
    except OSError as exc:
        raise disk_error(exc) from exc
    if len(raw) > limit:
        raise TooLarge(path.name)
    return raw


def require_input(path: Path) -> Path:
    if not path.is_file():
        raise CliError("cli.file.missing")
    return path


# ---------------------------------------------------------------- --out FILE


@dataclass(frozen=True, slots=True)
class Output:
    """Where a command's output goes, decided once before any slow work.

    ``stream``: a character device or FIFO (``/dev/null``, ``/dev/stdout`` on
    a terminal or pipe, ``mkfifo``), written into as it is and never replaced.
    Otherwise ``path`` is the regular file to create or replace atomically, with
    symbolic links followed (as the shell's ``>`` does): the link stays a link
    and the file it points to gets the new content.
    """

    path: Path
    stream: bool


def check_output(path: Path) -> Output:
    """Refuse a mistyped output name before any slow work (key derivation, PDF).

    A folder, a socket or a block device is refused with one line (exit 1);
    so is a file in a folder that does not exist.
    """
    try:
        info: os.stat_result | None = path.stat()  # follows links
    except (FileNotFoundError, NotADirectoryError):
        info = None
    except OSError as exc:
        raise disk_error(exc) from exc
    if info is not None:
        if stat.S_ISDIR(info.st_mode):
            raise CliError("cli.file.is_folder")
        if stat.S_ISCHR(info.st_mode) or stat.S_ISFIFO(info.st_mode):
            return Output(path, stream=True)
        if not stat.S_ISREG(info.st_mode):
            raise CliError("cli.file.not_regular")
    real = Path(os.path.realpath(path))
    if not real.parent.is_dir():
        raise CliError("cli.file.no_folder")
    return Output(real, stream=False)


def write_output(path: Path, data: bytes) -> None:
    """A regular file: temp file (0600) in the same folder, fsync, atomic replace,
    so never half a file. A device or FIFO: written into, never replaced.

    Output holds personal data (PDF, JSON export), so a file is private to the
    user like the vault, whatever the umask.
    """
    target = check_output(path)
    try:
        if target.stream:
            _stream_into(target.path, data)
        else:
            replace_file(FileSystem(), target.path, data)
    except OSError as exc:
        raise disk_error(exc) from exc


@contextmanager
def output_file(path: Path) -> Iterator[Path]:
    """A path for a writer that makes its own file atomically (the vault's backup).

    A regular file: the real path itself. A device or FIFO: a temporary file in
    a fresh private folder (0700), whose bytes are streamed into the device
    after the block, then removed.
    """
    target = check_output(path)
    if not target.stream:
        yield target.path
        return
    with tempfile.TemporaryDirectory(prefix="musling-out-") as folder:
        temp = Path(folder) / "output"
        yield temp
        try:
            _stream_into(target.path, temp.read_bytes())
        except OSError as exc:
            raise disk_error(exc) from exc


def _stream_into(path: Path, data: bytes) -> None:
    """Write all of ``data`` into a device or FIFO; opening a FIFO waits for its reader.

    Never created (no O_CREAT) and never truncated or renamed over: ``/dev/null``
    stays ``/dev/null``.
    """
    flags = os.O_WRONLY | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)
