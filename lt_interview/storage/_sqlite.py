"""sqlcipher3 stands in for pysqlite3 so sqlite-utils catches SQLCipher's exception classes.

Import this module before anything imports sqlite_utils (RELIABILITY.md §2.3).
"""

import sys

import sqlcipher3
import sqlcipher3.dbapi2

sys.modules.setdefault("pysqlite3", sqlcipher3)
sys.modules.setdefault("pysqlite3.dbapi2", sqlcipher3.dbapi2)

dbapi2 = sqlcipher3.dbapi2
DatabaseError = dbapi2.DatabaseError
OperationalError = dbapi2.OperationalError
IntegrityError = dbapi2.IntegrityError
sqlite_version_info: tuple[int, int, int] = dbapi2.sqlite_version_info


def has_wal_reset_fix(version: tuple[int, int, int] = sqlite_version_info) -> bool:
    """SQLite 3.7.0-3.51.2 can corrupt WAL under concurrent writers; fixed in 3.51.3 and
    backported to 3.50.7 and 3.44.6 (RELIABILITY.md §1.4). Compared as tuples, never text."""
    if version >= (3, 51, 3):
        return True
    if (3, 50, 7) <= version < (3, 51, 0):
        return True
    if (3, 44, 6) <= version < (3, 45, 0):
        return True
    return version < (3, 7, 0)
