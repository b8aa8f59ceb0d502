"""Small frictions reviewers met (issue #19): each as they would meet it on screen."""

from __future__ import annotations

from lt_interview.tui.screens.conversation import ConversationScreen
from lt_interview.tui.screens.dialogs import RecoveryScreen

from tui_helpers import conversation_app, rendered, type_text

READY = ("down", "enter")  # choose the second reviewer when asked who takes notes


async def start(app, pilot):
    await pilot.pause()
    await pilot.press(*READY)
    await pilot.pause()
    assert isinstance(app.screen, ConversationScreen)
    return app.screen


async def test_the_recovery_question_shows_the_recovered_text(conversation_file, clock):
    """After a kill, the question said only how many sections held unsaved text: the reviewer
    had to keep or discard words they could not see."""
    app = conversation_app(conversation_file, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await start(app, pilot)
        await type_text(pilot, "sealed words\n")
        await pilot.press("f5", "shift+f5")  # seal
        await type_text(pilot, "mother said the GP visit was cancelled")
        await pilot.pause(0.3)
        app.store.close()
        app.store = None  # as if killed: the draft stays unsealed
    app = conversation_app(conversation_file, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, RecoveryScreen)
        shown = rendered(app)
        assert "mother said the GP visit was cancelled" in shown
        assert "1 Introduction and ground rules" in shown  # which section it belongs to
        assert "sealed words" not in shown  # only what was not saved
        await pilot.press("k")
        await pilot.pause()
        assert "mother said the GP visit was cancelled" in app.screen.query_one("#notes").text
        await pilot.press("ctrl+q")


async def test_help_titles_name_the_area_not_the_class(captured_typeup):
    """F1 on the type-up screen was titled "TypeUpScreen"."""
    from lt_interview.tui.app import make_app
    from lt_interview.tui.screens.dialogs import HelpScreen

    path, secret = captured_typeup
    app = make_app(mode="typeup", path=path, passphrase=secret)
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        app.screen.focus_next()  # whatever has focus, then the screen itself
        app.screen.set_focus(None)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        shown = rendered(app)
        assert "Type-up" in shown and "Screen" not in shown
        await pilot.press("escape", "ctrl+q")


def test_every_area_with_help_has_a_title_for_reviewers():
    import importlib
    import inspect
    import pkgutil

    import lt_interview.tui.screens
    import lt_interview.tui.widgets
    from lt_interview.tui.app import HELP_TITLES, help_title

    for package in (lt_interview.tui.screens, lt_interview.tui.widgets):
        for info in pkgutil.iter_modules(package.__path__):
            module = importlib.import_module(f"{package.__name__}.{info.name}")
            for name, cls in inspect.getmembers(module, inspect.isclass):
                if cls.__module__ == module.__name__ and isinstance(cls.__dict__.get("HELP"), str):
                    assert name in HELP_TITLES, name
    assert help_title("VersionPickerScreen") == "Version picker"


async def test_the_clock_does_not_run_when_the_file_is_opened_later_to_edit_notes(conversation_file, clock):
    """Reopened the next day to tidy the notes, the conversation clock ran on as if the
    conversation were still going."""
    from tui_helpers import open_file

    app = conversation_app(conversation_file, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await start(app, pilot)
        clock.advance(125)
        await pilot.press("ctrl+q")
    clock.advance(18 * 3600)  # the next morning
    app = conversation_app(conversation_file, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await start(app, pilot)
        clock.advance(600)  # ten minutes editing the notes
        screen._show_elapsed()
        assert "Paused 0:02:05" in rendered(app)
        assert "opened again after the conversation" in " ".join(str(n.message) for n in app._notifications)
        await pilot.press("ctrl+o")  # the reviewer may start it again
        clock.advance(5)
        screen._show_elapsed()
        assert "Elapsed 0:02:10" in rendered(app)
        await pilot.press("ctrl+q")
    with open_file(conversation_file) as store:
        assert store.meta("elapsed_seconds.notes") == "130"


async def test_the_clock_carries_on_after_a_restart_mid_conversation(conversation_file, clock):
    app = conversation_app(conversation_file, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await start(app, pilot)
        clock.advance(125)
        await pilot.press("ctrl+q")
    clock.advance(90)  # the laptop restarted
    app = conversation_app(conversation_file, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await start(app, pilot)
        clock.advance(5)
        screen._show_elapsed()
        assert "Elapsed 0:02:10" in rendered(app)
        await pilot.press("ctrl+q")


async def test_at_80_by_24_the_prompts_show_seven_lines_and_the_episode_title_fits(conversation_file, clock):
    """At 80x24 the prompts pane held 4 lines and the episode's title in the top bar was cut."""
    app = conversation_app(conversation_file, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start(app, pilot)
        assert screen.query_one("#prompts").size.height >= 7
        await pilot.press("f2")
        await pilot.pause()
        await type_text(pilot, "Visit to the nursery in June")
        await pilot.press("ctrl+s")
        await pilot.pause()
        index = next(i for i, s in enumerate(screen.sections) if s.episode_title == "Visit to the nursery in June")
        screen._go_to(index)
        await pilot.pause()
        top = rendered(app).splitlines()[0]
        assert "Ep 1: Visit to the nursery in June" in top and "…" not in top
        await pilot.press("ctrl+q")


async def test_the_clock_starts_paused_once_the_conversation_is_recorded_as_held(conversation_file, clock):
    from lt_interview.domain.lifecycle import Status
    from lt_interview.domain.models import Conversation
    from tui_helpers import open_file

    with open_file(conversation_file) as store:
        [(record_id, conversation)] = store.records(Conversation)
        with store.transaction():
            store.put(conversation.model_copy(update={"status": Status.HELD}), record_id)
    app = conversation_app(conversation_file, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await start(app, pilot)
        clock.advance(30)
        screen._show_elapsed()
        assert screen.paused and "Paused 0:00:00" in rendered(app)
        await pilot.press("ctrl+q")
