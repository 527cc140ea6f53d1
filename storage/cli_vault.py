"""``vault …`` commands: create, check, recover, change secrets, back up, restore, erase.

Each is a thin shell over ``storage.session.VaultSession`` and
``storage.vault``: the same calls the app's lock and settings screens make.
A recovery code goes to stdout alone on its line (so a script can capture it);
the explanation around it goes to stderr.
"""

from __future__ import annotations

from pathlib import Path

from mus.errors import (
    EXIT_DAMAGED,
    EXIT_OK,
    CurrentDamaged,
    KeysMissing,
    VaultExists,
    VaultMissing,
)
from mus.recovery import describe
from storage.cli_context import (
    NEW_PASSPHRASE_ENV,
    PASSPHRASE_ENV,
    Context,
    check_output,
    check_passphrase_rule,
    output_file,
    require_input,
)
from storage.vault import Vault, VaultReport, erase_vault


def show_recovery_code(ctx: Context, code: str) -> None:
    ctx.console.note(ctx.t("cli.recovery_code.intro"))
    ctx.console.say(code)
    ctx.console.note(ctx.t("cli.recovery_code.keep"))


def init(ctx: Context) -> int:
    """A new vault; refused over an existing one, or over a damaged one without its
    key file (exit 3), before anything is asked."""
    session = ctx.session()
    if session.exists():
        raise VaultExists("a vault already exists here")
    if session.keys_missing():
        raise KeysMissing("vault files without a key file")
    passphrase = ctx.console.new_passphrase(PASSPHRASE_ENV)
    ctx.paths.ensure()
    code = session.create(passphrase)
    session.lock()
    ctx.console.note(ctx.t("cli.init.done"))
    show_recovery_code(ctx, code)
    return EXIT_OK


def check(ctx: Context) -> int:
    """Authenticate every part; print structure and counts, never content.

    Reads only: no file's bytes change (a torn save is reported, not zeroed)."""
    with ctx.opened(read_only=True) as session:
        report = session.vault.check()
    for line in check_lines(ctx, report):
        ctx.console.say(line)
    if report.previous_generation_ok is False:
        ctx.console.note(ctx.t("cli.check.previous_damaged"))
        return EXIT_DAMAGED
    ctx.console.note(ctx.t("cli.check.ok"))
    return EXIT_OK


def check_lines(ctx: Context, report: VaultReport) -> list[str]:
    t = ctx.t
    lines = [
        t("cli.check.format", version=report.format_version),
        t("cli.check.generation", generation=report.generation),
        t("cli.check.kdf", kdf=report.kdf),
    ]
    lines += [
        t("cli.check.table", table=name, count=count)
        for name, count in sorted(report.tables.items())
    ]
    lines.append(t("cli.check.journal", count=report.journal_records))
    if report.previous_generation_ok is None:
        lines.append(t("cli.check.previous.none"))
    elif report.previous_generation_ok:
        lines.append(t("cli.check.previous.ok"))
    else:
        lines.append(t("cli.check.previous.damaged"))
    if report.dropped_torn_tail:
        lines.append(t("cli.check.torn"))
    return lines


def recover(ctx: Context) -> int:
    """A vault whose newest state is damaged: say what is damaged, what would be
    kept and what lost, ask (``--yes`` or the typed word), and only then write
    the newest state that can still be proven. The same steps as the lock
    screen's "recover" (``VaultSession.recovery_report`` / ``recover``)."""
    session = ctx.session()
    try:
        try:
            ctx.unlock(session)
        except CurrentDamaged:
            report = session.recovery_report()
            if report is None:  # nothing readable at all: nothing to offer
                raise
        else:
            ctx.console.note(ctx.t("cli.recover.nothing"))
            return EXIT_OK
        for line in describe(report, ctx.t):
            ctx.console.say(line)
        ctx.console.confirm(ctx.args.yes)
        session.recover()
    finally:
        session.lock()
    ctx.console.note(ctx.t("cli.recover.done"))
    return EXIT_OK


