"""Every sentence the command line prints comes from the catalogs, in both languages."""

from __future__ import annotations

import re
from pathlib import Path

from mus.errors import VaultError
from mus.i18n import catalog
from mus.merge import KINDS
from mus.sync import AUTH_CODES, DeliveryState, TargetRole
from storage.portability import ImportRejected

ROOT = Path(__file__).resolve().parents[2]
CLI_MODULES = [*sorted((ROOT / "storage").glob("cli*.py")), ROOT / "storage" / "sync_cli.py"]
BUTTON_WORDS = re.compile(r"\b(tryk|trykke|knap|knappen|tap|button|klik|click)\b", re.IGNORECASE)
LITERAL = re.compile(r"""(?:\bt\(|CliError\()\s*["']([a-z0-9_.]+)["']""")


def _all_subclasses(cls: type[VaultError]) -> set[type[VaultError]]:
    found = set(cls.__subclasses__())
    for sub in list(found):
        found |= _all_subclasses(sub)
    return found


def test_literal_keys_in_the_cli_exist_in_both_languages() -> None:
    used = {key for path in CLI_MODULES for key in LITERAL.findall(path.read_text("utf-8"))}
    assert len(used) > 40, "the pattern found too few keys"
    for language in ("da", "en"):
        assert sorted(used - catalog(language).keys()) == []


def test_computed_keys_exist() -> None:
    keys = {f"cli.kind.{kind}" for kind in KINDS}
    keys |= {f"cli.import.{reason}" for reason in ImportRejected.REASONS}
    keys |= {f"error.{cls.code}" for cls in _all_subclasses(VaultError)}
    keys |= {f"cli.sync.held.{code}" for code in AUTH_CODES}
    keys |= {f"sync.state.{state}" for state in DeliveryState}
    keys |= {f"sync.role.{role}" for role in TargetRole}
    for language in ("da", "en"):
        assert sorted(keys - catalog(language).keys()) == []


def test_no_cli_text_tells_the_user_to_tap_a_button() -> None:
    """The command line names the command to run; the app's texts may speak of buttons,
    so the CLI uses keys of its own where the wording differs (``cli.sync.paused``)."""
    used = {key for path in CLI_MODULES for key in LITERAL.findall(path.read_text("utf-8"))}
    families = ("cli.", "error.", "sync.error.", "syncui.error.", "sync.state.", "sync.role.")
    for language in ("da", "en"):
        texts = catalog(language)
        shown = used | {k for k in texts if k.startswith(families)}
        assert sorted(k for k in shown if BUTTON_WORDS.search(texts[k])) == [], language
    assert "sync.paused" not in used, "the app's 'tap Retry' text is not the CLI's"


def test_the_confirmation_word_is_one_word_in_capitals() -> None:
    for language in ("da", "en"):
        word = catalog(language)["cli.confirm.word"]
        assert word.isalpha() and word.isupper()
