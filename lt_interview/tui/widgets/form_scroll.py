"""A form's scroll area."""

from __future__ import annotations

from textual.containers import VerticalScroll


class FormScroll(VerticalScroll, can_focus=False):
    """Not a Tab stop of its own, so Tab goes straight to the form's first field; whichever
    field has focus is scrolled into view."""
