"""Export file names carry a random short id, never the time-ordered record id scheme (whose
first eight characters are the time to about a minute, the same for every export in it)."""

from __future__ import annotations

import uuid

from lt_interview.export import names


def test_short_ids_in_export_names_are_random_and_distinct(tmp_path):
    written = [names.write_new(tmp_path, "pack", ".md", b"x") for _ in range(20)]
    shorts = [path.stem.rsplit("-", 1)[1] for path in written]
    assert len(set(shorts)) == len(shorts)
    for short in shorts:
        assert len(short) == 8 and int(short, 16) >= 0


def test_the_name_id_is_not_time_ordered():
    assert uuid.UUID(names.new_id()).version == 4
