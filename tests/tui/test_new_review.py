"""Creating a review from the home screen, by typing: refused in one line until everything is
right, then a review file that opens with the passphrase typed, listed with the recent files."""

from __future__ import annotations

from textual.widgets import Static

from lt_interview.domain.models import Practitioner, Review
from lt_interview.recent import recent_files
from lt_interview.storage.store import REVIEW, Store
from lt_interview.tui.app import make_app
from lt_interview.tui.screens.new_review import CASE_FIELDS, NewReviewScreen

from tui_helpers import type_text

SECRET = "a fictional passphrase"


def framework_file(folder):
    path = folder / "framework.toml"
    path.write_text('[review]\nreview_type = "SAR"\n[framework]\nagencies = ["Adult social care"]\n'
                    '[[practitioner]]\nname = "Lee Park"\nrole = "Care coordinator"\n'
                    'agency = "Adult social care"\n', encoding="utf-8")
    return path


async def test_a_review_is_created_from_the_home_screen(tmp_path, monkeypatch):
    monkeypatch.delenv("LT_INTERVIEW_PASSPHRASE")
    framework = framework_file(tmp_path)
    target = tmp_path / "adult-d"
    app = make_app(mode="home")
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("f3")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, NewReviewScreen)
        for text in (str(target), "Adult D review", str(framework), *[""] * len(CASE_FIELDS), SECRET,
                     SECRET + " but not the same"):
            await type_text(pilot, text)
            await pilot.press("enter")
            await pilot.pause()
        problem = dialog.query_one("#new-problem", Static)
        assert "the two passphrases differ" in str(problem.render())
        assert app.screen is dialog and not (tmp_path / "adult-d.ltr").exists()

        again = dialog.query_one("#new-again")
        again.value = ""
        again.focus()
        await type_text(pilot, SECRET)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is not dialog  # created and closed
        await pilot.press("ctrl+q")

    path = tmp_path / "adult-d.ltr"
    assert path.resolve() in [p.resolve() for p in recent_files()]
    with Store.open(path, SECRET, expect_kind=REVIEW) as store:
        review = store.one(Review)[1]
        assert review.name == "Adult D review" and review.review_type == "SAR"
        assert [p.name for _, p in store.records(Practitioner)] == ["Lee Park"]


async def test_refusals_are_one_line_and_create_nothing(tmp_path, monkeypatch):
    monkeypatch.delenv("LT_INTERVIEW_PASSPHRASE")
    app = make_app(mode="home")
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("f3")
        await pilot.pause()
        dialog = app.screen
        cases = [
            ({"path": ""}, "give the file to create"),
            ({"path": str(tmp_path / "missing" / "r.ltr")}, "no such folder"),
            ({"path": str(tmp_path / "r.ltr")}, "give the review a name"),
            ({"path": str(tmp_path / "r.ltr"), "name": "R", "framework": str(tmp_path / "none.toml")},
             "none.toml: no such file"),
            ({"path": str(tmp_path / "r.ltr"), "name": "R", "passphrase": "short", "again": "short"},
             "at least 8 characters"),
        ]
        for values, expected in cases:
            for name in ("path", "name", "framework", "passphrase", "again"):
                dialog.query_one(f"#new-{name}").value = values.get(name, "")
            dialog.query_one("#new-create").press()
            await pilot.pause()
            shown = str(dialog.query_one("#new-problem", Static).render())
            assert expected in shown and "\n" not in shown
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is not dialog
    assert list(tmp_path.iterdir()) == []


async def test_keys_typed_straight_after_enter_land_in_the_next_field(tmp_path, monkeypatch):
    """As a fast typist or a paste would: every key handed to the app at once, as the terminal
    driver does, with no pause after each Enter."""
    from textual import events

    monkeypatch.delenv("LT_INTERVIEW_PASSPHRASE")
    target = tmp_path / "burst"
    app = make_app(mode="home")
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("f3")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, NewReviewScreen)
        burst = "\n".join((str(target), "Burst review", "", *[""] * len(CASE_FIELDS), SECRET, SECRET))
        for char in burst:
            key = "enter" if char == "\n" else {" ": "space"}.get(char, char)
            app.post_message(events.Key(key, None if char == "\n" else char))
        app.post_message(events.Key("enter", None))
        await pilot.pause()
        await pilot.pause()
        assert app.screen is not dialog, str(dialog.query_one("#new-problem", Static).render())
        await pilot.press("ctrl+q")
    with Store.open(tmp_path / "burst.ltr", SECRET, expect_kind=REVIEW) as store:
        assert store.one(Review)[1].name == "Burst review"


