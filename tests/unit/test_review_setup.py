"""Setting up a review without reading code: `review template` writes a commented framework file
that `review new` accepts as written, and `review add-pseudonym`, `add-household-member` and
`add-reviewer` add to a review after it is created, audited, refusing repeats in one line."""

from __future__ import annotations

from datetime import date
import tomllib

import pytest

from lt_interview import cli
from lt_interview.domain.models import CaseFramework, Review, Reviewer
from lt_interview.review.framework_file import (
    FrameworkFile, FrameworkSection, PractitionerEntry, PseudonymEntry, ReviewerEntry, ReviewSection,
)
from lt_interview.review.framework_template import FIELD_SUMMARY, TEMPLATE
from lt_interview.domain.names import name_digest
from lt_interview.storage.store import REVIEW, Store


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main([str(arg) for arg in argv])
    out, err = capsys.readouterr()
    return code, out, err


def audit_actions(store: Store) -> list[str]:
    return [row[0] for row in store.conn.execute("SELECT action FROM audit ORDER BY seq")]


# --- review template --------------------------------------------------------------------


def test_template_is_accepted_as_written_by_review_new(tmp_path, capsys, passphrase):
    framework = tmp_path / "framework.toml"
    code, out, err = run(capsys, "review", "template", framework)
    assert code == 0, err
    assert "review new" in out and framework.read_text(encoding="utf-8") == TEMPLATE
    code, _, err = run(capsys, "review", "new", tmp_path / "w.ltr", "--framework", framework)
    assert code == 0, err
    with Store.open(tmp_path / "w.ltr", passphrase, expect_kind=REVIEW) as store:
        _, review = store.one(Review)
        assert review.name == "Child W (fictional example)" and review.retain_until == date(2033, 6, 30)
        assert review.blind_mode and review.review_type == "LCSPR" and review.guiding_question
        _, case = store.one(CaseFramework)
        assert [m.pseudonym for m in case.children] == ["Child W"]
        assert [m.pseudonym for m in case.household] == ["Mother (Ms K)", "Brother (Y)"]
        assert len(case.agencies) == 5 and case.period_start == "September 2024"
        assert [r.name for _, r in store.records(Reviewer)] == ["Hollis Varden", "Tamsin Quarry"]
        categories = [row[0] for row in store.conn.execute("SELECT category FROM pseudonym_map")]
        assert sorted(categories) == ["child", "family", "family"]


def test_template_explains_every_field_and_help_lists_them(tmp_path, capsys):
    """Every field the framework file accepts is set (so explained) in the template, named in the
    summary `review new --help` prints, and the template holds nothing the models refuse."""
    raw = tomllib.loads(TEMPLATE)
    FrameworkFile.model_validate(raw)
    sections = {"review": (ReviewSection, [raw["review"]]), "framework": (FrameworkSection, [raw["framework"]]),
                "reviewer": (ReviewerEntry, raw["reviewer"]), "practitioner": (PractitionerEntry, raw["practitioner"]),
                "pseudonym": (PseudonymEntry, raw["pseudonym"])}
    assert set(sections) == set(FrameworkFile.model_fields)
    for name, (model, entries) in sections.items():
        for field in model.model_fields:
            assert any(field in entry for entry in entries), f"{name}.{field} is not in the template"
            assert field in FIELD_SUMMARY, f"{name}.{field} is not in review new --help"
    with pytest.raises(SystemExit):
        cli.main(["review", "new", "--help"])
    shown = " ".join(capsys.readouterr().out.split())
    assert "review template" in shown and " ".join(FIELD_SUMMARY.split()) in shown


def test_template_never_overwrites_a_file(tmp_path, capsys):
    framework = tmp_path / "framework.toml"
    framework.write_text("# the team's own file\n", encoding="utf-8")
    code, out, err = run(capsys, "review", "template", framework)
    assert code == 2 and out == "" and err.count("\n") == 1 and "already exists" in err
    assert framework.read_text(encoding="utf-8") == "# the team's own file\n"
    code, _, err = run(capsys, "review", "template", tmp_path / "missing" / "framework.toml")
    assert code == 2 and err.count("\n") == 1 and "no such folder" in err
    code, _, err = run(capsys, "review", "template", tmp_path)
    assert code == 2 and err.count("\n") == 1 and "is a folder" in err


# --- adding to a review after it is created -----------------------------------------------


