"""The README gives exactly two commands to copy: install and open the demo, and install the test
dependencies and run the suite, the latter as CI runs it (.ci/run). Every relative link in the
README and in docs/ leads to a file in the repository."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FENCED = re.compile(r"^```[^\n]*\n(.*?)^```", re.MULTILINE | re.DOTALL)
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


def _ci_lines() -> tuple[str, str]:
    """.ci/run's install line and its pytest line, without what only a script needs."""
    lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    install = next(line for line in lines if "pip install" in line)
    test = next(line for line in lines if "-m pytest" in line)
    return install.removesuffix("|| exit 1").strip(), test.removesuffix('"$@"').strip()


def test_the_readme_has_exactly_two_commands_and_they_are_the_ones_ci_and_the_demo_use():
    blocks = [block.strip() for block in FENCED.findall((ROOT / "README.md").read_text(encoding="utf-8"))]
    install, test = _ci_lines()
    assert install == 'python3 -m venv .venv && .venv/bin/pip install -q ".[test]"'
    venv = install.split(" && ")[0]
    assert blocks == [
        f"{venv} && .venv/bin/pip install -q . && .venv/bin/lt-interview demo",
        f"{install} && {test}",
    ]


def test_the_demo_command_names_the_installed_script_and_a_verb_it_has():
    from lt_interview.cli import build_parser

    assert 'lt-interview = "lt_interview.cli:main"' in (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert build_parser("demo").parse_args(["demo"]).verb == "demo"


def test_every_relative_link_in_the_readme_and_docs_resolves():
    documents = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
    broken = []
    for document in documents:
        for target in LINK.findall(document.read_text(encoding="utf-8")):
            if re.match(r"[a-z]+:", target) or target.startswith("#"):
                continue  # a web address or a place in the same page
            if not (document.parent / target.split("#")[0]).exists():
                broken.append(f"{document.relative_to(ROOT)}: {target}")
    assert not broken, "\n".join(broken)
    assert len(documents) > 3
