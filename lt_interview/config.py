"""User configuration: a small TOML file in the config folder, validated with pydantic.

    # ~/.config/lt-interview/config.toml (or $LT_INTERVIEW_HOME/config/config.toml)
    theme = "textual-dark"
    default_role = "notes"
    timestamp_after_seconds = 60

    [keymap]
    "capture.quote" = "f4"          # action id = key(s), comma-separated
    "conversation.next_stage" = "f5,ctrl+n"

No secrets live here: the passphrase is asked for, or read from LT_INTERVIEW_PASSPHRASE.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from lt_interview.domain.models import Role
from lt_interview.errors import BadInput, describe_validation
from lt_interview.paths import config_path

KEY_PATTERN = r"^[a-z0-9_+,\-]+$"


class Config(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    theme: str = Field(default="textual-dark", max_length=60)
    default_role: Role = Role.NOTES
    # A time stamp ("14:05 ") starts a new line written after this many seconds without typing.
    timestamp_after_seconds: int = Field(default=60, ge=0, le=3600)
    keymap: dict[str, str] = {}

    @field_validator("keymap")
    @classmethod
    def _keys(cls, value: dict[str, str]) -> dict[str, str]:
        import re

        for action_id, keys in value.items():
            if not re.match(r"^[a-z_]+\.[a-z_]+$", action_id):
                raise ValueError(f"'{action_id}' is not an action id (like 'capture.quote')")
            if not re.match(KEY_PATTERN, keys.replace(" ", "")):
                raise ValueError(f"'{keys}' is not a key list (like 'f4' or 'ctrl+g')")
        return {action_id: keys.replace(" ", "") for action_id, keys in value.items()}


def load_config(path: Path | None = None) -> Config:
    """The user's config, or the defaults when there is no file. A bad file is one error line."""
    path = path or config_path()
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Config()
    except (OSError, UnicodeDecodeError) as exc:
        raise BadInput(f"{path}: cannot be read ({type(exc).__name__})") from None
    except tomllib.TOMLDecodeError as exc:
        raise BadInput(f"{path}: not valid TOML ({exc})") from None
    try:
        config = Config.model_validate(raw)
    except ValidationError as exc:
        raise BadInput(f"{path}: {describe_validation(exc, '(top level)')}") from None
    return config
