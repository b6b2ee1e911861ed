#!/bin/sh
# misi audit --groups: audit_groups.sh <misi> <audit_craft>. Complexes that
# copy one source share their answers; folded by complex, an image statistic
# that names the source "learns" the answer from the other fold's copies
# (SHORTCUT, exit 1). Folded by source (--groups groups.txt) nothing is
# learnt across folds (exit 0). A malformed groups file is an error naming
# the file and line (exit 2).
set -u
misi=$1 craft=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; cat "$tmp/out" "$tmp/err" 2>/dev/null; exit 1; }
"$craft" t3_copies "$tmp/ds" || fail "audit_craft t3_copies"
"$misi" audit "$tmp/ds" >"$tmp/out" 2>"$tmp/err"
[ $? -eq 1 ] || fail "folded by complex: expected a SHORTCUT (exit 1)"
grep -q "T3 zooming .*image-stats" "$tmp/out" || fail "the SHORTCUT is not T3's image statistics"
"$misi" audit --groups "$tmp/ds/groups.txt" "$tmp/ds" >"$tmp/out" 2>"$tmp/err"
[ $? -eq 0 ] || fail "folded by source: expected no SHORTCUT (exit 0)"
printf 'c000 source0\nc001\n' >"$tmp/bad.txt"
"$misi" audit --groups "$tmp/bad.txt" "$tmp/ds" >"$tmp/out" 2>"$tmp/err"
[ $? -eq 2 ] || fail "malformed groups file: expected exit 2"
grep -q "bad.txt:2: expected '<complex> <group>'" "$tmp/err" || fail "the error does not name bad.txt:2"
echo "ok: --groups"
