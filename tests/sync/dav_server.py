"""A real WebDAV server (WsgiDAV on cheroot) on 127.0.0.1, with faults on demand.

Used in-process (a thread, :class:`DavServer`) by most tests and as a
subprocess (``python -m tests.sync.dav_server``) by the tests that SIGKILL the
server mid-upload. :class:`Faults` sits in front of WsgiDAV as WSGI middleware:
it can answer with an error status, delay a request, stall it before or after
WsgiDAV applies it (so a test can kill the client at that moment), or stop
reading a PUT body half-way (so a test can kill the server with half a file).
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import socket
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from cheroot import wsgi
from cheroot.ssl.builtin import BuiltinSSLAdapter
from wsgidav.wsgidav_app import WsgiDAVApp

USER = "anna"
PASSWORD = "app-password-1"

StartResponse = Callable[..., Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def dav_app(root: Path) -> WsgiApp:
    config: dict[str, Any] = {
        "host": "127.0.0.1",
        "provider_mapping": {"/": str(root)},
        "simple_dc": {"user_mapping": {"*": {USER: {"password": PASSWORD}}}},
        "http_authenticator": {
            "domain_controller": None,
            "accept_basic": True,
            "accept_digest": False,
            "default_to_digest": False,
        },
        "verbose": 0,
        "logging": {"enable": False, "enable_loggers": []},
        "dir_browser": {"enable": False},
        "lock_storage": True,
    }
    app: WsgiApp = WsgiDAVApp(config)
    logging.getLogger("wsgidav").setLevel(logging.CRITICAL)
    logging.getLogger("wsgidav").propagate = False
    return app


@dataclass
class Rule:
    method: str
    status: int = 0
    times: int = 1
    delay: float = 0.0
    headers: list[tuple[str, str]] = field(default_factory=list)


class Faults:
    """WSGI middleware: the faults a test arms, and a log of every request seen."""

    def __init__(self, app: WsgiApp) -> None:
        self.app = app
        self.rules: list[Rule] = []
        self.seen: list[tuple[str, str]] = []
        self._mutex = threading.Lock()
        self.stall_method: str | None = None
        self.stall_after_apply = False
        self.reached = threading.Event()
        self.release = threading.Event()
        self.cut_put_after: int | None = None
        self.cut_marker: Path | None = None

    def fail(self, method: str, status: int, times: int = 1, **headers: str) -> None:
        hdrs = [(k.replace("_", "-"), v) for k, v in headers.items()]
        self.rules.append(Rule(method, status=status, times=times, headers=hdrs))

    def slow(self, method: str, seconds: float, times: int = 1) -> None:
        self.rules.append(Rule(method, delay=seconds, times=times))

    def stall(self, method: str, *, after_apply: bool) -> None:
        self.stall_method = method
        self.stall_after_apply = after_apply
        self.reached.clear()
        self.release.clear()

    def methods(self) -> list[str]:
        return [m for m, _ in self.seen]

    def clear(self) -> None:
        with self._mutex:
            self.seen.clear()

    def _rule_for(self, method: str) -> Rule | None:
        with self._mutex:
            for rule in self.rules:
                if rule.method == method and rule.times > 0:
                    rule.times -= 1
                    return rule
        return None

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        method = environ["REQUEST_METHOD"]
        with self._mutex:
            self.seen.append((method, unquote(environ.get("PATH_INFO", ""))))
        rule = self._rule_for(method)
        if rule is not None:
            time.sleep(rule.delay)
            if rule.status:
                _drain(environ)
                start_response(f"{rule.status} Injected", [("Content-Length", "0"), *rule.headers])
                return [b""]
        if method == "PUT" and self.cut_put_after is not None:
            environ["wsgi.input"] = _CutInput(environ["wsgi.input"], self.cut_put_after, self)
        if method == self.stall_method and not self.stall_after_apply:
            self._stall()
        result = list(self.app(environ, start_response))
        if method == self.stall_method and self.stall_after_apply:
            self._stall()
        return result

    def _stall(self) -> None:
        self.stall_method = None
        self.reached.set()
        self.release.wait(10)


def _drain(environ: dict[str, Any]) -> None:
    length = int(environ.get("CONTENT_LENGTH") or 0)
    if length:
        environ["wsgi.input"].read(length)


class _CutInput:
    """Hands WsgiDAV the first ``limit`` bytes, then hangs until the process is killed."""

    def __init__(self, inner: Any, limit: int, faults: Faults) -> None:
        self.inner = inner
        self.left = limit
        self.faults = faults

    def read(self, size: int = -1) -> bytes:
        if self.left <= 0:
            if self.faults.cut_marker is not None:
                self.faults.cut_marker.write_text("cut")
            time.sleep(60)
            return b""
        want = self.left if size is None or size < 0 else min(size, self.left)
        data: bytes = self.inner.read(want)
        self.left -= len(data)
        return data

    def readline(self, size: int = -1) -> bytes:
        return self.read(size)


class DavServer:
    """WsgiDAV in a cheroot thread; ``stop()`` and ``start()`` again on the same port."""

    def __init__(
        self, root: Path, port: int | None = None, *, tls: tuple[Path, Path] | None = None
    ) -> None:
        self.root = root
        self.port = port or free_port()
        self.faults = Faults(dav_app(root))
        self.tls = tls
        self._server: wsgi.Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        scheme = "https" if self.tls else "http"
        return f"{scheme}://127.0.0.1:{self.port}"

    def start(self) -> DavServer:
        server = wsgi.Server(("127.0.0.1", self.port), self.faults, numthreads=8)
        server.expiration_interval = 0.05  # stop() waits one interval (0.5 s by default)
        if self.tls:
            server.ssl_adapter = BuiltinSSLAdapter(str(self.tls[0]), str(self.tls[1]))
        server.prepare()
        self._server = server
        self._thread = threading.Thread(target=server.serve, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.faults.release.set()
        if self._server is not None:
            self._server.stop()
        if self._thread is not None:
            self._thread.join(5)
        self._server = None


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--cut-after", type=int, default=None)
    parser.add_argument("--marker", default=None)
    args = parser.parse_args(argv)
    server = DavServer(Path(args.root), args.port)
    server.faults.cut_put_after = args.cut_after
    server.faults.cut_marker = Path(args.marker) if args.marker else None
    server.start()
    print("ready", flush=True)
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    while True:
        time.sleep(3600)


def make_self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 that no client trusts (for the certificate error)."""
    import datetime as dt
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


if __name__ == "__main__":
    main()
