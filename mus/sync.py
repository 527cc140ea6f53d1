"""Sync of exported PDFs, as plain data and pure rules (no network, no database).

An export never waits for a network: each PDF becomes one :class:`OutboxItem`
per target, kept in the vault, and ``storage.sync`` delivers the items when it
can. This module holds what can be decided without I/O: the records, which
targets an export goes to, when a failed item is tried again, what a safe file
name is, and whether a target's settings are usable. Error codes are short
words (``wrong_password``); the catalogs carry them as ``sync.error.<code>``.

Idempotency rests on content, not on names: every item knows the SHA-256 of
its PDF, and a file already at the destination with the same hash counts as
delivered (see ``storage/webdav.py`` for the protocol).
"""

from __future__ import annotations

import enum
import hashlib
import ipaddress
import random
import re
import unicodedata
import uuid
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from mus.i18n import Translator
from mus.report import ReportKind

EXIT_SYNC_PENDING = 7
"""CLI exit code of ``sync run`` when some items are still waiting or failed."""

MAX_PDF_BYTES = 20 * 1024 * 1024
"""Larger exports are refused: each one lives base64-encoded in a vault frame."""

TEMP_SUFFIX = ".upload"
"""Suffix of an upload in progress. Not ``.part``: Nextcloud refuses every name
ending in ``.part`` or ``.filepart`` (its ``blacklist_files_regex``)."""


class TargetRole(enum.StrEnum):
    """Whose archive a target is: the employee's own, or the leader's copy."""

    MINE = "mine"
    LEADER = "leader"


class TargetKind(enum.StrEnum):
    WEBDAV = "webdav"
    FOLDER = "folder"


class DeliveryState(enum.StrEnum):
    """An item's life: waiting → sending → sent, or failed (→ waiting again), or cancelled.

    A failed item with ``next_attempt_at`` set is retried by itself; with
    ``next_attempt_at = None`` it is *paused*: it waits for the user (retry
    limit reached, wrong password, server full, folder missing ...).
    """

    WAITING = "waiting"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    CANCELLED = "cancelled"


OPEN_STATES = frozenset({DeliveryState.WAITING, DeliveryState.SENDING, DeliveryState.FAILED})
"""States whose PDF must stay in the outbox."""

AUTH_CODES = frozenset({"wrong_password", "forbidden"})
"""Why a target refused the login (401, 403): only a new password resumes these
items by themselves; retrying with the same one trips Nextcloud's brute-force throttle."""


@dataclass(frozen=True, slots=True)
class SyncTarget:
    """A place exports go to. Never holds the password (see :class:`WebDavCredentials`).

    ``url`` and ``folder`` are for WebDAV (``folder`` is relative to ``url``,
    ``/``-separated); ``path`` is the local folder of a folder target.
    """

    id: str
    name: str
    role: TargetRole
    kind: TargetKind
    url: str = ""
    user: str = ""
    folder: str = ""
    path: str = ""
    auto: bool = False
    created_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class WebDavCredentials:
    """A target's app password, stored apart so listing targets never reads it."""

    target_id: str
    password: str


@dataclass(frozen=True, slots=True)
class ExportMeta:
    """What an exported PDF is of: which conversation, which report, which version."""

    conversation_id: str
    kind: ReportKind
    version: int | None = None


@dataclass(frozen=True, slots=True)
class OutboxItem:
    """One PDF on its way to one target; its bytes are kept apart, by hash."""

    id: str
    target_id: str
    file_name: str
    sha256: str
    size: int
    created_at: datetime
    state: DeliveryState = DeliveryState.WAITING
    attempts: int = 0
    next_attempt_at: datetime | None = None
    last_error_code: str | None = None
    sent_at: datetime | None = None
    delivered_name: str | None = None
    conversation_id: str = ""
    kind: ReportKind = ReportKind.PLAN
    version: int | None = None
    updated_at: datetime | None = None

    @property
    def paused(self) -> bool:
        """Failed and not retried by itself: the user must ask again."""
        return self.state is DeliveryState.FAILED and self.next_attempt_at is None

    def is_due(self, now: datetime) -> bool:
        """Waiting or failed with its time come; ``sending`` here means a crashed run."""
        if self.state is DeliveryState.SENDING:
            return True
        if self.state not in (DeliveryState.WAITING, DeliveryState.FAILED):
            return False
        if self.state is DeliveryState.FAILED and self.next_attempt_at is None:
            return False
        return self.next_attempt_at is None or self.next_attempt_at <= now

    @property
    def needs_password(self) -> bool:
        """Paused because the target refused the login: waits for a new password."""
        return self.paused and self.last_error_code in AUTH_CODES

    def retried_now(self, now: datetime) -> bool:
        """Whether "send now" makes this item due at once (the app's "Send nu",
        ``sync run --now``): one waiting for its backoff, or paused (retry limit,
        full server, missing folder ...), but not one paused by a refused login,
        which waits for a new password. Items already due go anyway."""
        if self.state not in (DeliveryState.WAITING, DeliveryState.FAILED):
            return False
        return not self.is_due(now) and not self.needs_password


