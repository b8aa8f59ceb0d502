"""What enters a text editor from the keyboard or a paste: cleaned, and held to the limit of
one text field (#18; RELIABILITY.md §5.2 and the 1,000,000-character SafeText limit)."""

from __future__ import annotations

from lt_interview.domain.text import MAX_TEXT, clean_text


class CleanLimitedEntry:
    """Mixed into a TextArea: every keyboard insert and paste passes the sanitiser, and an insert
    that would take the text past MAX_TEXT is refused in one line, the earlier text kept (the
    model refuses such a text, so it could never be saved: "NOT SAVED" for ever)."""

    def _replace_via_keyboard(self, insert: str, start, end):  # type: ignore[override]
        insert = clean_text(insert)
        if not self.read_only and self._would_pass_limit(insert, start, end):  # type: ignore[attr-defined]
            return None
        return super()._replace_via_keyboard(insert, start, end)  # type: ignore[misc]

    def _would_pass_limit(self, insert: str, start, end) -> bool:
        lines = self.document.lines  # type: ignore[attr-defined]
        length = sum(map(len, lines)) + len(lines) - 1
        if length + len(insert) <= MAX_TEXT:
            return False  # the usual case: no need to measure what the insert replaces
        replaced = len(self.get_text_range(*sorted((start, end))))  # type: ignore[attr-defined]
        total = length - replaced + len(insert)
        if total <= MAX_TEXT:
            return False
        self.app.bell()  # type: ignore[attr-defined]
        self.notify(f"Not pasted: one text holds at most {MAX_TEXT:,} characters, and this would make it "  # type: ignore[attr-defined]
                    f"{total:,}. The text is unchanged; split it across sections or keep it in a "
                    "separate document.", severity="error", timeout=10, markup=False)
        return True
