"""`lt-interview` with no verb: the home screen (recent reviews and conversation files)."""

from __future__ import annotations

import argparse


def run_home(args: argparse.Namespace) -> int:
    from lt_interview.tui.app import run_home_screen

    return run_home_screen()
