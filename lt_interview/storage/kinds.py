"""The two kinds of lt-interview file (meta.file_kind); a module of its own so the command line
can name them without importing the store (start-up, issue 7)."""

REVIEW = "review"
CONVERSATION = "conversation"
FILE_KINDS = (REVIEW, CONVERSATION)
