"""What the type-up screen tells about the account: the status line (lifecycle step, words),
the raw-note excerpts linked to the part being edited (or how an episode's date reads), and the
gentle reminders (judging words, real names, the reviewers' own information), with F5 listing
every one.

A mixin of TypeUpScreen (which provides store, account, conversation_id, current_key, keys,
competing, default_year, heading_title, flush, go_to and _part).
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import OptionList, Static, TextArea

from lt_interview.analysis.fuzzydate import reading
from lt_interview.domain.account import Account
from lt_interview.domain.lifecycle import Status, show_date
from lt_interview.tui.screens.typeup_dialogs import RemindersScreen
from lt_interview.typeup import checks
from lt_interview.domain.account_parts import account_words, word_count


class StatusAndReminders:
    account: Account
    current_key: str
    keys: list[str]
    notices: list

    def _show_status(self) -> None:
        found = self.store.get(self.conversation_id)
        status = found.record.status if found else Status.PLANNED
        part = self._part(self.current_key)
        dates = found.record.status_dates if found else {}
        when = dates.get(status.value)
        text = Text(f"Type-up · {status.label}")
        if when:
            text.append(f" ({show_date(when)})")
        if found and getattr(found.record, "follow_up_of", None):
            text.append(" · follow-up conversation with the same practitioner")
        if self.competing > 1:
            text.append(f" · {self.competing} typed-up versions shown combined, not yet saved")
        text.append(f" · account {account_words(self.account)} words")
        if part:
            text.append(f" · this part {word_count(part.text)} words")
        self.query_one("#status", Static).update(text)

    def _show_links(self) -> None:
        links = [link for link in self.account.links if link.part == self.current_key]
        widget = self.query_one("#links", Static)
        if self.current_key.startswith("episode:") and self.current_key.endswith(":when"):
            # An episode's date or period: how the timeline reads it, as it is typed.
            part = self._part(self.current_key)
            widget.update(Text(reading(part.text if part else "", self.default_year)[1]))
            return
        if not links:
            widget.update(Text("No raw-note excerpts linked to this part (select raw text, then F3)."))
            return
        text = Text(f"Supported by {len(links)} excerpt{'s' if len(links) != 1 else ''}: ")
        text.append("; ".join(f"“{' '.join(link.excerpt.split())[:60]}”" for link in links))
        widget.update(text)

    def _show_notices(self) -> None:
        """One line per kind of reminder in this part (the words grouped), then how many there
        are in all; F5 lists every one. Lines never wrap, so the editor keeps its height."""
        notices = checks.all_notices(self.store, self.account, self.heading_title)
        self.notices = notices
        widget = self.query_one("#notices", Static)
        if not notices:
            widget.update(Text(""))
            return
        here = [n for n in notices if n.part_key == self.current_key]
        part = self._part(self.current_key)
        lines = []
        for kind, line_for in NOTICE_LINES:
            of_kind = [n for n in here if n.kind == kind]
            if of_kind and part is not None:
                lines.append(line_for(of_kind, part.text))
        elsewhere = len(notices) - len(here)
        total = f"{len(notices)} reminder{'s' if len(notices) != 1 else ''}"
        if elsewhere and here:
            lines.append(f"{total} in all, {elsewhere} in other parts · F5 lists them")
        elif elsewhere:
            lines.append(f"{total} in other parts of the account · F5 lists them")
        elif len(here) > len(lines):
            lines.append(f"{total} in this part · F5 lists each with a suggestion")
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append("\n".join(lines))
        widget.update(text)

    def action_reminders(self) -> None:
        self.flush()
        notices = checks.all_notices(self.store, self.account, self.heading_title)
        if not notices:
            self.app.notify("No reminders: nothing in the account reads as judging or looks like a real name.",
                            markup=False)
            return
        self.app.push_screen(RemindersScreen(notices), self._reminder_chosen)

    def _reminder_chosen(self, notice) -> None:
        if notice is None or notice.part_key not in self.keys:
            return
        self.go_to(notice.part_key)
        options = self.query_one("#parts", OptionList)
        options.highlighted = options.get_option_index(notice.part_key)
        editor = self.query_one("#part-editor", TextArea)
        doc = editor.document
        editor.selection = (doc.get_location_from_index(notice.start), doc.get_location_from_index(notice.end))
        editor.scroll_cursor_visible()
        editor.focus()


def _lines_of(notices, text: str) -> str:
    lines = sorted({text.count("\n", 0, n.start) + 1 for n in notices})
    shown = ", ".join(str(line) for line in lines[:4]) + (", ..." if len(lines) > 4 else "")
    return f"line{'s' if len(lines) != 1 else ''} {shown}"


def _wording_line(notices, text: str) -> str:
    """The judging words in this part, grouped: “failed to”, “obvious” can read as judging."""
    if len(notices) == 1:
        return "Reminder: " + notices[0].message
    phrases: list[str] = []
    for notice in notices:
        phrase = " ".join(text[notice.start:notice.end].split())
        if phrase.casefold() not in (p.casefold() for p in phrases):
            phrases.append(phrase)
    return (f"Reminder: {', '.join(f'“{p}”' for p in phrases)} ({_lines_of(notices, text)}) can read as "
            "judging: could it say what happened and why it made sense at the time?")


def _name_line(notices, text: str) -> str:
    """Never the name itself: where it is."""
    if len(notices) == 1:
        return "Reminder: " + notices[0].message
    return (f"Reminder: {len(notices)} words here ({_lines_of(notices, text)}) look like real names from "
            "the pseudonym map; please use the pseudonyms.")


def _reviewers_line(notices, text: str) -> str:
    if len(notices) == 1:
        return "Reminder: " + notices[0].message
    return (f"Reminder: {len(notices)} passages here ({_lines_of(notices, text)}) are marked as "
            "information from the reviewers, not the practitioner's own account.")


NOTICE_LINES = (("wording", _wording_line), ("name", _name_line), ("reviewers", _reviewers_line))
