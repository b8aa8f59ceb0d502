"""Command line: `lt-interview VERB ...`. Every error is one line on stderr, never a traceback.

Each verb lives in a module under lt_interview/commands/ exposing `register(subparsers)`;
verbs that open screens import the TUI lazily so the others start fast without a terminal.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from lt_interview import __version__
from lt_interview.errors import EXIT_BAD_INPUT, EXIT_INTERNAL, LtError
from lt_interview.visible import VisibleStream

# Order is the order shown in --help.
VERB_MODULES = (
    "lt_interview.commands.review",
    "lt_interview.commands.pack",
    "lt_interview.commands.converse",
    "lt_interview.commands.typeup",
    "lt_interview.commands.accuracy_check",
    "lt_interview.commands.merge",
    "lt_interview.commands.conflicts",
    "lt_interview.commands.chronology",
    "lt_interview.commands.analyse",
    "lt_interview.commands.export",
    "lt_interview.commands.report",
    "lt_interview.commands.case_group",
    "lt_interview.commands.family",
    "lt_interview.commands.purge",
    "lt_interview.commands.check",
    "lt_interview.commands.demo",
)


class OneLineParser(argparse.ArgumentParser):
    """argparse prints usage plus an error; we print one line and exit 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        sys.stderr.write(f"lt-interview: {message} (see {self.prog} --help)\n")
        raise SystemExit(EXIT_BAD_INPUT)


def build_parser(verb: str | None = None) -> argparse.ArgumentParser:
    """The command line. With `verb` (the first argument, when it names a verb), only that verb's
    parser is built: it parses its arguments, and says what is wrong with them, exactly as in
    the whole parser, without importing and building the other twelve (about 5 ms of start-up).
    Anything else (no verb, an option, a word that is not a verb) gets the whole parser."""
    parser = OneLineParser(
        prog="lt-interview",
        description="Guided, encrypted note-taking for Learning Together case review conversations.",
        epilog="With no verb, opens the home screen. The passphrase is asked for, or read from "
        "LT_INTERVIEW_PASSPHRASE.",
    )
    parser.add_argument("--version", action="version", version=f"lt-interview {__version__}")
    subparsers = parser.add_subparsers(dest="verb", metavar="VERB", parser_class=OneLineParser)
    only = [name for name in VERB_MODULES if name.rsplit(".", 1)[1].replace("_", "-") == verb]
    for name in only or VERB_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue  # verb not built yet
            raise
        module.register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    os.umask(0o077)  # files 0600, folders 0700, whatever the user's umask (RELIABILITY.md §1.2)
    # Every message names files, and a file name can hold an escape sequence or bytes that are
    # not UTF-8: shown as escapes, never obeyed by the terminal (visible.py). The screens write
    # to the terminal through sys.__stderr__, untouched.
    streams = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = VisibleStream(sys.stdout), VisibleStream(sys.stderr)
    try:
        return _main(argv)
    finally:
        sys.stdout, sys.stderr = streams


def _main(argv: list[str] | None) -> int:
    try:
        words = sys.argv[1:] if argv is None else argv
        parser = build_parser(words[0] if words and not words[0].startswith("-") else None)
        args = parser.parse_args(words)
        handler = getattr(args, "handler", None)
        if handler is None:
            from lt_interview.commands.home import run_home

            return run_home(args)
        return int(handler(args) or 0)
    except LtError as exc:
        sys.stderr.write(f"lt-interview: {exc.message}\n")
        return exc.exit_code
    except KeyboardInterrupt:
        sys.stderr.write("lt-interview: interrupted\n")
        return 130
    except BrokenPipeError:
        return EXIT_INTERNAL
    except Exception as exc:  # noqa: BLE001 - last resort: report without locals or user text
        from lt_interview.errors import is_disk_full

        if is_disk_full(exc):  # a write no step turned into DiskFull: still the user's to put right
            sys.stderr.write("lt-interview: the disk is full; free some space and try again\n")
            return EXIT_BAD_INPUT
        from lt_interview.crash import write_crash_report

        error_id = write_crash_report(exc)
        sys.stderr.write(
            f"lt-interview: something went wrong inside lt-interview (error id {error_id}); "
            "your saved work is safe\n"
        )
        return EXIT_INTERNAL
