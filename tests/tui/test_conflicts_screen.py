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
        listing = app.screen.query_one("#conflict-list")
        order = [item.record_id for item in app.screen.items]
        listing.highlighted = order.index(note_id)
        await pilot.pause()
        assert "laptop A: [@click=app.quit]x[/]" in rendered(app)  # literal, never a link
        await pilot.press("f5")  # choose version 2
        await pilot.press("f3")  # write a combined text starting from it
        await pilot.pause()
        await pilot.press("end", *" (both kept)")
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
        assert settled.record.text == "laptop B: her words (both kept)\n\nlaptop A: [@click=app.quit]x[/]"
        assert len(settled.revision.parents) == 2  # names both competing versions
        assert len(store.history(note_id)) == 4  # nothing lost
        assert store.get(went_well_id) is None
        actions = [row["action"] for row in store.db["audit"].rows]
        assert actions.count("conflict.resolve") == 2
