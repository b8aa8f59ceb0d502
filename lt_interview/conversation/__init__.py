"""The conversation without a screen: the session (what the conversation screen reads and
writes) and the autosave state machine shared by the conversation and type-up screens.
Never imports Textual (tests/unit/test_conversation_layering.py)."""
