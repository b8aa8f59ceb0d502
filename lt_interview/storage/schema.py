"""Numbered schema migrations (sqlite-utils Migrations), each in its own transaction.

sqlite-utils is imported only when a migration is pending: opening an up-to-date file checks the
applied list with one query, so taking notes starts without importing it (issue 7).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lt_interview.storage import _sqlite

if TYPE_CHECKING:
    from sqlite_utils import Database

MIGRATION_SET = "lt_interview"
MIGRATIONS_TABLE = "_sqlite_migrations"  # sqlite_utils.migrations.Migrations.migrations_table

# Tables a merge input may contain, with their exact columns (RELIABILITY.md §6).
REVISION_COLUMNS = (
    "revision_id", "record_id", "kind", "conversation_id", "parents", "reviewer_id",
    "device_id", "created_at", "deleted", "schema_version", "body", "digest",
)
AUDIT_COLUMNS = (
    "audit_id", "chain_id", "seq", "at", "actor", "device_id", "action", "record_id",
    "detail", "prev_hash", "hash",
)


def m001_initial(db: Database) -> None:
    db.table("meta").create({"key": str, "value": str}, pk="key")
    db.table("revision").create(
        {
            "revision_id": str, "record_id": str, "kind": str, "conversation_id": str,
            "parents": str, "reviewer_id": str, "device_id": str, "created_at": str,
            "deleted": int, "schema_version": int, "body": str, "digest": str,
        },
        pk="revision_id",
        not_null={"record_id", "kind", "parents", "created_at", "deleted", "body", "digest"},
    )
    db.table("revision").create_index(["record_id"])
    db.table("revision").create_index(["kind", "conversation_id"])
    # Derived from `revision`: rebuilt after every merge, never merged itself.
    db.table("head").create(
        {"revision_id": str, "record_id": str, "kind": str, "conversation_id": str, "deleted": int},
        pk="revision_id",
    )
    db.table("head").create_index(["record_id"])
    db.table("head").create_index(["kind", "conversation_id"])
    # Autosave target: one local row per record, sealed into a revision; never merged.
    db.table("draft").create(
        {"record_id": str, "kind": str, "conversation_id": str, "base_revision_id": str,
         "body": str, "saved_at": str},
        pk="record_id",
    )
    db.table("audit").create(
        {"audit_id": str, "chain_id": str, "seq": int, "at": str, "actor": str,
         "device_id": str, "action": str, "record_id": str, "detail": str,
         "prev_hash": str, "hash": str},
        pk="audit_id",
    )
    db.table("audit").create_index(["chain_id", "seq"], unique=True)
    db.table("import_ledger").create(
        {"ledger_id": str, "file_sha256": str, "source_file_id": str, "source_device": str,
         "app_version": str, "imported_at": str, "rows_seen": int, "rows_added": int,
         "result": str, "reason": str},
        pk="ledger_id",
    )
    # Real names behind the pseudonyms: review databases only, never packed or exported.
    db.table("pseudonym_map").create(
        {"entry_id": str, "pseudonym": str, "real_name": str, "category": str}, pk="entry_id"
    )
    # Salted digests of real names, so a conversation file can flag them without holding them.
    db.table("name_guard").create({"digest": str}, pk="digest")


MIGRATIONS = (m001_initial,)  # in order; a new one is appended, never renamed


def migrations():
    from sqlite_utils.migrations import Migrations

    found = Migrations(MIGRATION_SET)
    for migration in MIGRATIONS:
        found()(migration)
    return found


def is_current(conn) -> bool:
    """Every migration already applied (read without sqlite-utils)."""
    try:
        rows = conn.execute(f"SELECT name FROM [{MIGRATIONS_TABLE}] WHERE migration_set = ?",
                            (MIGRATION_SET,)).fetchall()
    except _sqlite.OperationalError:  # no such table: a new file
        return False
    return {migration.__name__ for migration in MIGRATIONS} <= {row[0] for row in rows}


def apply(db: Database) -> None:
    migrations().apply(db)
