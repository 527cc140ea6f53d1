"""The catalogs: same keys, same placeholders, every key the code uses exists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mus.i18n import LANGUAGES, Translator, catalog, placeholders
from mus.wheel import ELEMENTS, PHASES, STRATEGY, StepState

ROOT = Path(__file__).resolve().parents[2]


def test_both_catalogs_have_the_same_keys() -> None:
    da, en = catalog("da"), catalog("en")
    assert sorted(set(da) - set(en)) == []
    assert sorted(set(en) - set(da)) == []


@pytest.mark.parametrize("key", sorted(catalog("da")))
def test_placeholders_match(key: str) -> None:
    assert placeholders(catalog("da")[key]) == placeholders(catalog("en")[key])


def test_no_empty_texts() -> None:
    for lang in LANGUAGES:
        assert [k for k, v in catalog(lang).items() if not v.strip()] == []


def test_every_wheel_phase_and_state_has_texts() -> None:
    t = Translator("da")
    keys = [e.title_key for e in (STRATEGY, *ELEMENTS)] + [e.purpose_key for e in ELEMENTS]
    keys += [f"phase.{p}" for p in PHASES] + [f"state.{s}" for s in StepState]
    assert [k for k in keys if not t.has(k)] == []


def test_literal_keys_in_code_exist() -> None:
    """Every ``t("...")`` in views/ and main.py names a real key."""
    pattern = re.compile(r"""\bt\(\s*["']([a-z0-9_.]+)["']""")
    used: set[str] = set()
    for path in [ROOT / "main.py", *ROOT.glob("views/**/*.py")]:
        used |= set(pattern.findall(path.read_text("utf-8")))
    assert used, "the pattern found no keys at all"
    assert sorted(k for k in used if k not in catalog("da")) == []


def test_translator_falls_back_to_danish_then_key() -> None:
    assert Translator("xx").language == "da"
    assert Translator("en")("no.such.key") == "no.such.key"
    assert Translator("en")("home.progress", done=2, total=8) == "2 of 8 steps done"


def test_odd_text_in_placeholders_survives() -> None:
    odd = "Æbleø – “citat” … 😀 مرحبا {braces}"
    assert odd in Translator("da")("not_found.text", route=odd)


def test_domain_keys_have_texts() -> None:
    """Validation problems and enum values are shown through the catalogs."""
    from mus.model import enum_keys
    from mus.plans import PROBLEM_KEYS

    da = catalog("da")
    assert sorted(k for k in (*PROBLEM_KEYS, *enum_keys()) if k not in da) == []
