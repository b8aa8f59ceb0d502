"""Step 5 of a merge: the one transaction that adds every checked input to the review, through
storage's replication API (storage/replication.py)."""

from __future__ import annotations

from lt_interview.domain.ids import short_id
from lt_interview.domain.text import clean_text
from lt_interview.errors import ImportRefused
from lt_interview.merge.checks import SETTINGS_KIND, Staged, refuse
from lt_interview.merge.plan import InputPlan, Plan
from lt_interview.storage.replication import Replication, StagingCopy
from lt_interview.storage.store import REVIEW, Store

UNION_BATCH = 2_000  # revisions read from a staging copy at a time (bounded memory for a large input)


class MergeTransaction:
    """The one transaction that adds every input to the review: all of them or none.

    Inputs are added as they are checked and planned, so the review's own work overlaps the
    checking of the next inputs; any refusal before `commit` rolls everything back, and a
    rolled-back transaction leaves the review file byte-for-byte as it was."""

    def __init__(self, review: Store) -> None:
        self.review = review
        self.replication = Replication(review)

    def begin(self) -> None:
        self.replication.begin()

    def add(self, item: Staged, item_plan: InputPlan) -> None:
        added = _union_one(self.review, self.replication, item)
        if added != item_plan.added:  # the plan and the database must agree
            raise ImportRefused(f"{item.path}: the merge could not be completed consistently; nothing was merged")
        self.replication.record_import(
            sha256=item.sha256, file_id=item.file_id, device=item.device, app_version=item.app_version,
            seen=item.seen, added=item_plan.added, result=item_plan.result,
            reason=f"{item.drafts} unsaved drafts not merged" if item.drafts else "")

    def commit(self, plan: Plan, inputs: int) -> None:
        self.replication.commit({"inputs": inputs, "added": plan.added, "conflicts": len(plan.conflict_records)})

    def close(self) -> None:
        """Roll back whatever was not committed."""
        self.replication.close()


def _union_one(review: Store, replication: Replication, item: Staged) -> int:
    """Add one checked input's revisions and audit entries; returns how many revisions were new.

    The revisions go straight into the review, read once: from the rows the check validated
    (a conversation file) or from the staging copy. Planning has already refused any known
    revision id arriving with another digest, so a revision already present is the same
    revision and is skipped."""
    if item.rows is not None and item.audit_rows is not None:
        rows = item.rows
        added = replication.add_revisions(rows[start:start + UNION_BATCH] for start in range(0, len(rows), UNION_BATCH))
        replication.stage_audit(item.audit_rows)
    else:
        with StagingCopy.open(item.staging, item.key, item.salt) as source:
            # Never the review settings record into a review (merge/checks.py, SETTINGS_KIND): it keeps its own.
            skip = SETTINGS_KIND if review.file_kind == REVIEW else ""
            added = replication.add_revisions(source.revision_batches(UNION_BATCH, except_kind=skip))
            replication.stage_audit(source.audit_rows())
            if item.file_kind == REVIEW:
                _union_private(replication, item, source)
    disagreement = replication.keep_audit()
    if disagreement == "altered":
        raise refuse(item.path, "its audit trail disagrees with one already merged (altered)")
    if disagreement == "forked":
        raise refuse(item.path, "its audit trail has forked from a copy already merged (the same file "
                                 "was used on two devices); merge each device's own file")
    return added


def _union_private(replication: Replication, item: Staged, source: StagingCopy) -> None:
    """Another copy of the same review: its pseudonym map entries and name guards too."""
    for entry in source.pseudonym_rows():
        entry = (entry[0], *(clean_text(value) for value in entry[1:]))  # never raw escapes into the review
        if not replication.add_pseudonym(entry):
            raise refuse(item.path, f"pseudonym entry {short_id(entry[0])} differs from the review's")
    replication.add_name_guards(source.name_guard_digests())
