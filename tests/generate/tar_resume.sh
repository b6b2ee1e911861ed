#!/usr/bin/env bash
# --format tar keeps nothing twice and loses nothing: each shard's loose
# images are deleted once the shard is in place, and a run stopped or cut
# off while packing resumes from the shards it already wrote, to the bytes
# of an uninterrupted run. A shard that no longer holds an image with its
# part's hash (a flipped byte, a broken header) is found by --resume, which
# names the image and renders its complex again, to the same bytes. A run
# started over with --force leaves no shard of the old run behind.
# usage: tar_resume.sh <misi> <assets folder>
set -u
misi=$1
assets=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
base=(--size 64 --tasks translation,rotation,pocket_ligand --seed 5 --no-progress --format tar --no-label-check)
opts=("${base[@]}" --shard-images 7)

fail() { echo "FAIL: $*" >&2; exit 1; }

"$misi" generate "${opts[@]}" --out "$tmp/ref" "$assets" 2>/dev/null || fail "reference run"
nref=$(ls "$tmp/ref/shards" | wc -l)
[ "$nref" -ge 6 ] || fail "the reference has $nref shards; the test needs at least 6"
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
nint=$(ls "$tmp/int/shards" | wc -l)
[ "$nint" -ge 2 ] || fail "the stopped run packed $nint shards; the test needs at least 2"
[ -z "$(find "$tmp/int" -name '*.png')" ] || fail "the stopped run kept loose images of what it packed"
cp -a "$tmp/int" "$tmp/bad"
cp -a "$tmp/int" "$tmp/hdr"
"$misi" generate "${opts[@]}" --resume --out "$tmp/int" "$assets" 2>"$tmp/int.log" ||
  { cat "$tmp/int.log" >&2; fail "resume after SIGINT"; }
diff -r "$tmp/ref" "$tmp/int" >/dev/null || fail "the resumed run differs from the reference"

# 2. The stopped run's last shard damaged: an image in it no longer has its
#    part's hash. --resume finds it before rendering, names it, renders its
#    complex again and ends at the reference bytes.
last=$(ls "$tmp/bad/shards" | tail -1)
first=$(tar -tf "$tmp/bad/shards/$last" | head -1)
byte=$(dd if="$tmp/bad/shards/$last" bs=1 skip=600 count=1 status=none | od -An -tu1 | tr -d ' ')
printf "\\$(printf %03o $(((byte + 1) % 256)))" |
  dd of="$tmp/bad/shards/$last" bs=1 seek=600 conv=notrunc status=none
"$misi" generate "${opts[@]}" --resume --out "$tmp/bad" "$assets" 2>"$tmp/bad.log" ||
  { cat "$tmp/bad.log" >&2; fail "resume over a damaged shard"; }
grep -q "$first does not match .*in a shard: rendering complex .* again" "$tmp/bad.log" ||
  { cat "$tmp/bad.log" >&2; fail "no message naming $first"; }
diff -r "$tmp/ref" "$tmp/bad" >/dev/null || fail "the run resumed over a damaged shard differs from the reference"

# 3. A damaged header (the second member's checksum) in the stopped run's
#    first shard: the members from there on cannot be found, their
#    complexes are rendered again, starting with the second member's.
f="$tmp/hdr/shards/images-000000.tar"
size0=$(tar -tvf "$f" | head -1 | awk '{print $3}')
second=$(tar -tf "$f" | sed -n 2p)
printf 'X' | dd of="$f" bs=1 seek=$((512 + (size0 + 511) / 512 * 512 + 148)) conv=notrunc status=none
"$misi" generate "${opts[@]}" --resume --out "$tmp/hdr" "$assets" 2>"$tmp/hdr.log" ||
  { cat "$tmp/hdr.log" >&2; fail "resume over a shard with a broken header"; }
grep -q "rendering complex $(echo "$second" | cut -d/ -f2) again" "$tmp/hdr.log" ||
  { cat "$tmp/hdr.log" >&2; fail "no message for the complex of $second"; }
diff -r "$tmp/ref" "$tmp/hdr" >/dev/null || fail "the run resumed over a broken header differs from the reference"

# 4. Cut off while packing (shard 2 cannot be created): shards 0 and 1 are
#    in place and their loose images are gone, the rest are still there;
#    once the blocker goes, --resume assembles the reference bytes.
#    (The blocker makes the new folder non-empty and not yet misi's, so
#    the first run needs --force, which replaces nothing there.)
mkdir -p "$tmp/cut/shards/images-000002.tar.partial"
"$misi" generate "${opts[@]}" --force --out "$tmp/cut" "$assets" 2>"$tmp/cut.log" && fail "packing past a blocked shard succeeded"
for s in 0 1; do
  f="$tmp/cut/shards/images-00000$s.tar"
  [ -f "$f" ] || { cat "$tmp/cut.log" >&2; fail "shard $s is not in place"; }
  for m in $(tar -tf "$f"); do
    [ -e "$tmp/cut/$m" ] && fail "$m is both loose and in shard $s"
  done
done
for m in $(tar -tf "$tmp/ref/shards/images-000002.tar"); do
  [ -f "$tmp/cut/$m" ] || fail "$m (for shard 2) was deleted before its shard was written"
done
rmdir "$tmp/cut/shards/images-000002.tar.partial"
"$misi" generate "${opts[@]}" --resume --out "$tmp/cut" "$assets" 2>"$tmp/cut.log" ||
  { cat "$tmp/cut.log" >&2; fail "resume after a cut-off pack"; }
diff -r "$tmp/ref" "$tmp/cut" >/dev/null || fail "the run resumed after a cut-off pack differs from the reference"

# 5. Started over with larger shards, then as loose files: none of the old
#    shards are left.
"$misi" generate "${base[@]}" --shard-images 1000 --out "$tmp/big" "$assets" 2>/dev/null || fail "run with large shards"
"$misi" generate "${base[@]}" --shard-images 1000 --force --out "$tmp/ref" "$assets" 2>/dev/null ||
  fail "--force over the reference"
diff -r "$tmp/big" "$tmp/ref" >/dev/null || fail "a run started over keeps shards of the old one"
"$misi" generate "${base[@]/tar/files}" --force --out "$tmp/ref" "$assets" 2>/dev/null || fail "--force as loose files"
[ -e "$tmp/ref/shards" ] && [ -n "$(ls "$tmp/ref/shards")" ] && fail "a loose-file run kept the old run's shards"
echo "ok: tar runs resume from their shards, drop packed images and leave no stale shard"
