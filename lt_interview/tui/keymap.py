"""Checking a user's keymap (config.toml `[keymap]`) before any screen opens.

A key an editor uses (Ctrl+K deletes to the end of the line in the notes, Ctrl+Z undoes) cannot
be given to an action: the action would take it from the editor, or never fire while typing. A
keymap that asks for one is refused with one line that names the action, the key and what the
editor uses it for; so is an action id that names no action, and a key two actions would share.
Every action is in the registry from the start (actions.ACTIONS), so an entry for a screen not
yet opened (the analysis screen, opened later from home) is checked here too.
"""

from __future__ import annotations

from lt_interview.errors import BadInput
from lt_interview.tui.actions import ACTIONS, BY_ID

# Terminals send these for Enter, Tab, Backspace and newline: an action on them takes those keys.
_TERMINAL_ALIASES = {"ctrl+m": "Enter (new line)", "ctrl+j": "Enter (new line)", "ctrl+i": "Tab (next area)",
                     "ctrl+h": "Backspace (delete character left)"}
_TYPING = {"enter": "a new line", "tab": "moving to the next area", "shift+tab": "moving to the previous area",
           "space": "typing a space", **{alias: what for alias, what in _TERMINAL_ALIASES.items()}}

# The editing widgets each scope's actions meet, and how the message names each.
_EDITORS = {
    "app": (("text_area", "the notes editor, which uses"), ("input", "text boxes, which use")),
    "conversation": (("text_area", "the notes editor, which uses"),),
    "typeup": (("text_area", "the account editor, which uses"), ("input", "the find box, which uses")),
    "analysis": (("text_area", "the analysis forms' text areas, which use"),
                 ("input", "the analysis forms' text boxes, which use")),
    "conflicts": (("text_area", "the combined-text editor, which uses"),),
    "home": (("input", "the path box, which uses"),),
    "captures": (("option_list", "the captured items list, which uses"),),
}


def _keys_of(bindings) -> dict[str, str]:
    uses: dict[str, str] = {}
    for binding in bindings:
        for key in binding.key.split(","):
            what = binding.description or binding.action
            uses.setdefault(key.strip(), what[:1].lower() + what[1:])
    return uses


def editor_keys(editor: str) -> dict[str, str]:
    """key -> what `editor` uses it for ("ctrl+k" -> "Delete to line end")."""
    if editor == "text_area":
        from textual.widgets import TextArea

        return {**_keys_of(TextArea.BINDINGS), **_TYPING}
    if editor == "input":
        from textual.widgets import Input

        return {**_keys_of(Input.BINDINGS), **_TYPING}
    from textual.widgets import OptionList

    return _keys_of(OptionList.BINDINGS)


def _typed_character(key: str) -> bool:
    """'q', 'shift+q', '1', 'minus': a key that types a character into any text box."""
    base = key.removeprefix("shift+")
    return len(base) == 1 or base in {"minus", "plus", "comma", "full_stop", "underscore"}


def _effective_keys(keymap: dict[str, str]) -> dict[str, list[str]]:
    return {spec.id: [key.strip() for key in keymap.get(spec.id, spec.default_keys).split(",") if key.strip()]
            for spec in ACTIONS}


def check_keymap(keymap: dict[str, str], source: str = "config.toml") -> None:
    """Refuse, in one line, a keymap that names no action, takes an editor's key or gives one
    key to two actions that are active at the same time."""
    for action_id in keymap:
        if action_id not in BY_ID:
            raise BadInput(f"{source}: [keymap] names '{action_id}', which is not an action "
                           "(F1 lists each action's id)")
    for action_id, keys in keymap.items():
        spec = BY_ID[action_id]
        for key in [key.strip() for key in keys.split(",") if key.strip()]:
            for editor, named in _EDITORS.get(spec.scope, ()):
                what = editor_keys(editor).get(key)
                if what is None and editor != "option_list" and _typed_character(key):
                    what = "typing"
                if what is not None:
                    raise BadInput(
                        f"{source}: [keymap] \"{action_id}\" = \"{keys}\" clashes with {named} {key} for "
                        f"{what}; choose another key (F1 lists the keys in use)")
    effective = _effective_keys(keymap)
    for action_id in keymap:
        spec = BY_ID[action_id]
        together = ("app", spec.scope) if spec.scope != "app" else tuple({s.scope for s in ACTIONS})
        for other in ACTIONS:
            if other.id == action_id or other.scope not in together:
                continue
            shared = set(effective[action_id]) & set(effective[other.id])
            if shared:
                raise BadInput(f"{source}: [keymap] gives {sorted(shared)[0]} to both '{action_id}' and "
                               f"'{other.id}' ({other.title}); choose another key for one of them")
