"""Handouts for the two joint meetings with the case group, made from the analysis with the
analysis pack's own sections and renderers (export/analysis_pack.py):

- the first meeting shares the emerging analysis: the story of the case and the key practice
  episodes (Guide 24's first follow-on meeting);
- the second shares the underlying patterns: the typology (each category with its description)
  and the draft findings with the questions for the board.

Pseudonymised like the pack (practitioners by role; drafts marked), checked for real names in
the text and again in the rendered bytes before anything is written, and never overwriting.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from lt_interview.errors import BadInput
from lt_interview.export.analysis_pack import Bullets, Heading, Pack, Para, _findings, _kpes, _story, clean

HANDOUT_MEETINGS = {
    "first": ("case_group_1", "first meeting with the case group", "the story of the case and the key practice episodes"),
    "second": ("case_group_2", "second meeting with the case group", "the underlying patterns and the draft findings"),
}
HANDOUT_FORMATS = ("md", "docx", "html")


def build_handout(model, meeting: str, *, today: date | None = None) -> Pack:
    if meeting not in HANDOUT_MEETINGS:
        raise BadInput(f"unknown meeting '{meeting}' (choose first or second)")
    _, name, shows = HANDOUT_MEETINGS[meeting]
    review = model.data.review
    title = clean(f"Handout for the {name}: {review.name}")
    pack = Pack(title)
    pack.add(Heading(1, title, "the title"))
    pack.add(Para(clean(f"For discussion at the meeting, prepared {(today or date.today()).isoformat()}: {shows}, "
                        "as the review team sees them so far. Practitioners are named by role, and accounts not "
                        "yet agreed are marked as drafts. Please correct and challenge anything: the review team "
                        "tests its reading with those who know the case best. A working paper, not for copying."),
                  "the introduction", emphasis=True))
    if meeting == "first":
        _story(pack, model)
        _kpes(pack, model)
    else:
        pack.add(Heading(2, "The typology of underlying patterns"))
        for category in model.data.structure.typology.category:
            where = f"typology category {category.number}"
            pack.add(Heading(3, clean(f"{category.number}. {category.label}"), where))
            if category.description:
                pack.add(Para(clean(category.description), where))
            if category.examples:
                pack.add(Bullets([clean(example) for example in category.examples], where))
        _findings(pack, model, review.commissioner_term)
    pack.tables.clear()  # a handout is a document; the CSV tables belong to the pack
    return pack


def write_handout(store, model, meeting: str, out_dir: Path, fmt: str = "docx") -> Path:
    """Render, check for real names, then write one new file; returns its path."""
    from lt_interview.export import _zip_texts, guard, names

    if fmt not in HANDOUT_FORMATS:
        raise BadInput(f"unknown handout format '{fmt}' (choose from {', '.join(HANDOUT_FORMATS)})")
    pack = build_handout(model, meeting)
    digests = guard.guard_digests(store)
    guard.check_texts(store, pack.texts(), digests)
    if fmt == "docx":
        from lt_interview.export import docx

        data = docx.render(pack)
        texts = _zip_texts(data)
    else:
        from lt_interview.export import html, markdown

        text = (markdown if fmt == "md" else html).render(pack)
        data, texts = text.encode("utf-8"), [guard.plain_of_markup(text)]
    guard.check_texts(store, [(text, f"the {fmt} handout") for text in texts], digests)
    folder = names.output_folder(Path(out_dir))
    path = names.write_new(folder, f"{model.data.review.slug} case group handout {meeting} meeting", f".{fmt}", data)
    store.audit("export", detail={"format": fmt, "files": 1, "handout": meeting})
    return path
