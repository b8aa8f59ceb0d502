#!/bin/bash
# By-hand check (not run by pytest): type a 229-character sentence into the type-up editor of a
# fresh copy in one burst, as a fast typist or a paste-less burst would, and compare the saved
# account with what was sent. Run from the repository with the project's Python on PATH:
#   scripts/typeup_burst_tmux.sh [TRIALS] [COLSxROWS] [CHUNK]
# CHUNK (e.g. 4) sends the sentence in pieces of that many characters, 30 ms apart.
# Uses tmux sessions named tus-burst-$$ and files under a fresh temporary folder only.
set -u
TRIALS=${1:-10}; SIZE=${2:-80x24}; CHUNK=${3:-}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d /tmp/typeup-burst.XXXX)
SESSION=tus-burst-$$
export PYTHONPATH=$ROOT LT_INTERVIEW_HOME=$WORK/home LT_INTERVIEW_PASSPHRASE="demo only - fictional data"
LT=${LT:-lt-interview}; PY=${PY:-python}
S="When I first visited the family in June the baby's cheek had a small mark and the mother said it came from the cot rails. I made a note, spoke to my manager the next day and we agreed to see them again within the week as planned."
"$LT" demo --dir "$WORK/demo" --no-open >/dev/null
"$LT" pack "$WORK/demo/demo-review.ltr" --practitioner "Alex Fenwick" -o "$WORK/fresh.ltc" >/dev/null
ok=0
for i in $(seq 1 "$TRIALS"); do
  cp "$WORK/fresh.ltc" "$WORK/t$i.ltc"
  tmux new-session -d -s "$SESSION" -x "${SIZE%x*}" -y "${SIZE#*x}" \
    "env PYTHONPATH=$ROOT LT_INTERVIEW_HOME=$WORK/home LT_INTERVIEW_PASSPHRASE='$LT_INTERVIEW_PASSPHRASE' $LT typeup $WORK/t$i.ltc"
  sleep 4
  tmux send-keys -t "$SESSION" F7; sleep 0.3; tmux send-keys -t "$SESSION" BSpace; sleep 0.5
  if [ -n "$CHUNK" ]; then
    for ((k = 0; k < ${#S}; k += CHUNK)); do tmux send-keys -t "$SESSION" -l "${S:k:CHUNK}"; sleep 0.03; done
  else
    tmux send-keys -t "$SESSION" -l "$S"
  fi
  sleep 2
  tmux send-keys -t "$SESSION" C-q; sleep 2
  tmux kill-session -t "$SESSION" 2>/dev/null
  got=$("$PY" - "$WORK/t$i.ltc" <<'PY'
import sys
from pathlib import Path
from lt_interview.storage.store import CONVERSATION, Store
from lt_interview.typeup import service
with Store.open(Path(sys.argv[1]), "demo only - fictional data", expect_kind=CONVERSATION) as store:
    store.seal_all()
    print(service.load(store).account.overview)
PY
)
  if [ "$got" == "$S" ]; then ok=$((ok + 1)); echo "trial $i: exact"; else echo "trial $i: DIFFERS (${#got} of ${#S} characters): $got"; fi
done
echo "exact: $ok / $TRIALS"
rm -rf "$WORK"
[ "$ok" -eq "$TRIALS" ]
