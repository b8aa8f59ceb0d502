"""Story of the case: every practitioner's episodes on one timeline, where the accounts differ,
and the chosen episodes side by side. Enter marks an episode; marked episodes, or a divergence's,
are linked as the same event or handed to the KPE form as evidence."""

from __future__ import annotations

import textwrap
from typing import Callable

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, DataTable, Static

from lt_interview.analysis import kpe as kpe_ops
from lt_interview.analysis.timeline import Divergence
from lt_interview.domain.episode_fields import RECALLED
from lt_interview.domain.text import clean_text
from lt_interview.tui.widgets.analysis_pane import AnalysisPane, cell, plain

# evidence items, the practitioners they concern, the period to offer (None: leave it)
UseAsEvidence = Callable[[list[dict], list[str], "str | None"], None]

def timeline_widths(width: int, lanes: int) -> tuple[int, int]:
    """The story of the case's column widths: every lane on screen where each can have 12
    cells (a column takes two more for padding; two are left for the scroll bar), which puts
    seven lanes on a 120-column screen; the When column 14 to 20 wide. Cells wrap onto more
    lines instead of being cut off; with more lanes than fit, the table scrolls sideways."""
    room = max(0, width - 2 - 2 * (lanes + 1))
    when = min(20, max(14, room // (lanes + 2)))
    return when, max(12, (room - when) // max(1, lanes))


def wrapped(text: str, width: int, style: str = "", lines: int = 3) -> Text:
    """A cell's text on at most `lines` lines of `width` (the last ending "…" if more is left):
    wrapped here, where the width is known, so that no word is cut at the column's edge."""
    parts = textwrap.wrap(" ".join((text or "").split()), width) or [""]
    if len(parts) > lines:
        parts = parts[:lines]
        parts[-1] = parts[-1][: max(0, width - 1)] + "…"
    return Text("\n".join(parts), style=style)


class StoryPane(AnalysisPane, VerticalScroll):
    def __init__(self, model, change, use_as_evidence: UseAsEvidence, **kwargs) -> None:
        super().__init__(model, change, **kwargs)
        self.use_as_evidence = use_as_evidence
        self.marked: list[str] = []
        self.divergence_index: int | None = None
        self._timeline_width = 0  # the screen width the timeline was laid out for

    def compose(self) -> ComposeResult:
        yield plain("Episodes by date as each practitioner gave it. Enter marks an episode for linking. "
                    "(draft) = account not yet agreed; ~ = placed by the practitioner's own order. "
                    "The highlighted episode's account shows below.", classes="note")
        yield Static(Text(""), id="accounts-status", markup=False, classes="note")
        yield DataTable(id="timeline", cursor_type="row", zebra_stripes=True)
        with Horizontal():
            yield Button("Link marked as the same event", id="link-marked")
            yield Button("Lanes by agency", id="toggle-lanes")
        yield plain("Where accounts differ", classes="label")
        yield DataTable(id="divergences", cursor_type="row")
        with Horizontal():
            yield Button("Link these as the same event", id="link-divergence")
            yield Button("Unlink this group", id="unlink-divergence")
            yield Button("Use as KPE evidence", id="divergence-evidence")
        yield Horizontal(id="side-by-side")

    def reload(self) -> None:
        self.render_timeline()
        self.render_divergences()

    def fit_width(self, width: int) -> None:
        if width != self._timeline_width:
            self.render_timeline()  # the lanes' widths follow the screen's

    # --- rendering -----------------------------------------------------------------------

    def render_timeline(self) -> None:
        timeline = self.model.timeline
        table = self.query_one("#timeline", DataTable)
        table.clear(columns=True)
        self._timeline_width = self.screen.size.width or self.app.size.width
        when_width, lane_width = timeline_widths(self._timeline_width, len(timeline.lanes))
        table.header_height = 2  # lane names on two lines when a lane is narrow
        table.add_column(wrapped("When", when_width, "", 2), key="when", width=when_width)
        for lane in timeline.lanes:
            table.add_column(wrapped(lane.label, lane_width, "bold", 2), key=lane.key, width=lane_width)
        kinds = {lane.key: lane.kind for lane in timeline.lanes}
        keys = [lane.key for lane in timeline.lanes]
        linked = {item_id for divergence in timeline.divergences if divergence.kind == "linked"
                  for item_id in divergence.item_ids}
        accounts = self.model.data.accounts
        self.query_one("#accounts-status", Static).update(Text("Accounts: " + "; ".join(
            f"{self.model.data.label_of_conversation(cid)}: {source.label}" for cid, source in accounts.items())))
        for item in timeline.items:
            cells: list[Text] = [Text("") for _ in keys]
            source = accounts.get(item.conversation_id or "")
            status = " (not typed up)" if source is not None and source.state in ("not_typed_up", "not_held") \
                else " (draft)" if item.draft else ""
            title = f"{item.who}: {item.title}" if kinds.get(item.lane) == "chronology" else item.title
            label = title + status + (" (linked)" if item.item_id in linked else "")
            marker = "* " if item.item_id in self.marked else ""
            style = "italic" if item.source == "chronology" else ""
            cells[keys.index(item.lane)] = wrapped(marker + label, lane_width, style)
            when = item.when_text or "no date given"
            if item.placed_by == "their order":
                when = "~ " + when
            row = [wrapped(when, when_width), *cells]
            table.add_row(*row, key=item.item_id, height=max(len(part.plain.split("\n")) for part in row))
        button = self.query_one("#toggle-lanes", Button)
        button.label = Text("Lanes by practitioner" if timeline.mode == "agency" else "Lanes by agency")

    def render_divergences(self) -> None:
        table = self.query_one("#divergences", DataTable)
        table.clear(columns=True)
        table.add_columns(Text("Kind"), Text("Where accounts differ"), Text("Episodes"))
        for index, divergence in enumerate(self.model.timeline.divergences):
            table.add_row(cell(divergence.kind), cell(divergence.title), Text(str(len(divergence.item_ids))),
                          key=str(index))

    def render_side_by_side(self, item_ids: tuple[str, ...] | list[str], noted: Divergence | None = None) -> None:
        panel = self.query_one("#side-by-side", Horizontal)
        panel.remove_children()
        widgets = []
        if noted is not None:
            text = Text()
            text.append(noted.who[0] + (" (draft account)" if noted.draft else "") + "\n", style="bold")
            text.append("Divergence noted in the conversation\n", style="underline")
            if noted.differs_from:
                text.append("Differs from: ", style="bold")
                text.append(noted.differs_from + "\n")
            text.append(noted.note + "\n")
            widgets.append(Static(text, markup=False))
        for item in self.model.timeline.side_by_side(item_ids):
            text = Text()
            text.append(item.who + (" (draft account)" if item.draft else "") + "\n", style="bold")
            text.append(item.title + "\n", style="underline")
            text.append(f"When: {item.when_text or 'no date given'}\n")
            if item.source == "episode":
                text.append(f"Account: {self.model.data.account_label(item.conversation_id)}\n", style="italic")
            episode = item.episode
            if episode is not None:
                for field in RECALLED:
                    value = getattr(episode, field.name)
                    if value:
                        text.append(f"{field.short}: ", style="bold")
                        text.append(value + "\n")
            widgets.append(Static(text, markup=False))
        if widgets:
            panel.mount(*widgets)

    # --- marking and linking -------------------------------------------------------------

    @on(DataTable.RowSelected, "#timeline")
    def _toggle_mark(self, event: DataTable.RowSelected) -> None:
        item_id = str(event.row_key.value)
        item = self.model.timeline.item(item_id)
        if item is None or item.source != "episode":
            return
        if item_id in self.marked:
            self.marked.remove(item_id)
        else:
            self.marked.append(item_id)
        self.render_timeline()
        self.render_side_by_side(self.marked)
        self.query_one("#timeline", DataTable).move_cursor(row=event.cursor_row)

    @on(DataTable.RowHighlighted, "#timeline")
    def _show_episode(self, event: DataTable.RowHighlighted) -> None:
        """The highlighted episode's account below the timeline (the marked ones while linking)."""
        if self.marked or event.row_key is None or event.row_key.value is None:
            return
        self.render_side_by_side([str(event.row_key.value)])

    @on(DataTable.RowHighlighted, "#divergences")
    def _show_divergence(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key is None or event.row_key.value is None:
            return
        self.divergence_index = int(event.row_key.value)
        divergence = self.model.timeline.divergences[self.divergence_index]
        self.render_side_by_side(divergence.item_ids, divergence if divergence.kind == "noted" else None)

    def selected_divergence(self) -> Divergence | None:
        divergences = self.model.timeline.divergences
        if self.divergence_index is None or self.divergence_index >= len(divergences):
            return None
        return divergences[self.divergence_index]

    @on(Button.Pressed, "#link-marked")
    def _link_marked(self) -> None:
        self._link(self.marked)

    @on(Button.Pressed, "#link-divergence")
    def _link_divergence(self) -> None:
        divergence = self.selected_divergence()
        if divergence is None:
            self.notify("Choose a divergence first.", markup=False)
            return
        self._link(list(divergence.item_ids))

    @on(Button.Pressed, "#unlink-divergence")
    def _unlink_divergence(self) -> None:
        divergence = self.selected_divergence()
        if divergence is None or divergence.link_id is None:
            self.notify("Choose a linked group (kind 'linked') under 'Where accounts differ' first.", markup=False)
            return
        link_id = divergence.link_id

        def unlink() -> None:
            kpe_ops.remove(self.model.store, link_id)
            self.divergence_index = None
            self.render_side_by_side([])

        self.change(unlink, "Unlinked; the link stays in the history.")

    def _link(self, ids: list[str]) -> None:
        def link() -> None:
            kpe_ops.link_episodes(self.model.store, ids)
            self.marked.clear()

        self.change(link, "Linked as the same event seen by several people.")

    @on(Button.Pressed, "#divergence-evidence")
    def _divergence_evidence(self) -> None:
        divergence = self.selected_divergence()
        ids = list(divergence.item_ids) if divergence else list(self.marked)
        if not ids and (divergence is None or divergence.kind != "noted"):
            self.notify("Choose a divergence or mark episodes first.", markup=False)
            return
        evidence: list[dict] = []
        if divergence is not None and divergence.kind == "noted":
            differs = f" (differs from {divergence.differs_from})" if divergence.differs_from else ""
            evidence.append({"kind": "excerpt", "ref_id": None, "excerpt": clean_text(
                f"{divergence.who[0]}, divergence noted{differs}: {divergence.note}")})
        items = self.model.timeline.side_by_side(ids)
        for item in items:
            episode = item.episode
            excerpt = ""
            if episode is not None:
                excerpt = episode.source_excerpt or episode.thought or episode.knew or episode.did or episode.title
            evidence.append({"kind": "episode", "ref_id": item.item_id,
                             "excerpt": clean_text(f"{item.who}: {excerpt}")})
        people = [item.practitioner_id for item in items if item.practitioner_id]
        self.use_as_evidence(evidence, people, divergence.period if divergence is not None else None)
        noted = "The noted divergence and " if divergence is not None and divergence.kind == "noted" else ""
        self.notify(f"{noted}{len(ids)} episode(s) added as evidence to the KPE form.", markup=False)

    def toggle_lanes(self) -> None:
        self.model.relayout("practitioner" if self.model.timeline.mode == "agency" else "agency")
        self.render_timeline()
        self.render_divergences()

    @on(Button.Pressed, "#toggle-lanes")
    def _toggle_lanes_button(self) -> None:
        self.toggle_lanes()