# ---------------------------------------------------------------- outcomes


@dataclass(frozen=True, slots=True)
class Delivered:
    """The file is at the target under ``name`` (ours, or found there with our hash)."""

    name: str
    already_there: bool = False


@dataclass(frozen=True, slots=True)
class Failure:
    """Why a delivery did not happen and what that means for the queue.

    ``pause``: retrying cannot help until the user acts (password, full disk).
    ``whole_target``: the target itself is unreachable or busy; the rest of its
    items in this run wait too instead of failing one by one.
    ``retry_after``: the server's own Retry-After, in seconds.
    """

    code: str
    pause: bool = False
    whole_target: bool = False
    retry_after: float | None = None


Outcome = Delivered | Failure


# ---------------------------------------------------------------- backoff


@dataclass(frozen=True, slots=True)
class BackoffPolicy:
    """Exponential backoff with full jitter (AWS architecture blog, 2015).

    The n-th failure waits a uniform random time in ``[floor, min(cap, base·2^(n-1))]``
    so a fleet of phones coming back online does not hit a server in step; a
    server's Retry-After is honoured (up to ``max_retry_after``). After
    ``max_attempts`` failures the item is paused until the user asks again.
    """

    base_seconds: float = 30.0
    cap_seconds: float = 6 * 3600.0
    floor_seconds: float = 1.0
    max_attempts: int = 8
    max_retry_after: float = 24 * 3600.0

    def delay(self, attempts: int, rng: random.Random, retry_after: float | None = None) -> float:
        ceiling = min(self.cap_seconds, self.base_seconds * 2 ** max(0, attempts - 1))
        seconds = max(self.floor_seconds, rng.uniform(0, ceiling))
        if retry_after is not None:
            seconds = max(seconds, min(retry_after, self.max_retry_after))
        return seconds

    def next_attempt(
        self,
        attempts: int,
        now: datetime,
        rng: random.Random,
        retry_after: float | None = None,
    ) -> datetime | None:
        """When to try again after ``attempts`` failed tries; None = wait for the user."""
        if attempts >= self.max_attempts:
            return None
        return now + timedelta(seconds=self.delay(attempts, rng, retry_after))


# ---------------------------------------------------------------- planning


def new_id() -> str:
    return uuid.uuid4().hex


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def auto_by_default(existing: Sequence[SyncTarget], role: TargetRole) -> bool:
    """ "Send every export here" starts on for the first target of each role."""
    return not any(t.role is role for t in existing)


def plan_exports(
    targets: Sequence[SyncTarget],
    pdf: bytes,
    file_name: str,
    meta: ExportMeta,
    now: datetime,
    *,
    only: Collection[str] | None = None,
    make_id: Callable[[], str] = new_id,
) -> tuple[OutboxItem, ...]:
    """The items for one export: the auto targets, or exactly ``only`` (a manual send)."""
    if len(pdf) > MAX_PDF_BYTES:
        raise ValueError("export too large for the outbox")
    chosen = [t for t in targets if (t.id in only if only is not None else t.auto)]
    digest = sha256_hex(pdf)
    name = safe_file_name(file_name)
    return tuple(
        OutboxItem(
            id=make_id(),
            target_id=t.id,
            file_name=name,
            sha256=digest,
            size=len(pdf),
            created_at=now,
            conversation_id=meta.conversation_id,
            kind=meta.kind,
            version=meta.version,
            updated_at=now,
        )
        for t in chosen
    )


