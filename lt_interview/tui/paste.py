"""Pasted text arrives as text, never as keys (#18; RELIABILITY.md §5.2).

Textual 8.2.8's terminal input parser (textual._xterm_parser.XTermParser) buffers a bracketed
paste character by character, but after an ESC inside the paste it reads the following
characters as the rest of an escape sequence, outside the paste buffer, and then replays them
as key presses. So a pasted line holding ESC came out reordered (the part after the ESC typed
first, the rest pasted at the end), and ESC followed by a control byte fired that key's action:
"ESC Ctrl+L" opened the checklist, "ESC Ctrl+Q" quit.

`LiteralPasteParser` takes everything between the bracketed-paste markers itself and hands it on
as one Paste event, cleaned by the sanitiser (the ESC and control bytes dropped, everything else
kept literally, in order); only the rest goes through Textual's parser. Outside a paste (a
terminal without bracketed paste sends pasted text as if typed), ESC followed by a control byte
is not a key of ours (xterm's Alt+Ctrl+letter): the pair is dropped, so it fires nothing.

Installed into Textual's drivers by `install()` (private names: Textual is pinned, and
tests/reliability/test_paste_in_terminal.py checks the parser and a real terminal).
"""

from __future__ import annotations

import re
from typing import Iterable

from textual import events
from textual._xterm_parser import BRACKETED_PASTE_END, BRACKETED_PASTE_START, XTermParser
from textual.message import Message

from lt_interview.domain.text import clean_text

# ESC then a C0 control byte other than ESC itself (which starts the next sequence).
_ESC_CONTROL = re.compile(r"\x1b[\x00-\x1a\x1c-\x1f]")


def _partial_suffix(data: str, marker: str) -> int:
    """Length of the longest end of `data` that is a proper beginning of `marker`."""
    for size in range(min(len(marker) - 1, len(data)), 0, -1):
        if marker.startswith(data[-size:]):
            return size
    return 0


class LiteralPasteParser(XTermParser):
    """XTermParser with bracketed paste taken out of its hands (see the module docstring)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._pasted: list[str] | None = None  # the paste being received, between its markers
        self._held = ""  # the end of the last chunk, which may be the start of a marker

    def feed(self, data: str) -> Iterable[Message]:
        if not data:  # end of input
            yield from super().feed("")
            return
        data, self._held = self._held + data, ""
        while data:
            if self._pasted is None:
                start = data.find(BRACKETED_PASTE_START)
                if start < 0:
                    # Hold back a possible split start marker (3 or more of its 6 characters: a
                    # lone ESC key, or "ESC [", must reach Textual's parser at once).
                    keep = _partial_suffix(data, BRACKETED_PASTE_START)
                    keep = keep if keep >= 3 else 0
                    typed, self._held = data[:len(data) - keep], data[len(data) - keep:]
                    yield from self._typed(typed)
                    return
                yield from self._typed(data[:start])
                self._pasted = []
                data = data[start + len(BRACKETED_PASTE_START):]
                continue
            end = data.find(BRACKETED_PASTE_END)
            if end < 0:
                keep = _partial_suffix(data, BRACKETED_PASTE_END)
                self._pasted.append(data[:len(data) - keep])
                self._held = data[len(data) - keep:]
                return
            self._pasted.append(data[:end])
            text = clean_text("".join(self._pasted))
            self._pasted = None
            data = data[end + len(BRACKETED_PASTE_END):]
            yield events.Paste(text)

    def _typed(self, data: str) -> Iterable[Message]:
        data = _ESC_CONTROL.sub("", data)
        if data:  # never empty: Textual's parser takes "" for the end of input
            yield from super().feed(data)

    def tick(self) -> Iterable[Message]:
        """Called when no input came for a while: a held start of a marker was typed after all."""
        if self._held and self._pasted is None:
            held, self._held = self._held, ""
            yield from super().feed(held)
        yield from super().tick()


def install() -> None:
    """Make Textual's terminal drivers read input with LiteralPasteParser."""
    import importlib

    for name in ("textual.drivers.linux_driver", "textual.drivers.linux_inline_driver",
                 "textual.drivers.win32"):
        try:
            module = importlib.import_module(name)
        except Exception:  # noqa: BLE001 - another platform's driver (win32 needs Windows)
            continue
        if getattr(module, "XTermParser", None) is XTermParser:
            module.XTermParser = LiteralPasteParser
