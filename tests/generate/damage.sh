#!/usr/bin/env bash
# Damage on disk never reaches a dataset marked complete. An image that an
# earlier run recorded and that is now truncated, emptied or gone is found
# by --resume (its complex is rendered again, ending byte-identical to an
# undamaged run), also in a tar run and in a finished dataset; misi merge
# refuses a damaged shard, naming the shard folder and the file, and writes
# no manifest. --no-verify skips the check (and so keeps the damage: that is
# what it is for).
# usage: damage.sh <misi> <assets folder>
set -u
misi=$1
assets=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
opts=(--size 48 --tasks translation,rotation --seed 5 --no-progress)
srcs=("$assets/4cup" "$assets/1hpv" "$assets/1cs4")

# an image a part records (the first of part $2 in folder $1)
recorded() { python3 -c 'import json,glob,sys; p=sorted(glob.glob(sys.argv[1]+"/.parts/*.json"))[int(sys.argv[2])]; print(json.load(open(p))["images"][0]["path"])' "$1" "$2"; }

# 1. Shard folders keep their parts: damage an image two ways, resume,
#    and the folder is the undamaged one again.
"$misi" generate "${opts[@]}" --shard 0/1 --out "$tmp/ref" "${srcs[@]}" 2>/dev/null || fail "reference shard"
"$misi" merge "$tmp/ref.m" "$tmp/ref" 2>/dev/null || fail "merge of the reference shard"
for how in truncate empty remove; do
  d="$tmp/$how"
  cp -a "$tmp/ref" "$d"
  img=$(recorded "$d" 1)
  case $how in
    truncate) truncate -s 100 "$d/$img" ;;
    empty) : >"$d/$img" ;;
    remove) rm "$d/$img" ;;
  esac
  "$misi" generate "${opts[@]}" --shard 0/1 --resume --out "$d" "${srcs[@]}" 2>"$tmp/e" ||
    { cat "$tmp/e" >&2; fail "resume over a $how image"; }
  grep -q "$img .*rendering complex .* again" "$tmp/e" || { cat "$tmp/e" >&2; fail "the $how image was not named"; }
  # (a part lists its images in the order the writer threads finished them:
  # parts are compared through what they assemble to)
  diff -r -x .parts "$tmp/ref" "$d" >/dev/null || fail "the images after a $how image and --resume differ from the reference"
  "$misi" merge "$tmp/$how.m" "$d" 2>/dev/null || fail "merge after a $how image and --resume"
  diff -r "$tmp/ref.m" "$tmp/$how.m" >/dev/null || fail "the dataset after a $how image and --resume differs from the reference"
done

# 2. merge refuses a damaged shard, naming the folder and the file.
cp -a "$tmp/ref" "$tmp/bad"
img=$(recorded "$tmp/bad" 2)
truncate -s 64 "$tmp/bad/$img"
"$misi" merge "$tmp/merged" "$tmp/bad" 2>"$tmp/e" && fail "merge of a damaged shard succeeded"
grep -q "$tmp/bad: $img does not match the SHA-256" "$tmp/e" || { cat "$tmp/e" >&2; fail "merge did not name the shard and file"; }
[ -e "$tmp/merged/manifest.json" ] && fail "a failed merge left a manifest"
: >"$tmp/bad/$img"
"$misi" merge "$tmp/merged" "$tmp/bad" 2>"$tmp/e" && fail "merge of an emptied image succeeded"
grep -q "$img does not match" "$tmp/e" || { cat "$tmp/e" >&2; fail "merge did not name the emptied file"; }
# into the damaged shard itself (out is one of the inputs): refused too
"$misi" merge "$tmp/bad" "$tmp/bad" 2>"$tmp/e" && fail "merge into the damaged shard succeeded"
grep -q "$img does not match" "$tmp/e" || { cat "$tmp/e" >&2; fail "merge into itself did not name the file"; }
[ -e "$tmp/bad/manifest.json" ] && fail "a failed merge into a shard left a manifest"

# 3. A finished dataset: --resume checks it and does nothing; damaged, it
#    is made again, to the same bytes.
"$misi" generate "${opts[@]}" --out "$tmp/full" "${srcs[@]}" 2>/dev/null || fail "full run"
cp -a "$tmp/full" "$tmp/full.ref"
"$misi" generate "${opts[@]}" --resume --out "$tmp/full" "${srcs[@]}" 2>"$tmp/e" || { cat "$tmp/e" >&2; fail "resume of a finished dataset"; }
grep -q 'complete already (every file matches its SHA-256): nothing to do' "$tmp/e" || { cat "$tmp/e" >&2; fail "resume of a finished dataset did not say so"; }
diff -r "$tmp/full.ref" "$tmp/full" >/dev/null || fail "resume of a finished dataset changed it"
img=$(cd "$tmp/full" && find images -name '*.png' | sort | head -1)
truncate -s 10 "$tmp/full/$img"
"$misi" generate "${opts[@]}" --resume --no-verify --out "$tmp/full" "${srcs[@]}" 2>"$tmp/e" || fail "resume --no-verify"
grep -q 'not checked: --no-verify' "$tmp/e" || { cat "$tmp/e" >&2; fail "--no-verify did not say the dataset was not checked"; }
"$misi" generate "${opts[@]}" --resume --out "$tmp/full" "${srcs[@]}" 2>"$tmp/e" || { cat "$tmp/e" >&2; fail "resume of a damaged finished dataset"; }
grep -q "first: $img does not match its SHA-256" "$tmp/e" || { cat "$tmp/e" >&2; fail "the damaged file of the finished dataset was not named"; }
diff -r "$tmp/full.ref" "$tmp/full" >/dev/null || fail "the finished dataset made again differs"

# 4. Tar: a stopped tar run (SIGINT after its first part) whose loose image
#    was emptied (as kill -9 on a file system without fsync can leave it):
#    the resume renders it again and packs no empty member.
tops=("${opts[@]}" --format tar --shard-images 4)
"$misi" generate "${tops[@]}" --out "$tmp/tref" "$assets" 2>/dev/null || fail "tar reference"
"$misi" generate "${tops[@]}" --out "$tmp/tint" "$assets" 2>"$tmp/e" &
pid=$! n=0
until compgen -G "$tmp/tint/.parts/*.json" >/dev/null; do
  sleep 0.05
  n=$((n + 1))
  [ $n -gt 1200 ] && fail "no part appeared"
done
kill -STOP $pid
# the first part's first image, still loose: empty it while the run is held
img=$(recorded "$tmp/tint" 0)
[ -f "$tmp/tint/$img" ] || { kill -CONT $pid; fail "the test needs $img loose"; }
: >"$tmp/tint/$img"
kill -9 $pid
wait $pid 2>/dev/null
"$misi" generate "${tops[@]}" --resume --out "$tmp/tint" "$assets" 2>"$tmp/e" || { cat "$tmp/e" >&2; fail "tar resume over an emptied image"; }
grep -q "$img .*rendering complex .* again" "$tmp/e" || { cat "$tmp/e" >&2; fail "the emptied image of the tar run was not named"; }
diff -r "$tmp/tref" "$tmp/tint" >/dev/null || fail "the tar run resumed over an emptied image differs"
echo "ok: damaged images are caught on resume and merge"
