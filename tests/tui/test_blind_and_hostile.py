"""Blind mode (no chronology on any conversation screen) and hostile text in every widget
that shows notes: shown literally, no crash, no action fired (RELIABILITY.md §5)."""

from __future__ import annotations


from textual.widgets import TextArea

from lt_interview.domain.models import CaseFramework, Episode, Note, Practitioner, Query, Quote, Reviewer
from lt_interview.tui.screens.conversation import ConversationScreen
from lt_interview.tui.screens.dialogs import ChecklistScreen, FactorPicker, HelpScreen, TextPrompt

from tui_helpers import CANARY, conversation_app, open_file, rendered, type_text

HOSTILE = [
    "[bold]x",
    "[/]",
    "[/",
    "[@click=app.quit]x[/]",
    "ends with a backslash \\",
    "escape \x1b[2J\x1b]0;title\x07 sequences \x9b31m",
]


async def visit_everything(app, pilot) -> list[str]:
    """Render every section and every dialog the conversation screen offers."""
    seen = []
    screen = app.screen
    assert isinstance(screen, ConversationScreen)
    for _ in range(len(screen.sections)):
        seen.append(rendered(app))
        await pilot.press("f5")
        await pilot.pause()
    for key, kind in (("ctrl+l", ChecklistScreen), ("f3", FactorPicker), ("f1", HelpScreen)):
        await pilot.press(key)
        await pilot.pause()
        assert isinstance(app.screen, kind)
        seen.append(rendered(app))
        await pilot.press("escape")
        await pilot.pause()
    await pilot.press("ctrl+r")  # captured list, then its help
    await pilot.press("f1")
    await pilot.pause()
    seen.append(rendered(app))
    await pilot.press("escape")
    await pilot.press("ctrl+p")
    await pilot.pause()
    seen.append(rendered(app))
    await pilot.press("escape")
    return seen


async def test_no_chronology_reaches_any_conversation_screen(files, clock):
    review_path, conversation_file = files
    with open_file(conversation_file) as store:
        kinds = {row[0] for row in store.conn.execute("SELECT DISTINCT kind FROM revision")}
        assert "chronology" not in kinds
    app = conversation_app(conversation_file, clock)
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        screens = await visit_everything(app, pilot)
        await pilot.press("ctrl+q")
    everything = "\n".join(screens)
    assert "Child M" in everything and "Mr B" in everything  # the framework is shown
    assert "CHRONOLOGY-CANARY" not in everything
    assert CANARY not in everything


def seed_hostile(path, note_text: str) -> None:
    with open_file(path) as store:
        conversation_id = store.meta("conversation_id")
        reviewer_id = store.records(Reviewer)[0][0]
        current = store.get(conversation_id)
        store.put(current.record.model_copy(update={"notetaker_id": reviewer_id}), conversation_id)
        store.put(Note(conversation_id=conversation_id, stage_id="introduction", author_id=reviewer_id,
                       text=note_text))
        for text in HOSTILE:
            store.put(Quote(conversation_id=conversation_id, text=text))
            store.put(Query(conversation_id=conversation_id, question=text))
        store.put(Episode(conversation_id=conversation_id, title="[@click=app.quit]episode[/]"))
        framework_id, framework = store.one(CaseFramework)
        store.put(framework.model_copy(update={"agencies": ["[red]Agency[/", "Trailing \\"]}), framework_id)
        practitioner_id = store.meta("practitioner_id")
        practitioner = store.get(practitioner_id).record
        assert isinstance(practitioner, Practitioner)
        store.put(practitioner.model_copy(update={"role": "GP [/]"}), practitioner_id)


async def test_hostile_text_is_shown_literally_everywhere(conversation_file, clock):
    # 2 MB of UTF-8 within the 1,000,000-character field limit.
    # Realistic lines of notes, plus one very long hostile line.
    line = "記録の内容記録記録の内容記録記録の内容記録記録の内容記録記録の内容記録記録 [/] [@click=app.quit]x[/]\n"
    big = ("[b]" * 5_000) + "\n" + (line * 20_000)[:970_000]
    note = "\n".join(HOSTILE) + "\n" + big
    assert len(note.encode("utf-8")) > 2_000_000
    seed_hostile(conversation_file, note)
    app = conversation_app(conversation_file, clock)
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ConversationScreen)
        editor = screen.query_one("#notes", TextArea)
        assert editor.text.startswith("[bold]x\n[/]\n[/\n[@click=app.quit]x[/]\nends with a backslash \\\n")
        assert "\x1b" not in editor.text and "\x9b" not in editor.text
        editor.move_cursor((0, 0))
        shown = rendered(app)
        for text in ("[bold]x", "[@click=app.quit]x[/]", "ends with a backslash \\",
                     "GP [/]", "[@click=app.quit]episode[/]"):
            assert text in shown, text
        assert "[red]Agency[/" in str(screen.query_one("#framework").render())
        assert "\x1b" not in shown
        # Click everything that could have become a link: nothing fires.
        for _ in range(3):
            await pilot.click("#captured", offset=(3, 1))
            await pilot.click("#notes", offset=(5, 3))
        await visit_everything(app, pilot)
        assert app.is_running and app.return_code is None
        # Typing and pasting hostile text into the big note: cleaned, saved, still responsive.
        await pilot.press("shift+f5")  # back from the last section
        screen.index = 0
        screen._load_section(0)
        editor.move_cursor(editor.document.end)
        editor.focus()
        await type_text(pilot, "\n[@click=app.quit]typed[/]")
        from textual import events
        app.post_message(events.Paste("pasted \x1b]52;c;AAAA\x07 [/"))
        await pilot.pause(0.3)
        await pilot.press("f4")  # quote the pasted line
        await pilot.pause()
        await pilot.press("ctrl+q")
    assert app.return_code == 0
    with open_file(conversation_file) as store:
        (_, saved), = [n for n in store.records(Note) if n[1].stage_id == "introduction"]
        assert saved.text.endswith("[@click=app.quit]typed[/]pasted ]52;c;AAAA [/")
        assert len(saved.text.encode("utf-8")) > 2_000_000
        quotes = [q.text for _, q in store.records(Quote)]
        assert "[@click=app.quit]typed[/]pasted ]52;c;AAAA [/" in quotes


async def test_edit_prompt_with_hostile_text(conversation_file, clock):
    seed_hostile(conversation_file, "x")
    app = conversation_app(conversation_file, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+r", "e")
        await pilot.pause()
        assert isinstance(app.screen, TextPrompt)
        assert "[@click=app.quit]episode[/]" in rendered(app)
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("ctrl+q")
    assert app.return_code == 0
