"""Who is writing, asked once: Esc there says what happened and changes nothing; choosing the
person already recorded in the other role is questioned before it is written."""

from __future__ import annotations

import hashlib
import subprocess
import sys

from lt_interview.domain.models import Conversation
from lt_interview.tui.screens.conversation import ConversationScreen
from lt_interview.tui.screens.dialogs import ChoiceScreen

from tui_helpers import SECRET, conversation_app, open_file, rendered


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def conversation(path) -> Conversation:
    with open_file(path) as store:
        return store.get(store.meta("conversation_id")).record


async def test_escape_on_who_is_taking_notes_says_so(conversation_file, clock):
    before = digest(conversation_file)
    app = conversation_app(conversation_file, clock)
    said = []
    exit_app = app.exit
    app.exit = lambda *args, message=None, **kwargs: (said.append(str(message)), exit_app(*args, **kwargs))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press("escape")
        await pilot.pause()
    assert app.return_code == 0
    assert said == [
        "Closed before choosing who is taking notes; nothing was changed."]
    assert digest(conversation_file) == before
    assert conversation(conversation_file).notetaker_id is None


def test_escape_prints_one_line_from_the_command(conversation_file, tmp_path):
    """The real command in a pseudo-terminal: the line reaches the terminal once the app closes."""
    script = (
        "import os, pty, sys, time\n"
        "pid, fd = pty.fork()\n"
        "if pid == 0:\n"
        f"    os.execvp(sys.executable, [sys.executable, '-m', 'lt_interview', 'converse', {str(conversation_file)!r}])\n"
        "out = b''\n"
        "sent = False\n"
        "while True:\n"
        "    try:\n"
        "        chunk = os.read(fd, 65536)\n"
        "    except OSError:\n"
        "        break\n"
        "    if not chunk:\n"
        "        break\n"
        "    out += chunk\n"
        "    if not sent and b'Who is taking notes' in out:\n"
        "        os.write(fd, b'\\x1b'); sent = True\n"
        "_, status = os.waitpid(pid, 0)\n"
        "sys.stdout.buffer.write(out)\n"
        "sys.exit(os.waitstatus_to_exitcode(status))\n"
    )
    import os
    env = dict(os.environ, LT_INTERVIEW_PASSPHRASE=SECRET, TERM="xterm-256color", COLUMNS="80", LINES="24")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, env=env, timeout=120)
    assert result.returncode == 0
    assert b"Closed before choosing who is taking notes; nothing was changed." in result.stdout


async def test_the_same_person_in_both_roles_is_questioned(conversation_file, clock):
    lead = conversation_app(conversation_file, clock, role="lead")
    async with lead.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("enter")  # the first reviewer takes the lead
        await pilot.pause()
        assert isinstance(lead.screen, ConversationScreen)
        lead_id = lead.screen.session.author_id
        await pilot.press("ctrl+q")

    app = conversation_app(conversation_file, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen)
        assert "already taking the lead in this file" in rendered(app)  # said in the list
        await pilot.press("enter")  # the lead again
        await pilot.pause()
        question = app.screen
        assert isinstance(question, ChoiceScreen) and "is already taking the lead" in rendered(app)
        await pilot.press("enter")  # No: choose again
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen) and "Who is taking notes?" in rendered(app)
        await pilot.press("down", "enter")  # the other reviewer
        await pilot.pause()
        assert isinstance(app.screen, ConversationScreen)
        notes_id = app.screen.session.author_id
        await pilot.press("ctrl+q")
    saved = conversation(conversation_file)
    assert (saved.lead_reviewer_id, saved.notetaker_id) == (lead_id, notes_id) and lead_id != notes_id


async def test_the_same_person_may_do_both_once_confirmed(conversation_file, clock):
    lead = conversation_app(conversation_file, clock, role="lead")
    async with lead.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        lead_id = lead.screen.session.author_id
        await pilot.press("ctrl+q")
    app = conversation_app(conversation_file, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("down", "enter")  # Yes: does both
        await pilot.pause()
        assert isinstance(app.screen, ConversationScreen)
        await pilot.press("ctrl+q")
    saved = conversation(conversation_file)
    assert saved.lead_reviewer_id == saved.notetaker_id == lead_id


def test_converse_reviewer_already_in_the_other_role_is_refused(conversation_file, capsys, monkeypatch):
    """On screen the same person for both roles is asked about; --reviewer used to record it
    without a word."""
    from lt_interview.cli import main
    from lt_interview.storage.lookups import structure_of
    from lt_interview.tui.app import LTInterviewApp
    from lt_interview.conversation.session import ConversationSession

    def no_screen(self, *args, **kwargs):
        raise AssertionError("the conversation screen started")

    monkeypatch.setattr(LTInterviewApp, "run", no_screen)
    with open_file(conversation_file) as store:
        session = ConversationSession(store, structure_of(store), role="lead")
        lead_id, lead = session.reviewers()[0]
        session.set_author(lead_id)
    assert main(["converse", str(conversation_file), "--role", "notes", "--reviewer", lead.name]) == 2
    assert capsys.readouterr().err == (
        f"lt-interview: {conversation_file}: {lead.name} is already recorded taking the lead in this file; "
        "to record one person in both roles, open it without --reviewer and confirm on screen\n")
    recorded = conversation(conversation_file)
    assert (recorded.lead_reviewer_id, recorded.notetaker_id) == (lead_id, None)
