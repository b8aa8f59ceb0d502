"""While a person types the passphrase, the screen's modules are imported; the key derivation
starts once it is in; a bad file is refused before the prompt."""

from __future__ import annotations

import sys
import threading

import pytest

from lt_interview import unlock

PROBE = "lt_preload_probe"


@pytest.fixture
def probe_module(tmp_path, monkeypatch):
    """A module of our own to preload: importing it sets an event the prompt can wait for."""
    imported = threading.Event()
    (tmp_path / f"{PROBE}.py").write_text("import lt_preload_signal\nlt_preload_signal.imported.set()\n")
    signal = type(sys)("lt_preload_signal")
    signal.imported = imported
    monkeypatch.setitem(sys.modules, "lt_preload_signal", signal)
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, PROBE, raising=False)
    yield imported
    sys.modules.pop(PROBE, None)


@pytest.fixture
def at_a_prompt(monkeypatch):
    """No passphrase in the environment, a terminal to ask on, and derive_key_soon recorded."""
    started: list[tuple[str, bytes, bool]] = []
    monkeypatch.delenv(unlock.ENV_PASSPHRASE, raising=False)
    monkeypatch.setattr(unlock, "_has_terminal", lambda: True)
    monkeypatch.setattr(unlock, "derive_key_soon",
                        lambda value, salt, imports_to_come: started.append((value, salt, imports_to_come)))
    return started


def test_the_modules_are_imported_while_the_passphrase_is_typed(probe_module, at_a_prompt, monkeypatch):
    seen_at_the_prompt = []

    def typing(prompt: str) -> str:
        seen_at_the_prompt.append(probe_module.wait(10))  # imported while the prompt waits
        unlock._preloading.join(10)
        return "a passphrase typed slowly"

    monkeypatch.setattr(unlock.getpass, "getpass", typing)
    salt = bytes(range(16))
    assert unlock.passphrase(preload=(PROBE,), salt=salt) == "a passphrase typed slowly"
    assert seen_at_the_prompt == [True]
    assert PROBE in sys.modules and unlock._preloading is None
    # The imports were done before Enter: the key derivation may take every core.
    assert at_a_prompt == [("a passphrase typed slowly", salt, False)]


def test_a_quick_enter_derives_beside_the_imports_and_returns_once_they_are_done(at_a_prompt, monkeypatch):
    release = threading.Event()
    finished = []
    real_import = unlock.importlib.import_module

    def slow_import(name):
        if name == "a.module.still.importing":
            release.wait(10)
            finished.append(name)
            return None
        return real_import(name)

    monkeypatch.setattr(unlock.importlib, "import_module", slow_import)
    monkeypatch.setattr(unlock.getpass, "getpass", lambda prompt: "pressed Enter at once")
    threading.Timer(0.2, release.set).start()
    assert unlock.passphrase(preload=("a.module.still.importing",), salt=bytes(16)) == "pressed Enter at once"
    assert finished == ["a.module.still.importing"]  # joined before returning: no two threads import at once
    assert at_a_prompt == [("pressed Enter at once", bytes(16), True)]


def test_a_module_that_fails_to_preload_is_left_for_the_command_to_report(at_a_prompt, monkeypatch):
    monkeypatch.setattr(unlock.getpass, "getpass", lambda prompt: "a passphrase")
    assert unlock.passphrase(preload=("no_such_module_for_lt_interview", PROBE)) == "a passphrase"
    assert at_a_prompt == []  # no salt given: no derivation started here


def test_from_the_environment_nothing_is_preloaded_and_the_derivation_leaves_a_core(monkeypatch):
    started = []
    monkeypatch.setenv(unlock.ENV_PASSPHRASE, "from the environment")
    monkeypatch.setattr(unlock, "derive_key_soon", lambda value, salt, imports_to_come: started.append(imports_to_come))
    monkeypatch.setattr(unlock, "_start_preload", lambda modules: pytest.fail("preloaded without a prompt"))
    assert unlock.passphrase(preload=(PROBE,), salt=bytes(16)) == "from the environment"
    assert started == [True]


def test_converse_refuses_an_empty_file_before_asking_for_the_passphrase(tmp_path, monkeypatch, capsys):
    from lt_interview.cli import main

    empty = tmp_path / "gp.ltc"
    empty.write_bytes(b"")
    monkeypatch.delenv(unlock.ENV_PASSPHRASE, raising=False)
    monkeypatch.setattr(unlock, "_has_terminal", lambda: True)
    monkeypatch.setattr(unlock.getpass, "getpass", lambda prompt: pytest.fail("asked for the passphrase"))
    assert main(["converse", str(empty)]) == 2
    assert capsys.readouterr().err == f"lt-interview: {empty}: an empty file, not an lt-interview file\n"


def test_without_a_terminal_nothing_is_preloaded(monkeypatch):
    from lt_interview.errors import BadInput

    monkeypatch.delenv(unlock.ENV_PASSPHRASE, raising=False)
    monkeypatch.setattr(unlock, "_has_terminal", lambda: False)
    monkeypatch.setattr(unlock, "_start_preload", lambda modules: pytest.fail("preloaded with no prompt to come"))
    with pytest.raises(BadInput, match="no passphrase given"):
        unlock.passphrase(preload=(PROBE,))
