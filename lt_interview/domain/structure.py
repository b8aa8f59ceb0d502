"""The method's structure as data: stages, factor headings, typology, biases, introduction.

Loaded from `prompts/` (shipped inside the wheel as lt_interview/prompts) and validated with
pydantic. A broken file gives one StructureError naming the file and the field.
"""

from __future__ import annotations

import tomllib
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Iterator

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from lt_interview.domain.text import SafeLine, SafeText
from lt_interview.errors import StructureError, describe_validation

STAGE_IDS = ("introduction", "overview", "episodes", "mindset", "factors", "went_well", "queries", "changes")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Stage(_Strict):
    id: str = Field(pattern=r"^[a-z_]+$")
    number: SafeLine
    title: SafeLine
    short: str = Field(max_length=14)
    per_episode: bool = False
    purpose: SafeLine = ""
    prompts: list[SafeLine] = Field(min_length=1)
    checklist: SafeLine = ""


class ConversationStructure(_Strict):
    """The method's stages, in order. A review's copy may add stages of its own (a "Background"
    stage, "Closing and next steps") anywhere, with ids of their own; the method's stages all stay,
    in the method's order, because capture and type-up rely on them. An added stage is never run
    per episode: the episode loop is the method's own (3b and 4)."""

    version: int
    stage: list[Stage] = Field(min_length=1)

    @model_validator(mode="after")
    def _known_stages(self) -> "ConversationStructure":
        ids = [stage.id for stage in self.stage]
        repeated = sorted({stage_id for stage_id in ids if ids.count(stage_id) > 1})
        if repeated:
            raise ValueError(f"stage id '{repeated[0]}' is used more than once")
        method = [stage_id for stage_id in ids if stage_id in STAGE_IDS]
        if tuple(method) != STAGE_IDS:
            raise ValueError(f"the method's stages must all be there, in order: {', '.join(STAGE_IDS)} "
                             "(added stages may come anywhere between them)")
        added = [stage for stage in self.stage if stage.id not in STAGE_IDS]
        looped = [stage.id for stage in added if stage.per_episode]
        if looped:
            raise ValueError(f"added stage '{looped[0]}' cannot run per episode (only mindset and factors do)")
        first, last = ids.index("mindset"), ids.index("factors")
        inside = [stage_id for stage_id in ids[first:last + 1] if stage_id not in STAGE_IDS]
        if inside:
            raise ValueError(f"added stage '{inside[0]}' cannot come inside the episode loop (mindset, factors)")
        return self

    @property
    def added(self) -> list[Stage]:
        """The stages a review added to the method's own."""
        return [stage for stage in self.stage if stage.id not in STAGE_IDS]


class Heading(_Strict):
    number: int
    id: str = Field(pattern=r"^[a-z_]+$")
    title: SafeLine
    prompt: SafeLine = ""
    items: list[SafeLine] = []

    def item_id(self, item: str) -> str:
        """A stable id derived from content, so every laptop agrees without remapping."""
        from slugify import slugify  # not on converse's start-up (3 ms of imports)

        return slugify(f"{self.id} {item}", max_length=80)


class FactorFramework(_Strict):
    version: int
    heading: list[Heading] = Field(min_length=1)


class Category(_Strict):
    number: int
    id: str = Field(pattern=r"^[a-z_]+$")
    label: SafeLine
    label_2008: SafeLine
    description: SafeText = ""
    examples: list[SafeLine] = []


class Typology(_Strict):
    version: int
    category: list[Category] = Field(min_length=1)


class Bias(_Strict):
    id: str = Field(pattern=r"^[a-z_]+$")
    label: SafeLine
    description: SafeLine = ""
    # A bias of the reviewers' own reading (hindsight and outcome bias): guidance shown where KPEs
    # are appraised, never a tag on the explanation of a practitioner's practice.
    reviewer_side: bool = False

    @property
    def for_reviewers(self) -> bool:
        # Copies frozen before the flag existed still hold the shipped "hindsight" entry.
        return self.reviewer_side or self.id == "hindsight"


class Biases(_Strict):
    version: int
    bias: list[Bias] = []

    def tags(self) -> list[Bias]:
        """The biases a KPE's explanation may be tagged with."""
        return [bias for bias in self.bias if not bias.for_reviewers]

    def reviewers_own(self) -> list[Bias]:
        """The biases of the reviewers' own reading, shown as guidance when appraising."""
        return [bias for bias in self.bias if bias.for_reviewers]


