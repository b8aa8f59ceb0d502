"""U3: a crash with a secret in scope leaks it nowhere: not stdout, stderr, nor any log."""

import stat

import pytest

import lt_interview.commands.check as check_command
from lt_interview.cli import main

pytestmark = pytest.mark.reliability
CANARY = "CRASH-CANARY-violet-otter"


def test_unexpected_exception_reports_an_id_and_no_user_text(monkeypatch, capfd, isolated_home, tmp_path):
    def exploding_handler(args):
        note_text = f"the practitioner said {CANARY}"  # a local variable holding user text
        raise ValueError(f"could not handle {note_text}")

    monkeypatch.setattr(check_command, "run", exploding_handler)
    target = tmp_path / "x.ltc"
    target.write_bytes(b"\0" * 2048)
    code = main(["check", str(target)])
    out, err = capfd.readouterr()
    assert code == 1
    assert err.count("\n") == 1 and "error id" in err
    assert CANARY not in out + err and "Traceback" not in err
    reports = list((isolated_home / "logs").glob("crash-*.txt"))
    assert len(reports) == 1
    text = reports[0].read_text()
    assert CANARY not in text and "ValueError" in text and "exploding_handler" in text
    assert stat.S_IMODE(reports[0].stat().st_mode) == 0o600
    for file in isolated_home.rglob("*"):
        if file.is_file():
            assert CANARY.encode() not in file.read_bytes()


async def test_a_crash_on_the_home_screen_does_not_speak_of_saved_notes(isolated_home):
    """With no file open there are no notes to have saved: the line says so."""
    from lt_interview.tui.app import make_app

    def boom() -> None:
        raise ValueError("synthetic fault")

    app = make_app(mode="home")
    shown: list = []
    real_panic = app.panic
    app.panic = lambda *renderables: (shown.extend(renderables), real_panic(*renderables))
    with pytest.raises(ValueError):  # run_test raises the app's exception again once it has closed
        async with app.run_test() as pilot:
            await pilot.pause()
            app.call_later(boom)
            await pilot.pause()
    said = " ".join(str(renderable) for renderable in shown)
    assert f"error id {app.crash_id}" in said
    assert "No file was open" in said and "notes" not in said
