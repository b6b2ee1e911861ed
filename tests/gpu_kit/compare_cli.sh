#!/usr/bin/env bash
# misi compare: identical images report zeros and exit 0; different images
# report their differences and still exit 0; a missing file, another size or
# an unreadable file exits 1 naming it; bad usage exits 2.
#   compare_cli.sh MISI_EXE SOURCE_ROOT
set -euo pipefail
misi=$1 root=$2
fail() { echo "FAIL: $*" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
v=$root/docs/views
mkdir -p "$tmp/a/1cs4" "$tmp/b/1cs4"
cp "$v/1cs4/front.png" "$v/1cs4/top.png" "$tmp/a/1cs4/"
cp "$v/1cs4/front.png" "$tmp/b/1cs4/"
cp "$v/nolabels/1cs4/top.png" "$tmp/b/1cs4/top.png" # labels differ

out=$("$misi" compare --json "$v/1cs4/front.png" "$v/1cs4/front.png")
echo "$out" | grep -q '"max_channel_diff":[[:space:]]*0,' || fail "identical files: $out"

out=$("$misi" compare --json "$tmp/a" "$tmp/b") || fail "different images must still exit 0"
python3 - "$out" <<'PY'
import json, sys
r = json.loads(sys.argv[1])
p = {x["path"]: x for x in r["pairs"]}
assert set(p) == {"1cs4/front.png", "1cs4/top.png"}, p
assert p["1cs4/front.png"]["max_channel_diff"] == 0 and p["1cs4/front.png"]["differing_pixel_fraction"] == 0
t = p["1cs4/top.png"]
assert t["max_channel_diff"] > 16 and 0 < t["visible_pixel_fraction"] <= t["differing_pixel_fraction"] < 1, t
assert r["compared"] == 2 and r["failed"] == [], r
assert r["total"]["pixels"] == 2 * 512 * 512, r["total"]
PY

rm "$tmp/b/1cs4/front.png"
rc=0; "$misi" compare "$tmp/a" "$tmp/b" >/dev/null 2>"$tmp/err" || rc=$?
[ "$rc" -eq 1 ] && grep -q "front.png" "$tmp/err" || fail "missing file: exit $rc, $(cat "$tmp/err")"

printf 'not a png' >"$tmp/b/1cs4/front.png"
rc=0; "$misi" compare "$tmp/a" "$tmp/b" >/dev/null 2>"$tmp/err" || rc=$?
[ "$rc" -eq 1 ] && grep -q "front.png" "$tmp/err" || fail "bad file: exit $rc, $(cat "$tmp/err")"

"$misi" render -q --size 64 --view front --out "$tmp/small" "$root/assets/complexes/1cs4" >/dev/null
rc=0; "$misi" compare "$tmp/small/1cs4/front.png" "$v/1cs4/front.png" >/dev/null 2>"$tmp/err" || rc=$?
[ "$rc" -eq 1 ] && grep -q "64x64 against 512x512" "$tmp/err" || fail "sizes: exit $rc, $(cat "$tmp/err")"

rc=0; "$misi" compare "$tmp/a" >/dev/null 2>&1 || rc=$?
[ "$rc" -eq 2 ] || fail "one argument: exit $rc"
rc=0; "$misi" compare "$tmp/a" "$v/1cs4/front.png" >/dev/null 2>&1 || rc=$?
[ "$rc" -eq 2 ] || fail "a folder and a file: exit $rc"
echo ok
