#!/usr/bin/env bash
# Option combinations that cannot mean what was typed are usage errors
# (exit 2) before anything is made: an empty --tasks list (alone or after
# another --tasks: it would silently mean all tasks, or the earlier list),
# --resume with --force, --no-verify without --resume.
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
echo "ok: empty task lists and contradictory options are usage errors"