def test_add_pseudonym_guards_the_real_name_and_is_audited(review_path, passphrase, capsys):
    code, out, err = run(capsys, "review", "add-pseudonym", review_path, "--pseudonym", "Grandmother (Mrs D)",
                         "--real", "Dorota  Quennell")
    assert code == 0, err
    assert "Grandmother (Mrs D)" in out and "Quennell" not in out and "already in this review" not in out
    with Store.open(review_path, passphrase, expect_kind=REVIEW) as store:
        rows = store.conn.execute("SELECT pseudonym, real_name, category FROM pseudonym_map").fetchall()
        assert ("Grandmother (Mrs D)", "Dorota Quennell", "family") in rows
        guarded = {row[0] for row in store.conn.execute("SELECT digest FROM name_guard")}
        assert name_digest(store.review_id, "quennell") in guarded
        assert audit_actions(store)[-1] == "pseudonym.add"
        assert "Quennell" not in str(list(store.db["audit"].rows))
        count = len(rows)
    refusals = [
        (["--pseudonym", "grandmother  (mrs d)", "--real", "Ola Pemberton"], "already a pseudonym"),
        (["--pseudonym", "Aunt (Ms E)", "--real", "dorota quennell"], "already has a pseudonym"),
        (["--pseudonym", "Ms Quennell", "--real", "Ewa Pemberton"], "contains a word of a real name"),
        (["--pseudonym", "Uncle Pemberton", "--real", "Ewan Pemberton"], "contains a word of the real name"),
        (["--pseudonym", "", "--real", "Ewan Pemberton"], "give the pseudonym"),
        (["--pseudonym", "Uncle (Mr F)", "--real", "  "], "give the real name"),
        (["--pseudonym", "Uncle (Mr F)", "--real", "Al"], "no word of three letters"),
    ]
    for options, expected in refusals:
        code, out, err = run(capsys, "review", "add-pseudonym", review_path, *options)
        assert code == 2 and out == "" and err.count("\n") == 1 and expected in err, (options, err)
        assert "Quennell" not in err or "Quennell" in " ".join(options[:2])  # a real name is never echoed
    with Store.open(review_path, passphrase, expect_kind=REVIEW) as store:
        assert store.conn.execute("SELECT count(*) FROM pseudonym_map").fetchone()[0] == count


def test_add_household_member_and_child_are_new_audited_framework_revisions(review_path, passphrase, capsys):
    with Store.open(review_path, passphrase, expect_kind=REVIEW) as store:
        framework_id, before = store.one(CaseFramework)
    code, out, err = run(capsys, "review", "add-household-member", review_path, "--pseudonym", "Grandmother (Mrs D)",
                         "--relationship", "maternal grandmother")
    assert code == 0 and "household" in out, err
    code, out, err = run(capsys, "review", "add-household-member", review_path, "--pseudonym", "Sibling (N)",
                         "--child")
    assert code == 0 and "children" in out, err
    with Store.open(review_path, passphrase, expect_kind=REVIEW) as store:
        record_id, after = store.one(CaseFramework)
        assert record_id == framework_id and len(store.history(framework_id)) == 3
        assert after.household[:-1] == before.household
        assert (after.household[-1].pseudonym, after.household[-1].relationship) == (
            "Grandmother (Mrs D)", "maternal grandmother")
        assert [m.pseudonym for m in after.children] == [m.pseudonym for m in before.children] + ["Sibling (N)"]
        actions = audit_actions(store)
        assert actions[-4:] == ["record.edit", "framework.member_add", "record.edit", "framework.member_add"]
    for options, expected in [(["--pseudonym", "mr  b"], "'Mr B' is already in the case framework"),
                              (["--pseudonym", "child m", "--child"], "already in the case framework"),
                              (["--pseudonym", "Mr Castellan"], "contains a word of a real name"),
                              (["--pseudonym", " "], "give the pseudonym")]:
        code, out, err = run(capsys, "review", "add-household-member", review_path, *options)
        assert code == 2 and out == "" and err.count("\n") == 1 and expected in err, (options, err)


def test_add_reviewer_is_audited_and_refuses_a_repeat(review_path, passphrase, capsys):
    code, out, err = run(capsys, "review", "add-reviewer", review_path, "--name", "Ines Wold", "--role", "Notetaker")
    assert code == 0 and "Ines Wold (Notetaker)" in out, err
    code, out, err = run(capsys, "review", "add-reviewer", review_path, "--name", "Kit Marlow")
    assert code == 0 and "Kit Marlow (Lead reviewer)" in out, err
    with Store.open(review_path, passphrase, expect_kind=REVIEW) as store:
        reviewers = {r.name: r.role for _, r in store.records(Reviewer)}
        assert reviewers["Ines Wold"] == "Notetaker" and reviewers["Kit Marlow"] == "Lead reviewer"
        assert audit_actions(store)[-2:] == ["record.create", "reviewer.add"]
        assert store.verify_audit() > 0
    for options, expected in [(["--name", "ines   WOLD"], "already a reviewer"), (["--name", ""], "give the reviewer's name"),
                              (["--name", "Lee Ash", "--role", ""], "give the reviewer's role")]:
        code, out, err = run(capsys, "review", "add-reviewer", review_path, *options)
        assert code == 2 and out == "" and err.count("\n") == 1 and expected in err, (options, err)


