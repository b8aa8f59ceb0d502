"""The commented example framework file that `lt-interview review template` writes: every field a
review team can set when creating a review, explained where it is set, with fictional values.
`review new --framework` accepts it exactly as written (tests/unit/test_review_setup.py)."""

from __future__ import annotations

from pathlib import Path

from lt_interview.errors import BadInput

# One line per field, for `review new --help` (the template explains each in full).
FIELD_SUMMARY = (
    "[review] name, review_type, commissioner_term, guiding_question, variant, blind_mode, "
    "retain_until, lawful_basis; [framework] children, household, agencies, period_start, period_end; "
    "[[reviewer]] name, role; [[practitioner]] name, role, agency; "
    "[[pseudonym]] pseudonym, real_name, category"
)

TEMPLATE = '''\
# Framework file for a Learning Together case review (lt-interview).
#
# Create the review from it with:
#     lt-interview review new child-m.ltr --framework THIS-FILE.toml
#
# Every value below is a fictional example: replace it with your review's own, and delete any
# line you do not need (each field says what happens when it is left out). Text goes in "double
# quotes"; a line starting with # is a comment and is ignored. Keep this file as safely as the
# review itself: the [[pseudonym]] entries hold real names.
#
# Practitioners, reviewers and pseudonyms can also be added after the review is created:
#     lt-interview review person REVIEW.ltr "NAME" --role "ROLE" --agency "AGENCY"
#     lt-interview review add-reviewer REVIEW.ltr --name "NAME" --role "ROLE"
#     lt-interview review add-pseudonym REVIEW.ltr --pseudonym "PSEUDONYM" --real "REAL NAME"
#     lt-interview review add-household-member REVIEW.ltr --pseudonym "PSEUDONYM" --relationship "RELATIONSHIP"

[review]
# The review's name, as the team refers to it (required, here or with --name).
name = "Child W (fictional example)"

# The kind of review. One of:
#   "LCSPR"    local child safeguarding practice review (the default)
#   "SCR"      serious case review
#   "SAR"      safeguarding adults review
#   "rapid"    rapid review
#   "national" national review
#   "CMR"      case management review
#   "learning" learning review
#   "SUSR"     single unified safeguarding review
review_type = "LCSPR"

# Whom the findings' questions are addressed to: "partnership" (the default) or "Board".
commissioner_term = "partnership"

# The question the review sets out to answer (optional; shown on the analysis screen).
guiding_question = "How well do agencies notice and share early signs that a young carer is struggling?"

# The Learning Together variant: full (the default), mid-range, intensive, Speed+, focused or themed.
variant = "full"

# Blind mode keeps the case chronology out of the conversation screens, so that reviewers hear
# each practitioner without hindsight. true (the default) or false.
blind_mode = true

# The date until which the review's files are kept (YYYY-MM-DD, no quotes); leave it out to set it
# later with `lt-interview review set --retain-until`.
retain_until = 2033-06-30

# The lawful basis for holding the review's data (optional; shown in `review show`).
lawful_basis = "Public task (fictional example)"

[framework]
# The case framework: the only facts about the case a conversation screen shows. Use pseudonyms
# here, never real names.

# The children the review is about: a pseudonym each, and optionally who they are.
children = [
    { pseudonym = "Child W", relationship = "girl, 11 at the start of the period" },
]

# Other members of the household, by pseudonym, and their relationship to the child (optional).
household = [
    { pseudonym = "Mother (Ms K)", relationship = "mother" },
    { pseudonym = "Brother (Y)", relationship = "brother, 4" },
]

# The agencies involved, as the review refers to them.
agencies = ["Primary school", "School nursing", "GP practice", "Young carers service", "Children's social care"]

# The period the review looks at, in words (free text, such as "September 2024" or "autumn 2024").
period_start = "September 2024"
period_end = "June 2025"

# The review team: one [[reviewer]] block for each. role defaults to "Lead reviewer".
[[reviewer]]
name = "Hollis Varden"
role = "Lead reviewer"

[[reviewer]]
name = "Tamsin Quarry"
role = "Lead reviewer"

# The practitioners who will be met in conversation: one [[practitioner]] block for each.
# name is how the review team knows them and is never exported; role (required) is how every
# output names them, such as "School nurse"; agency is optional.
[[practitioner]]
name = "Ellery Brandt"
role = "Class teacher"
agency = "Primary school"

[[practitioner]]
name = "Noor Castell"
role = "School nurse"
agency = "School nursing"

# The pseudonym map: which real name each pseudonym stands for. It stays in the review database,
# encrypted, and is never exported; conversation files carry only a check that flags a real
# name typed where the pseudonym should be. category is "child", "family" (the default) or any
# word the team uses.
[[pseudonym]]
pseudonym = "Child W"
real_name = "Wren Ashcombe"
category = "child"

[[pseudonym]]
pseudonym = "Mother (Ms K)"
real_name = "Kerris Ashcombe"
category = "family"

[[pseudonym]]
pseudonym = "Brother (Y)"
real_name = "Yannick Ashcombe"
category = "family"
'''


def write_template(path: Path) -> Path:
    """Write the example to `path`, a new file (an existing one is never overwritten)."""
    path = Path(path)
    if path.is_dir():
        raise BadInput(f"{path}: is a folder; give the name of the file to write, such as framework.toml")
    if not path.parent.is_dir():
        raise BadInput(f"{path.parent}: no such folder")
    try:
        # "x": created here or refused, even if another program makes the file meanwhile.
        with open(path, "x", encoding="utf-8", newline="\n") as handle:
            handle.write(TEMPLATE)
    except FileExistsError:
        raise BadInput(f"{path}: already exists; choose another name (it was left as it is)") from None
    except OSError as exc:
        raise BadInput(f"{path}: cannot be written ({exc.strerror or type(exc).__name__})") from None
    return path