# ---------------------------------------------------------------- file names

_UNSAFE = re.compile(r'[\\/:*?"<>|]')
_SPACES = re.compile(r"\s+")
_WINDOWS_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL"}
    | {f"COM{i}" for i in range(1, 10)}
    | {f"LPT{i}" for i in range(1, 10)}
)
MAX_NAME_BYTES = 180
"""Room under the 255-byte limit of common file systems for ``" (12)"`` and temp names."""


def safe_file_name(name: str, extension: str = ".pdf") -> str:
    """A name every target accepts: one path segment, no control characters.

    Decision: the employee's name may stay in the file name. A target is the
    user's own archive or their leader's copy, and a file the leader cannot
    recognise is useless; the outbox that holds the name lives in the
    encrypted vault, and no log ever prints it. What goes: path separators,
    characters Windows, FAT memory cards and Nextcloud refuse, control and
    format characters, leading dots (hidden files), trailing dots and spaces,
    reserved device names; the result is NFC (what macOS and Nextcloud
    expect) and at most :data:`MAX_NAME_BYTES` UTF-8 bytes.
    """
    text = unicodedata.normalize("NFC", name)
    text = "".join(" " if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") else c for c in text)
    text = _UNSAFE.sub("-", text)
    text = _SPACES.sub(" ", text).strip()
    if text.lower().endswith(extension):
        text = text[: -len(extension)]
    text = text.rstrip(" .").lstrip(" .-")
    if text.split(".")[0].upper() in _WINDOWS_RESERVED:
        text = f"_{text}"
    stem = text or "musling"
    while len((stem + extension).encode("utf-8")) > MAX_NAME_BYTES:
        stem = stem[:-1].rstrip(" .")
    return stem + extension


def numbered_name(name: str, number: int) -> str:
    """``name (2).pdf``: how a second, different file of the same name is kept."""
    if number <= 1:
        return name
    stem, dot, ext = name.rpartition(".")
    if not dot:
        return f"{name} ({number})"
    return f"{stem} ({number}).{ext}"


def temp_name(item_id: str) -> str:
    """The upload's temporary name: hidden, unique per item, no personal data."""
    return f".musling-{item_id[:16]}{TEMP_SUFFIX}"


def error_text(t: Translator, code: str, kind: TargetKind | None = None) -> str:
    """An error code in plain words, for the app and the command line alike; a folder
    on the device has a wording of its own where the server's would mislead
    (``syncui.error.folder.<code>``)."""
    own = f"syncui.error.{kind}.{code}"
    if kind is not None and t.has(own):
        return t(own)
    return t(f"sync.error.{code}")


# ---------------------------------------------------------------- validation

_LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain"})


def is_loopback(host: str) -> bool:
    if host.lower() in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def validate_target(target: SyncTarget) -> tuple[str, ...]:
    """Error codes (``sync.error.<code>``) for settings that cannot work; () when fine.

    HTTPS is required: the password and the PDFs would otherwise cross the
    network in clear. Plain HTTP is allowed only to this device (127.0.0.1,
    ::1, localhost), e.g. a local test server.
    """
    errors: list[str] = []
    if not target.name.strip():
        errors.append("name_missing")
    if target.kind is TargetKind.WEBDAV:
        parts = urlsplit(target.url.strip())
        host = parts.hostname or ""
        if parts.scheme not in ("http", "https") or not host:
            errors.append("url_invalid")
        elif parts.scheme == "http" and not is_loopback(host):
            errors.append("https_required")
        elif parts.query or parts.fragment:
            errors.append("url_invalid")
        if not target.user.strip():
            errors.append("user_missing")
        if any(seg in (".", "..") for seg in target.folder.split("/")):
            errors.append("folder_invalid")
    elif not target.path.strip():
        errors.append("path_missing")
    elif not target.path.startswith("/") and not re.match(r"^[A-Za-z]:[\\/]", target.path):
        errors.append("path_relative")
    return tuple(errors)


def folder_segments(folder: str) -> tuple[str, ...]:
    """A WebDAV folder setting (``MUS/2026`` or ``/MUS/2026/``) as its path segments."""
    return tuple(seg for seg in folder.strip().split("/") if seg)


def utcnow() -> datetime:
    return datetime.now(UTC)
