"""The type-up screen's episode actions: combine two episodes (the lead's and the notetaker's
copies of one episode become one), split one, move one up or down, delete one (asking first).

Each acts on the episode of the part being edited and saves the account as a new revision
(typeup/episodes.py does the work; an agreed account asks first and starts a new version).
A mixin of TypeUpScreen, kept apart so the screen's own module stays about editing.
"""

from __future__ import annotations

from lt_interview.domain.account import Account, AccountEpisode
from lt_interview.errors import LtError
from lt_interview.tui.actions import BY_ID, ActionSpec
from lt_interview.typeup import episodes as ops
from lt_interview.domain.account_parts import episode_title
from lt_interview.typeup.versions import marked_parts

# Listed statically in tui/actions.py (a keymap is checked when the app starts); the menu's order.
EPISODE_ACTIONS = tuple(BY_ID[action_id] for action_id in (
    "typeup.episode_menu", "typeup.episode_combine", "typeup.episode_split", "typeup.episode_up",
    "typeup.episode_down", "typeup.episode_delete"))

NO_EPISODE = "Choose a part of an episode in the list first: the episode actions act on the episode being edited."


def _key(spec: ActionSpec) -> str:
    return "+".join(part.capitalize() for part in spec.default_keys.split("+"))


class EpisodeActions:
    """Mixed into TypeUpScreen (which provides account, current_key, flush, confirm_edit...)."""

    def _current_episode(self) -> tuple[int, AccountEpisode] | None:
        part = self._part(self.current_key)  # type: ignore[attr-defined]
        if part is None or not part.section.startswith("episode:"):
            return None
        part_id = part.section.split(":", 1)[1]
        for index, episode in enumerate(self.account.episodes):  # type: ignore[attr-defined]
            if episode.part_id == part_id:
                return index, episode
        return None

    def _episode_or_say(self) -> tuple[int, AccountEpisode] | None:
        found = self._current_episode()
        if found is None:
            self.app.notify(NO_EPISODE, severity="warning", markup=False)  # type: ignore[attr-defined]
        return found

    def _reshape(self, change, message: str) -> None:
        """Seal what was typed, apply `change(account) -> (account, key to show)`, save the result
        as a new revision, and show the part `key`."""
        self.flush(seal=True)  # type: ignore[attr-defined]
        try:
            account, key = change(self.account)  # type: ignore[attr-defined]
        except LtError as exc:
            self.app.notify(exc.message, severity="warning", markup=False)  # type: ignore[attr-defined]
            return
        self.account = account
        self.dirty = True
        self.flush(seal=True)  # type: ignore[attr-defined]
        self._fill_parts()  # type: ignore[attr-defined]
        self._load_part(key)  # type: ignore[attr-defined]
        options = self.query_one("#parts")  # type: ignore[attr-defined]
        if key in self.keys:  # type: ignore[attr-defined]
            options.highlighted = options.get_option_index(key)
        self._after_change()  # type: ignore[attr-defined]
        self._show_notices()  # type: ignore[attr-defined]
        self.app.notify(message, timeout=6, markup=False)  # type: ignore[attr-defined]

    # --- the menu -------------------------------------------------------------------------

    def action_episode_menu(self) -> None:
        from lt_interview.tui.screens.dialogs import ChoiceScreen

        found = self._episode_or_say()
        if found is None:
            return
        index, episode = found
        choices = [(spec.action, f"{spec.title} ({_key(spec)})") for spec in EPISODE_ACTIONS[1:]]
        self.app.push_screen(ChoiceScreen(  # type: ignore[attr-defined]
            f"{episode_title(episode, index + 1)}: what would you like to do?", choices,
            "Each change saves a new version of the account; earlier versions stay in the file's history. "
            "Esc closes."), self._menu_chosen)

    def _menu_chosen(self, action: str | None) -> None:
        if action:
            self.call_later(self.app.run_action, action, self)  # type: ignore[attr-defined]

    # --- combine --------------------------------------------------------------------------

    def action_combine_episode(self) -> None:
        from lt_interview.tui.screens.dialogs import ChoiceScreen

        found = self._episode_or_say()
        if found is None:
            return
        index, episode = found
        others = [(e.part_id, episode_title(e, number) + (f" ({e.when})" if e.when.strip() else ""))
                  for number, e in enumerate(self.account.episodes, start=1)  # type: ignore[attr-defined]
                  if e.part_id != episode.part_id]
        if not others:
            self.app.notify("This is the only episode: there is none to combine it with.",  # type: ignore[attr-defined]
                            markup=False)
            return
        self.app.push_screen(ChoiceScreen(  # type: ignore[attr-defined]
            f"Combine {episode_title(episode, index + 1)} with which episode?", others,
            "They become one episode, in the place of the first: where both hold different text, both "
            "are kept, marked ⟦ ⟧, for you to combine. Esc keeps them apart."),
            lambda other: self.confirm_edit(lambda: self._combine(episode.part_id, other)) if other else None)  # type: ignore[attr-defined]

    def _combine(self, part_id: str, other_id: str) -> None:
        numbers = {e.part_id: n for n, e in enumerate(self.account.episodes, start=1)}  # type: ignore[attr-defined]
        first, second = sorted((numbers.get(part_id, 0), numbers.get(other_id, 0)))
        held: list[str] = []

        def change(account: Account):
            combined, both = ops.combine(account, part_id, other_id)
            held.extend(both)
            kept = combined.episodes[first - 1].part_id
            waiting = [key for key in marked_parts(combined) if key.startswith(f"episode:{kept}:")]
            return combined, waiting[0] if waiting else f"episode:{kept}:title"

        message = f"Episodes {first} and {second} combined into episode {first}."
        self._reshape(change, message)
        if held:
            self.app.notify(  # type: ignore[attr-defined]
                f"{len(held)} part{'s' if len(held) != 1 else ''} of it hold{'s' if len(held) == 1 else ''} "
                "both texts, marked ⟦ ⟧: combine each into one and delete the marked lines (F5 lists them).",
                severity="warning", timeout=8, markup=False)

    # --- split, move, delete ----------------------------------------------------------------

    def action_split_episode(self) -> None:
        found = self._episode_or_say()
        if found is None:
            return
        index, episode = found
        field = self.current_key.rsplit(":", 1)[1]  # type: ignore[attr-defined]
        editor = self.query_one("#part-editor")  # type: ignore[attr-defined]
        offset = editor.document.get_index_from_location(editor.cursor_location)

        def change(account: Account):
            split, new_id = ops.split(account, episode.part_id, field, offset)
            return split, f"episode:{new_id}:title"

        self.confirm_edit(lambda: self._reshape(  # type: ignore[attr-defined]
            change, f"Episode {index + 1} split: the new episode {index + 2} follows it; give it its title."))

    def action_move_episode(self, delta: int) -> None:
        found = self._episode_or_say()
        if found is None:
            return
        index, episode = found
        target = index + delta
        if not 0 <= target < len(self.account.episodes):  # type: ignore[attr-defined]
            self.app.notify(f"Episode {index + 1} is already {'first' if delta < 0 else 'last'}.",  # type: ignore[attr-defined]
                            markup=False)
            return
        key = self.current_key  # type: ignore[attr-defined]
        self.confirm_edit(lambda: self._reshape(  # type: ignore[attr-defined]
            lambda account: (ops.move(account, episode.part_id, delta), key),
            f"Episode {index + 1} is now episode {target + 1}."))

    def action_delete_episode(self) -> None:
        from lt_interview.tui.screens.dialogs import ChoiceScreen

        found = self._episode_or_say()
        if found is None:
            return
        index, episode = found
        self.app.push_screen(ChoiceScreen(  # type: ignore[attr-defined]
            f"Delete {episode_title(episode, index + 1)}?", [("keep", "No: keep it"), ("delete", "Yes: delete it")],
            "The episode, its factors and quotes leave the account (a new version of it); earlier versions "
            "keep them in the file's history, and its raw notes stay. Esc keeps it."),
            lambda answer: self.confirm_edit(lambda: self._delete(index, episode)) if answer == "delete" else None)  # type: ignore[attr-defined]

    def _delete(self, index: int, episode: AccountEpisode) -> None:
        def change(account: Account):
            remaining = ops.delete(account, episode.part_id)
            if remaining.episodes:
                near = remaining.episodes[min(index, len(remaining.episodes) - 1)]
                return remaining, f"episode:{near.part_id}:title"
            return remaining, "overview"

        self._reshape(change, f"Episode {index + 1} deleted from the account (earlier versions keep it).")
