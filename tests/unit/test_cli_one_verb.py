"""The command line builds only the verb it is given (cli.build_parser), parsing as the whole does."""

from __future__ import annotations

import pytest

from lt_interview import cli


def _names(parser) -> list[str]:
    return [name for action in parser._subparsers._group_actions for name in action.choices]  # noqa: SLF001


def test_each_verb_module_registers_the_verb_it_is_named_for():
    every = _names(cli.build_parser())
    assert every == [name.rsplit(".", 1)[1].replace("_", "-") for name in cli.VERB_MODULES]
    for verb in every:
        assert _names(cli.build_parser(verb)) == [verb]


@pytest.mark.parametrize("argv", [
    ["converse", "missing.ltc"], ["converse"], ["converse", "--role", "boss", "x"], ["accuracy_check"],
    ["nonsense"], ["review", "show"], ["--version", "x"], ["converse", "--help"], ["merge", "--help"],
])
def test_one_verb_parses_and_refuses_as_the_whole_parser(argv, capsys):
    def outcome(parser):
        try:
            return ("parsed", vars(parser.parse_args(argv)))
        except SystemExit as exited:
            return ("exit", exited.code, capsys.readouterr())

    whole = outcome(cli.build_parser())
    one = outcome(cli.build_parser(argv[0] if not argv[0].startswith("-") else None))
    assert one == whole


def test_converse_switches_the_collector_back_on_when_it_cannot_open_the_file(tmp_path, capsys):
    import gc

    target = tmp_path / "not-a-conversation.ltc"
    target.write_bytes(b"\0" * 4096)
    assert gc.isenabled()
    assert cli.main(["converse", str(target)]) != 0
    assert gc.isenabled()
    assert capsys.readouterr().err.count("\n") == 1
