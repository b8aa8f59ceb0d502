"""Comments and docstrings cite documents that are in the repository: every `docs/...` or `*.md`
path resolves, and every section (§7.1), list item (§13.10) or acceptance target (D4) cited in
DOMAIN.md, RELIABILITY.md or ARCHITECTURE.md is there."""

import ast
import io
import re
import tokenize
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
CITED_PATH = re.compile(r"(?<![\w/.-])(docs/[\w./-]*\w|[\w./-]*\w\.md)\b")
# "RELIABILITY.md §1.2, D4" or "DOMAIN.md §2, §3.2, §5.1": the places cited right after the name.
CITED_PLACES = re.compile(r"\b(DOMAIN|RELIABILITY|ARCHITECTURE)\.md((?:,?\s*(?:§\s?\d+(?:\.\d+)*|[A-Z]\d+\b))+)")


def _sources() -> list[Path]:
    return sorted(path for folder in ("lt_interview", "tests", "scripts") for path in (ROOT / folder).rglob("*.py"))


@cache
def _commentary(path: Path) -> str:
    """The file's comments and docstrings, whitespace collapsed so that a citation may run
    across lines."""
    source = path.read_text(encoding="utf-8")
    if not re.search(r"\.md\b|docs/", source):
        return ""  # nothing cited (tokenising every file is slow)
    parts = [token.string.lstrip("#") for token in tokenize.generate_tokens(io.StringIO(source).readline)
             if token.type == tokenize.COMMENT]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            parts.append(ast.get_docstring(node) or "")
    return " ".join(" ".join(parts).split())


def _resolves(cited: str, path: Path) -> bool:
    cited = cited.rstrip(".")
    return any((base / cited).exists() for base in (ROOT, DOCS, ROOT / "prompts", path.parent))


def _places(document: str) -> set[str]:
    """Section numbers ("7", "7.1"), numbered list items within a section ("13.10") and
    acceptance targets ("D4") of one of the documents in docs/."""
    found: set[str] = set()
    section = ""
    for line in (DOCS / f"{document}.md").read_text(encoding="utf-8").splitlines():
        if heading := re.match(r"#+ (\d+(?:\.\d+)*)\.? ", line):
            section = heading.group(1)
            found.add(section)
        elif item := re.match(r"(\d+)\. ", line):
            found.add(f"{section}.{item.group(1)}")
        found.update(re.findall(r"\*\*([A-Z]\d+)\.\*\*", line))
    return found


def test_every_cited_document_is_in_the_repository():
    missing = [f"{path.relative_to(ROOT)}: {cited}" for path in _sources()
               for cited in CITED_PATH.findall(_commentary(path)) if not _resolves(cited, path)]
    assert not missing, "\n".join(missing)


def test_every_cited_section_is_in_its_document():
    places = {name: _places(name) for name in ("DOMAIN", "RELIABILITY", "ARCHITECTURE")}
    missing = []
    for path in _sources():
        for document, cited in CITED_PLACES.findall(_commentary(path)):
            for place in re.findall(r"§\s?(\d+(?:\.\d+)*)|\b([A-Z]\d+)\b", cited):
                number = place[0] or place[1]
                if number not in places[document]:
                    missing.append(f"{path.relative_to(ROOT)}: {document}.md {number}")
    assert not missing, "\n".join(missing)


def test_the_documents_index_lists_what_docs_holds():
    index = (DOCS / "README.md").read_text(encoding="utf-8")
    held = [path.relative_to(DOCS).as_posix() for path in DOCS.rglob("*") if path.is_file() and path.name != "README.md"]
    assert held and all(f"({name})" in index for name in held), held
