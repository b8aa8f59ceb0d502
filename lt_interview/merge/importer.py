"""Bring conversation files (and other copies of the review) into a review database.

Following RELIABILITY.md §3.2 and §6, each input is:

1. to 3. size-checked, copied through the backup API into an encrypted staging database and
   checked there completely (merge/checks.py; in worker processes for a large merge,
   merge/workers.py);
4. planned with the pure planner (merge/plan.py), which refuses a known revision id with
   another digest;
5. added to the review in ONE `BEGIN IMMEDIATE` transaction with every other input
   (merge/union.py): all inputs or none.

A refused merge leaves the review file byte-for-byte unchanged, so a refusal is reported on
stderr (one line naming the file and the reason) rather than written to the ledger.
"""

from __future__ import annotations

import ctypes
import gc
import hashlib
import json
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from lt_interview.errors import DiskFull, ImportRefused, is_disk_full
from lt_interview.merge.checks import NO_PARENTS, SETTINGS_KIND, Staged, Target, refuse
from lt_interview.merge.plan import DigestMismatch, InputPlan, Plan, Planner, Rev
from lt_interview.merge.union import MergeTransaction
from lt_interview.merge.workers import checked_inputs
from lt_interview.pause_points import pause_point
from lt_interview.platform import make_private
from lt_interview.storage import replication
from lt_interview.storage.replication import backup_path, remove_copy, unfinished_backups  # noqa: F401
from lt_interview.storage.store import REVIEW, Store
from lt_interview.domain.ids import short_id

Progress = Callable[[str, int, int], None]


def _no_progress(stage: str, done: int, total: int) -> None:
    return None


# --- results -----------------------------------------------------------------------------


@dataclass
class InputReport:
    path: Path
    result: str  # added | duplicate
    seen: int
    added: int
    duplicate: int
    conflicts: int
    drafts: int  # unsealed drafts in the input, not merged
    settings_not_taken: int = 0  # its copy of the review settings, older or other than the review's
    cleaned: int = 0  # revisions whose text held control characters (removed before merging)

    def line(self) -> str:
        text = f"{self.path.name}: "
        if self.result == "added":
            text += f"added {self.added}"
            if self.duplicate:
                text += f", {self.duplicate} already present"
        else:
            text += "duplicate (nothing new)"
        text += f", conflicts {self.conflicts}"
        if self.drafts:
            text += f"; {self.drafts} unsaved draft{'s' if self.drafts != 1 else ''} not merged (sealed versions only)"
        if self.settings_not_taken:
            text += "; its copy of the review settings was not taken (the review keeps its own)"
        if self.cleaned:
            text += (f"; control characters removed from {self.cleaned} revision{'s' if self.cleaned != 1 else ''}"
                     " (they could act on a terminal)")
        return text


@dataclass
class MergeReport:
    inputs: list[InputReport]
    conflicts: int  # records in conflict in the review after the merge
    dry_run: bool
    backup: Path | None = None

    @property
    def added(self) -> int:
        return sum(item.added for item in self.inputs)

    def final_line(self) -> str:
        verb = "would add" if self.dry_run else "added"
        files = len(self.inputs)
        text = (f"{'Dry run: ' if self.dry_run else 'Merged '}{files} file{'s' if files != 1 else ''}; "
                f"{verb} {self.added} revision{'s' if self.added != 1 else ''}; "
                f"{self.conflicts} record{'s' if self.conflicts != 1 else ''} in conflict")
        if self.conflicts:
            text += " (see lt-interview merge REVIEW.ltr --conflicts)"
        return text


# --- planning against the review --------------------------------------------------------
#
# Each input is planned as soon as it has been checked, from the compact keys its check read
# (ids, record ids, parents, digests), which are then dropped: the planner keeps one digest per
# revision id and one entry per record, and nothing of an input is held until the union, which
# reads the checked staging copy.

def _preload_review(review: Store, inputs: list[Path]) -> bool:
    return _size(review.path) <= sum(_size(path) for path in inputs)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _compact(values) -> Rev:
    """A Rev with the digest as 32 bytes and no empty-set allocation."""
    revision_id, record_id, parents, digest, deleted = values
    parent_ids = json.loads(parents)
    return Rev(revision_id, record_id, frozenset(parent_ids) if parent_ids else NO_PARENTS,
               bytes.fromhex(digest), bool(deleted))


