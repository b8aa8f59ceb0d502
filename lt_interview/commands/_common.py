"""Shared bits for the verbs: paths, passphrase, opening files."""

from __future__ import annotations

import argparse
from pathlib import Path

from typing import TYPE_CHECKING

from lt_interview.unlock import passphrase

if TYPE_CHECKING:  # the store (pydantic, sqlite-utils) is imported only by the verb that opens one
    from lt_interview.config import Config
    from lt_interview.storage.store import Store


def existing_file(value: str) -> Path:
    path = Path(value).expanduser()
    if not path.exists():
        raise argparse.ArgumentTypeError(f"{value}: no such file")
    if path.is_dir():
        raise argparse.ArgumentTypeError(f"{value}: is a folder, not a file")
    return path


def output_folder(value: str) -> Path:
    """-o DIR: an empty value would quietly mean the current folder, so it is refused."""
    if not value.strip():
        raise argparse.ArgumentTypeError("give a folder with -o (use -o . for the current folder)")
    return Path(value).expanduser()


def new_file(value: str) -> Path:
    path = Path(value).expanduser()
    if path.exists():
        raise argparse.ArgumentTypeError(f"{value}: already exists; choose another name")
    if not path.parent.exists():
        raise argparse.ArgumentTypeError(f"{path.parent}: no such folder")
    return path


# Modules Textual imports only once an app runs (the terminal driver, scrollbars, layouts): for
# a screen command's preload. Internal to Textual 8.2.8; a name that stops existing is skipped.
TEXTUAL_AT_RUN = ("textual.drivers.linux_driver", "textual.scrollbar", "textual.layouts.factory")


def config_before_passphrase() -> "Config | None":
    """The config file's settings, read before the passphrase is asked for so that a bad file is
    the first thing said; None when there is no file, so that pydantic (about 50 ms) is imported
    while the passphrase is typed instead of before the prompt (settings_or_defaults after it)."""
    from lt_interview.paths import config_path

    if not config_path().exists():
        return None
    from lt_interview.config import load_config

    config = load_config()
    if config.keymap:  # a keymap that takes an editor's key is refused before the passphrase too
        from lt_interview.tui.keymap import check_keymap

        check_keymap(config.keymap)
    return config


def settings_or_defaults(config: "Config | None") -> "Config":
    from lt_interview.config import Config

    return config or Config()


def open_store(path: Path, kind: str | None, passphrase_text: str | None = None, actor: str = "") -> "Store":
    from lt_interview.storage.store import Store

    return Store.open(path, passphrase_text or passphrase(), expect_kind=kind, actor_id=actor)


def remember(path: Path) -> None:
    """Add to the recent-files list shown on the home screen."""
    from lt_interview.recent import add_recent

    add_recent(path)
