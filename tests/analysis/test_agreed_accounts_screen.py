"""Pilot: the analysis screen reads the agreed accounts (issue #17): where each account stands,
the highlighted episode's account with its date, and the real names in the accounts listed
with their conversation, part and line (Ctrl+R)."""

from __future__ import annotations

from textual.widgets import DataTable, OptionList, Static

from lt_interview.tui.app import make_app


async def test_the_story_shows_each_accounts_state_and_the_highlighted_episode(case_review, passphrase):
    app = make_app(mode="analyse", path=case_review, passphrase=passphrase)
    async with app.run_test(size=(140, 48)) as pilot:
        screen = app.screen
        status = str(screen.query_one("#accounts-status", Static).render())
        assert "Health visitor: agreed (version 3, 24 January 2026)" in status
        assert "GP: draft: typed up, not yet agreed" in status
        assert "Duty social worker: draft: sent for checking, not yet agreed" in status
        timeline = screen.query_one("#timeline", DataTable)
        timeline.focus()
        timeline.move_cursor(row=0)
        await pilot.pause()
        shown = " ".join(str(widget.render()) for widget in screen.query("#side-by-side Static"))
        assert "Small bruise seen at the 8-month review" in shown and "When: early summer 2025" in shown
        assert "Account: agreed (version 3, 24 January 2026)" in shown
        assert "Knew: A small mark on the cheek; told M had rolled into the cot side." in shown
        assert "Why it made sense: Bruising guidance was for non-mobile babies." in shown


async def test_ctrl_r_lists_the_real_names_in_the_accounts(case_review, passphrase, case_builder):
    def edit(account):
        account.episodes[1].did = "Rebooked for three weeks later.\nCalled Dr Nandi about it."
        return account

    with case_builder.open_review(case_review, passphrase) as store:
        case_builder.agreed_again(store, "Health visitor", edit)
    app = make_app(mode="analyse", path=case_review, passphrase=passphrase)
    async with app.run_test(size=(140, 48)) as pilot:
        await pilot.press("ctrl+r")
        await pilot.pause()
        choices = app.screen.query_one("#choices", OptionList)
        assert choices.option_count == 1
        assert str(choices.get_option_at_index(0).prompt) == (
            "“Nandi” in the conversation with the health visitor (agreed (version 4, 3 February 2026)), "
            "Episode 2: Missed visit in July, What they did, line 2")
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "AnalysisScreen"
