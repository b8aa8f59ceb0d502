"""Every mode the app can open, in one static table: the screen it shows and the file kind it
opens. Each factory imports its screen only when the mode opens, so the app starts without
loading every screen, and no screen imports the app to make itself known (that made an
app <-> home import circle)."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

from lt_interview.storage.store import CONVERSATION, REVIEW

if TYPE_CHECKING:
    from textual.screen import Screen

    from lt_interview.tui.app import LTInterviewApp


@dataclass(frozen=True)
class ModeSpec:
    name: str
    factory: Callable[[LTInterviewApp], Screen]
    expect_kind: str | None = None  # the file kind the mode opens, if any
    screen: str = ""  # "module:Class" of the screen the factory builds


def _home_screen(app: LTInterviewApp) -> Screen:
    from lt_interview.tui.screens.home import HomeScreen

    return HomeScreen()


def _conversation_screen(app: LTInterviewApp) -> Screen:
    from lt_interview.storage.lookups import structure_of
    from lt_interview.tui.screens.conversation import ConversationScreen
    from lt_interview.conversation.session import ConversationSession

    assert app.store is not None
    session, app.first_session = app.first_session, None  # made by `converse` (make_app)
    if session is None or (session.store, session.role, session.clock) != (app.store, app.role, app.clock):
        session = ConversationSession(app.store, structure_of(app.store), role=app.role, clock=app.clock)
    return ConversationScreen(session, stamp_after_seconds=app.config.timestamp_after_seconds)


def _typeup_screen(app: LTInterviewApp) -> Screen:
    from lt_interview.tui.screens.typeup import TypeUpScreen

    assert app.store is not None
    return TypeUpScreen(app.store)


def _analysis_screen(app: LTInterviewApp) -> Screen:
    from lt_interview.analysis.workspace import open_workspace_model
    from lt_interview.tui.screens.analysis import AnalysisScreen

    assert app.store is not None
    return AnalysisScreen(open_workspace_model(app.store))


def _conflicts_screen(app: LTInterviewApp) -> Screen:
    from lt_interview.tui.screens.conflicts import ConflictsScreen

    return ConflictsScreen()


MODES: dict[str, ModeSpec] = {spec.name: spec for spec in (
    ModeSpec("home", _home_screen, None, "lt_interview.tui.screens.home:HomeScreen"),
    ModeSpec("converse", _conversation_screen, CONVERSATION,
             "lt_interview.tui.screens.conversation:ConversationScreen"),
    ModeSpec("typeup", _typeup_screen, CONVERSATION, "lt_interview.tui.screens.typeup:TypeUpScreen"),
    ModeSpec("analyse", _analysis_screen, REVIEW, "lt_interview.tui.screens.analysis:AnalysisScreen"),
    ModeSpec("conflicts", _conflicts_screen, None, "lt_interview.tui.screens.conflicts:ConflictsScreen"),
)}

def mode_spec(name: str) -> ModeSpec:
    spec = MODES.get(name)
    if spec is None:
        from lt_interview.errors import BadInput

        raise BadInput(f"no screen for '{name}' in this version")
    return spec


def screen_class(spec: ModeSpec) -> type:
    """The screen class a mode shows (imported here, as opening the mode would)."""
    module, _, name = spec.screen.partition(":")
    return getattr(importlib.import_module(module), name)
