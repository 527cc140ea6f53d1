"""Idempotent delivery of one PDF to a WebDAV folder, over httpx.

The protocol (it passed the fault scenarios in the security notes):

1. On a retry (an earlier attempt may have landed, its response lost) first
   ``GET`` the final name: if it holds our SHA-256, we are done.
2. ``PUT`` the bytes to a hidden temporary name unique to the item
   (``.musling-<id>.upload``; never ``.part``, which Nextcloud refuses). A
   cut-off upload can only ever leave a half *temporary* file, which the next
   attempt's PUT replaces.
3. ``MOVE`` it to the final name with ``Overwrite: F``: atomic on the server and
   never over another file. ``412`` means the name is taken: ``GET`` it and
   compare hashes: ours → done (delete the temporary file); someone else's →
   try ``name (2).pdf``, ``name (3).pdf`` ... so both are kept.

Content is compared by SHA-256 of a GET (skipped when Content-Length already
differs), because no common server gives a content hash: WsgiDAV's ETag is
path+mtime+size, Apache's inode+mtime+size, Nextcloud's an opaque id;
Nextcloud's ``OC-Checksum`` is not portable. A 40 KB GET is cheap.

Happy path: 2 requests (PUT, MOVE). Nothing here logs a URL, a user or a file
name: only item ids, methods and status codes.
"""

from __future__ import annotations

import email.utils
import hashlib
import logging
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from urllib.parse import quote

import httpx

from mus.sync import (
    Delivered,
    Failure,
    OutboxItem,
    SyncTarget,
    folder_segments,
    numbered_name,
    temp_name,
    validate_target,
)

log = logging.getLogger("musling.sync")


