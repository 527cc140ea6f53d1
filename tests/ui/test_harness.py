"""What the in-process UI harness takes from Flet 1.0.5's internals, checked by name.

tests/ui/harness.py keeps every Flet internal it needs in one place: the
session's update and effect queues (to settle when nothing is pending instead
of sleeping), its ``dispatch_event`` door and ``apply_patch`` (to play the
client). If a Flet upgrade renames them, this fails with the reason, instead of
every UI test hanging or passing for the wrong reason.
"""

from __future__ import annotations

import inspect

from flet.messaging.session import Session


def test_harness_relies_on_the_session_queues_and_doors_of_flet_1_0_5() -> None:
    source = inspect.getsource(Session)
    for name in ("__pending_updates", "__pending_effects", "__updates_ready"):
        assert f"self.{name}" in source, (
            f"Flet's Session has no {name} any more: UI.settle in tests/ui/harness.py "
            "must learn another way to see that nothing is pending"
        )
    for method in (
        "dispatch_event",
        "apply_patch",
        "apply_page_patch",
        "handle_invoke_method_results",
    ):
        assert callable(getattr(Session, method, None)), (
            f"Flet's Session.{method} is gone: tests/ui/harness.py plays the client through it"
        )
