"""``rcsgraph.config``: defaults, then ``RCSGRAPH_*`` variables, then explicit overrides."""

from pathlib import Path

import pytest

from rcsgraph.config import Settings, load_settings
from rcsgraph.errors import InputError


def test_the_environment_sets_what_the_overrides_do_not(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RCSGRAPH_TIMEOUT", "2.5")
    monkeypatch.setenv("RCSGRAPH_COPY_BYTES", "0")
    monkeypatch.setenv("RCSGRAPH_STORE", "/srv/graph")
    settings = load_settings({"timeout": 4.0})
    assert settings.timeout == 4.0 and settings.copy_bytes == 0
    assert settings.store == Path("/srv/graph")
    assert load_settings().workers == Settings().workers


def test_a_folder_given_as_text_is_a_path() -> None:
    settings = load_settings({"store": "var/store", "cache": "var/cache"})
    assert settings.store == Path("var/store") and settings.cache == Path("var/cache")


def test_unknown_settings_and_bad_numbers_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(InputError, match="unknown settings: colour"):
        load_settings({"colour": "red"})
    monkeypatch.setenv("RCSGRAPH_WORKERS", "two")
    with pytest.raises(InputError, match="RCSGRAPH_WORKERS='two' is not a number"):
        load_settings()