class _NoAddresses(logging.Filter):
    """httpx logs every request's full URL at INFO ("HTTP Request: PUT https://…/files/anna/MUS-plan
    – Anna Hansen.pdf"), and httpcore logs hosts at DEBUG: user and file names are personal
    data, so below WARNING both are dropped (warnings and errors carry no URL)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.WARNING


_HTTP_LOGGERS = (
    "httpx",
    *(f"httpcore.{n}" for n in ("connection", "http11", "http2", "proxy", "socks")),
)
for _name in _HTTP_LOGGERS:  # a filter acts only on its own logger's records, so each one
    logging.getLogger(_name).addFilter(_NoAddresses())

MAX_CONFLICT_NUMBER = 50
DEFAULT_TIMEOUT = httpx.Timeout(connect=10.0, read=30.0, write=30.0, pool=10.0)
PROPFIND_BODY = (
    b'<?xml version="1.0" encoding="utf-8"?>'
    b'<d:propfind xmlns:d="DAV:"><d:prop><d:resourcetype/></d:prop></d:propfind>'
)


class _Stop(Exception):
    """Ends one delivery with a :class:`Failure` from deep inside the protocol."""

    def __init__(self, failure: Failure) -> None:
        super().__init__(failure.code)
        self.failure = failure


def new_client(timeout: httpx.Timeout = DEFAULT_TIMEOUT) -> httpx.Client:
    """One pooled client for every target: keep-alive saves a TLS handshake per request.

    Redirects are not followed: a WebDAV URL that redirects is a wrong URL
    (or a login page), and following it would resend the password.
    """
    return httpx.Client(timeout=timeout, follow_redirects=False, http2=False)


def folder_url(target: SyncTarget) -> str:
    base = target.url.strip().rstrip("/")
    segments = "".join(f"/{quote(s, safe='')}" for s in folder_segments(target.folder))
    return f"{base}{segments}/"


def file_url(target: SyncTarget, name: str) -> str:
    return folder_url(target) + quote(name, safe="")


def retry_after_seconds(response: httpx.Response, now: datetime | None = None) -> float | None:
    """Retry-After as seconds: either delta-seconds or an HTTP date (RFC 9110 §10.2.3)."""
    value = response.headers.get("Retry-After")
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


_PAUSING = {
    401: Failure("wrong_password", pause=True, whole_target=True),
    403: Failure("forbidden", pause=True, whole_target=True),
    507: Failure("server_full", pause=True, whole_target=True),
    413: Failure("too_large", pause=True),
}
_MISSING_FOLDER = Failure("folder_missing", pause=True, whole_target=True)


def status_failure(response: httpx.Response, *, writing: bool) -> Failure:
    """What an unexpected status means for the queue.

    401/403/507 pause the whole target: a wrong password retried in a loop
    trips Nextcloud's brute-force throttle, and a full account stays full.
    """
    code = response.status_code
    if code in _PAUSING:
        return _PAUSING[code]
    if code in (404, 409) and writing:
        # RFC 4918 §9.7.1: PUT into a missing collection is 409 (some servers say 404).
        return _MISSING_FOLDER
    if 300 <= code < 400:
        return Failure("moved", pause=True, whole_target=True)
    retry_after = retry_after_seconds(response)
    if code in (429, 502, 503, 504):
        return Failure("server_busy", whole_target=True, retry_after=retry_after)
    if code >= 500 or code == 423:
        return Failure("server_error", retry_after=retry_after)
    return Failure("refused")


def transport_failure(exc: httpx.TransportError) -> Failure:
    """Network failures are the target's, not the item's: the rest of its queue waits too."""
    if isinstance(exc, httpx.TimeoutException):
        return Failure("timeout", whole_target=True)
    if isinstance(exc, httpx.ConnectError):
        cause: BaseException | None = exc
        while cause is not None:
            if isinstance(cause, ssl.SSLCertVerificationError):
                return Failure("certificate", pause=True, whole_target=True)
            if isinstance(cause, ssl.SSLError):
                return Failure("tls", pause=True, whole_target=True)
            cause = cause.__cause__ or cause.__context__
        return Failure("no_connection", whole_target=True)
    return Failure("connection_lost", whole_target=True)


@contextmanager
def _network() -> Iterator[None]:
    try:
        yield
    except httpx.TransportError as exc:
        raise _Stop(transport_failure(exc)) from exc


class WebDavDeliverer:
    """Delivers items to one WebDAV target (``mus.sync`` Deliverer protocol)."""

    def __init__(self, target: SyncTarget, password: str, client: httpx.Client) -> None:
        self.target = target
        self._auth = httpx.BasicAuth(target.user, password)
        self._client = client

    # -------------------------------------------------------------- protocol

    def deliver(self, item: OutboxItem, data: bytes, *, check_first: bool) -> Delivered | Failure:
        try:
            if check_first and self._holds(item.file_name, item):
                return Delivered(item.file_name, already_there=True)
            temp = file_url(self.target, temp_name(item.id))
            self._put(temp, data)
            return self._move_into_place(temp, item)
        except _Stop as stop:
            log.info("item %s: %s", item.id[:8], stop.failure.code)
            return stop.failure

    def close(self) -> None:
        """The shared client belongs to whoever made it."""

    def _put(self, url: str, data: bytes) -> None:
        with _network():
            response = self._client.put(
                url, content=data, auth=self._auth, headers={"Content-Type": "application/pdf"}
            )
        if response.status_code not in (200, 201, 204):
            raise _Stop(status_failure(response, writing=True))

    def _move_into_place(self, temp: str, item: OutboxItem) -> Delivered:
        for number in range(1, MAX_CONFLICT_NUMBER + 1):
            name = numbered_name(item.file_name, number)
            with _network():
                response = self._client.request(
                    "MOVE",
                    temp,
                    auth=self._auth,
                    headers={"Destination": file_url(self.target, name), "Overwrite": "F"},
                )
            if response.status_code in (201, 204):
                return Delivered(name)
            if response.status_code == 404:
                # Our temporary file vanished (cleaned up by the server?): upload again.
                raise _Stop(Failure("server_error"))
            if response.status_code != 412:
                raise _Stop(status_failure(response, writing=True))
            if self._holds(name, item):
                self._delete(temp)
                return Delivered(name, already_there=True)
        raise _Stop(Failure("too_many_conflicts", pause=True))

    def _holds(self, name: str, item: OutboxItem) -> bool:
        """Whether the file ``name`` exists with exactly our bytes (SHA-256)."""
        with (
            _network(),
            self._client.stream("GET", file_url(self.target, name), auth=self._auth) as r,
        ):
            if r.status_code == 404:
                return False
            if r.status_code != 200:
                raise _Stop(status_failure(r, writing=False))
            length = r.headers.get("Content-Length")
            if length is not None and length.isdigit() and int(length) != item.size:
                return False
            digest = hashlib.sha256()
            seen = 0
            for chunk in r.iter_bytes():
                seen += len(chunk)
                if seen > item.size:
                    return False
                digest.update(chunk)
            return digest.hexdigest() == item.sha256

    def _delete(self, url: str) -> None:
        """Best effort: a leftover hidden temporary file is harmless and replaced next time."""
        try:
            self._client.request("DELETE", url, auth=self._auth)
        except httpx.TransportError:
            log.info("temporary file left behind")


def check_connection(
    target: SyncTarget, password: str, client: httpx.Client | None = None
) -> str | None:
    """None when the folder is reachable with these credentials, else an error code.

    One ``PROPFIND Depth: 0`` on the folder; the answer is judged by status
    only (207 = there), so no server XML is parsed.
    """
    problems = validate_target(target)
    if problems:
        return problems[0]
    own = client is None
    http = client or new_client()
    try:
        response = http.request(
            "PROPFIND",
            folder_url(target),
            auth=httpx.BasicAuth(target.user, password),
            headers={"Depth": "0", "Content-Type": "application/xml; charset=utf-8"},
            content=PROPFIND_BODY,
        )
    except httpx.TransportError as exc:
        return transport_failure(exc).code
    finally:
        if own:
            http.close()
    if response.status_code == 207:
        return None
    if response.status_code == 404:
        return "folder_missing"
    if response.status_code == 405:
        return "not_webdav"
    return status_failure(response, writing=False).code
