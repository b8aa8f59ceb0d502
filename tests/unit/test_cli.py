import os
import subprocess
import sys

import pytest

from lt_interview import __version__
from lt_interview.cli import build_parser, main


def verbs() -> list[list[str]]:
    parser = build_parser()
    found = []
    for action in parser._subparsers._group_actions:  # noqa: SLF001 - argparse has no public walk
        for name, sub in action.choices.items():
            found.append([name])
            for inner in getattr(sub, "_subparsers", None)._group_actions if sub._subparsers else []:
                found += [[name, child] for child in inner.choices]
    return found


@pytest.mark.parametrize("verb", verbs(), ids=lambda v: " ".join(v))
def test_every_verb_has_help(verb, capsys):
    with pytest.raises(SystemExit) as exited:
        main([*verb, "--help"])
    assert exited.value.code == 0
    assert "usage:" in capsys.readouterr().out


def test_version(capsys):
    with pytest.raises(SystemExit):
        main(["--version"])
    assert capsys.readouterr().out.strip() == f"lt-interview {__version__}"


def test_bad_arguments_give_one_line(capsys):
    assert_exit = pytest.raises(SystemExit)
    with assert_exit as exited:
        main(["review", "show"])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "required" in err


def test_review_new_show_and_pack_from_the_command_line(tmp_path):
    framework = tmp_path / "framework.toml"
    framework.write_text(
        '[review]\nreview_type = "SAR"\ncommissioner_term = "Board"\n'
        '[framework]\nagencies = ["Adult social care"]\nchildren = []\n'
        'household = [{pseudonym = "Mr D", relationship = "the adult"}]\n'
        '[[practitioner]]\nname = "Lee Park"\nrole = "Care coordinator"\nagency = "Adult social care"\n',
        encoding="utf-8")
    env = {**os.environ}
    run = lambda *a: subprocess.run([sys.executable, "-m", "lt_interview", *a], capture_output=True,  # noqa: E731
                                    text=True, env=env, timeout=60)
    review = tmp_path / "r.ltr"
    made = run("review", "new", str(review), "--name", "Adult D review", "--framework", str(framework))
    assert made.returncode == 0, made.stderr
    shown = run("review", "show", str(review))
    assert shown.returncode == 0 and "Adult D review" in shown.stdout and "Questions for the Board" in shown.stdout
    assert "Lee Park: Care coordinator" in shown.stdout
    packed = run("pack", str(review), "--practitioner", "Lee Park", "-o", str(tmp_path / "lee.ltc"))
    assert packed.returncode == 0, packed.stderr
    assert "file names are not encrypted" in packed.stdout and "care-coordinator.ltc" in packed.stdout
    by_role = run("pack", str(review), "--practitioner", "Lee Park", "-o", str(tmp_path / "care-coordinator.ltc"))
    assert by_role.returncode == 0 and by_role.stdout.count("\n") == 1
    again = run("review", "new", str(review), "--name", "x")
    assert again.returncode == 2 and "already exists" in again.stderr


def test_bad_framework_file_names_file_and_field(tmp_path):
    framework = tmp_path / "bad.toml"
    framework.write_text('[[practitioner]]\nname = "X"\n', encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "lt_interview", "review", "new", str(tmp_path / "r.ltr"),
                             "--name", "R", "--framework", str(framework)], capture_output=True, text=True)
    assert result.returncode == 2
    assert "bad.toml: field 'practitioner.0.role'" in result.stderr and result.stderr.count("\n") == 1
    assert not (tmp_path / "r.ltr").exists()


def test_check_reports_a_sound_file(review_path):
    result = subprocess.run([sys.executable, "-m", "lt_interview", "check", str(review_path)],
                            capture_output=True, text=True)
    assert result.returncode == 0 and "sound" in result.stdout and "review file" in result.stdout


def test_review_structure_export_edit_adopt(review_path, tmp_path):
    run = lambda *a: subprocess.run([sys.executable, "-m", "lt_interview", *a], capture_output=True,  # noqa: E731
                                    text=True, timeout=60)
    out = tmp_path / "structure"
    result = run("review", "structure", str(review_path), "--export", str(out))
    assert result.returncode == 0, result.stderr
    factors = out / "factors.toml"
    factors.write_text(factors.read_text(encoding="utf-8").replace("Aspects of the family", "The family"),
                       encoding="utf-8")
    (out / "VERSION").write_text("1-local\n", encoding="utf-8")
    assert run("review", "structure", str(review_path), "--adopt", str(out)).returncode == 0
    from lt_interview.operations.review import structure_of
    from lt_interview.storage.store import Store

    with Store.open(review_path, os.environ["LT_INTERVIEW_PASSPHRASE"]) as store:
        structure = structure_of(store)
    assert structure.version == "1-local" and structure.headings[0].title == "The family"
    broken = run("review", "structure", str(review_path), "--adopt", str(tmp_path / "missing"))
    assert broken.returncode == 2 and broken.stderr.count("\n") == 1


@pytest.mark.parametrize("verb, suffix", [("converse", ".ltc"), ("typeup", ".ltc"), ("analyse", ".ltr"),
                                          ("conflicts", ".ltr")])
def test_a_bad_config_file_is_reported_before_the_passphrase_is_asked_for(verb, suffix, tmp_path, isolated_home):
    (isolated_home / "config").mkdir(mode=0o700, exist_ok=True)
    (isolated_home / "config" / "config.toml").write_text('default_role = "chair"\n', encoding="utf-8")
    target = tmp_path / f"file{suffix}"
    target.write_bytes(b"\0" * 4096)
    env = {k: v for k, v in os.environ.items() if k != "LT_INTERVIEW_PASSPHRASE"}
    result = subprocess.run([sys.executable, "-m", "lt_interview", verb, str(target)], capture_output=True,
                            text=True, env=env, stdin=subprocess.DEVNULL, timeout=60)
    assert result.returncode == 2
    assert "config.toml" in result.stderr and "default_role" in result.stderr
    assert result.stderr.count("\n") == 1 and "passphrase" not in result.stderr.lower()


def test_no_passphrase_and_no_terminal_is_one_line(review_path):
    env = {k: v for k, v in os.environ.items() if k != "LT_INTERVIEW_PASSPHRASE"}
    result = subprocess.run([sys.executable, "-m", "lt_interview", "check", str(review_path)], capture_output=True,
                            text=True, env=env, stdin=subprocess.DEVNULL, timeout=60, start_new_session=True)
    assert result.returncode == 2
    assert result.stderr == ("lt-interview: no passphrase given: run lt-interview in a terminal, "
                             "or set LT_INTERVIEW_PASSPHRASE\n")


@pytest.mark.parametrize("stop", [EOFError, KeyboardInterrupt])
def test_leaving_the_passphrase_prompt_is_said_on_a_line_of_its_own(stop, monkeypatch, capsys):
    """Ctrl+D or Ctrl+C at the prompt used to print 'no passphrase given' after the prompt text."""
    from lt_interview.errors import BadInput
    from lt_interview import unlock

    def interrupted(prompt: str) -> str:
        raise stop

    monkeypatch.delenv("LT_INTERVIEW_PASSPHRASE", raising=False)
    monkeypatch.setattr(unlock, "_has_terminal", lambda: True)
    monkeypatch.setattr(unlock.getpass, "getpass", interrupted)
    with pytest.raises(BadInput, match="^stopped at the passphrase prompt; nothing was opened$"):
        unlock.passphrase_from_env_or_prompt()
    assert capsys.readouterr().err == "\n"
