"""The framework TOML a review team writes when setting up a review (`review new --framework`)."""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from lt_interview.domain.models import HouseholdMember
from lt_interview.domain.text import SafeLine, SafeText
from lt_interview.errors import BadInput, describe_validation

MAX_FRAMEWORK_BYTES = 1024 * 1024


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ReviewSection(_Strict):
    name: SafeLine | None = None
    review_type: str = "LCSPR"
    commissioner_term: SafeLine = "partnership"
    guiding_question: SafeText = ""
    variant: SafeLine = "full"
    blind_mode: bool = True
    retain_until: date | None = None
    lawful_basis: SafeLine = ""


class FrameworkSection(_Strict):
    children: list[HouseholdMember] = []
    household: list[HouseholdMember] = []
    agencies: list[SafeLine] = []
    period_start: SafeLine = ""
    period_end: SafeLine = ""


class ReviewerEntry(_Strict):
    name: SafeLine = Field(min_length=1)
    role: SafeLine = "Lead reviewer"


class PractitionerEntry(_Strict):
    name: SafeLine = Field(min_length=1)
    role: SafeLine = Field(min_length=1)
    agency: SafeLine = ""


class PseudonymEntry(_Strict):
    pseudonym: SafeLine = Field(min_length=1)
    real_name: SafeLine = Field(min_length=1)
    category: SafeLine = "family"


class FrameworkFile(_Strict):
    review: ReviewSection = ReviewSection()
    framework: FrameworkSection = FrameworkSection()
    reviewer: list[ReviewerEntry] = Field(default_factory=list, max_length=50)
    practitioner: list[PractitionerEntry] = Field(default_factory=list, max_length=500)
    pseudonym: list[PseudonymEntry] = Field(default_factory=list, max_length=500)


def load_framework_file(path: Path) -> FrameworkFile:
    path = Path(path)
    try:
        if path.stat().st_size > MAX_FRAMEWORK_BYTES:
            raise BadInput(f"{path}: too large for a framework file")
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BadInput(f"{path}: no such file") from None
    except UnicodeDecodeError:
        raise BadInput(f"{path}: not UTF-8 text") from None
    except OSError as exc:
        raise BadInput(f"{path}: cannot be read ({exc.strerror})") from None
    except tomllib.TOMLDecodeError as exc:
        raise BadInput(f"{path}: not valid TOML ({exc})") from None
    except RecursionError:
        raise BadInput(f"{path}: nested too deeply to be a framework file") from None
    try:
        return FrameworkFile.model_validate(raw)
    except ValidationError as exc:
        raise BadInput(f"{path}: {describe_validation(exc)}") from None
