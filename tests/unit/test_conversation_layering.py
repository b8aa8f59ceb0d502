"""The conversation's headless package (lt_interview/conversation) stays below the screens: it
imports no Textual, the screens import it, and the session lives there only."""

import importlib.util
import subprocess
import sys


def test_the_conversation_package_imports_no_textual():
    code = ("import sys; sys.modules['textual'] = None\n"
            "import lt_interview.conversation, lt_interview.conversation.session, "
            "lt_interview.conversation.autosave\n"
            "loaded = [name for name, module in sys.modules.items() if module is not None\n"
            "          and (name.split('.')[0] == 'textual' or name.startswith('lt_interview.tui'))]\n"
            "assert not loaded, loaded")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]


def test_the_session_has_one_home():
    assert importlib.util.find_spec("lt_interview.conversation.session") is not None
    assert importlib.util.find_spec("lt_interview.tui.session") is None


def test_both_editing_screens_take_their_autosave_from_the_autosaver():
    from lt_interview.conversation.autosave import Autosaver
    from lt_interview.tui.screens import conversation, typeup

    for module in (conversation, typeup):
        assert module.Autosaver is Autosaver
        assert not {"TICK_S", "THROTTLE_S", "PAUSE_S", "LATEST_S", "RETRY_S"} & set(vars(module))
