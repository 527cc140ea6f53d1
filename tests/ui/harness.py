"""An in-process Flet session: the real ``Session`` and ``Page``, a fake client.

The fake plays the Flutter client's part of the protocol: it registers with a
phone-size page, encodes every outgoing message with msgpack exactly as the
socket server does (encoding is what marks controls as sent; skip it and the
first render never lands), answers ``push_route`` by changing the route, and
fires control events the way a tap would.

This uses Flet internals (``flet.messaging``), which is why flet is pinned
exactly in pyproject.toml; keep every such use in this one module.
"""

from __future__ import annotations

import asyncio
import dataclasses
import threading
from collections.abc import Awaitable, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime
from typing import Any

import flet as ft
import msgpack
from flet.components.public_utils import unwrap_component
from flet.controls.base_control import BaseControl
from flet.controls.context import _context_page, context
from flet.messaging.connection import Connection
from flet.messaging.protocol import (
    InvokeMethodRequestBody,
    Message,
    MessageAction,
    configure_encode_object_for_msgpack,
)
from flet.messaging.session import Session
from flet.pubsub.pubsub_hub import PubSubHub

PHONE = {"width": 390.0, "height": 844.0}


class FakeClient(Connection):
    """Plays the Flutter client for one session."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        super().__init__()
        self.loop = loop
        self.executor = ThreadPoolExecutor(max_workers=2)
        self.pubsubhub = PubSubHub(loop=loop, executor=self.executor)
        self.page_url = "http://127.0.0.1:8550"
        self.session: Session | None = None
        self.invocations: list[InvokeMethodRequestBody] = []
        self.picks: list[list[tuple[str, bytes]]] = []
        """What the user chooses in the next file pickers, in order (none: cancelled)."""
        self._encode = configure_encode_object_for_msgpack(BaseControl)
        self._tasks: set[asyncio.Task[None]] = set()

    def send_message(self, message: Message) -> None:
        msgpack.packb([message.action, message.body], default=self._encode)
        if message.action == MessageAction.INVOKE_METHOD:
            body = message.body
            assert isinstance(body, InvokeMethodRequestBody)
            self.invocations.append(body)
            task = self.loop.create_task(self._answer(body))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _answer(self, call: InvokeMethodRequestBody) -> None:
        assert self.session is not None
        result: Any = None
        if call.name == "push_route":
            await self.change_route(str(call.args["route"]))
        elif call.name == "pick_files":
            # As Flet's web client answers: no path, the bytes when asked for.
            chosen = self.picks.pop(0) if self.picks else []
            with_data = bool(call.args.get("with_data"))
            result = [
                {"id": i, "name": name, "size": len(data), "bytes": data if with_data else None}
                for i, (name, data) in enumerate(chosen)
            ]
        self.session.handle_invoke_method_results(call.control_id, call.call_id, result, None)

    async def change_route(self, route: str) -> None:
        """What the client does when the URL changes (a tap, a link, the address bar)."""
        assert self.session is not None
        page = self.session.page
        self.session.apply_page_patch({"route": route})
        await self.session.dispatch_event(page._i, "route_change", {"route": route})


def walk(value: Any, seen: set[int] | None = None) -> Iterator[BaseControl]:
    """Every control reachable from ``value`` (views, appbars, nested content)."""
    seen = set() if seen is None else seen
    value = unwrap_component(value)
    if isinstance(value, list | tuple):
        for item in value:
            yield from walk(item, seen)
        return
    if not isinstance(value, BaseControl) or id(value) in seen:
        return
    seen.add(id(value))
    yield value
    for f in dataclasses.fields(value):
        if f.name.startswith("_") or f.name in ("parent", "page", "data"):
            continue
        child = getattr(value, f.name, None)
        if isinstance(child, BaseControl | list | tuple) or hasattr(child, "_state"):
            yield from walk(child, seen)


class UI:
    """A driver for one app session, with helpers that read like a user's steps."""

    def __init__(self, client: FakeClient, session: Session) -> None:
        self.client = client
        self.session = session

    @property
    def page(self) -> ft.Page:
        page: ft.Page = self.session.page
        return page

    @property
    def route(self) -> str:
        return str(self.page.route)

    def views(self) -> list[ft.View]:
        views = unwrap_component(self.page.views)
        if not isinstance(views, list):
            views = [views]
        return [unwrap_component(v) for v in views]

    def top(self) -> ft.View:
        return self.views()[-1]

    def controls(self) -> list[BaseControl]:
        return list(walk(self.top()))

    def find(self, key: str) -> BaseControl:
        found = self.find_all(key)
        if not found:
            raise LookupError(f"no control with key {key!r} on {self.route}")
        return found[0]

    def find_all(self, key: str) -> list[BaseControl]:
        return [c for c in self.controls() if _key(c) == key]

    def prop(self, key: str, name: str) -> Any:
        """A property of the control with this key (``disabled``, ``error``, ``value`` …)."""
        return getattr(self.find(key), name)

    def texts(self) -> list[str]:
        return [str(c.value) for c in self.controls() if isinstance(c, ft.Text) and c.value]

    def text_of(self, key: str) -> str:
        control = self.find(key)
        assert isinstance(control, ft.Text)
        return str(control.value)

    async def settle(self, rounds: int = 0) -> None:
        """Let scheduled re-renders and effects run: return once the session has no
        update or effect waiting and the client no call to answer, several loop
        turns in a row (``rounds`` extra turns on top, for a caller that knows
        more work comes later). Not a fixed sleep: a busy machine waits longer,
        an idle one not at all."""
        quiet = 0
        loop = asyncio.get_running_loop()
        end = loop.time() + SETTLE_LIMIT_S
        while quiet < QUIET_TURNS + rounds:
            await asyncio.sleep(0)
            quiet = quiet + 1 if self._idle() else 0
            if loop.time() > end:
                raise AssertionError(f"the session never settled on {self.route}")

    def _idle(self) -> bool:
        """Flet 1.0.5's scheduler queues (test_harness_relies_on checks they exist)."""
        session: Any = self.session
        return (
            not session._Session__pending_updates
            and not session._Session__pending_effects
            and not session._Session__updates_ready.is_set()
            and not self.client._tasks
        )

    async def tap(self, key: str) -> None:
        control = self.find(key)
        await self.session.dispatch_event(control._i, "click", None)
        await self.settle()

    async def change(self, key: str, value: Any) -> None:
        """Set a field's value the way the client does, then fire ``change``."""
        control = self.find(key)
        self.session.apply_patch(control._i, {"value": value})
        await self.session.dispatch_event(control._i, "change", value)
        await self.settle()

    async def choose_segments(self, key: str, selected: list[str]) -> None:
        """Tap segments of a SegmentedButton: the client sends the new selection."""
        control = self.find(key)
        self.session.apply_patch(control._i, {"selected": selected})
        await self.session.dispatch_event(control._i, "change", None)
        await self.settle()

    async def select_nav(self, index: int) -> None:
        bar = self.find("nav-bar")
        self.session.apply_patch(bar._i, {"selected_index": index})
        await self.session.dispatch_event(bar._i, "change", None)
        await self.settle()

    async def type(self, key: str, text: str) -> None:
        """Type into a text field (change events), then leave it (blur)."""
        control = self.find(key)
        self.session.apply_patch(control._i, {"value": text})
        await self.session.dispatch_event(control._i, "change", text)
        await self.settle()
        await self.session.dispatch_event(self.find(key)._i, "blur", None)
        await self.settle()

    def dialogs(self) -> list[BaseControl]:
        """The dialogs open over the page (pickers, alerts, snack bars)."""
        return [d for d in self.page._dialogs.controls if getattr(d, "open", False)]

    def date_picker(self) -> ft.DatePicker:
        """The one open date picker."""
        (picker,) = [d for d in self.dialogs() if isinstance(d, ft.DatePicker)]
        return picker

    async def pick_date(self, day: date) -> None:
        """Choose ``day`` in the open date picker and press OK, as Flet's client
        answers: local midnight of that day, sent in UTC; then the dialog closes."""
        picker = self.date_picker()
        sent = datetime(day.year, day.month, day.day).astimezone().astimezone(UTC)
        self.session.apply_patch(picker._i, {"value": sent, "open": False})
        await self.session.dispatch_event(picker._i, "change", sent)
        await self.session.dispatch_event(picker._i, "dismiss", False)
        await self.settle()

    async def dismiss_date_picker(self) -> None:
        """Cancel, or a tap beside the picker: nothing is chosen."""
        picker = self.date_picker()
        self.session.apply_patch(picker._i, {"open": False})
        await self.session.dispatch_event(picker._i, "dismiss", True)
        await self.settle()

    async def unlock(self, passphrase: str) -> None:
        await self.type("passphrase", passphrase)
        await self.tap("unlock")
        await self.wait_for(lambda: not self.find_all("busy"))

    async def wait_for(self, condition: Callable[[], bool], timeout: float = 5.0) -> None:
        """Poll until ``condition`` holds (key derivation runs on a worker thread)."""
        loop = asyncio.get_running_loop()
        end = loop.time() + timeout
        while not condition():
            if loop.time() > end:
                raise AssertionError(f"condition not met within {timeout} s on {self.route}")
            await asyncio.sleep(0.01)
        await self.settle()

    async def go(self, route: str) -> None:
        """Type an address (or follow a deep link)."""
        await self.client.change_route(route)
        await self.settle()

    async def back(self) -> None:
        """The system back gesture / AppBar back arrow: the client pops the top view."""
        await self.session.dispatch_event(self.page._i, "view_pop", {"route": self.top().route})
        await self.settle()


