"""The notes editor wraps a long note once when it loads, and its wrapping stays right after
resizes and typing (start-up budget, issue 7)."""

from __future__ import annotations

from textual import events
from textual.app import App, ComposeResult
from textual.document._wrapped_document import WrappedDocument

from lt_interview.tui.widgets.notes_editor import NotesEditor

from tui_helpers import type_text

LONG_NOTE = "\n".join(
    f"{number:02d}:15 the visitor rang the duty desk twice and left a message about the baby's weight, "
    "then wrote it up in the shared record before the next visit" for number in range(120))


class EditorApp(App):
    def compose(self) -> ComposeResult:
        yield NotesEditor(id="notes")


def count_wraps(monkeypatch, editor: NotesEditor):
    """The widths the editor's own wrapped document is wrapped at from now on (0: unwrapped)."""
    wraps: list[tuple[WrappedDocument, int]] = []
    real = WrappedDocument.wrap

    def wrap(self, width, tab_width=None):
        wraps.append((self, width))
        return real(self, width, tab_width)

    monkeypatch.setattr(WrappedDocument, "wrap", wrap)
    return lambda: [width for document, width in wraps if document is editor.wrapped_document and width]


def assert_wrapped_as_fresh(editor: NotesEditor) -> None:
    """The editor's wrapping is what wrapping the whole text afresh at its width gives."""
    fresh = WrappedDocument(editor.document, tab_width=editor.indent_width)
    fresh.wrap(editor.wrap_width, editor.indent_width)
    assert editor.wrapped_document._wrap_offsets == fresh._wrap_offsets
    assert editor.wrapped_document.height == fresh.height
    assert editor.virtual_size.height == fresh.height


async def test_a_long_note_is_wrapped_once_at_the_final_width(monkeypatch):
    app = EditorApp()
    async with app.run_test(size=(80, 24)) as pilot:
        editor = app.query_one(NotesEditor)
        await pilot.pause()
        widths = count_wraps(monkeypatch, editor)
        editor.load_notes(LONG_NOTE)
        await pilot.pause()
        await pilot.pause()
        assert editor.show_vertical_scrollbar
        assert widths() == [editor.wrap_width]  # once, with the scrollbar
        assert_wrapped_as_fresh(editor)
        # Textual sends a resize once the layout has settled, at the same width: nothing to re-wrap.
        editor.post_message(events.Resize(editor.size, editor.virtual_size, editor.container_size))
        await pilot.pause()
        assert widths() == [editor.wrap_width]
        assert editor.cursor_location == editor.document.end
        assert editor.scroll_y == editor.max_scroll_y > 0  # the end of the note is in view


async def test_wrapping_follows_resizes_and_typing():
    app = EditorApp()
    async with app.run_test(size=(80, 24)) as pilot:
        editor = app.query_one(NotesEditor)
        await pilot.pause()
        editor.load_notes(LONG_NOTE)
        editor.focus()
        await pilot.pause()
        first_width = editor.wrap_width
        await pilot.resize_terminal(60, 24)
        await pilot.pause()
        await pilot.pause()
        assert editor.wrap_width < first_width
        assert_wrapped_as_fresh(editor)
        await type_text(pilot, " and a few words more typed at the end of the long note")
        assert editor.text.endswith("typed at the end of the long note")
        assert_wrapped_as_fresh(editor)
        await pilot.resize_terminal(100, 30)
        await pilot.pause()
        await pilot.pause()
        assert_wrapped_as_fresh(editor)


async def test_a_short_note_has_no_scrollbar():
    app = EditorApp()
    async with app.run_test(size=(80, 24)) as pilot:
        editor = app.query_one(NotesEditor)
        await pilot.pause()
        editor.load_notes(LONG_NOTE)
        await pilot.pause()
        editor.load_notes("one line\nand another")
        await pilot.pause()
        await pilot.pause()
        assert not editor.show_vertical_scrollbar
        assert_wrapped_as_fresh(editor)
