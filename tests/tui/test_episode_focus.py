"""The live screen's episode keys act on the episode in focus (issue #17): after F2 names a
second or third episode, F5 goes to that episode's stages, captures at stage 3a are filed with
it, and the screen says which episode is in focus. Typed through the keys; checked in the file."""

from __future__ import annotations

from lt_interview.domain.models import Episode, FactorTag, Note, Quote
from lt_interview.tui.screens.dialogs import FactorPicker

from tui_helpers import conversation_app, open_conversation_screen, open_file, rendered, type_text


async def _to_episodes_stage(pilot, screen) -> None:
    await pilot.press("f5", "f5")
    assert screen.section.stage_id == "episodes"


async def _factor(pilot, app, search: str) -> None:
    await pilot.press("f3")
    await pilot.pause()
    assert isinstance(app.screen, FactorPicker)
    await type_text(pilot, search)
    await pilot.press("enter")
    await pilot.pause()


def _saved(path):
    with open_file(path) as store:
        conversation_id = store.meta("conversation_id")
        episodes = sorted(store.records(Episode, conversation_id), key=lambda e: e[1].position)
        notes = {(n.stage_id, n.episode_id): n.text for _, n in store.records(Note, conversation_id)}
        quotes = {q.text: q.episode_id for _, q in store.records(Quote, conversation_id)}
        factors = {f.text: f.episode_id for _, f in store.records(FactorTag, conversation_id)}
    return [eid for eid, _ in episodes], [e.title for _, e in episodes], notes, quotes, factors


