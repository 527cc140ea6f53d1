"""Command-line glue for sync: each function prints one line per target or item and
returns the exit code, so ``storage.cli`` only wires arguments to them.

They take an :class:`~storage.sync.Outbox` or the vault's ``TinyDB`` (the vault
already unlocked by the caller), the result stream ``out`` and the stream for
explanations and refusals ``err`` (``out`` when not given). Lines show names and
addresses: this is the user's own terminal, not a log; no password is ever
printed. Hints name the command to run (``python main.py sync run --now``),
never a button: the rules behind them are the app's (``Outbox.retry_now``,
``Outbox.retry``, ``Outbox.set_password``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
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
    error_text,
    utcnow,
    validate_target,
)
from storage.cli_context import CliError
from storage.sync import DelivererFactory, Outbox

Source = Outbox | TinyDB
Secret = str | Callable[[], str]
"""A password, or how to ask for it once the target's settings are known to be usable."""

SHORT_ID = 8
"""How many characters of an id the lines show; any unique prefix finds it again."""


def _outbox(source: Source) -> Outbox:
    return source if isinstance(source, Outbox) else Outbox(source)


def _say(out: TextIO, text: str) -> None:
    print(text, file=out, flush=True)


def short(ident: str) -> str:
    return ident[:SHORT_ID]


def target_line(target: SyncTarget, t: Translator) -> str:
    where = target.path if target.kind is TargetKind.FOLDER else _webdav_place(target)
    auto = t("sync.auto.on") if target.auto else t("sync.auto.off")
    role = t(f"sync.role.{target.role}")
    return f"{short(target.id)}  {role}  {target.kind}  {auto}  {target.name}  {where}"


def _webdav_place(target: SyncTarget) -> str:
    folder = target.folder.strip("/")
    return f"{target.user} @ {target.url.rstrip('/')}/{folder}"


def item_line(item: OutboxItem, t: Translator, targets: dict[str, SyncTarget]) -> str:
    """Id, state, target, file name, then why it waits and what the user can run."""
    target = targets.get(item.target_id)
    where = target.name if target else short(item.target_id)
    state = t(f"sync.state.{item.state}")
    parts = [short(item.id), state, where, item.delivered_name or item.file_name]
    if item.state is DeliveryState.SENT and item.sent_at is not None:
        parts.append(item.sent_at.isoformat(timespec="seconds"))
    if item.last_error_code:
        parts.append(error_text(t, item.last_error_code, target.kind if target else None))
        if item.state in OPEN_STATES:
            parts.append(_what_next(item, t))
    return "  ".join(parts)


def _what_next(item: OutboxItem, t: Translator) -> str:
    """What becomes of an item that failed, and the command that changes it."""
    if item.needs_password:
        ids = {"target": short(item.target_id), "item": short(item.id)}
        return t(f"cli.sync.held.{item.last_error_code}", **ids)
    if item.paused:
        return t("cli.sync.paused")
    if item.next_attempt_at is not None:
        return t("cli.sync.next_try", at=item.next_attempt_at.isoformat(timespec="seconds"))
    return t("cli.sync.due")


def _summary(outbox: Outbox, out: TextIO, err: TextIO, now: datetime, t: Translator) -> int:
    """How many still wait (stdout) and the commands that move them (stderr): 0 or 7."""
    left = [i for i in outbox.items() if i.state in OPEN_STATES]
    if not left:
        return EXIT_OK
    _say(out, t("sync.cli.left", count=len(left)))
    now_count = sum(1 for i in left if i.retried_now(now))
    if now_count:
        _say(err, t("cli.sync.hint.now", count=now_count))
    by_target: dict[str, int] = {}
    for item in left:
        if item.needs_password:
            by_target[item.target_id] = by_target.get(item.target_id, 0) + 1
    for target_id, count in by_target.items():
        _say(err, t("cli.sync.hint.password", count=count, target=short(target_id)))
    return EXIT_SYNC_PENDING


# ---------------------------------------------------------------- finding by id


def find_target(source: Source, ref: str) -> SyncTarget:
    """A target by its id, a unique start of it (as ``sync targets`` shows), or its
    name (any case). Raises :class:`CliError` (exit 1) when none or several fit."""
    targets = _outbox(source).targets()
    ref = ref.strip()
    exact = [x for x in targets if x.id == ref]
    by_id = exact or ([x for x in targets if x.id.startswith(ref)] if ref else [])
    found = by_id or [x for x in targets if x.name.casefold() == ref.casefold()]
    if not found:
        raise CliError("cli.sync.no_such_target")
    if len(found) > 1:
        raise CliError("cli.sync.ambiguous_target")
    return found[0]


def find_item(source: Source, ref: str) -> OutboxItem:
    """An outbox item by its id or a unique start of it (as ``sync status`` shows)."""
    ref = ref.strip()
    found = [i for i in _outbox(source).items() if ref and i.id.startswith(ref)]
    if not found:
        raise CliError("cli.sync.no_such_item")
    if len(found) > 1:
        raise CliError("cli.sync.ambiguous_item")
    return found[0]


# ---------------------------------------------------------------- commands


def cli_targets(source: Source, out: TextIO, t: Translator | None = None) -> int:
    t = t or Translator()
    targets = _outbox(source).targets()
    if not targets:
        _say(out, t("sync.cli.no_targets"))
    for target in targets:
        _say(out, target_line(target, t))
    return EXIT_OK


def _add(
    outbox: Outbox,
    target: SyncTarget,
    password: Secret | None,
    *,
    out: TextIO,
    err: TextIO,
    t: Translator,
) -> int:
    """Usable settings are checked before a password is asked; every problem on one line."""
    problems = validate_target(target)
    if problems:
        _say(err, "; ".join(t(f"sync.error.{code}") for code in problems))
        return EXIT_USAGE
    secret = password() if callable(password) else password
    saved = outbox.add_target(target, secret)
    _say(out, target_line(saved, t))
    return EXIT_OK


