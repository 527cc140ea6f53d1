"""Command-line glue for sync: each function prints one line per target or item and
returns the exit code, so ``storage.cli`` only wires arguments to them.

They take an :class:`~storage.sync.Outbox` or the vault's ``TinyDB`` (the vault
already unlocked by the caller) and an output stream. Lines show names and
addresses: this is the user's own terminal, not a log.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TextIO

from tinydb import TinyDB

from mus.errors import EXIT_OK, EXIT_USAGE
from mus.i18n import Translator
from mus.sync import (
    EXIT_SYNC_PENDING,
    OPEN_STATES,
    DeliveryState,
    OutboxItem,
    SyncTarget,
    TargetKind,
    TargetRole,
)
from storage.sync import DelivererFactory, Outbox

Source = Outbox | TinyDB


def _outbox(source: Source) -> Outbox:
    return source if isinstance(source, Outbox) else Outbox(source)


def _say(out: TextIO, text: str) -> None:
    print(text, file=out, flush=True)


def target_line(target: SyncTarget, t: Translator) -> str:
    where = target.path if target.kind is TargetKind.FOLDER else _webdav_place(target)
    auto = t("sync.auto.on") if target.auto else t("sync.auto.off")
    role = t(f"sync.role.{target.role}")
    return f"{target.id[:8]}  {role}  {target.kind}  {auto}  {target.name}  {where}"


def _webdav_place(target: SyncTarget) -> str:
    folder = target.folder.strip("/")
    return f"{target.user} @ {target.url.rstrip('/')}/{folder}"


def item_line(item: OutboxItem, t: Translator, targets: dict[str, SyncTarget]) -> str:
    target = targets.get(item.target_id)
    where = target.name if target else item.target_id[:8]
    state = t(f"sync.state.{item.state}")
    parts = [item.id[:8], state, where, item.delivered_name or item.file_name]
    if item.state is DeliveryState.SENT and item.sent_at is not None:
        parts.append(item.sent_at.isoformat(timespec="seconds"))
    if item.last_error_code:
        parts.append(t(f"sync.error.{item.last_error_code}"))
        if item.next_attempt_at is not None and item.state is not DeliveryState.SENT:
            parts.append(
                t("sync.next_retry", at=item.next_attempt_at.isoformat(timespec="seconds"))
            )
        elif item.paused:
            parts.append(t("sync.paused"))
    return "  ".join(parts)


def cli_targets(source: Source, out: TextIO, t: Translator | None = None) -> int:
    tr = t or Translator()
    targets = _outbox(source).targets()
    if not targets:
        _say(out, tr("sync.cli.no_targets"))
    for target in targets:
        _say(out, target_line(target, tr))
    return EXIT_OK


def _add(
    outbox: Outbox, target: SyncTarget, password: str | None, out: TextIO, t: Translator
) -> int:
    try:
        saved = outbox.add_target(target, password)
    except ValueError as exc:
        for code in exc.args:
            _say(out, t(f"sync.error.{code}"))
        return EXIT_USAGE
    _say(out, target_line(saved, t))
    return EXIT_OK


def cli_add_webdav(
    source: Source,
    out: TextIO,
    *,
    name: str,
    url: str,
    user: str,
    folder: str,
    role: str,
    password: str,
    t: Translator | None = None,
) -> int:
    tr = t or Translator()
    try:
        target_role = TargetRole(role)
    except ValueError:
        _say(out, tr("sync.error.role_invalid"))
        return EXIT_USAGE
    target = SyncTarget("", name, target_role, TargetKind.WEBDAV, url=url, user=user, folder=folder)
    return _add(_outbox(source), target, password, out, tr)


def cli_add_folder(
    source: Source, out: TextIO, *, name: str, path: str, role: str, t: Translator | None = None
) -> int:
    tr = t or Translator()
    try:
        target_role = TargetRole(role)
    except ValueError:
        _say(out, tr("sync.error.role_invalid"))
        return EXIT_USAGE
    target = SyncTarget("", name, target_role, TargetKind.FOLDER, path=path)
    return _add(_outbox(source), target, None, out, tr)


def cli_run(
    source: Source,
    out: TextIO,
    *,
    now: datetime | None = None,
    deliverers: DelivererFactory | None = None,
    t: Translator | None = None,
) -> int:
    """Deliver what is due: 0 when nothing is left open, 7 when some items still wait."""
    tr = t or Translator()
    outbox = _outbox(source)
    results = outbox.run_due(now, deliverers)
    targets = {x.id: x for x in outbox.targets()}
    for result in results:
        _say(out, item_line(result.item, tr, targets))
    left = [i for i in outbox.items() if i.state in OPEN_STATES]
    if left:
        _say(out, tr("sync.cli.left", count=len(left)))
        return EXIT_SYNC_PENDING
    return EXIT_OK


def cli_status(source: Source, out: TextIO, t: Translator | None = None) -> int:
    tr = t or Translator()
    outbox = _outbox(source)
    items: Sequence[OutboxItem] = outbox.status()
    targets = {x.id: x for x in outbox.targets()}
    if not items:
        _say(out, tr("sync.cli.empty"))
    for item in items:
        _say(out, item_line(item, tr, targets))
    return EXIT_OK
