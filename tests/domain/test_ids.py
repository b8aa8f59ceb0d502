"""New ids are UUIDv7 text: time-ordered (so inserts land at the end of the indexes and a large
merge grows linearly) and still plain UUIDs of 36 characters, as the uuid4 ids of older files."""

from __future__ import annotations

import time
import uuid

from pydantic import TypeAdapter

from lt_interview.domain.ids import new_id, short_id
from lt_interview.domain.models import Id


def test_ids_made_in_sequence_sort_in_the_order_they_were_made():
    made = [new_id() for _ in range(5000)]  # many within the same millisecond
    assert len(set(made)) == len(made)
    assert sorted(made) == made


def test_ids_made_apart_sort_in_order():
    first = new_id()
    time.sleep(0.003)
    second = new_id()
    assert first < second


def test_new_ids_are_version_7_uuid_text_and_valid_record_ids():
    adapter = TypeAdapter(Id)
    before_ms = time.time_ns() // 1_000_000
    text = new_id()
    parsed = uuid.UUID(text)
    assert str(parsed) == text and len(text) == 36
    assert parsed.version == 7 and parsed.variant == uuid.RFC_4122
    assert adapter.validate_python(text) == text
    # The first 48 bits are the creation time in milliseconds (the device clock).
    assert abs((parsed.int >> 80) - before_ms) < 60_000


def test_old_uuid4_ids_remain_valid_record_ids():
    old = str(uuid.uuid4())
    assert TypeAdapter(Id).validate_python(old) == old


def test_short_ids_of_records_made_together_differ():
    ids = [new_id() for _ in range(200)]  # the same minute, the same start
    shorts = {short_id(value) for value in ids}
    assert len(shorts) == 200 and all(len(s) == 8 and s.isalnum() for s in shorts)
    assert short_id("conv-1") == "conv1"  # any id, shown safely