class _Planning:
    """Plans the inputs one by one against the review (merge/plan.py).

    Refusals are held until every input has been checked, and then come in the same order as
    planning everything at once: a record of two kinds anywhere first, then the first input
    carrying a known revision id with another digest."""

    def __init__(self, review: Store, inputs: list[Path]) -> None:
        self.review = review
        self.planner = Planner({})
        self.kinds: dict[str, str] = {}
        self.kind_clash: ImportRefused | None = None
        self.mismatch: ImportRefused | None = None
        # Which of the review's revisions could the inputs meet? When the review is smaller than
        # the inputs (a new review taking in many conversations), one read of all its keys is
        # cheaper than looking up every input id in an index that grows with each input added;
        # otherwise (the next conversation into a large review) each input's ids are looked up.
        self.preloaded = _preload_review(review, inputs)
        if self.preloaded:
            self._meet(replication.revision_keys(review))

    def _meet(self, rows) -> None:
        """Revisions the review holds: their kinds always (a record of two kinds is refused
        first), and to the planner unless planning has already stopped."""
        meeting = []
        for *values, kind in rows:
            meeting.append(_compact(values))
            self.kinds.setdefault(values[1], sys.intern(kind))
        if self.mismatch is None:
            # Each id is looked up before any input carrying it is planned, so the planner can
            # only agree with what the review holds.
            self.planner.know(meeting)

    def add(self, item: Staged) -> InputPlan | None:
        """Plan one checked input; its plan, or None once a refusal is held."""
        keys, item.keys = item.keys or [], None
        settings, item.settings = item.settings or [], None
        if not self.preloaded:
            # The review's revisions this input could meet: the same ids, or the same records.
            revision_ids = [rev.revision_id for rev, _kind in keys] + [rev.revision_id for rev in settings]
            record_ids = sorted({rev.record_id for rev, _kind in keys} | {rev.record_id for rev in settings})
            self._meet(replication.revision_keys(self.review, revision_ids, record_ids))
        item.settings_not_taken = self._compare_settings(item, settings)
        for rev, kind in keys:
            if self.kinds.setdefault(rev.record_id, kind) != kind and self.kind_clash is None:
                self.kind_clash = refuse(item.path, f"record {short_id(rev.record_id)} is a "
                                                     f"{self.kinds[rev.record_id]} in the review but a {kind} here")
        if self.mismatch is not None:
            return None
        try:
            item_plan = self.planner.add_input(str(item.path), [rev for rev, _kind in keys], keep_touched=False)
        except DigestMismatch as exc:
            self.mismatch = refuse(item.path, f"revision {short_id(exc.revision_id)} is already known with "
                                               "different content (the file has been altered)")
            return None
        return item_plan if self.kind_clash is None else None

    def _compare_settings(self, item: Staged, settings: list[Rev]) -> int:
        """The input's copies of the review settings are never merged (merge/checks.py,
        SETTINGS_KIND), but a known revision id with another digest is still refused, and a
        settings record that is something else in the review is a clash. Returns how many
        settings revisions the review does not hold (not taken: the review keeps its own)."""
        not_taken = 0
        digests = self.planner.state.digests
        for rev in settings:
            if self.kinds.setdefault(rev.record_id, SETTINGS_KIND) != SETTINGS_KIND and self.kind_clash is None:
                self.kind_clash = refuse(item.path, f"record {short_id(rev.record_id)} is a "
                                                     f"{self.kinds[rev.record_id]} in the review but a "
                                                     f"{SETTINGS_KIND} here")
            known = digests.get(rev.revision_id)
            if known is None:
                not_taken += 1
            elif known != rev.digest and self.mismatch is None:
                self.mismatch = refuse(item.path, f"revision {short_id(rev.revision_id)} is already known with "
                                                   "different content (the file has been altered)")
        return not_taken

    def finish(self) -> Plan:
        if self.kind_clash is not None:
            raise self.kind_clash
        if self.mismatch is not None:
            raise self.mismatch
        self.kinds.clear()
        return self.planner.finish()


# --- the union --------------------------------------------------------------------------

def _release_memory(inputs: int) -> None:
    """Hand the planner's freed memory back to the system before the union (glibc keeps freed
    heap otherwise, and the peak would be the planner's plus the union's). A full collection
    is only worth its time after a large merge."""
    if inputs >= 100:
        gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


# --- the working folder and a full disk ------------------------------------------------

def _new_workdir(review: Store) -> Path:
    """A private folder for the staging copies, named after the file being merged into. This
    merge holds that file's lock, so no other merge into it is running: a folder of that name
    still in the temporary folder was left by a merge that was stopped (killed), and goes."""
    tag = hashlib.sha256(str(review.path.resolve()).encode("utf-8", "surrogatepass")).hexdigest()[:8]
    prefix = f"lt-merge-{tag}-"
    for left in Path(tempfile.gettempdir()).glob(prefix + "*"):
        if left.is_dir() and not left.is_symlink():
            shutil.rmtree(left, ignore_errors=True)
    return Path(tempfile.mkdtemp(prefix=prefix))


def _disk_full(review: Store, exc: BaseException) -> DiskFull:
    what = "review" if review.file_kind == REVIEW else "conversation file"
    return DiskFull(f"{review.path}: the disk is full; nothing was merged and the {what} is unchanged; "
                    "free some space and try again")


# --- the entry point ---------------------------------------------------------------------


