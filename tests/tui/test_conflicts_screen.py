"""The conflict screen settles a conflict with a new revision naming every competing version."""

from __future__ import annotations

from lt_interview.domain.models import Note, WentWell
from lt_interview.storage.store import Store
from lt_interview.tui.app import make_app
from lt_interview.tui.screens.conflicts import ConflictsScreen

from tui_helpers import SECRET, rendered


def make_conflicts(path) -> tuple[str, str]:
    """Two records, each with two competing versions (as after merging two laptops' edits)."""
    with Store.open(path, SECRET) as store:
        first = store.put(Note(conversation_id="c1", stage_id="overview", author_id="a", text="base [/] text"))
        for text in ("laptop A: [@click=app.quit]x[/]", "laptop B: her words"):
            store.put(Note(conversation_id="c1", stage_id="overview", author_id="a", text=text),
                      first.record_id, parents=[first.revision_id])
        second = store.put(WentWell(conversation_id="c1", text="the call back"))
        store.put(WentWell(conversation_id="c1", text="the same-day call back"), second.record_id,
                  parents=[second.revision_id])
        tomb = store.history(second.record_id)[0]
        store._write("went_well", second.record_id, tomb.body, deleted=1, parents=[tomb.revision_id],
                     conversation_id="c1", audit=True)
        assert len(store.conflicts()) == 2
    return first.record_id, second.record_id


async def test_keep_combine_and_remove_settle_conflicts(files, clock):
    review_path, _ = files
    note_id, went_well_id = make_conflicts(review_path)
    app = make_app(mode="conflicts", path=review_path, passphrase=SECRET, clock=clock)
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ConflictsScreen)
        shown = rendered(app)
        assert "2 records with competing versions" in shown
        assert "Notes, stage 2 Overview, in the" in shown  # where each one is, as merge --conflicts says
        listing = app.screen.query_one("#conflict-list")
        order = [item.record_id for item in app.screen.items]
        listing.highlighted = order.index(note_id)
        await pilot.pause()
        assert "laptop A: [@click=app.quit]x[/]" in rendered(app)  # literal, never a link
        await pilot.press("f5")  # choose version 2
        await pilot.press("f3")  # write a combined text from both, starting with it
        await pilot.pause()
        editor = app.screen.query_one("#prompt-text")
        assert editor.cursor_location == editor.document.end  # typing goes in at the end
        await pilot.press("ctrl+home")
        assert editor.cursor_location == (0, 0)
        await pilot.press("ctrl+end")
        assert editor.cursor_location == editor.document.end
        await pilot.press(*"(both kept)")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert len(app.screen.items) == 1
        await pilot.press("f4")  # the other record: one version removes it
        await pilot.pause()
        assert "No conflicts" in rendered(app)
        await pilot.press("ctrl+q")
    with Store.open(review_path, SECRET) as store:
        assert store.conflicts() == []
        settled = store.get(note_id)
        assert settled.record.text.startswith("laptop B: her words")
        # Both versions, the chosen one first; the headings naming who and which laptop are dropped.
        assert settled.record.text == "laptop B: her words\n\nlaptop A: [@click=app.quit]x[/]\n(both kept)"
        assert len(settled.revision.parents) == 2  # names both competing versions
        assert len(store.history(note_id)) == 4  # nothing lost
        assert store.get(went_well_id) is None
        actions = [row["action"] for row in store.db["audit"].rows]
        assert actions.count("conflict.resolve") == 2


async def test_the_combined_editor_holds_every_version_marked_by_reviewer_and_laptop(files, clock):
    from lt_interview.domain.ids import short_id

    review_path, _ = files
    note_id, _ = make_conflicts(review_path)
    with Store.open(review_path, SECRET) as store:
        heads = store.heads(note_id)
    app = make_app(mode="conflicts", path=review_path, passphrase=SECRET, clock=clock)
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        listing = app.screen.query_one("#conflict-list")
        listing.highlighted = [item.record_id for item in app.screen.items].index(note_id)
        await pilot.pause()
        chosen = app.screen.items[listing.highlighted].versions[0].revision
        await pilot.press("f3")
        await pilot.pause()
        editor = app.screen.query_one("#prompt-text")
        text = editor.text
        headings = [line for line in text.splitlines() if line.startswith("=== Version")]
        assert len(headings) == 2 and "(chosen)" in headings[0]
        assert all(f"laptop {short_id(rev.device_id)}" in text for rev in heads)
        assert "laptop A: [@click=app.quit]x[/]" in text and "laptop B: her words" in text
        assert text.index(chosen.record().text) < text.index(headings[1])  # the chosen version first
        assert editor.cursor_location == editor.document.end
        await pilot.press(*"one more line")
        assert editor.text.endswith("one more line")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("ctrl+q")
    with Store.open(review_path, SECRET) as store:
        settled = store.get(note_id).record.text
        assert "=== Version" not in settled and settled.endswith("one more line")
        assert "laptop A: [@click=app.quit]x[/]" in settled and "laptop B: her words" in settled
        assert store.get(note_id).revision.parents and len(store.heads(note_id)) == 1


def test_headings_are_dropped_but_words_typed_beside_them_stay():
    from lt_interview.tui.screens.conflicts import without_headings

    heading = "=== Version 1 of 2 (chosen): Sam Okafor, laptop 1a2b3c4d, saved 2026-01-01 10:00 UTC ==="
    other = "=== Version 2 of 2: Robin Ashdown, laptop 5e6f7a8b, saved 2026-01-01 10:01 UTC ==="
    text = f"{heading}\nfirst\n\n{other}\nsecond\n"
    assert without_headings(text, {heading, other}) == "first\n\nsecond"
    assert without_headings(f"Both: {heading}\nfirst", {heading}) == "Both: \nfirst"
    assert without_headings("=== Version 9 of 9: typed by hand ===\nx", {heading}) == (
        "=== Version 9 of 9: typed by hand ===\nx")  # only the headings we put in
