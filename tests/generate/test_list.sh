#!/usr/bin/env bash
# The bundled assets' test split (assets/test-list.txt) applies whenever the
# inputs are the bundled assets folder or complexes in it, named or not, and
# generate says on the spot which split rule it used: the list, or the hash
# of ids for any other folder (a copy of the assets elsewhere included) and
# whenever --test-fraction or --test-list is given.
# usage: test_list.sh <misi> <assets folder>
set -u
misi=$(cd "$(dirname "$1")" && pwd)/$(basename "$1") # absolute: a case below runs elsewhere
assets=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
opts=(--no-progress --size 48 --tasks translation --count translation=1/1)
complexes() { sed -n 's/.*"complex": *"\([^"]*\)".*/\1/p' "$1" | sort -u | paste -sd' ' -; }

"$misi" generate "${opts[@]}" --out "$tmp/named" "$assets" 2>"$tmp/named.err" ||
  { cat "$tmp/named.err" >&2; fail "generate on the named assets folder"; }
grep -q "test split: the 2 ids in .*assets/test-list.txt, the bundled assets' list" "$tmp/named.err" ||
  { cat "$tmp/named.err" >&2; fail "the named assets folder: no word of its test list"; }
[ "$(complexes "$tmp/named/test.jsonl")" = "1hpv 4cup" ] || fail "named assets: test split is not 1hpv 4cup"
[ "$(complexes "$tmp/named/train.jsonl" | wc -w)" = 5 ] || fail "named assets: train split is not the other 5"

# one complex of the assets, through a relative path with '..'
(cd "$assets/1hpv" && "$misi" generate "${opts[@]}" --out "$tmp/one" ../1hpv/ 2>"$tmp/one.err") ||
  { cat "$tmp/one.err" >&2; fail "generate on one asset complex"; }
[ "$(complexes "$tmp/one/test.jsonl")" = 1hpv ] || fail "one asset complex: 1hpv is not in the test split"

# a copy of the assets is not the bundled folder: the hash split, said so
cp -r "$assets" "$tmp/copy"
"$misi" generate "${opts[@]}" --out "$tmp/c" "$tmp/copy" 2>"$tmp/c.err" || fail "generate on a copy"
grep -q "test split: a hash of each id puts 12.3 % of the complexes in test" "$tmp/c.err" ||
  { cat "$tmp/c.err" >&2; fail "a copy of the assets: no word of the hash split"; }

# an explicit rule wins over the bundled list
"$misi" generate "${opts[@]}" --test-fraction 0.5 --out "$tmp/f" "$assets" 2>"$tmp/f.err" || fail "--test-fraction"
grep -q "a hash of each id puts 50.0 %" "$tmp/f.err" || { cat "$tmp/f.err" >&2; fail "--test-fraction not said"; }
printf '5dt0\n' >"$tmp/list"
"$misi" generate "${opts[@]}" --test-list "$tmp/list" --out "$tmp/l" "$assets" 2>"$tmp/l.err" || fail "--test-list"
grep -q "test split: the 1 id in $tmp/list (the rest train)" "$tmp/l.err" || { cat "$tmp/l.err" >&2; fail "--test-list not said"; }
[ "$(complexes "$tmp/l/test.jsonl")" = 5dt0 ] || fail "--test-list: test split is not 5dt0"
echo "ok: the bundled test list applies to the assets folder however named, and the split rule is said"
