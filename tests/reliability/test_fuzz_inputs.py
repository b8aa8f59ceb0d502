"""Hostile structure and framework files: only typed one-line errors (RELIABILITY.md §6)."""

import shutil

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from lt_interview.domain.structure import FILES, load_structure, shipped_prompts_dir
from lt_interview.errors import LtError
from lt_interview.review.framework_file import load_framework_file

pytestmark = pytest.mark.reliability
STRUCTURE_FILES = [name for name, _ in FILES.values()] + ["introduction.md", "VERSION"]


def mutate(data: bytes, flips: list[tuple[int, int]], cut: int | None) -> bytes:
    buffer = bytearray(data)
    for position, value in flips:
        if buffer:
            buffer[position % len(buffer)] = value
    return bytes(buffer[:cut] if cut is not None else buffer)


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.sampled_from(STRUCTURE_FILES),
       flips=st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), max_size=8),
       cut=st.none() | st.integers(0, 4000))
def test_mutated_structure_files_give_typed_errors(tmp_path_factory, name, flips, cut):
    folder = tmp_path_factory.mktemp("prompts")
    shutil.copytree(shipped_prompts_dir(), folder, dirs_exist_ok=True)
    path = folder / name
    path.write_bytes(mutate(path.read_bytes(), flips, cut))
    try:
        load_structure(folder)
    except LtError as exc:
        assert "\n" not in str(exc)


FRAMEWORK = b"""[review]
name = "Fuzz review"
[framework]
children = [{pseudonym = "Child F", relationship = "baby"}]
agencies = ["Nursery"]
[[practitioner]]
name = "Test Person"
role = "Nursery key worker"
"""


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(flips=st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), max_size=8),
       cut=st.none() | st.integers(0, len(FRAMEWORK)), noise=st.binary(max_size=64))
def test_mutated_framework_files_give_typed_errors(tmp_path_factory, flips, cut, noise):
    path = tmp_path_factory.mktemp("fw") / "framework.toml"
    path.write_bytes(mutate(FRAMEWORK, flips, cut) + noise)
    try:
        loaded = load_framework_file(path)
    except LtError as exc:
        assert "\n" not in str(exc)
    else:
        for practitioner in loaded.practitioner:
            assert "\x1b" not in practitioner.name


def test_deeply_nested_toml_is_refused_in_one_line(tmp_path):
    path = tmp_path / "deep.toml"
    path.write_text("x = " + "[" * 200_000 + "]" * 200_000, encoding="utf-8")
    with pytest.raises(LtError) as caught:
        load_framework_file(path)
    assert "\n" not in str(caught.value)
