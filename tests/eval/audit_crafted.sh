#!/bin/sh
# misi audit on a crafted dataset: audit_crafted.sh <misi> <audit_craft> <kind>
# [<family> <baseline name>]. With a baseline named, the dataset has that one
# planted shortcut: the audit must call that baseline SHORTCUT and exit 1.
# Without one (the clean dataset), the audit must exit 0, and the metadata
# baselines must say n/a (metadata.jsonl has only file_name and complex).
set -u
misi=$1 craft=$2 kind=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; echo "--- table"; cat "$tmp/table"; echo "--- stderr"; cat "$tmp/err"; exit 1; }
"$craft" "$kind" "$tmp/ds" || { echo "FAIL: audit_craft $kind"; exit 1; }
"$misi" audit --all "$tmp/ds" >"$tmp/table" 2>"$tmp/err"
table_rc=$?
"$misi" audit --json "$tmp/ds" >"$tmp/json" 2>>"$tmp/err"
rc=$?
[ "$rc" -eq "$table_rc" ] || fail "--json exits $rc, the table $table_rc"
# one line per baseline, tabs and new lines gone: "family":"id","name":"index mod 2","verdict":"SHORTCUT"
flat=$(tr -d '\t\n' <"$tmp/json")
if [ $# -ge 5 ]; then
    [ "$rc" -eq 1 ] || fail "exit status $rc, expected 1 (a SHORTCUT)"
    echo "$flat" | grep -q "\"family\":\"$4\",\"name\":\"$5\",\"verdict\":\"SHORTCUT\"" ||
        fail "baseline $4 / $5 is not SHORTCUT"
    grep -q "^  T.*: $4 $5 " "$tmp/table" || fail "the table's SHORTCUT list does not name $4 $5"
else
    [ "$rc" -eq 0 ] || fail "exit status $rc, expected 0 (no shortcut)"
    echo "$flat" | grep -q '"family":"metadata","name":"all columns","verdict":"n/a"' ||
        fail "metadata baselines ran on a metadata.jsonl without columns"
    grep -q "SHORTCUT (a blind" "$tmp/table" && fail "the table lists a SHORTCUT"
fi
echo "ok: $kind"
grep -c "" "$tmp/table" >/dev/null
exit 0