def passwd(ctx: Context) -> int:
    """New passphrase; the old one (or the recovery code) unlocks first. A new data
    key too: everything is re-encrypted. A version 1 vault's recovery code cannot
    follow that key: a new one is printed (once), as by ``vault recovery-code``."""
    session = ctx.session()
    try:
        old = ctx.unlock(session)
        new = ctx.console.new_passphrase(NEW_PASSPHRASE_ENV)
        if old is None:  # opened with the recovery code: the forgotten-passphrase path
            code = session.vault.change_passphrase(new, kdf=ctx.kdf)
        else:
            code = session.change_passphrase(old, new)
    finally:
        session.lock()
    ctx.console.note(ctx.t("cli.passwd.done"))
    if code is not None:
        ctx.console.note(ctx.t("cli.passwd.new_code"))
        show_recovery_code(ctx, code)
    return EXIT_OK


def recovery_code(ctx: Context) -> int:
    with ctx.opened() as session:
        code = session.new_recovery_code()
    ctx.console.note(ctx.t("cli.recovery_code.replaced"))
    show_recovery_code(ctx, code)
    return EXIT_OK


def _backup_passphrase(ctx: Context, fallback: str | None) -> str:
    variable: str | None = ctx.args.backup_passphrase_env
    if variable:
        chosen = ctx.env_secret(variable)
        check_passphrase_rule(chosen)
        return chosen
    if fallback is not None:
        return fallback
    prompt = ctx.t("cli.prompt.backup_passphrase")
    return ctx.console.secret(prompt, None, hint="--backup-passphrase-env VAR")


def backup(ctx: Context) -> int:
    """One encrypted file, under its own key; the backup passphrase is the vault's
    unless ``--backup-passphrase-env`` names another."""
    destination = Path(ctx.args.file)
    check_output(destination)  # a mistyped name is refused before the key derivation
    session = ctx.session()
    try:
        used = ctx.unlock(session)
        secret = _backup_passphrase(ctx, used)
        with output_file(destination) as written:  # a device or FIFO is streamed into
            session.vault.export_backup(written, secret, kdf=ctx.kdf)
    finally:
        session.lock()
    ctx.console.note(ctx.t("cli.backup.done"))
    return EXIT_OK


def restore(ctx: Context) -> int:
    """Into an empty data folder: a new vault (new keys, new recovery code).
    Over an existing vault (after ``--yes`` or the typed word): its content is
    replaced as one new snapshot, keeping its passphrase and recovery code.
    Over a damaged vault without its key file (nothing can open it): a new vault,
    after the old files were moved into a dated folder (said on stderr), as the
    app's first screen does; nothing is deleted."""
    source = require_input(Path(ctx.args.file))
    session = ctx.session()
    if not session.exists():
        damaged = session.keys_missing()
        passphrase = ctx.console.new_passphrase(PASSPHRASE_ENV)
        secret = _backup_passphrase(ctx, passphrase)
        ctx.paths.ensure()
        vault, code = Vault.restore(
            source,
            secret,
            ctx.paths.vault,
            passphrase,
            kdf=ctx.kdf,
            limits=ctx.limits,
            set_aside=ctx.clock() if damaged else None,
        )
        moved = vault.set_aside_to
        vault.close()
        if moved is not None:
            ctx.console.note(ctx.t("cli.restore.set_aside", folder=moved.name))
        ctx.console.note(ctx.t("cli.restore.done_new"))
        show_recovery_code(ctx, code)
        return EXIT_OK
    ctx.console.confirm(ctx.args.yes)
    try:
        used = ctx.unlock(session)
        secret = _backup_passphrase(ctx, used)
        session.vault.import_backup(source, secret, limits=ctx.limits)
    finally:
        session.lock()
    ctx.console.note(ctx.t("cli.restore.done_replaced"))
    return EXIT_OK


def erase(ctx: Context) -> int:
    """Keys destroyed first, then every file. Needs no passphrase (it may be the
    forgotten one): whoever can delete the folder could anyway. A damaged vault
    without its key file can be erased too (its files are deleted)."""
    session = ctx.session()
    if not session.exists() and not session.keys_missing():
        raise VaultMissing("no vault here")
    ctx.console.confirm(ctx.args.yes)
    erase_vault(ctx.paths.vault)
    ctx.console.note(ctx.t("cli.erase.done"))
    return EXIT_OK
