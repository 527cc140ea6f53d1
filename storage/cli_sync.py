"""``python main.py sync …``: the outbox of exported PDFs from the command line.

Thin: each command opens the vault and calls ``storage.sync_cli``, which uses
the same ``storage.sync.Outbox`` as the app's sync screens.
"""

from __future__ import annotations

from functools import partial

from storage import sync_cli
from storage.cli_context import Context

WEBDAV_PASSWORD_ENV = "MUSLING_WEBDAV_PASSWORD"  # noqa: S105 - the variable's name


def _ask_password(ctx: Context) -> str:
    return ctx.console.secret(ctx.t("cli.prompt.webdav_password"), WEBDAV_PASSWORD_ENV)


def targets(ctx: Context) -> int:
    with ctx.opened() as session:
        return sync_cli.cli_targets(session.outbox(), ctx.console.stdout, ctx.t)


def add_webdav(ctx: Context) -> int:
    """The password is asked (or read from the variable) only for usable settings."""
    a = ctx.args
    with ctx.opened() as session:
        return sync_cli.cli_add_webdav(
            session.outbox(), ctx.console.stdout, name=a.name, url=a.url, user=a.user,
            folder=a.folder, role=a.role, password=partial(_ask_password, ctx), t=ctx.t,
            err=ctx.console.stderr,
        )  # fmt: skip


def add_folder(ctx: Context) -> int:
    a = ctx.args
    with ctx.opened() as session:
        return sync_cli.cli_add_folder(
            session.outbox(), ctx.console.stdout, name=a.name, path=a.path, role=a.role,
            t=ctx.t, err=ctx.console.stderr,
        )  # fmt: skip


def password(ctx: Context) -> int:
    with ctx.opened() as session:
        return sync_cli.cli_password(
            session.outbox(), ctx.console.stdout, target=ctx.args.target,
            password=partial(_ask_password, ctx), now=ctx.clock(), t=ctx.t,
            err=ctx.console.stderr,
        )  # fmt: skip


def remove(ctx: Context) -> int:
    with ctx.opened() as session:
        return sync_cli.cli_remove(
            session.outbox(), ctx.console.stdout, target=ctx.args.target,
            confirm=partial(ctx.console.confirm, ctx.args.yes), now=ctx.clock(), t=ctx.t,
            err=ctx.console.stderr,
        )  # fmt: skip


def run(ctx: Context) -> int:
    """Deliver what is due (with ``--now``: what waits or is paused, too): exit 0 when
    all is delivered, 7 when some still wait."""
    with ctx.opened() as session:
        return sync_cli.cli_run(
            session.outbox(), ctx.console.stdout, now=ctx.clock(), t=ctx.t,
            err=ctx.console.stderr, retry_now=ctx.args.now,
        )  # fmt: skip


def retry(ctx: Context) -> int:
    with ctx.opened() as session:
        return sync_cli.cli_retry(
            session.outbox(), ctx.console.stdout, item=ctx.args.item, now=ctx.clock(),
            t=ctx.t, err=ctx.console.stderr,
        )  # fmt: skip


def status(ctx: Context) -> int:
    with ctx.opened() as session:
        return sync_cli.cli_status(
            session.outbox(), ctx.console.stdout, ctx.t, now=ctx.clock(), err=ctx.console.stderr
        )