SETTLE_LIMIT_S = 10.0
QUIET_TURNS = 5
"""Loop turns in a row with nothing queued before the session counts as settled."""


def _key(control: BaseControl) -> Any:
    key = getattr(control, "key", None)
    return getattr(key, "value", key)


def run_app(
    app_main: Callable[[ft.Page], None],
    scenario: Callable[[UI], Awaitable[None]],
    route: str = "/",
    *,
    web: bool = True,
) -> None:
    """Start ``app_main`` in a fresh session at ``route`` and play ``scenario``
    (``web=False``: as a phone build, where the app has lifecycle events)."""

    async def body() -> None:
        loop = asyncio.get_running_loop()
        client = FakeClient(loop)
        session = Session(client)
        client.session = session
        session.apply_page_patch({"route": route, "web": web, "platform": "android", **PHONE})
        msgpack.packb(session.get_page_patch(), default=client._encode)
        _context_page.set(session.page)
        context.reset_auto_update()
        app_main(session.page)
        await session.after_event(session.page)
        ui = UI(client, session)
        await ui.settle()
        try:
            await scenario(ui)
        finally:
            session.close()
            client.executor.shutdown(wait=False, cancel_futures=True)

    # A thread of its own: Playwright's sync API (the e2e tests, same pytest run)
    # keeps an event loop running on the main thread, and asyncio.run refuses
    # to nest in it.
    errors: list[BaseException] = []

    def thread_main() -> None:
        try:
            asyncio.run(body())
        except BaseException as e:  # handed to the test's thread below
            errors.append(e)

    worker = threading.Thread(target=thread_main, name="flet-session")
    worker.start()
    worker.join()
    if errors:
        raise errors[0]
