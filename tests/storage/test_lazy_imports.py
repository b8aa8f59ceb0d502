"""Start-up (issue 7): opening an up-to-date file and building the command line import neither
sqlite-utils nor the models before they are needed."""

from __future__ import annotations

import subprocess
import sys

from lt_interview.storage import _sqlite, schema
from lt_interview.storage.store import Store


def test_schema_is_current_only_when_every_migration_is_applied(review_path, passphrase):
    with Store.open(review_path, passphrase) as store:
        assert schema.is_current(store.conn)
        store.conn.execute(f"DELETE FROM [{schema.MIGRATIONS_TABLE}] WHERE name = ?",
                           (schema.MIGRATIONS[-1].__name__,))
        assert not schema.is_current(store.conn)
    assert not schema.is_current(_sqlite.dbapi2.connect(":memory:"))


def run_python(code: str, env_home: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                          env={"LT_INTERVIEW_HOME": env_home, "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_opening_a_file_does_not_import_sqlite_utils(review_path, passphrase, tmp_path):
    out = run_python(
        "import sys\n"
        "from lt_interview.storage.store import Store\n"
        f"store = Store.open({str(review_path)!r}, {passphrase!r})\n"
        "store.meta('file_kind')\n"
        "print('sqlite_utils' in sys.modules)\n", str(tmp_path))
    assert out.strip() == "False"


def test_the_command_line_is_built_without_the_store_or_pydantic(tmp_path):
    out = run_python(
        "import sys\n"
        "from lt_interview import cli\n"
        "cli.build_parser()\n"
        "print(sorted(m for m in ('pydantic', 'sqlite_utils', 'textual', 'lt_interview.storage.store') "
        "if m in sys.modules))\n", str(tmp_path))
    assert out.strip() == "[]"
