"""Text for a terminal with every control character made visible (#18; RELIABILITY.md §5).

User text is cleaned at the model boundary (domain/text.py), but file names are not ours to
clean: a name can hold ESC and the rest of an escape sequence (OSC 0 sets the terminal's title,
OSC 52 its clipboard), or bytes that are not UTF-8 (kept by Python as lone surrogates, which
cannot even be printed). Wherever such a string reaches the terminal (every CLI message, the
home screen's recent files) it goes through `visible`: each control character, bidirectional
override and undecodable byte is written as a backslash escape, so the name is shown, never obeyed.
"""

from __future__ import annotations

import re

# C0 except tab, newline and carriage return (the progress bar's), DEL, C1, bidi overrides and
# lone surrogates (a file name's undecodable bytes, from surrogateescape).
_INVISIBLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _shown(match: re.Match) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # the byte surrogateescape kept
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """`text` with control characters, bidi overrides and undecodable bytes as escapes."""
    return _INVISIBLE.sub(_shown, text)


class VisibleStream:
    """A text stream (stdout, stderr) that writes everything through `visible`."""

    def __init__(self, stream) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        return self._stream.write(visible(text))

    def writelines(self, lines) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str):
        return getattr(self._stream, name)
