"""The one registry of everything a user can do (ARCHITECTURE.md §4).

Screens build their BINDINGS from it, the command palette lists it, F1 help is generated from
it, and user keymaps (config `[keymap]`, action id = keys) remap it through App.set_keymap().
Every screen's actions are listed here, not added when the screen's module is imported, so a
keymap is checked (tui/keymap.py) and applied at start for screens opened later.
A behaviour that is not here cannot be bound, found or shown in help.

Keys avoid everything the pinned TextArea binds (tests/tui/test_actions.py checks), the legacy
terminal aliases ctrl+m/i/h/j, and multiplexer prefixes ctrl+a/b.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider


@dataclass(frozen=True)
class ActionSpec:
    id: str  # stable, used in user keymaps: "capture.quote"
    action: str  # the Textual action run on the screen (or app): "capture('quote')"
    title: str  # "Quote from line or selection"
    help: str  # one sentence for F1 help and the palette
    default_keys: str  # "f4"; "" for an action found only in the palette (a keymap may give it a key)
    scope: str  # "app", "home", "conversation", "captures", "typeup", "analysis"
    show: bool = True  # shown in the footer
    priority: bool = False


ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec("app.quit", "quit", "Quit", "Save everything and close lt-interview.", "ctrl+q", "app",
               priority=True),
    ActionSpec("app.help", "help", "Help", "Show the keys and actions for the area you are in.", "f1", "app"),
    ActionSpec("app.save", "save", "Save", "Save and seal your notes now (they are also saved as you type).",
               "ctrl+s", "app", show=False),
    ActionSpec("app.theme", "change_theme", "Change theme",
               "Choose the colours for this session (to keep them, set theme in config.toml).", "", "app",
               show=False),
    # Conversation screen
    ActionSpec("capture.episode", "capture('episode')", "New episode",
               "Name a new episode from the current line or selection.", "f2", "conversation"),
    ActionSpec("capture.episode_when", "episode_when", "Episode date",
               "Give the episode in focus its date or period as the practitioner said it (early March "
               "2024, spring 2023, 03/2024); the timeline places it by that date.", "shift+f2", "conversation",
               show=False),
    ActionSpec("capture.factor", "capture('factor')", "Factor",
               "Tag the current line or selection as a contributory factor (choose a heading).",
               "f3", "conversation"),
    ActionSpec("capture.quote", "capture('quote')", "Quote",
               "Keep the current line or selection as a quote in the practitioner's words.", "f4", "conversation"),
    ActionSpec("conversation.next_stage", "move(1)", "Next stage",
               "Move to the next stage (from 3a, to the stages of the episode in focus).", "f5", "conversation"),
    ActionSpec("conversation.previous_stage", "move(-1)", "Previous stage",
               "Move back to the previous stage.", "shift+f5", "conversation", show=False),
    ActionSpec("conversation.toggle_prompts", "toggle_prompts", "Prompts",
               "Show or hide the prompts for this stage.", "f8", "conversation"),
    ActionSpec("capture.question", "capture('query')", "Return to",
               "Keep the current line or selection as a question to return to.", "f9", "conversation"),
    ActionSpec("notes.from_reviewers", "mark_from_reviewers", "From reviewers",
               "Mark the current line (or the selected lines) as information the reviewers brought, not "
               "the practitioner's own account; press again to unmark.", "shift+f9", "conversation",
               show=False),
    ActionSpec("capture.divergence", "capture('divergence')", "Divergence",
               "Note where this account differs from another account you have heard (whose, by role "
               "or agency) for the story of the case.", "f10", "conversation"),
    ActionSpec("capture.went_well", "capture('went_well')", "Went well",
               "Note the current line or selection as something that went well.", "ctrl+g", "conversation"),
    ActionSpec("capture.change", "capture('change')", "Change",
               "Note the current line or selection as a suggested change.", "ctrl+t", "conversation"),
    ActionSpec("conversation.pause", "pause", "Pause",
               "Pause or resume the conversation clock for a break.", "ctrl+o", "conversation"),
    ActionSpec("conversation.checklist", "checklist", "Checklist",
               "End-of-conversation checklist: stages not covered, questions to return to, "
               "episodes without factors.", "ctrl+l", "conversation"),
    ActionSpec("conversation.captured", "focus_captured", "Captured",
               "Move to the list of captured items to edit or remove them.", "ctrl+r", "conversation",
               show=False),
    ActionSpec("conversation.notes", "focus_notes", "Notes", "Move back to the notes.", "ctrl+n",
               "conversation", show=False),
    ActionSpec("conversation.framework", "toggle_framework", "Case framework",
               "Show or hide the case framework (pseudonyms, agencies, period); on a short screen it opens in "
               "a window of its own.", "f12", "conversation",
               show=False),
    # The captured-items list (when it has focus)
    ActionSpec("captured.edit", "edit_item", "Edit item",
               "Change the highlighted item (a divergence: also whose account it differs from; a factor: also its heading and item).",
               "e", "captures"),
    ActionSpec("captured.remove", "remove_item", "Remove item",
               "Remove the highlighted item, after asking (it stays in the file's history).", "delete", "captures"),
    ActionSpec("captured.returned", "returned_item", "Returned to",
               "Mark the highlighted question as returned to.", "r", "captures"),
    # Home screen
    ActionSpec("home.open", "open_path", "Open", "Open the file named in the path box.", "ctrl+o", "home"),
    ActionSpec("home.demo", "demo", "Demo", "Build and open the fictional demo review.", "f2", "home"),
    ActionSpec("home.new_review", "new_review", "New review", "Create a new, encrypted review database.",
               "f3", "home"),
    # Type-up screen
    ActionSpec("typeup.add_item", "add_item", "Add",
               "Add an item to the focused section (episode, what went well, query, change...).", "f2", "typeup"),
    ActionSpec("typeup.link", "link_excerpt", "Link",
               "Link the text selected in the raw notes to the account part being edited.", "f3", "typeup"),
    ActionSpec("typeup.differences", "differences", "Differences",
               "Show the differences between the version sent for checking and the agreed one.", "f4", "typeup",
               show=False),
    ActionSpec("typeup.reminders", "reminders", "Reminders",
               "List every gentle reminder in the account (wording, real names, the reviewers' own "
               "information) and go to the one chosen.", "f5", "typeup", show=False),
    ActionSpec("typeup.find", "find", "Find", "Find text in the account and the raw notes.", "ctrl+f", "typeup",
               show=False),
    ActionSpec("typeup.replace", "replace", "Replace",
               "Find a word or name and replace it everywhere in the account (a real name with its "
               "pseudonym, say); an agreed account starts a new version, the agreed one stays as it was.",
               "ctrl+r", "typeup", show=False),
    # Sending the account for checking marks it typed up too (that date is then left unknown);
    # Ctrl+T is for recording the day it was typed up, when that matters.
    ActionSpec("typeup.typed_up", "lifecycle('typed_up')", "Typed up",
               "Record the date the account was typed up (ready to send).", "ctrl+t", "typeup", show=False),
    ActionSpec("typeup.send", "lifecycle('sent_for_checking')", "Send",
               "Record that this version was sent to the practitioner for checking, with the date.", "f8", "typeup"),
    ActionSpec("typeup.comments", "lifecycle('comments_received')", "Comments",
               "Record that the practitioner's comments came back, with the date.", "f9", "typeup"),
    ActionSpec("typeup.agree", "lifecycle('agreed')", "Agree",
               "Record the current version as agreed with the practitioner (it is then frozen).", "f10", "typeup"),
    # Type-up: what can be done with the episode being edited (tui/screens/typeup_episodes.py).
    ActionSpec("typeup.episode_menu", "episode_menu", "Episode",
               "List what can be done with the episode being edited: combine, split, move, delete.",
               "f12", "typeup", show=False),  # at 80x24 the footer keeps room for Quit and Help
    ActionSpec("typeup.episode_combine", "combine_episode", "Combine episodes",
               "Combine the episode being edited with another (the lead's and the notetaker's copies of one "
               "episode): field by field, both texts kept where they differ.", "shift+f3", "typeup", show=False),
    ActionSpec("typeup.episode_split", "split_episode", "Split episode",
               "Split the episode being edited in two: the text after the cursor goes to a new episode "
               "just after it.", "shift+f2", "typeup", show=False),
    ActionSpec("typeup.episode_up", "move_episode(-1)", "Move episode up",
               "Move the episode being edited up one place in the account.", "shift+f5", "typeup", show=False),
    ActionSpec("typeup.episode_down", "move_episode(1)", "Move episode down",
               "Move the episode being edited down one place in the account.", "shift+f6", "typeup", show=False),
    ActionSpec("typeup.episode_delete", "delete_episode", "Delete episode",
               "Delete the episode being edited from the account, after asking (earlier versions keep it).",
               "shift+f4", "typeup", show=False),
    # Analysis screen
    ActionSpec("analysis.toggle_lanes", "toggle_lanes", "Lanes by agency",
               "Show the story of the case with a lane per agency instead of per practitioner.", "f8", "analysis"),
    ActionSpec("analysis.search", "focus_search", "Search", "Search every conversation's account (the agreed "
               "version, or a draft marked as such): episodes, contributory factors, quotes and the rest; the raw "
               "notes are not searched.", "f9", "analysis"),
    ActionSpec("analysis.names", "real_names", "Real names",
               "List every real name found in the accounts (word, conversation, part and line), and how to "
               "replace it with the pseudonym in type-up.", "ctrl+r", "analysis", show=False),
    ActionSpec("analysis.refresh", "refresh", "Refresh", "Read the review again (after a merge, say).",
               "f5", "analysis", show=False),
    # Conflicts screen
    ActionSpec("conflicts.next_version", "choose(1)", "Next version",
               "Choose the next competing version.", "f5", "conflicts"),
    ActionSpec("conflicts.previous_version", "choose(-1)", "Previous version",
               "Choose the previous competing version.", "shift+f5", "conflicts", show=False),
    ActionSpec("conflicts.keep", "keep", "Keep chosen",
               "Settle the conflict with the chosen version; the others stay in the history.", "f2", "conflicts"),
    ActionSpec("conflicts.combine", "combine", "Write combined",
               "Write a combined text from every version (the chosen one first, each headed by who "
               "wrote it and on which laptop), and settle with it.", "f3", "conflicts"),
    ActionSpec("conflicts.remove", "remove", "Settle as removed",
               "Where one version is a removal: settle the record as removed.", "f4", "conflicts"),
)

BY_ID = {spec.id: spec for spec in ACTIONS}
assert len(BY_ID) == len(ACTIONS), "action ids must be unique"


def actions_for(*scopes: str) -> list[ActionSpec]:
    return [spec for spec in ACTIONS if spec.scope in scopes]


def bindings_for(scope: str) -> list[Binding]:
    return [
        Binding(spec.default_keys, spec.action, spec.title, show=spec.show, id=spec.id,
                tooltip=spec.help, priority=spec.priority)
        for spec in actions_for(scope) if spec.default_keys
    ]


class ActionProvider(Provider):
    """Command palette: the registry's actions valid on the current screen."""

    def _specs(self) -> list[ActionSpec]:
        scopes = ("app",) + tuple(getattr(self.screen, "ACTION_SCOPES", ()))
        return [spec for spec in actions_for(*scopes)]

    def _run(self, spec: ActionSpec) -> None:
        target = self.app if spec.scope == "app" else self.screen
        self.app.call_later(self.app.run_action, spec.action, target)

    async def discover(self) -> Hits:
        for spec in self._specs():
            yield DiscoveryHit(spec.title, partial(self._run, spec), help=spec.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for spec in self._specs():
            score = matcher.match(f"{spec.title} {spec.help}")
            if score > 0:
                yield Hit(score, matcher.highlight(spec.title), partial(self._run, spec), help=spec.help)
