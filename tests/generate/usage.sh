#!/usr/bin/env bash
# Option combinations that cannot mean what was typed are usage errors
# (exit 2) before anything is made: an empty --tasks list (alone or after
# another --tasks: it would silently mean all tasks, or the earlier list),
# --resume with --force, --no-verify without --resume. A bad value names the
# valid choices (task names for --tasks and --count), in generate, bench and
# audit alike.
# usage: usage.sh <misi> <assets folder>
set -u
misi=$1
assets=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
cases=(
  "--tasks |--tasks needs at least one task"
  "--tasks translation --tasks |--tasks needs at least one task"
  "--tasks ,, |--tasks needs at least one task"
  "--resume --force |give one"
  "--no-verify |only applies to --resume"
  "--split dev |expected train, test or both"
  "--format zip |expected files or tar"
  "--preset big |expected paper"
  "--style cartoon |expected ball-and-stick, stick or spacefill"
  "--labels off |expected on or paper"
  "--size 8 |expected N (16..16384) or WxH"
  "--shard 2/2 |expected K/N with 0 <= K < N"
  "--tasks 1,docks |unknown task 'docks': expected one of translation, rotation, zooming, residue_ligand, translation_rotation, rotation_rotation, docking, interaction_location, pocket_ligand"
  "--count 10=3 |unknown task '10': expected one of translation,"
  "--count docking |expected TASK=N or TASK=N/M"
)
for c in "${cases[@]}"; do
  args=${c%%|*} words=${c#*|}
  # shellcheck disable=SC2086
  "$misi" generate --no-progress --size 32 $args "" --out "$tmp/o" "$assets/4cup" 2>"$tmp/e"
  rc=$?
  # ("" above is the empty value of a trailing --tasks, or an empty source path)
  [ $rc = 2 ] || { cat "$tmp/e" >&2; fail "'$args' gave exit $rc, expected 2"; }
  grep -q -- "$words" "$tmp/e" || { cat "$tmp/e" >&2; fail "'$args': no message with '$words'"; }
  [ -e "$tmp/o" ] && fail "'$args' made the output folder"
done
for c in "bench --png gzip|expected zlib or libdeflate" "bench --labels paper|expected on or off" \
         "audit --tasks 0 $tmp|unknown task '0': expected one of translation," \
         "render --style cartoon $assets/4cup|ball-and-stick, stick or spacefill"; do
  args=${c%%|*} words=${c#*|}
  # shellcheck disable=SC2086
  "$misi" $args 2>"$tmp/e" >/dev/null
  rc=$?
  [ $rc != 0 ] || fail "'$args' succeeded"
  grep -q -- "$words" "$tmp/e" || { cat "$tmp/e" >&2; fail "'$args': no message with '$words'"; }
done
echo "ok: empty task lists and contradictory options are usage errors"
