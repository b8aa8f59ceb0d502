"""Typing up a conversation and the practitioner's accuracy check. Never imports Textual.

Importing this package registers the "account" and "account_version" record kinds.
"""

from lt_interview.typeup import model as _model  # noqa: F401  (registers the record kinds)