async def test_the_whole_review_is_set_up_from_the_form_and_opens(tmp_path, monkeypatch):
    """A newcomer's set-up without a framework file: every case field typed into the form."""
    from lt_interview.domain.models import CaseFramework, Reviewer

    monkeypatch.delenv("LT_INTERVIEW_PASSPHRASE")
    typed = {
        "period_start": "September 2024", "period_end": "June 2025",
        "agencies": "Primary school; School nursing",
        "children": "Child W = girl, 11",
        "household": "Mother (Ms K) = mother; Brother (Y)",
        "practitioners": "Ellery Brandt, Class teacher, Primary school; Noor Castell, School nurse",
        "pseudonyms": "Child W = Wren Ashcombe; Mother (Ms K) = Kerris Ashcombe",
        "reviewers": "Hollis Varden; Tamsin Quarry, Notetaker",
    }
    app = make_app(mode="home")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f3")
        await pilot.pause()
        dialog = app.screen
        for text in (str(tmp_path / "child-w"), "Child W review", "", *[typed[f] for f, _ in CASE_FIELDS],
                     SECRET, SECRET):
            await type_text(pilot, text)
            await pilot.press("enter")
            await pilot.pause()
        await pilot.pause(0.3)
        assert app.screen is not dialog, str(dialog.query_one("#new-problem", Static).render())
        assert type(app.screen).__name__ == "AnalysisScreen"  # the new review is open
        await pilot.press("ctrl+q")
    with Store.open(tmp_path / "child-w.ltr", SECRET, expect_kind=REVIEW) as store:
        assert store.one(Review)[1].name == "Child W review"
        framework = store.one(CaseFramework)[1]
        assert (framework.period_start, framework.period_end) == ("September 2024", "June 2025")
        assert framework.agencies == ["Primary school", "School nursing"]
        assert [(m.pseudonym, m.relationship) for m in framework.children] == [("Child W", "girl, 11")]
        assert [(m.pseudonym, m.relationship) for m in framework.household] == [
            ("Mother (Ms K)", "mother"), ("Brother (Y)", "")]
        assert [(p.name, p.role, p.agency) for _, p in store.records(Practitioner)] == [
            ("Ellery Brandt", "Class teacher", "Primary school"), ("Noor Castell", "School nurse", "")]
        assert [(r.name, r.role) for _, r in store.records(Reviewer)] == [
            ("Hollis Varden", "Lead reviewer"), ("Tamsin Quarry", "Notetaker")]
        assert sorted(store.conn.execute("SELECT pseudonym, real_name, category FROM pseudonym_map").fetchall()) == [
            ("Child W", "Wren Ashcombe", "child"), ("Mother (Ms K)", "Kerris Ashcombe", "family")]


async def test_each_case_field_is_refused_in_one_line_naming_it(tmp_path, monkeypatch):
    monkeypatch.delenv("LT_INTERVIEW_PASSPHRASE")
    app = make_app(mode="home")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f3")
        await pilot.pause()
        dialog = app.screen
        cases = [
            ({"practitioners": "Ellery Brandt"}, "Practitioners, entry 1 ('Ellery Brandt'): write it as 'Name, Role'"),
            ({"practitioners": "A Bee, Nurse; a  bee, GP"}, "Practitioners: 'a bee' is given twice"),
            ({"pseudonyms": "Child W"}, "Pseudonyms, entry 1 ('Child W'): write it as 'Child W = real name'"),
            ({"pseudonyms": "Child W = Wren Ashcombe", "household": "Mr Ashcombe = father"},
             "Household: 'Mr Ashcombe' contains a word of a real name"),
            ({"household": "= mother"}, "Household, entry 1 ('= mother'): write it as 'Mother (Ms K) = mother'"),
            ({"reviewers": ", Notetaker"}, "Reviewers, entry 1 (', Notetaker'): write it as 'Name'"),
            ({"children": "Child W; child w"}, "Children and household: 'child w' is given twice"),
        ]
        for values, expected in cases:
            dialog.query_one("#new-path").value = str(tmp_path / "r.ltr")
            dialog.query_one("#new-name").value = "R"
            dialog.query_one("#new-passphrase").value = dialog.query_one("#new-again").value = SECRET
            for field, _ in CASE_FIELDS:
                dialog.query_one(f"#new-{field.replace('_', '-')}").value = values.get(field, "")
            dialog.query_one("#new-create").press()
            await pilot.pause()
            shown = str(dialog.query_one("#new-problem", Static).render())
            assert expected in shown and "\n" not in shown, shown
        await pilot.press("escape", "ctrl+q")
    assert list(tmp_path.iterdir()) == []
