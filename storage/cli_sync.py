"""``python main.py sync …``: the outbox of exported PDFs from the command line.

Thin: each command opens the vault and calls ``storage.sync_cli``, which uses
the same ``storage.sync.Outbox`` as the app's sync screens.
"""

from __future__ import annotations

from storage import sync_cli
from storage.cli_context import Context

WEBDAV_PASSWORD_ENV = "MUSLING_WEBDAV_PASSWORD"  # noqa: S105 - the variable's name


def targets(ctx: Context) -> int:
    with ctx.opened() as session:
        return sync_cli.cli_targets(session.outbox(), ctx.console.stdout, ctx.t)


def add_webdav(ctx: Context) -> int:
    a = ctx.args
    with ctx.opened() as session:
        password = ctx.console.secret(ctx.t("cli.prompt.webdav_password"), WEBDAV_PASSWORD_ENV)
        return sync_cli.cli_add_webdav(
            session.outbox(), ctx.console.stdout, name=a.name, url=a.url, user=a.user,
            folder=a.folder, role=a.role, password=password, t=ctx.t,
        )  # fmt: skip


def add_folder(ctx: Context) -> int:
    a = ctx.args
    with ctx.opened() as session:
        return sync_cli.cli_add_folder(
            session.outbox(), ctx.console.stdout, name=a.name, path=a.path, role=a.role, t=ctx.t
        )


def run(ctx: Context) -> int:
    """Deliver what is due now: exit 0 when all is delivered, 7 when some still wait."""
    with ctx.opened() as session:
        return sync_cli.cli_run(session.outbox(), ctx.console.stdout, now=ctx.clock(), t=ctx.t)


def status(ctx: Context) -> int:
    with ctx.opened() as session:
        return sync_cli.cli_status(session.outbox(), ctx.console.stdout, ctx.t)
