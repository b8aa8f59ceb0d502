"""The analysis pack as Markdown. User text is escaped so that no viewer turns it into
links, images, HTML or structure."""

from __future__ import annotations

import re

from lt_interview.export.analysis_pack import Bullets, Fields, Heading, Pack, Para, Table

_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~!&])")
_LINE_START = re.compile(r"^(\s*)([-+=>]|\d+[.)])", re.MULTILINE)


def escape(text: str) -> str:
    text = _SPECIAL.sub(r"\\\1", text)
    return _LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), text)


def _one_line(text: str) -> str:
    return " ".join(escape(text).split())


def render(pack: Pack) -> str:
    out: list[str] = []
    for block in pack.blocks:
        if isinstance(block, Heading):
            # A heading's text is inline: "1.2 The case" cannot start a list there, so only the
            # inline specials are escaped (no backslash before a section number).
            out += ["#" * block.level + " " + " ".join(_SPECIAL.sub(r"\\\1", block.text).split()), ""]
        elif isinstance(block, Para):
            text = escape(block.text).replace("\n", "  \n")
            out += [f"*{text}*" if block.emphasis else text, ""]
        elif isinstance(block, Fields):
            for label, value in block.pairs:
                out.append(f"**{escape(label)}:** " + escape(value).replace("\n", "  \n") + "  ")
            out.append("")
        elif isinstance(block, Bullets):
            out += ["- " + escape(item).replace("\n", "  \n  ") for item in block.items]
            out.append("")
        elif isinstance(block, Table):
            out.append("| " + " | ".join(_one_line(cell) for cell in block.header) + " |")
            out.append("|" + "---|" * len(block.header))
            out += ["| " + " | ".join(_one_line(cell) for cell in row) + " |" for row in block.rows]
            out.append("")
    return "\n".join(out)
