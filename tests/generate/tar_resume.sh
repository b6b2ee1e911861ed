#!/usr/bin/env bash
# --format tar keeps nothing twice and loses nothing: each shard's loose
# images are deleted once the shard is in place, and a run stopped or cut
# off while packing resumes from the shards it already wrote, to the bytes
# of an uninterrupted run. A shard that no longer matches its parts' hashes
# is refused by name, and a run started over with --force leaves no shard of
# the old run behind.
# usage: tar_resume.sh <misi> <assets folder>
set -u
misi=$1
assets=$2
tmp=$(mktemp -d)
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
opts=(--size 64 --tasks translation,rotation,pocket_ligand --seed 5 --no-progress --format tar --shard-images 20)

fail() { echo "FAIL: $*" >&2; exit 1; }

"$misi" generate "${opts[@]}" --out "$tmp/ref" "$assets" 2>/dev/null || fail "reference run"
nref=$(ls "$tmp/ref/shards" | wc -l)
[ "$nref" -ge 3 ] || fail "the reference has $nref shards; the test needs at least 3"
[ -e "$tmp/ref/images" ] && fail "the reference kept its loose images"

# 1. Stopped by SIGINT after its first complex, then resumed.
"$misi" generate "${opts[@]}" --out "$tmp/int" "$assets" 2>"$tmp/int.log" &
pid=$! n=0
until compgen -G "$tmp/int/.parts/*.json" >/dev/null; do
  sleep 0.05
  n=$((n + 1))
  [ $n -gt 1200 ] && fail "no part appeared"
  kill -0 $pid 2>/dev/null || break
done
kill -INT $pid 2>/dev/null
wait $pid
rc=$?
[ $rc = 130 ] || { cat "$tmp/int.log" >&2; fail "SIGINT gave exit $rc, expected 130"; }
compgen -G "$tmp/int/shards/*.tar" >/dev/null || fail "the stopped run packed no shard"
cp -a "$tmp/int" "$tmp/bad"
"$misi" generate "${opts[@]}" --resume --out "$tmp/int" "$assets" 2>"$tmp/int.log" ||
  { cat "$tmp/int.log" >&2; fail "resume after SIGINT"; }
diff -r "$tmp/ref" "$tmp/int" >/dev/null || fail "the resumed run differs from the reference"

# 2. The stopped run's first shard damaged: its images are gone for good,
#    and the resume says which one, and does not call the dataset complete.
printf 'X' | dd of="$tmp/bad/shards/images-000000.tar" bs=1 seek=1000 conv=notrunc status=none
"$misi" generate "${opts[@]}" --resume --out "$tmp/bad" "$assets" 2>"$tmp/bad.log" &&
  fail "a resume over a damaged shard succeeded"
grep -q 'images/.*\.png: missing' "$tmp/bad.log" || { cat "$tmp/bad.log" >&2; fail "no error naming the image"; }
grep -q '"complete":[[:space:]]*true' "$tmp/bad/manifest.json" && fail "a damaged run was marked complete"

# 3. Cut off while packing (shard 1 cannot be created): shard 0 is in place
#    and its loose images are gone, the rest are still there; once the
#    blocker goes, --resume assembles the reference bytes.
mkdir -p "$tmp/cut/shards/images-000001.tar.partial"
"$misi" generate "${opts[@]}" --out "$tmp/cut" "$assets" 2>"$tmp/cut.log" && fail "packing past a blocked shard succeeded"
[ -f "$tmp/cut/shards/images-000000.tar" ] || { cat "$tmp/cut.log" >&2; fail "shard 0 is not in place"; }
first=$(tar -tf "$tmp/cut/shards/images-000000.tar" | head -1)
[ -n "$first" ] || fail "shard 0 lists no member"
[ -e "$tmp/cut/$first" ] && fail "$first is both loose and in shard 0"
tar -tf "$tmp/ref/shards/images-000001.tar" | head -1 | while read -r m; do
  [ -f "$tmp/cut/$m" ] || fail "$m (for shard 1) was deleted before its shard was written"
done || exit 1
rmdir "$tmp/cut/shards/images-000001.tar.partial"
"$misi" generate "${opts[@]}" --resume --out "$tmp/cut" "$assets" 2>"$tmp/cut.log" ||
  { cat "$tmp/cut.log" >&2; fail "resume after a cut-off pack"; }
diff -r "$tmp/ref" "$tmp/cut" >/dev/null || fail "the run resumed after a cut-off pack differs from the reference"

# 4. Started over with larger shards: fewer shards, none of the old ones left.
big=("${opts[@]}")
big[${#big[@]}-1]=1000
"$misi" generate "${big[@]}" --out "$tmp/big" "$assets" 2>/dev/null || fail "run with large shards"
"$misi" generate "${big[@]}" --force --out "$tmp/ref" "$assets" 2>/dev/null || fail "--force over the reference"
diff -r "$tmp/big" "$tmp/ref" >/dev/null || fail "a run started over keeps files of the old one"
echo "ok: tar runs resume from their shards, drop packed images and leave no stale shard"
