#!/usr/bin/env bash
# Parts only go together when they come from one run: misi merge refuses
# shards made over another list of complexes (same count, other order),
# --resume refuses to continue a run with another seed, options, renderer
# version or record format before doing any work, and a complex id given twice is skipped with a reason
# instead of writing colliding question ids.
# usage: run_identity.sh <misi> <assets folder>
set -u
misi=$1
assets=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
opts=(--size 48 --tasks translation --count translation=1/0 --split train --no-progress)

# shards over two orders of the same complexes
"$misi" generate "${opts[@]}" --shard 0/2 --out "$tmp/s0" "$assets/1hpv" "$assets/4cup" 2>/dev/null || fail "shard 0"
"$misi" generate "${opts[@]}" --shard 1/2 --out "$tmp/s1" "$assets/4cup" "$assets/1hpv" 2>/dev/null || fail "shard 1"
"$misi" merge "$tmp/m" "$tmp/s0" "$tmp/s1" 2>"$tmp/merge.err"
rc=$?
[ $rc = 1 ] || fail "merge of shards over different source lists: exit $rc, expected 1"
grep -q "source list" "$tmp/merge.err" || { cat "$tmp/merge.err" >&2; fail "merge did not say why"; }
[ ! -e "$tmp/m/manifest.json" ] || fail "merge wrote a manifest"

# --resume of the (unfinished) shard 0 with another seed: refused up front
before=$(ls "$tmp/s0/.parts")
"$misi" generate "${opts[@]}" --shard 0/2 --resume --seed 9 --out "$tmp/s0" "$assets/1hpv" "$assets/4cup" \
    2>"$tmp/resume.err"
rc=$?
[ $rc = 2 ] || { cat "$tmp/resume.err" >&2; fail "resume with another seed: exit $rc, expected 2"; }
grep -q "another seed" "$tmp/resume.err" || { cat "$tmp/resume.err" >&2; fail "resume did not say why"; }
[ "$(ls "$tmp/s0/.parts")" = "$before" ] || fail "resume with another seed changed the parts"
"$misi" generate "${opts[@]}" --shard 0/2 --resume --size 64 --out "$tmp/s0" "$assets/1hpv" "$assets/4cup" \
    2>"$tmp/resume2.err"
[ $? = 2 ] && grep -q "other options" "$tmp/resume2.err" || fail "resume with another size was not refused"
# parts drawn by another version of the renderer (render_version rewritten
# in a copy): refused, so old and new images never mix in one dataset
cp -a "$tmp/s0" "$tmp/old"
for f in "$tmp/old/.parts"/*.json; do
  sed -i 's/"render_version":[[:space:]]*[0-9]*/"render_version":1/' "$f"
done
grep -q '"render_version":1' "$tmp/old/.parts"/*.json || fail "no render_version in the parts"
"$misi" generate "${opts[@]}" --shard 0/2 --resume --out "$tmp/old" "$assets/1hpv" "$assets/4cup" 2>"$tmp/resume3.err"
[ $? = 2 ] && grep -q "another version of the renderer" "$tmp/resume3.err" ||
    { cat "$tmp/resume3.err" >&2; fail "resume over another renderer's parts was not refused"; }
# parts holding records of the shape before record_version 2 (the field
# removed in a copy, as an older misi wrote them): --resume refuses them,
# and so does misi merge, so records of two shapes never share one file
cp -a "$tmp/s0" "$tmp/v1"
for f in "$tmp/v1/.parts"/*.json; do
  sed -i 's/,"record_version":[[:space:]]*[0-9]*//' "$f"
done
grep -q '"record_version"' "$tmp/v1/.parts"/*.json && fail "record_version not removed from the parts"
"$misi" generate "${opts[@]}" --shard 0/2 --resume --out "$tmp/v1" "$assets/1hpv" "$assets/4cup" 2>"$tmp/resume4.err"
[ $? = 2 ] && grep -q "another version of the record format" "$tmp/resume4.err" ||
    { cat "$tmp/resume4.err" >&2; fail "resume over parts of the old record shape was not refused"; }
"$misi" generate "${opts[@]}" --shard 1/2 --out "$tmp/v1b" "$assets/1hpv" "$assets/4cup" 2>/dev/null ||
    fail "shard 1 of the same list"
for f in "$tmp/v1b/.parts"/*.json; do
  sed -i 's/,"record_version":[[:space:]]*[0-9]*//' "$f"
done
"$misi" merge "$tmp/mv1" "$tmp/v1" "$tmp/v1b" 2>"$tmp/merge4.err"
[ $? = 1 ] && grep -q "another record format" "$tmp/merge4.err" ||
    { cat "$tmp/merge4.err" >&2; fail "merge of parts of the old record shape was not refused"; }
[ ! -e "$tmp/mv1/train.jsonl" ] || fail "merge of old parts wrote train.jsonl"
# the same options still resume
"$misi" generate "${opts[@]}" --shard 0/2 --resume --out "$tmp/s0" "$assets/1hpv" "$assets/4cup" 2>/dev/null ||
    fail "resume with the same options failed"

# a repeated id
"$misi" generate "${opts[@]}" --out "$tmp/dup" "$assets/4cup" "$assets/4cup" 2>"$tmp/dup.err"
rc=$?
[ $rc = 1 ] || fail "repeated id: exit $rc, expected 1 (a skipped complex)"
grep -q "complex ids must be unique" "$tmp/dup.err" || { cat "$tmp/dup.err" >&2; fail "repeated id: no reason"; }
n=$(wc -l <"$tmp/dup/train.jsonl")
u=$(python3 -c 'import json,sys; print(len({json.loads(l)["id"] for l in open(sys.argv[1])}))' "$tmp/dup/train.jsonl")
[ "$n" = 1 ] && [ "$u" = 1 ] || fail "repeated id: $n records, $u distinct ids"
echo "ok: shards of other source lists and resumes with other options refused; repeated ids skipped"
