"""The merge progress bar: text on a terminal, nothing otherwise."""

from __future__ import annotations

import io

from lt_interview.commands.merge import TextProgress


class FakeTty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_on_a_terminal_and_silent_otherwise():
    tty = FakeTty()
    progress = TextProgress(tty)
    progress("checking", 1, 4)
    progress("merging", 4, 4)
    progress.finish()
    text = tty.getvalue()
    assert "Checking" in text and "1/4" in text and "Merging" in text and "4/4" in text
    assert text.endswith("\r") and "\n" not in text
    quiet = io.StringIO()
    silent = TextProgress(quiet)
    silent("checking", 1, 4)
    silent.finish()
    assert quiet.getvalue() == ""
