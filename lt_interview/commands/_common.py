"""Shared bits for the verbs: paths, passphrase, opening files."""

from __future__ import annotations

import argparse
from pathlib import Path

from typing import TYPE_CHECKING

from lt_interview.storage.keys import passphrase_from_env_or_prompt

if TYPE_CHECKING:  # the store (pydantic, sqlite-utils) is imported only by the verb that opens one
    from lt_interview.storage.store import Store


def existing_file(value: str) -> Path:
    path = Path(value).expanduser()
    if not path.exists():
        raise argparse.ArgumentTypeError(f"{value}: no such file")
    if path.is_dir():
        raise argparse.ArgumentTypeError(f"{value}: is a folder, not a file")
    return path


def new_file(value: str) -> Path:
    path = Path(value).expanduser()
    if path.exists():
        raise argparse.ArgumentTypeError(f"{value}: already exists; choose another name")
    if not path.parent.exists():
        raise argparse.ArgumentTypeError(f"{path.parent}: no such folder")
    return path


def passphrase(*, new: bool = False) -> str:
    return passphrase_from_env_or_prompt(confirm=new)


def open_store(path: Path, kind: str | None, passphrase_text: str | None = None, actor: str = "") -> "Store":
    from lt_interview.storage.store import Store

    return Store.open(path, passphrase_text or passphrase(), expect_kind=kind, actor_id=actor)


def remember(path: Path) -> None:
    """Add to the recent-files list shown on the home screen."""
    from lt_interview.recent import add_recent

    add_recent(path)
