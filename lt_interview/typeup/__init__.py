"""Typing up a conversation and the practitioner's accuracy check (the records:
domain/account.py). Never imports Textual."""
