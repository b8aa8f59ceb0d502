import shutil
import zipfile
from pathlib import Path

import pytest

from lt_interview.domain.structure import STAGE_IDS, load_structure, shipped_prompts_dir
from lt_interview.errors import StructureError

ROOT = Path(__file__).resolve().parents[2]


def test_shipped_structure_loads_with_the_method():
    structure = load_structure()
    assert [stage.id for stage in structure.stages] == list(STAGE_IDS)
    assert [s.id for s in structure.stages if s.per_episode] == ["mindset", "factors"]
    assert len(structure.headings) == 9 and all(h.items for h in structure.headings)
    assert len(structure.typology.category) == 6
    assert all(c.label and c.label_2008 for c in structure.typology.category)
    assert "confidential" in structure.introduction.lower()


@pytest.fixture
def prompts_copy(tmp_path):
    target = tmp_path / "prompts"
    shutil.copytree(shipped_prompts_dir(), target)
    return target


def test_broken_toml_names_the_file(prompts_copy):
    (prompts_copy / "factors.toml").write_text("[[heading]\nnumber = ", encoding="utf-8")
    with pytest.raises(StructureError, match=r"factors\.toml: not valid TOML"):
        load_structure(prompts_copy)


def test_wrong_field_names_the_file_and_field(prompts_copy):
    path = prompts_copy / "typology.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("label_2008 =", "label_2009 =", 1), encoding="utf-8")
    with pytest.raises(StructureError) as caught:
        load_structure(prompts_copy)
    assert "typology.toml" in str(caught.value) and "category.0" in str(caught.value)
    assert "\n" not in str(caught.value)


def test_missing_file_is_named(prompts_copy):
    (prompts_copy / "conversation.toml").unlink()
    with pytest.raises(StructureError, match="conversation.toml: file is missing"):
        load_structure(prompts_copy)


def test_stage_order_is_enforced(prompts_copy):
    path = prompts_copy / "conversation.toml"
    path.write_text(path.read_text(encoding="utf-8").replace('id = "went_well"', 'id = "went_badly"'), encoding="utf-8")
    with pytest.raises(StructureError, match="conversation.toml"):
        load_structure(prompts_copy)


def test_wheel_ships_the_prompts(tmp_path):
    builders = pytest.importorskip("hatchling.builders.wheel")
    wheel = next(builders.WheelBuilder(str(ROOT)).build(directory=str(tmp_path), versions=["standard"]))
    names = zipfile.ZipFile(wheel).namelist()
    for name in ("conversation.toml", "factors.toml", "typology.toml", "biases.toml", "introduction.md", "VERSION",
                 "wording.toml", "family.toml", "family_introduction.md"):
        assert f"lt_interview/prompts/{name}" in names
    assert not any("__pycache__" in n or n.endswith(".ltr") for n in names)
