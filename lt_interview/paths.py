"""Where lt-interview keeps config, data and logs. LT_INTERVIEW_HOME overrides them all."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from lt_interview.platform import make_private

APP = "lt-interview"  # appauthor=False: %LOCALAPPDATA%\lt-interview on Windows, not ...\lt-interview\lt-interview


def _home() -> Path | None:
    value = os.environ.get("LT_INTERVIEW_HOME")
    return Path(value).expanduser() if value else None


def private_dir(path: Path) -> Path:
    """Create `path` (and parents we create) as 0700, and tighten it if it already exists
    (on Windows: owner-only, platform.make_private)."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    make_private(path, folder=True)
    return path


def config_dir() -> Path:
    home = _home()
    return private_dir(home / "config" if home else Path(platformdirs.user_config_dir(APP, appauthor=False)))


def config_path() -> Path:
    """The user's config file (read by lt_interview.config; here so that callers can look for it
    without importing pydantic)."""
    return config_dir() / "config.toml"


def data_dir() -> Path:
    home = _home()
    return private_dir(home / "data" if home else Path(platformdirs.user_data_dir(APP, appauthor=False)))


def log_dir() -> Path:
    home = _home()
    return private_dir(home / "logs" if home else Path(platformdirs.user_log_dir(APP, appauthor=False)))


def device_id() -> str:
    """A stable random id for this machine's installation, used as revision provenance."""
    import uuid

    path = data_dir() / "device-id"
    try:
        value = path.read_text(encoding="ascii").strip()
        uuid.UUID(value)
        return value
    except (OSError, ValueError):
        value = str(uuid.uuid4())
        write_private_text(path, value + "\n", replace=True)
        return value


def write_private_text(path: Path, text: str, *, replace: bool = False) -> None:
    """Write a small 0600 file; never follows a symlink; atomic rename when replacing."""
    flags = os.O_CREAT | os.O_WRONLY | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    target = path.with_name(path.name + ".tmp") if replace else path
    if replace and target.exists():
        target.unlink()
    fd = os.open(target, flags, 0o600)
    make_private(target)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    if replace:
        os.replace(target, path)
