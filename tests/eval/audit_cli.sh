#!/bin/sh
# misi audit's command line and its errors: audit_cli.sh <misi> <audit_craft> errors
# A malformed record or a missing image stops the audit with exit 2 and a
# message naming the file and the line; bad options exit 2; --split and
# --tasks choose the rows.
set -u
misi=$1 craft=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; echo "--- stdout"; cat "$tmp/out"; echo "--- stderr"; cat "$tmp/err"; exit 1; }
run() { "$misi" audit "$@" >"$tmp/out" 2>"$tmp/err"; echo $?; }
"$craft" clean_small "$tmp/ds" || { echo "FAIL: audit_craft"; exit 1; }

# usage
[ "$(run)" -eq 2 ] || fail "no dataset: exit 2"
[ "$(run --split dev "$tmp/ds")" -eq 2 ] || fail "--split dev: exit 2"
[ "$(run --tasks nonsense "$tmp/ds")" -eq 2 ] || fail "--tasks nonsense: exit 2"
[ "$(run --margin -1 "$tmp/ds")" -eq 2 ] || fail "--margin -1: exit 2"
[ "$(run "$tmp/nowhere")" -eq 2 ] || fail "a folder that is not there: exit 2"
grep -q "nowhere: not a folder" "$tmp/err" || fail "names the missing folder"
[ "$(run --help)" -eq 0 ] || fail "--help: exit 0"

# --split and --tasks choose the rows
[ "$(run --split test --tasks translation,8 "$tmp/ds")" -le 1 ] || fail "--split test --tasks: exit status"
grep -q "^T1 translation *test " "$tmp/out" || fail "no T1 test row"
grep -q "^T8 interaction_location *test " "$tmp/out" || fail "no T8 test row"
grep -q "^T[0-9].* \(train\|all\) " "$tmp/out" && fail "rows of another split"
grep -q "^T[2-79] " "$tmp/out" && fail "rows of another task"

# a missing image: the record that names it
cp -r "$tmp/ds" "$tmp/noimg"
rm "$tmp/noimg/images/c000/t4-0.png"
[ "$(run "$tmp/noimg")" -eq 2 ] || fail "missing image: exit 2"
grep -q "train.jsonl:[0-9]*: image images/c000/t4-0.png is neither" "$tmp/err" || fail "missing image not named"

# a malformed record: file and line
cp -r "$tmp/ds" "$tmp/bad"
sed -i '3s/.*/{"id": "x-translation-train-0", "task": "translation"/' "$tmp/bad/train.jsonl"
[ "$(run "$tmp/bad")" -eq 2 ] || fail "malformed record: exit 2"
grep -q "train.jsonl:3: " "$tmp/err" || fail "malformed record: no file:line"
cp -r "$tmp/ds" "$tmp/bad2"
sed -i '2s/"images":\[[^]]*\]/"images":7/' "$tmp/bad2/train.jsonl"
[ "$(run "$tmp/bad2")" -eq 2 ] || fail "images not an array: exit 2"
grep -q "train.jsonl:2: record .* has no \"images\"" "$tmp/err" || fail "images not an array: not named"
echo ok
