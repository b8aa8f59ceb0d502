"""What every tab of the analysis workspace shares (tui/screens/analysis.py composes them).

A pane reads the screen's current workspace model through a getter, because a full reload
replaces the model, and writes through the screen's one change helper, so a refusal is one
line and a success reloads every pane that shows it. Each pane keeps its own state (the
marked episodes, the KPE being redrafted) and handles its own buttons and tables."""

from __future__ import annotations

from typing import Callable, Protocol

from rich.text import Text
from textual.widgets import Static

from lt_interview.analysis.workspace import WorkspaceModel
from lt_interview.domain.wording import gentle_notice


class Change(Protocol):
    def __call__(self, change: Callable[[], object], done: str, *, full: bool = False) -> None: ...


class AnalysisPane:
    """Mixed into a container (VerticalScroll, FormScroll): not a widget itself, so the pane
    lays out and is styled exactly as its container."""

    def __init__(self, model: Callable[[], WorkspaceModel], change: Change, **kwargs) -> None:
        super().__init__(**kwargs)
        self._model = model
        self.change = change

    @property
    def model(self) -> WorkspaceModel:
        return self._model()

    def reload(self) -> None:
        """Show the model as it is now (after a change or a reload)."""


def plain(text: str, **kwargs) -> Static:
    return Static(Text(text), markup=False, **kwargs)


def cell(text: str, style: str = "") -> Text:
    return Text(" ".join((text or "").split()), style=style)


def saved(done: str, found) -> str:
    """What a save says, with a gentle reminder (never a refusal) about wording that can read as blame."""
    reminder = gentle_notice(found)
    return f"{done} {reminder}" if reminder else done