async def test_two_episodes_the_keys_follow_the_one_just_named(conversation_file, clock):
    app = conversation_app(conversation_file, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_conversation_screen(app, pilot)
        await _to_episodes_stage(pilot, screen)
        await type_text(pilot, "The strategy discussion")
        await pilot.press("f2")
        await pilot.pause()
        await pilot.press("f5")
        assert (screen.section.stage_id, screen.section.episode_index) == ("mindset", 1)
        await type_text(pilot, "She read the mark as accidental")
        await pilot.press("f4")  # quote: episode 1's
        await pilot.press("shift+f5")  # back to 3a
        assert screen.section.stage_id == "episodes"
        await pilot.press("end", "enter")
        await type_text(pilot, "The home visit in May")
        await pilot.press("f2")
        await pilot.pause()
        # Episode 2 is in focus, and the top bar says so where it is not cut off at 80 columns
        # (narrow, it says "Ep": issue 19's 80x24 friction).
        assert "Ep 2: The home visit in May" in rendered(app).splitlines()[0]
        await type_text(pilot, "\nShe said the flat was cold")
        await pilot.press("f4")  # quote at 3a: filed with the episode in focus
        await pilot.press("f5")  # the mindset stage of episode 2, not episode 1
        assert (screen.section.stage_id, screen.section.episode_index) == ("mindset", 2)
        assert "Notes · Episode 2" in rendered(app)
        await type_text(pilot, "The heating had been off for a week")
        await _factor(pilot, app, "workload")
        await pilot.press("f5")
        assert (screen.section.stage_id, screen.section.episode_index) == ("factors", 2)
        await type_text(pilot, "Three new cases that week")
        await pilot.press("ctrl+q")
    assert app.return_code == 0
    ids, titles, notes, quotes, factors = _saved(conversation_file)
    assert titles == ["The strategy discussion", "The home visit in May"]
    first, second = ids
    assert "She read the mark as accidental" in notes[("mindset", first)]
    assert "The heating had been off" in notes[("mindset", second)]
    assert "The heating" not in notes[("mindset", first)]
    assert "Three new cases" in notes[("factors", second)]
    assert ("factors", first) not in notes
    assert quotes == {"She read the mark as accidental": first, "She said the flat was cold": second}
    assert factors == {"The heating had been off for a week": second}


async def test_three_episodes_each_gets_its_own_notes_and_captures(conversation_file, clock):
    app = conversation_app(conversation_file, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_conversation_screen(app, pilot)
        await _to_episodes_stage(pilot, screen)
        await type_text(pilot, "First: the referral")
        await pilot.press("f2")
        await pilot.pause()
        await pilot.press("f5")  # mindset 1
        await type_text(pilot, "Mindset of the referral")
        await pilot.press("f5")  # factors 1
        assert (screen.section.stage_id, screen.section.episode_index) == ("factors", 1)
        await type_text(pilot, "Second: the missed appointment")
        await pilot.press("f2")  # named while episode 1's factors are open: they keep the focus
        await pilot.pause()
        assert (screen.section.stage_id, screen.section.episode_index) == ("factors", 1)
        await type_text(pilot, "\nNobody told her about the call")
        await pilot.press("f4")  # episode 1's quote
        await pilot.press("f5")  # on along the rail: mindset 2
        assert (screen.section.stage_id, screen.section.episode_index) == ("mindset", 2)
        await type_text(pilot, "Mindset of the missed appointment")
        await pilot.press("f9")  # a question to return to, episode 2's
        # Back to 3a through the rail and name a third.
        screen._go_to(next(i for i, s in enumerate(screen.sections) if s.stage_id == "episodes"))
        await pilot.pause()
        await pilot.press("ctrl+end", "enter")
        await type_text(pilot, "Third: the hospital discharge")
        await pilot.press("f2")
        await pilot.pause()
        assert "Ep 3: Third: the hospital discharge" in rendered(app).splitlines()[0]
        await _factor(pilot, app, "inter agency")  # factor at 3a: episode 3's
        await pilot.press("f5")
        assert (screen.section.stage_id, screen.section.episode_index) == ("mindset", 3)
        await type_text(pilot, "Mindset of the discharge")
        await pilot.press("f5")
        assert (screen.section.stage_id, screen.section.episode_index) == ("factors", 3)
        await type_text(pilot, "Factors of the discharge")
        await pilot.press("f5")
        assert screen.section.stage_id == "went_well"
        await pilot.press("ctrl+q")
    assert app.return_code == 0
    ids, titles, notes, quotes, factors = _saved(conversation_file)
    assert titles == ["First: the referral", "Second: the missed appointment", "Third: the hospital discharge"]
    first, second, third = ids
    assert "Mindset of the referral" in notes[("mindset", first)]
    assert "Nobody told her" in notes[("factors", first)]
    assert "Mindset of the missed appointment" in notes[("mindset", second)]
    assert "Mindset of the discharge" in notes[("mindset", third)]
    assert "Factors of the discharge" in notes[("factors", third)]
    assert not any("discharge" in text for (stage, episode), text in notes.items() if episode in (first, second))
    assert quotes == {"Nobody told her about the call": first}
    assert list(factors.values()) == [third]
    with open_file(conversation_file) as store:
        from lt_interview.domain.models import Query

        assert [(q.question, q.episode_id) for _, q in store.records(Query, store.meta("conversation_id"))] == [
            ("Mindset of the missed appointment", second)]


async def test_the_episode_in_focus_is_dated_as_said_and_the_reading_shown(conversation_file, clock):
    from lt_interview.tui.screens.episode_when import EpisodeWhenPrompt

    app = conversation_app(conversation_file, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_conversation_screen(app, pilot)
        await pilot.press("shift+f2")  # no episode yet: says so, opens nothing
        await pilot.pause()
        assert not isinstance(app.screen, EpisodeWhenPrompt)
        await _to_episodes_stage(pilot, screen)
        for title in ("The referral", "The home visit"):
            await type_text(pilot, title)
            await pilot.press("f2")
            await pilot.pause()
            await pilot.press("end", "enter")
        await pilot.press("shift+f2")  # dates episode 2, the one in focus
        await pilot.pause()
        assert isinstance(app.screen, EpisodeWhenPrompt)
        await type_text(pilot, "around the end of term")
        assert "Read as 10 to 25 July 2025" in rendered(app)  # the year from the review period
        for _ in "around the end of term":
            await pilot.press("backspace")
        await type_text(pilot, "after the strategy meeting")
        assert "Not a date the timeline can read" in rendered(app)
        for _ in "after the strategy meeting":
            await pilot.press("backspace")
        await type_text(pilot, "early March 2024")
        assert "Read as 1 to 10 March 2024." in rendered(app)
        await pilot.press("enter")
        await pilot.pause()
        screen._go_to(next(i for i, s in enumerate(screen.sections) if s.episode_index == 1))
        await pilot.pause()
        await pilot.press("shift+f2")  # in episode 1's mindset stage: dates episode 1
        await pilot.pause()
        await type_text(pilot, "03/2024")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("ctrl+q")
    with open_file(conversation_file) as store:
        episodes = sorted(store.records(Episode, store.meta("conversation_id")), key=lambda e: e[1].position)
    assert [(e.title, e.when) for _, e in episodes] == [("The referral", "03/2024"),
                                                         ("The home visit", "early March 2024")]