def test_additions_reach_conversation_files_packed_afterwards(review_path, passphrase, tmp_path, capsys):
    for argv in (["add-pseudonym", review_path, "--pseudonym", "Lodger (Mr G)", "--real", "Gethin Aldous"],
                 ["add-household-member", review_path, "--pseudonym", "Lodger (Mr G)", "--relationship", "lodger"],
                 ["add-reviewer", review_path, "--name", "Ines Wold"]):
        assert run(capsys, "review", *argv)[0] == 0
    conversation = tmp_path / "hv.ltc"
    assert run(capsys, "pack", review_path, "--practitioner", "Jo Hartley", "-o", conversation)[0] == 0
    with Store.open(conversation, passphrase) as store:
        _, framework = store.one(CaseFramework)
        assert "Lodger (Mr G)" in [m.pseudonym for m in framework.household]
        assert "Ines Wold" in [r.name for _, r in store.records(Reviewer)]
        guarded = {row[0] for row in store.conn.execute("SELECT digest FROM name_guard")}
        assert name_digest(store.review_id, "aldous") in guarded
        assert store.conn.execute("SELECT count(*) FROM pseudonym_map").fetchone()[0] == 0


def test_a_pseudonym_added_to_merged_data_guards_every_export(case_review, passphrase, case_builder, tmp_path,
                                                              capsys):
    from lt_interview.export import export_pack
    from lt_interview.export.guard import RealNameInExport

    with case_builder.open_review(case_review, passphrase) as store:
        assert export_pack(store, tmp_path / "before", "md")
    # The emergency department nurse's agreed account names an "attendance": were it a surname,
    # the merged data would now hold a real name, and no export may carry it.
    code, out, err = run(capsys, "review", "add-pseudonym", case_review, "--pseudonym", "Cousin (Ms H)",
                         "--real", "Hedda Attendance")
    assert code == 0, err
    assert "record(s) already in this review hold that real name" in out and "Attendance" not in out
    with case_builder.open_review(case_review, passphrase) as store:
        with pytest.raises(RealNameInExport):
            export_pack(store, tmp_path / "after", "md")
    assert not (tmp_path / "after").exists()


def test_nothing_is_added_to_a_purged_review(tmp_path, passphrase, capsys):
    from lt_interview.review.purge import purge
    from lt_interview.review.setup import create_review

    path = tmp_path / "old.ltr"
    with create_review(path, passphrase, name="Old review") as store:
        store.put(Review(name="Old review", retain_until=date(2026, 1, 1)), store.one(Review)[0])
        purge(store, date(2026, 6, 1))
    for argv in (["add-pseudonym", path, "--pseudonym", "Child Q", "--real", "Quinn Abbott"],
                 ["add-household-member", path, "--pseudonym", "Mother (Ms R)"],
                 ["add-reviewer", path, "--name", "Ines Wold"]):
        code, out, err = run(capsys, "review", *argv)
        assert code == 2 and out == "" and err.count("\n") == 1 and "purged" in err, err


def test_form_fields_add_to_a_framework_file():
    """The F3 form's lists are added to a framework file's; a typed period replaces the file's."""
    from lt_interview.errors import BadInput
    from lt_interview.review.framework_form import framework_from_form

    base = FrameworkFile.model_validate(tomllib.loads(TEMPLATE))
    built = framework_from_form({"period_end": " July  2025 ", "agencies": "Police; ",
                                 "pseudonyms": "Father (Mr L) = Lorcan Pike", "reviewers": "Ines Wold, Notetaker"}, base)
    assert built.framework.period_start == "September 2024" and built.framework.period_end == "July 2025"
    assert built.framework.agencies == base.framework.agencies + ["Police"]
    assert [(p.pseudonym, p.category) for p in built.pseudonym][-1] == ("Father (Mr L)", "family")
    assert [(r.name, r.role) for r in built.reviewer][-1] == ("Ines Wold", "Notetaker")
    assert built.review == base.review
    with pytest.raises(BadInput, match="Reviewers: 'hollis varden' is given twice"):
        framework_from_form({"reviewers": "hollis varden"}, base)
    with pytest.raises(BadInput, match="Household: 'Mr Ashcombe' contains a word of a real name"):
        framework_from_form({"household": "Mr Ashcombe = father"}, base)
