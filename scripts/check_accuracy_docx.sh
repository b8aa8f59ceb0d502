#!/usr/bin/env bash
# Build the fictional demo, write the health visitor's accuracy-check DOCX, convert it to PDF
# with LibreOffice and check its text: the account is there, no real household names from the
# demo's pseudonym map, no internal identifiers (UUIDs).
# Needs: libreoffice (apt-get install -y libreoffice-writer-nogui) and pdftotext (poppler-utils).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
py="${PYTHON:-$here/.venv/bin/python}"
for tool in libreoffice pdftotext; do
  command -v "$tool" >/dev/null || { echo "check_accuracy_docx: $tool is not installed" >&2; exit 2; }
done
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export LT_INTERVIEW_HOME="$work/home"
export LT_INTERVIEW_PASSPHRASE="$("$py" -c 'from lt_interview.demo.data import DEMO_PASSPHRASE as p; print(p)')"
"$py" -m lt_interview demo --no-open --dir "$work/demo" >/dev/null
"$py" -m lt_interview accuracy-check "$work/demo/health-visitor.ltc" -o "$work/out" --format docx
docx="$(ls "$work"/out/*.docx)"
libreoffice --headless -env:UserInstallation="file://$work/lo-profile" --convert-to pdf \
  --outdir "$work/pdf" "$docx" >/dev/null 2>&1
pdf="$(ls "$work"/pdf/*.pdf)"
pdftotext "$pdf" "$work/text.txt"
"$py" - "$work/text.txt" <<'PY'
import re, sys
from lt_interview.demo.data import FRAMEWORK
text = open(sys.argv[1], encoding="utf-8").read()
flat = " ".join(text.split())
problems = []
for needle in ("Small bruise seen at the 8-month review", "Why it made sense to you at the time",
               "Your comments", "How these notes are used", "Only the version we agree with you"):
    if needle not in flat:
        problems.append(f"missing: {needle}")
for entry in FRAMEWORK.pseudonym:
    for word in entry.real_name.split():
        if re.search(rf"\b{re.escape(word)}\b", flat, re.I):
            problems.append("a real household name appears in the PDF")
if re.search(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", flat, re.I):
    problems.append("an internal identifier appears in the PDF")
if problems:
    print("check_accuracy_docx: FAILED: " + "; ".join(problems), file=sys.stderr)
    sys.exit(1)
print(f"check_accuracy_docx: OK ({len(flat.split())} words in the PDF text)")
PY
