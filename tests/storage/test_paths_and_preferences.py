"""Where data lives, and the small preferences file."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from mus.settings import Preferences
from storage.paths import DataPaths, default_data_dir
from storage.preferences import JsonPreferences


def test_flet_app_storage_data_wins(tmp_path: Path) -> None:
    assert default_data_dir({"FLET_APP_STORAGE_DATA": str(tmp_path)}) == tmp_path


def test_xdg_data_home_on_linux(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.platform", "linux")
    assert default_data_dir({"XDG_DATA_HOME": str(tmp_path)}) == tmp_path / "musling"


def test_explicit_data_dir_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLET_APP_STORAGE_DATA", "/somewhere/else")
    paths = DataPaths.resolve(tmp_path / "portable")
    paths.ensure()
    assert paths.root == tmp_path / "portable"
    assert stat.S_IMODE(paths.root.stat().st_mode) == 0o700
    assert paths.vault.parent == paths.root


def test_preferences_round_trip(tmp_path: Path) -> None:
    store = JsonPreferences(tmp_path / "p" / "preferences.json")
    assert store.load() == Preferences()
    store.save(Preferences().with_language("en"))
    assert JsonPreferences(tmp_path / "p" / "preferences.json").load().language == "en"
    assert [p.name for p in (tmp_path / "p").iterdir()] == ["preferences.json"]


@pytest.mark.parametrize("content", ["", "{", "[]", '{"language": "klingon"}', "\x00\xff"])
def test_damaged_preferences_fall_back_to_defaults(tmp_path: Path, content: str) -> None:
    path = tmp_path / "preferences.json"
    path.write_text(content, "utf-8", errors="surrogateescape")
    assert JsonPreferences(path).load() == Preferences()


def test_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown language"):
        Preferences().with_language("xx")