class MethodStructure(_Strict):
    """Everything a review freezes at creation and carries into each conversation file."""

    version: SafeLine
    conversation: ConversationStructure
    factors: FactorFramework
    typology: Typology
    biases: Biases
    introduction: SafeText
    # The conversation with a family member (prompts/family.toml, family_introduction.md): the
    # same stage ids, adapted. Optional, so copies frozen before it existed still load.
    family_conversation: ConversationStructure | None = None
    family_introduction: SafeText = ""

    def for_family(self) -> "MethodStructure":
        """This structure as a conversation with a family member sees it (itself when the copy
        has no family variant)."""
        if self.family_conversation is None:
            return self
        data = self.model_dump(mode="json")
        data["conversation"] = data["family_conversation"]
        data["introduction"] = self.family_introduction or self.introduction
        return MethodStructure.model_validate(data)

    @property
    def stages(self) -> list[Stage]:
        return list(self.conversation.stage)

    @property
    def headings(self) -> list[Heading]:
        return list(self.factors.heading)

    @cached_property
    def _stage_by_id(self) -> dict[str, Stage]:
        return {stage.id: stage for stage in self.conversation.stage}

    def stage(self, stage_id: str) -> Stage:
        return self._stage_by_id[stage_id]

    def heading(self, heading_id: str) -> Heading:
        for heading in self.factors.heading:
            if heading.id == heading_id:
                return heading
        raise KeyError(heading_id)

    def category(self, category_id: str) -> Category:
        for category in self.typology.category:
            if category.id == category_id:
                return category
        raise KeyError(category_id)

    def factor_choices(self) -> Iterator[tuple[Heading, str]]:
        """Every (heading, item) pair, with item "" for the heading itself."""
        for heading in self.factors.heading:
            yield heading, ""
            for item in heading.items:
                yield heading, item


FILES: dict[str, tuple[str, type[_Strict]]] = {
    "conversation": ("conversation.toml", ConversationStructure),
    "factors": ("factors.toml", FactorFramework),
    "typology": ("typology.toml", Typology),
    "biases": ("biases.toml", Biases),
}


# Optional: the family variant of the conversation and its introduction.
FAMILY_FILE = "family.toml"
FAMILY_INTRODUCTION = "family_introduction.md"


def shipped_prompts_dir() -> Path:
    """The wheel carries lt_interview/prompts; an editable install uses the repository's."""
    packaged = resources.files("lt_interview") / "prompts"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[2] / "prompts"


def _structure_file(path: Path, model):
    """One TOML file of the structure, validated by `model`; each problem is one line naming it."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise StructureError(f"{path}: file is missing") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise StructureError(f"{path}: cannot be read ({type(exc).__name__})") from None
    except tomllib.TOMLDecodeError as exc:
        raise StructureError(f"{path}: not valid TOML ({exc})") from None
    except RecursionError:
        raise StructureError(f"{path}: nested too deeply to be a structure file") from None
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        raise StructureError(f"{path}: {describe_validation(exc, '(top level)')}") from None


def load_structure(directory: Path | None = None) -> MethodStructure:
    directory = directory or shipped_prompts_dir()
    parts: dict[str, object] = {}
    for key, (name, model) in FILES.items():
        parts[key] = _structure_file(directory / name, model)
    family = directory / FAMILY_FILE
    if family.exists():
        parts["family_conversation"] = _structure_file(family, ConversationStructure)
        family_intro = directory / FAMILY_INTRODUCTION
        try:
            parts["family_introduction"] = family_intro.read_text(encoding="utf-8") if family_intro.exists() else ""
        except (OSError, UnicodeDecodeError) as exc:
            raise StructureError(f"{family_intro}: cannot be read ({type(exc).__name__})") from None
    intro = directory / "introduction.md"
    try:
        parts["introduction"] = intro.read_text(encoding="utf-8")
        version = (directory / "VERSION").read_text(encoding="utf-8").splitlines()[0].strip()
    except (OSError, UnicodeDecodeError, IndexError) as exc:
        raise StructureError(f"{directory}: introduction.md or VERSION unreadable ({type(exc).__name__})") from None
    return MethodStructure(version=version, **parts)


def structure_from_data(data: dict, *, source: str = "the review's structure") -> MethodStructure:
    try:
        return MethodStructure.model_validate(data)
    except ValidationError as exc:
        raise StructureError(f"{source}: {describe_validation(exc, '(top level)')}") from None