def _role(role: str, err: TextIO, t: Translator) -> TargetRole | None:
    try:
        return TargetRole(role)
    except ValueError:
        _say(err, t("sync.error.role_invalid"))
        return None


def cli_add_webdav(
    source: Source,
    out: TextIO,
    *,
    name: str,
    url: str,
    user: str,
    folder: str,
    role: str,
    password: Secret,
    t: Translator | None = None,
    err: TextIO | None = None,
) -> int:
    t, err = t or Translator(), err or out
    target_role = _role(role, err, t)
    if target_role is None:
        return EXIT_USAGE
    target = SyncTarget("", name, target_role, TargetKind.WEBDAV, url=url, user=user, folder=folder)
    return _add(_outbox(source), target, password, out=out, err=err, t=t)


def cli_add_folder(
    source: Source,
    out: TextIO,
    *,
    name: str,
    path: str,
    role: str,
    t: Translator | None = None,
    err: TextIO | None = None,
) -> int:
    t, err = t or Translator(), err or out
    target_role = _role(role, err, t)
    if target_role is None:
        return EXIT_USAGE
    target = SyncTarget("", name, target_role, TargetKind.FOLDER, path=path)
    return _add(_outbox(source), target, None, out=out, err=err, t=t)


def cli_password(
    source: Source,
    out: TextIO,
    *,
    target: str,
    password: Secret,
    now: datetime | None = None,
    t: Translator | None = None,
    err: TextIO | None = None,
) -> int:
    """A WebDAV target's new app password (the app's "Skift app-adgangskode"): the
    items a refused login paused are due again, for the next ``sync run``."""
    t, err = t or Translator(), err or out
    outbox = _outbox(source)
    found = find_target(outbox, target)
    if found.kind is not TargetKind.WEBDAV:
        raise CliError("cli.sync.folder_has_no_password")
    secret = password() if callable(password) else password
    if not secret:
        raise CliError("cli.sync.password_empty")
    resumed = outbox.set_password(found.id, secret, now=now or utcnow())
    _say(out, t("cli.sync.password_saved", target=short(found.id)))
    if resumed:
        _say(err, t("cli.sync.password_resumed", count=resumed))
    return EXIT_OK


def cli_remove(
    source: Source,
    out: TextIO,
    *,
    target: str,
    confirm: Callable[[], None],
    now: datetime | None = None,
    t: Translator | None = None,
    err: TextIO | None = None,
) -> int:
    """Forget a target and its password (the app's "Slet"): says first what that
    cancels, then ``confirm`` (raises when declined)."""
    t, err = t or Translator(), err or out
    outbox = _outbox(source)
    found = find_target(outbox, target)
    open_items = [i for i in outbox.items() if i.target_id == found.id and i.state in OPEN_STATES]
    _say(err, t("cli.sync.remove.what", target=short(found.id), count=len(open_items)))
    confirm()
    outbox.remove_target(found.id, now=now or utcnow())
    _say(out, t("cli.sync.removed", target=short(found.id), count=len(open_items)))
    return EXIT_OK


def cli_run(
    source: Source,
    out: TextIO,
    *,
    now: datetime | None = None,
    deliverers: DelivererFactory | None = None,
    t: Translator | None = None,
    err: TextIO | None = None,
    retry_now: bool = False,
) -> int:
    """Deliver what is due: 0 when nothing is left open, 7 when some items still wait.

    ``retry_now`` (``--now``): first what the app's "Send nu" makes due
    (``Outbox.retry_now``); the items a refused login paused are listed, not sent.
    """
    t, err = t or Translator(), err or out
    when = now or utcnow()
    outbox = _outbox(source)
    held: Sequence[OutboxItem] = outbox.retry_now(now=when).need_password if retry_now else ()
    results = outbox.run_due(when, deliverers)
    targets = {x.id: x for x in outbox.targets()}
    for result in results:
        _say(out, item_line(result.item, t, targets))
    for item in held:
        _say(out, item_line(item, t, targets))
    return _summary(outbox, out, err, when, t)


def cli_retry(
    source: Source,
    out: TextIO,
    *,
    item: str,
    now: datetime | None = None,
    deliverers: DelivererFactory | None = None,
    t: Translator | None = None,
    err: TextIO | None = None,
) -> int:
    """One item's "Prøv igen nu" (``Outbox.retry``, even after a refused login: the
    user picked it), then a run as ``sync run``. A sent or cancelled item: exit 1."""
    t, err = t or Translator(), err or out
    when = now or utcnow()
    outbox = _outbox(source)
    found = find_item(outbox, item)
    if found.state not in OPEN_STATES:
        state = t(f"sync.state.{found.state}")
        raise CliError("cli.sync.retry_closed", item=short(found.id), state=state)
    outbox.retry(found.id, now=when)
    return cli_run(outbox, out, now=when, deliverers=deliverers, t=t, err=err)


def cli_status(
    source: Source,
    out: TextIO,
    t: Translator | None = None,
    *,
    now: datetime | None = None,
    err: TextIO | None = None,
) -> int:
    """Every item, newest first, and what still waits; always 0 (it only reads)."""
    t, err = t or Translator(), err or out
    outbox = _outbox(source)
    items: Sequence[OutboxItem] = outbox.status()
    targets = {x.id: x for x in outbox.targets()}
    if not items:
        _say(out, t("sync.cli.empty"))
    for item in items:
        _say(out, item_line(item, t, targets))
    _summary(outbox, out, err, now or utcnow(), t)
    return EXIT_OK