def merge_files(review_store_or_path: Store | Path | str, inputs: Iterable[Path | str], passphrase: str, *,
                dry_run: bool = False, progress: Progress | None = None) -> MergeReport:
    """Merge `inputs` into the review: all of them or none. Raises ImportRefused (one line)."""
    progress = progress or _no_progress
    if isinstance(review_store_or_path, Store):
        review, owned = review_store_or_path, False
    else:
        review, owned = Store.open(Path(review_store_or_path), passphrase, expect_kind=REVIEW), True
    try:
        return _merge(review, [Path(p) for p in inputs], passphrase, dry_run=dry_run, progress=progress)
    finally:
        if owned:
            review.close()


def _merge(review: Store, inputs: list[Path], passphrase: str, *, dry_run: bool, progress: Progress) -> MergeReport:
    if not inputs:
        raise ImportRefused("no files to merge")
    review.refuse_if_purged()  # a purged review must not take the erased content back
    if replication.busy_saving(review):
        raise ImportRefused(f"{review.path}: busy saving; try again")
    # The merge builds millions of small acyclic objects (rows, keys, plans) that reference
    # counting frees; the cyclic collector would only rescan them, ~1 s of a 1,000-file merge.
    # The checking workers are forked with it off too.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _merge_without_collector(review, inputs, passphrase, dry_run=dry_run, progress=progress)
    except DiskFull as exc:
        raise _disk_full(review, exc) from None
    except Exception as exc:
        if is_disk_full(exc):  # whichever step met it (staging, the backup, the union, the commit)
            raise _disk_full(review, exc) from None
        raise
    finally:
        if collecting:
            gc.enable()


def _merge_without_collector(review: Store, inputs: list[Path], passphrase: str, *, dry_run: bool,
                             progress: Progress) -> MergeReport:
    workdir = _new_workdir(review)
    make_private(workdir, folder=True)
    union = None if dry_run else MergeTransaction(review)
    backup: Path | None = None
    try:
        if union is not None:
            # Replaces the previous backup only once the merge has committed (keep_backup), so a
            # refused merge leaves the backup of the last merge in place.
            backup = replication.start_backup(review, passphrase)
            union.begin()
        planning = _Planning(review, inputs)
        stage = "checking" if union is None else "merging"  # each input is checked, then added
        staged: list[Staged] = []
        held: ImportRefused | None = None  # a refusal met while adding, raised after every check
        checked = checked_inputs(inputs, passphrase, Target.of(review), workdir)
        try:
            for number in range(len(inputs)):
                progress(stage, number, len(inputs))
                item = next(checked)
                item_plan = planning.add(item)
                staged.append(item)
                if union is not None and item_plan is not None and held is None:
                    try:
                        union.add(item, item_plan)
                    except ImportRefused as exc:
                        held = exc
                item.rows = item.audit_rows = None  # added (or not to be): the report keeps the rest
        finally:
            checked.close()
        progress(stage, len(inputs), len(inputs))
        the_plan = planning.finish()
        if held is not None:
            raise held
        del planning
        reports = [
            InputReport(path=item.path, result=p.result, seen=p.seen, added=p.added, duplicate=p.duplicate,
                        conflicts=p.conflicts, drafts=item.drafts, settings_not_taken=item.settings_not_taken,
                        cleaned=item.cleaned)
            for item, p in zip(staged, the_plan.inputs)
        ]
        report = MergeReport(inputs=reports, conflicts=len(the_plan.conflict_records), dry_run=dry_run)
        if union is None:
            return report
        _release_memory(len(staged))
        progress("saving", len(inputs), len(inputs))  # the commit: seconds for a large merge
        pause_point("merge.saving")  # tests: everything added, not yet committed
        union.commit(the_plan, len(staged))
        assert backup is not None  # taken before the union began
        kept, backup = backup, None
        report.backup = replication.keep_backup(kept, review)
        report.conflicts = len(review.conflicts())
        return report
    finally:
        if union is not None:
            union.close()
        if backup is not None:
            remove_copy(backup)
        shutil.rmtree(workdir, ignore_errors=True)


def conflict_lines(store: Store) -> list[str]:
    """One line per record in conflict: id, what and in which conversation (the practitioner's
    role, the stage), how many versions and when they were saved; never the content."""
    from lt_interview.merge.describe import stage_labels, where

    lines = []
    stages = stage_labels(store)
    for record_id in store.conflicts():
        heads = store.heads(record_id)
        deleted = sum(1 for rev in heads if rev.deleted)
        when = ", ".join(rev.created_at[:16].replace("T", " ") for rev in heads)
        latest = max(heads, key=lambda rev: rev.created_at)
        text = (f"{short_id(record_id)}  {where(store, latest, stages)}  {len(heads)} versions"
                f"{f' ({deleted} removing it)' if deleted else ''}  saved {when}")
        lines.append(text)
    return lines
