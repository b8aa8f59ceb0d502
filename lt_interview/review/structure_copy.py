"""A review team adapting its frozen copy of the method files."""

from __future__ import annotations

import json
import shutil
import tomllib
from pathlib import Path

from lt_interview.domain.models import Structure
from lt_interview.domain.structure import FAMILY_FILE, FAMILY_INTRODUCTION, load_structure
from lt_interview.errors import BadInput
from lt_interview.export.names import _reason as os_reason
from lt_interview.paths import private_dir, write_private_text
from lt_interview.storage.lookups import structure_of
from lt_interview.storage.store import Store


def _toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # JSON string escapes are valid TOML
    if isinstance(value, list):
        return "[\n" + "".join(f"    {_toml_value(item)},\n" for item in value) + "]"
    raise TypeError(type(value))


def _to_toml(data: dict) -> str:
    """The structure files are flat: top-level scalars and one array of tables."""
    lines = []
    for key, value in data.items():
        if not (isinstance(value, list) and value and isinstance(value[0], dict)):
            lines.append(f"{key} = {_toml_value(value)}")
    for key, value in data.items():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            for table in value:
                lines.append(f"\n[[{key}]]")
                lines += [f"{k} = {_toml_value(v)}" for k, v in table.items()]
    return "\n".join(lines) + "\n"


def export_structure(store: Store, folder: Path) -> None:
    if folder.exists():
        raise BadInput(f"{folder}: already exists; choose a new folder")
    structure = structure_of(store)
    if not folder.parent.is_dir():
        raise BadInput(f"{folder.parent}: no such folder")
    try:
        private_dir(folder)
    except OSError as exc:  # a read-only disc, no permission...: one line, nothing written
        raise BadInput(f"{folder}: cannot create the folder ({os_reason(exc)})") from None
    data = structure.model_dump(mode="json")
    try:
        for name in ("conversation", "factors", "typology", "biases"):
            write_private_text(folder / f"{name}.toml", _to_toml(data[name]))
        write_private_text(folder / "introduction.md", structure.introduction)
        if structure.family_conversation is not None:
            write_private_text(folder / FAMILY_FILE, _to_toml(data["family_conversation"]))
            write_private_text(folder / FAMILY_INTRODUCTION, structure.family_introduction)
        write_private_text(folder / "VERSION", f"{structure.version}\n")
    except OSError as exc:
        shutil.rmtree(folder, ignore_errors=True)  # never a half-written copy to adopt later
        raise BadInput(f"{folder}: could not be written ({os_reason(exc)}); nothing was kept") from None
    # Round-trip check: what we wrote must load back to the same structure.
    for name in ("conversation", "factors", "typology", "biases"):
        tomllib.loads((folder / f"{name}.toml").read_text(encoding="utf-8"))
    if load_structure(folder) != structure:
        raise BadInput(f"{folder}: the written copy does not read back the same; please report this")


def adopt_structure(store: Store, folder: Path) -> str:
    if not folder.is_dir():
        raise BadInput(f"{folder}: no such folder")
    structure = load_structure(folder)
    current = store.one(Structure)
    with store.transaction():
        store.put(Structure(version=structure.version, data=structure.model_dump(mode="json")),
                  current[0] if current else None)
    return structure.version
