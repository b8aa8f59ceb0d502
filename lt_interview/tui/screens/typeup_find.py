"""Find and replace on the type-up screen. Find (Enter: next match) moves through the account's
parts and the raw notes at once and says how many matches each holds; replace changes whole
words everywhere in the account (typeup/service.py), never the raw notes.

A mixin of TypeUpScreen (which provides store, account, layout_raw, current_key, flush,
confirm_edit, go_to and the part list). The screen routes the find box's Enter here: Textual
collects @on handlers only from its own classes, not from a plain mixin.
"""

from __future__ import annotations

from textual.widgets import Input, OptionList, TextArea

from lt_interview.domain.models import CaseFramework
from lt_interview.errors import LtError
from lt_interview.typeup import service


class FindAndReplace:
    current_key: str
    _find_from: int  # where the next search of the raw notes starts

    def action_find(self) -> None:
        find = self.query_one("#find", Input)
        find.set_class(True, "-shown")
        find.focus()

    def _find_next(self, event: Input.Submitted) -> None:
        needle = event.value.strip().casefold()
        if not needle:
            return
        parts = self._parts()
        keys = [p.key for p in parts]
        start = keys.index(self.current_key) if self.current_key in keys else 0
        in_account = sum(p.text.casefold().count(needle) for p in parts)
        raw_text = self.layout_raw.text.casefold()
        in_raw = raw_text.count(needle)
        order = parts[start + 1:] + parts[:start + 1]
        editor = self.query_one("#part-editor", TextArea)
        current_offset = editor.document.get_index_from_location(editor.selection.end)
        current = parts[start] if parts else None
        hit = None
        if current and current.text.casefold().find(needle, current_offset) >= 0:
            hit = (current, current.text.casefold().find(needle, current_offset))
        else:
            for part in order:
                index = part.text.casefold().find(needle)
                if index >= 0:
                    hit = (part, index)
                    break
        if hit:
            part, index = hit
            self.go_to(part.key)
            options = self.query_one("#parts", OptionList)
            options.highlighted = options.get_option_index(part.key)
            doc = editor.document
            editor.selection = (doc.get_location_from_index(index), doc.get_location_from_index(index + len(needle)))
        raw_index = raw_text.find(needle, self._find_from)
        if raw_index < 0:
            raw_index = raw_text.find(needle)
        if raw_index >= 0:
            raw = self.query_one("#raw-notes", TextArea)
            raw.selection = (raw.document.get_location_from_index(raw_index),
                             raw.document.get_location_from_index(raw_index + len(needle)))
            raw.scroll_cursor_visible()
            self._find_from = raw_index + len(needle)
        self.app.notify(f"{in_account} match{'es' if in_account != 1 else ''} in the account, "
                        f"{in_raw} in the raw notes.", timeout=3, markup=False)

    def action_replace(self, find: str = "") -> None:
        from lt_interview.tui.screens.replace_dialog import ReplacePrompt

        self.flush(seal=True)
        framework = self.store.one(CaseFramework)
        pseudonyms = [member.pseudonym for member in (framework[1].children + framework[1].household)] \
            if framework else []
        self.app.push_screen(ReplacePrompt(find, pseudonyms),
                             lambda answer: answer and self.confirm_edit(lambda: self._replace(*answer)))

    def _replace(self, find: str, replacement: str) -> None:
        try:
            count, changed = service.replace_everywhere(self.store, find, replacement)
        except LtError as exc:
            self.app.notify(exc.message, severity="warning", markup=False)
            return
        if not count:
            self.app.notify(f"“{find}” is not in the account (whole words, any case); nothing was changed.",
                            markup=False)
            return
        self._reload()
        self._fill_parts()
        self._load_part(self.current_key)
        self._after_change()
        self._show_notices()
        parts = "; ".join(changed[:3]) + (f" and {len(changed) - 3} more" if len(changed) > 3 else "")
        self.app.notify(f"Replaced {count} time{'s' if count != 1 else ''} with “{replacement}”: {parts}. "
                        "The raw notes are unchanged.", markup=False, timeout=6)

    def key_escape(self) -> None:
        find = self.query_one("#find", Input)
        if find.has_class("-shown"):
            find.set_class(False, "-shown")
            self.query_one("#part-editor", TextArea).focus()
