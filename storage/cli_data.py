"""``data export``, ``data import`` and ``demo``: the user's records in and out.

The JSON format and the merge rules live in ``storage.portability``; this
module only asks, opens the vault and reports. ``demo`` writes the fictional
example (``mus.demo``) the whole way: the conversation, its agreed plan and its
follow-up schedule, so every other command has something to show.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from mus.demo import EXAMPLE_ID, example_bundle
from mus.errors import EXIT_OK
from mus.reminders import today_in_copenhagen
from storage.cli_context import (
    PASSPHRASE_ENV,
    CliError,
    Context,
    TooLarge,
    check_output,
    read_input,
    write_output,
)
from storage.cli_vault import show_recovery_code
from storage.portability import (
    MAX_IMPORT_BYTES,
    ImportRejected,
    collect,
    dump,
    export_document,
    merge,
    parse,
    too_large,
)
from storage.preferences import JsonPreferences
from storage.session import VaultSession


def export(ctx: Context) -> int:
    """Everything, readable by any program; plaintext by nature, so said so on stderr."""
    out = Path(ctx.args.file)
    check_output(out)
    preferences = JsonPreferences(ctx.paths.preferences)
    with ctx.opened() as session:
        data = collect(session, preferences.load())
    write_output(out, dump(export_document(data, ctx.clock())))
    ctx.console.note(ctx.t("cli.export.unencrypted"))
    counts = data.counts()
    ctx.console.say(ctx.t("cli.export.done", **counts))
    return EXIT_OK


def import_(ctx: Context) -> int:
    """Validate the whole file first; then merge by id (``--replace`` to overwrite).

    The file is judged before the vault is opened (no passphrase is asked for a
    file that would be refused), and read only up to the size limit.
    """
    try:
        data = parse(read_input(Path(ctx.args.file), limit=MAX_IMPORT_BYTES))
    except TooLarge:
        raise _refused(too_large()) from None
    except ImportRejected as e:
        raise _refused(e) from None
    replace: bool = ctx.args.replace
    with ctx.opened() as session:
        report = merge(session, data, replace=replace)
    if replace:
        JsonPreferences(ctx.paths.preferences).save(data.preferences)
    for kind, tally in report.tallies.items():
        ctx.console.say(
            ctx.t(
                "cli.import.tally",
                kind=ctx.t(f"cli.kind.{kind}"),
                added=tally.added,
                replaced=tally.replaced,
                unchanged=tally.unchanged,
                skipped=tally.skipped,
            )
        )
    if report.skipped and not replace:
        ctx.console.note(ctx.t("cli.import.skipped_hint"))
    return EXIT_OK


def _refused(rejection: ImportRejected) -> CliError:
    """One line, ``cli.import.<reason>`` (each reason has one in both catalogs)."""
    return CliError(f"cli.import.{rejection.reason}", rejection.exit_code, **rejection.params)


def demo(ctx: Context) -> int:
    """The example conversation, its agreed version and its schedule; creates the vault
    when there is none. Running it again changes nothing (what is there stays)."""
    session = ctx.session()
    try:
        if session.exists() or session.keys_missing():
            ctx.unlock(session)  # a damaged vault without its key file: exit 3
        else:
            passphrase = ctx.console.new_passphrase(PASSPHRASE_ENV)
            ctx.paths.ensure()
            code = session.create(passphrase)
            ctx.console.note(ctx.t("cli.init.done"))
            show_recovery_code(ctx, code)
        wrote = write_example(session, ctx.clock())
    finally:
        session.lock()
    ctx.console.say(ctx.t("cli.demo.done" if wrote else "cli.demo.already"))
    return EXIT_OK


def write_example(session: VaultSession, now: datetime) -> bool:
    """Add what of the example is missing; True when anything was written.

    The same bundle as the app's "see an example" (``mus.demo.example_bundle``).
    """
    bundle = example_bundle(today_in_copenhagen(now))
    wrote = False
    conversations = session.conversations()
    if conversations.get(EXAMPLE_ID) is None:
        conversations.save(bundle.record)
        wrote = True
    versions = session.versions()
    if versions.latest(EXAMPLE_ID) is None:
        versions.add(bundle.version)
        wrote = True
    schedules = session.schedules()
    if schedules.get(EXAMPLE_ID) is None:
        schedules.save(bundle.schedule)
        wrote = True
    return wrote
