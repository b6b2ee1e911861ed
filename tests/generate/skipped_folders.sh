#!/usr/bin/env bash
# A folder of complexes that also holds a folder without complex files (a
# "tools" folder of scripts): misi generate skips that folder with a note on
# stderr and in the manifest's "notes", and makes the complexes as usual.
# usage: skipped_folders.sh <misi> <assets folder>
set -u
misi=$1
assets=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

mkdir -p "$tmp/in/4cup" "$tmp/in/tools"
cp "$assets/4cup/"* "$tmp/in/4cup/"
echo "scripts live here" >"$tmp/in/tools/README.txt"
"$misi" generate --size 64 --tasks translation --no-progress --out "$tmp/gen" "$tmp/in" 2>"$tmp/gen.err"
rc=$?
[ $rc = 0 ] || { cat "$tmp/gen.err" >&2; fail "generate exit $rc, expected 0"; }
grep -q "note: skipped .*/in/tools: no complex files" "$tmp/gen.err" || { cat "$tmp/gen.err" >&2; fail "no note on stderr"; }
python3 - "$tmp/gen/manifest.json" <<'PY' || fail "manifest notes"
import json, sys
m = json.load(open(sys.argv[1]))
assert m["complexes"] == 1 and m["sources"] == 1, (m["complexes"], m["sources"])
assert m["skipped"] == [], m["skipped"]
notes = m.get("notes", [])
assert len(notes) == 1 and "/in/tools: no complex files" in notes[0], notes
PY
exit 0
