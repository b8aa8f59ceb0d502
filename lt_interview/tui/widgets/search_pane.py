"""Search: words or "a phrase" in every conversation's account, each hit with who and where."""

from __future__ import annotations

from typing import Callable

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Input

from lt_interview.tui.widgets.analysis_pane import AnalysisPane, cell


class SearchPane(AnalysisPane, Vertical):
    def __init__(self, model, change, say: Callable[[str], None], **kwargs) -> None:
        super().__init__(model, change, **kwargs)
        self.say = say  # the screen's status line

    def compose(self) -> ComposeResult:
        yield Input(id="search-input", placeholder="Words to find in every conversation; \"a phrase\"")
        yield DataTable(id="search-results", cursor_type="row")

    def focus_input(self) -> None:
        self.query_one("#search-input", Input).focus()

    @on(Input.Submitted, "#search-input")
    def _search(self, event: Input.Submitted) -> None:
        table = self.query_one("#search-results", DataTable)
        table.clear(columns=True)
        table.add_columns(Text("Who"), Text("Where"), Text("Text"))
        for index, hit in enumerate(self.model.search(event.value)):
            snippet = Text(hit.snippet)
            snippet.stylize("reverse", hit.match_start, hit.match_end)
            table.add_row(cell(hit.who + (" (draft)" if hit.draft else "")), cell(hit.kind_label), snippet,
                          key=f"{index}:{hit.record_id}")
        self.say(f"Search: {table.row_count} found")
