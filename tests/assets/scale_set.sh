#!/usr/bin/env bash
# tools/make-scale-set.sh makes loadable complexes: each copy is an asset
# turned by a rotation, so misi check accepts it and misi hbonds finds the
# same bonds (same residues, atoms, distances) as in the original; the same
# seed gives the same bytes; a non-empty output folder needs --force.
# usage: scale_set.sh <misi> <source root>
set -u
misi=$1
root=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
"$root/tools/make-scale-set.sh" 2 "$tmp/a" || fail "make-scale-set.sh failed"
"$root/tools/make-scale-set.sh" 2 "$tmp/b" || fail "second run failed"
diff -r "$tmp/a" "$tmp/b" >/dev/null || fail "the same seed gave other bytes"
"$root/tools/make-scale-set.sh" 1 "$tmp/a" 2>/dev/null && fail "a non-empty folder was reused without --force"
"$misi" check "$tmp/a" >/dev/null 2>&1 || fail "misi check refuses the scale set"
first=$(ls "$root/assets/complexes" | head -n 1)
bonds() { "$misi" hbonds "$1" | grep 'donor=' | sed 's/^\(.\{60\}\).*/\1/'; }
[ -n "$(bonds "$root/assets/complexes/$first")" ] || fail "$first has no H-bonds to compare"
diff <(bonds "$root/assets/complexes/$first") <(bonds "$tmp/a/s000000") >/dev/null ||
  fail "s000000 (a turned $first) has other H-bonds"
echo "ok: scale set loads and keeps the H-bonds of its assets"
