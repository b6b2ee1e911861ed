#!/usr/bin/env bash
# --force gives exactly what a fresh run gives (diff -r empty): a run at
# another image size, of other tasks or in the other format leaves no file
# behind. --resume of a finished dataset changes nothing and says so.
# usage: force_fresh.sh <misi> <assets folder>
set -u
misi=$1
assets=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
opts=(--tasks translation,rotation,pocket_ligand --seed 5 --no-progress)
srcs=("$assets/4cup" "$assets/1hpv" "$assets/1cs4")

"$misi" generate "${opts[@]}" --size 64 --out "$tmp/fresh" "${srcs[@]}" 2>/dev/null || fail "fresh run"

# earlier runs that differ in size, tasks, format, split; each then forced
# over by the fresh run's options
earlier=(
  "--size 48"
  "--size 96 --tasks translation"
  "--size 64 --format tar --shard-images 5"
  "--size 48 --split train"
)
for e in "${earlier[@]}"; do
  d="$tmp/over"
  rm -rf "$d"
  # shellcheck disable=SC2086
  "$misi" generate "${opts[@]}" $e --out "$d" "${srcs[@]}" 2>/dev/null || fail "earlier run ($e)"
  "$misi" generate "${opts[@]}" --size 64 --force --out "$d" "${srcs[@]}" 2>"$tmp/e" || { cat "$tmp/e" >&2; fail "--force over ($e)"; }
  diff -r "$tmp/fresh" "$d" >&2 || fail "--force over a run with $e differs from a fresh run"
done

# a stopped run (its parts and partial manifest) forced over
"$misi" generate "${opts[@]}" --size 48 --shard 0/1 --out "$tmp/parts" "${srcs[@]}" 2>/dev/null || fail "shard run"
"$misi" generate "${opts[@]}" --size 64 --force --out "$tmp/parts" "${srcs[@]}" 2>/dev/null || fail "--force over a shard folder"
diff -r "$tmp/fresh" "$tmp/parts" >&2 || fail "--force over parts differs from a fresh run"

# a run killed while writing a complex's images, before its part: those
# images are listed only in .parts/NNNNNN-<id>.images, and --force removes
# them too
"$misi" generate "${opts[@]}" --size 256 --out "$tmp/killed" "${srcs[@]}" 2>/dev/null &
pid=$! n=0 caught=
orphan() { # an image listed by a .images record, on disk, held still
  local rec img
  for rec in "$tmp/killed/.parts/"*.images; do
    [ -f "$rec" ] || continue
    while read -r img; do
      [ -f "$tmp/killed/$img" ] && return 0
    done <"$rec"
  done
  return 1
}
while [ -z "$caught" ]; do
  n=$((n + 1))
  [ $n -gt 3000 ] && fail "never caught the run between a complex's images and its part"
  kill -0 $pid 2>/dev/null || fail "the run ended before it was caught between images and part"
  if orphan; then
    kill -STOP $pid
    orphan && caught=1 || kill -CONT $pid
  else
    sleep 0.01
  fi
done
kill -9 $pid
wait $pid 2>/dev/null
"$misi" generate "${opts[@]}" --size 64 --force --out "$tmp/killed" "${srcs[@]}" 2>"$tmp/e" || { cat "$tmp/e" >&2; fail "--force over a killed run"; }
diff -r "$tmp/fresh" "$tmp/killed" >&2 || fail "--force over a run killed mid-complex differs from a fresh run"

# --resume of the finished dataset: nothing to do, nothing changed
touch -d '2001-01-01' "$tmp/fresh/manifest.json"
"$misi" generate "${opts[@]}" --size 64 --resume --out "$tmp/fresh" "${srcs[@]}" 2>"$tmp/e" || { cat "$tmp/e" >&2; fail "resume of a finished dataset"; }
grep -q 'complete already .*nothing to do' "$tmp/e" || { cat "$tmp/e" >&2; fail "resume of a finished dataset did not say so"; }
[ "$(date -r "$tmp/fresh/manifest.json" +%Y)" = 2001 ] || fail "resume of a finished dataset rewrote its manifest"
"$misi" generate "${opts[@]}" --size 64 --out "$tmp/fresh2" "${srcs[@]}" 2>/dev/null || fail "second fresh run"
diff -r "$tmp/fresh" "$tmp/fresh2" >&2 || fail "the finished dataset after --resume differs from a fresh run"
# another configuration is not "complete already"
"$misi" generate "${opts[@]}" --size 48 --resume --out "$tmp/fresh" "${srcs[@]}" 2>"$tmp/e" && fail "resume with another size succeeded"
grep -q 'made with other options' "$tmp/e" || { cat "$tmp/e" >&2; fail "resume with another size: no reason"; }
echo "ok: --force equals a fresh run; resume of a finished dataset is a no-op"
