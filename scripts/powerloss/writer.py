"""Power-loss writer: saves one note per commit on the lazy filesystem and reports each save.

    python writer.py REVIEW_PATH [normal]

Prints "saved N" only after the commit holding note N returned, as the save indicator would.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from lt_interview.domain.models import Note  # noqa: E402
from lt_interview.storage.store import REVIEW, Store  # noqa: E402

PASSPHRASE = "power loss test passphrase"


def main() -> None:
    path = Path(sys.argv[1])
    store = Store.create(path, PASSPHRASE, file_kind=REVIEW, review_id="power-loss", actor_id="writer")
    if len(sys.argv) > 2 and sys.argv[2] == "normal":
        store.conn.execute("PRAGMA synchronous = NORMAL")  # to show the harness catches loss
    print("ready", flush=True)
    record_id = None
    n = 0
    while True:
        n += 1
        record_id = store.put(Note(conversation_id="c", stage_id="overview", author_id="w",
                                   text=f"note {n} " + "x" * 200), record_id, audit=False).record_id
        print(f"saved {n}", flush=True)


if __name__ == "__main__":
    main()
