#!/usr/bin/env bash
# misi merge reads part files made elsewhere (other machines' shards): a part
# with a missing or mistyped field, or with an image path that would leave
# the dataset (../, absolute, another top folder), is a clear error naming
# the part file and the field; nothing is written outside the output folder
# and no manifest claims a finished dataset. A good shard still merges.
# usage: merge_bad_parts.sh <misi> <assets folder>
set -u
misi=$1
assets=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

"$misi" generate --size 48 --tasks translation,interaction_location --count translation=1/0 \
    --count interaction_location=1/0 --split train --shard 0/1 --no-progress --no-label-check \
    --out "$tmp/good" "$assets/4cup" 2>"$tmp/gen.err"
# 4cup has no H-bond, so the interaction_location question --count asks for
# is noted unanswerable and the run exits 1 (docs/dataset.md): the part
# with that note is what this test wants.
st=$?
[ "$st" -eq 1 ] && grep -q 'gave fewer questions than --count asked' "$tmp/gen.err" || { cat "$tmp/gen.err" >&2; fail "generate: expected exit 1 with the --count shortfall, got $st"; }
part=$(ls "$tmp/good/.parts/"*.json)
[ -f "$part" ] || fail "no part written"
"$misi" merge "$tmp/merged" "$tmp/good" 2>"$tmp/merge.err" || { cat "$tmp/merge.err" >&2; fail "good shard did not merge"; }
[ -f "$tmp/merged/manifest.json" ] || fail "good merge wrote no manifest"

# name | python expression applied to the part p | words the error must hold
cases=(
  "no-bytes|del p['images'][0]['bytes']|images[0].bytes"
  "no-task-number|del p['records']['train'][0]['task_number']|task_number"
  "no-path|del p['images'][0]['path']|images[0].path"
  "path-escapes|p['images'][0]['path']='../../escaped.txt'|images[0].path"
  "path-absolute|p['images'][0]['path']='$tmp/abs.png'|images[0].path"
  "path-other-top|p['images'][0]['path']='train.jsonl/x/y.png'|images[0].path"
  "path-control-char|p['images'][0]['path']='images/4cup/a\\tb.png'|images[0].path"
  "metadata-escapes|p['metadata'][0]['file_name']='images/../../../escaped.png'|metadata[0].file_name"
  "bad-sha|p['images'][0]['sha256']='xyz'|sha256"
  "records-not-object|p['records']=[]|records"
  "status-unknown|p['status']='maybe'|status"
  "total-negative|p['total']=-3|total"
  "not-json|None|expected JSON"
)
for c in "${cases[@]}"; do
  IFS='|' read -r name expr words <<<"$c"
  rm -rf "$tmp/bad" "$tmp/out" "$tmp/escaped.txt" "$tmp/escaped.png"
  cp -r "$tmp/good" "$tmp/bad"
  bad=$(ls "$tmp/bad/.parts/"*.json)
  python3 - "$bad" "$expr" <<'PY' || fail "$name: could not edit the part"
import json, sys
path, expr = sys.argv[1], sys.argv[2]
if expr == "None":
    open(path, "w").write('{"index": 0, "total": 1, "con')
else:
    p = json.load(open(path))
    exec(expr)
    json.dump(p, open(path, "w"))
PY
  "$misi" merge "$tmp/out" "$tmp/bad" 2>"$tmp/err"
  rc=$?
  [ $rc = 1 ] || { cat "$tmp/err" >&2; fail "$name: merge exit $rc, expected 1"; }
  grep -qF "$bad" "$tmp/err" || { cat "$tmp/err" >&2; fail "$name: the error does not name the part file"; }
  grep -qF "$words" "$tmp/err" || { cat "$tmp/err" >&2; fail "$name: the error does not say '$words'"; }
  [ ! -e "$tmp/out/manifest.json" ] || fail "$name: a manifest was written"
  [ ! -e "$tmp/escaped.txt" ] && [ ! -e "$tmp/escaped.png" ] && [ ! -e "$tmp/abs.png" ] ||
    fail "$name: a file was written outside the output folder"
  # the shard's own files were not touched either
  [ -z "$(find "$tmp" -maxdepth 1 -newer "$tmp/gen.err" -name '*.png')" ] || fail "$name: stray file in $tmp"
done
echo "ok: ${#cases[@]} malformed parts refused with the file and the field; nothing written outside --out"
