"""lt-interview: Learning Together case review conversations, typed up, merged and analysed."""

__version__ = "0.1.0"
