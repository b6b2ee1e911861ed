#!/usr/bin/env bash
# Failed commands leave nothing behind but what they report: generate, merge
# and render that fail before finishing anything remove the folders and
# files they made (the lock, .parts, image folders) and never a file they
# did not make; a folder that was there stays, as it was; and the next run
# into the same --out starts clean instead of finding an "unfinished run".
# (A failure in the middle of the first complex: full_disk.sh.)
# usage: leftovers.sh <misi> <assets folder>
set -u
misi=$1
assets=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
opts=(--no-progress --tasks translation --count translation=1/1)
# listing of a folder, hidden entries and contents included
state() { (cd "$1" && find . -printf '%p %s\n' | sort); }
fails() { # fails <what> <command...>: it must exit non-zero
  local what=$1; shift
  "$@" >"$tmp/out" 2>"$tmp/err" && { cat "$tmp/err" >&2; fail "$what: succeeded"; }
  return 0
}

# generate: an image size the GL cannot draw, a bad value, a missing folder,
# a device that is not there -- into a new folder, a new nested one, an
# empty one: nothing is made
for args in "--size 9000" "--size 0" "--device 60" "$tmp/no-such-folder"; do
  # shellcheck disable=SC2086
  fails "generate $args" "$misi" generate "${opts[@]}" --out "$tmp/new" $args "$assets/1hpv"
  [ ! -e "$tmp/new" ] || { find "$tmp/new" >&2; fail "generate $args left $tmp/new"; }
  # shellcheck disable=SC2086
  fails "generate $args (nested)" "$misi" generate "${opts[@]}" --out "$tmp/a/b/c" $args "$assets/1hpv"
  [ ! -e "$tmp/a" ] || { find "$tmp/a" >&2; fail "generate $args left $tmp/a"; }
done
mkdir "$tmp/empty"
fails "generate --size 9000 into an empty folder" "$misi" generate "${opts[@]}" --size 9000 --out "$tmp/empty" \
  "$assets/1hpv"
[ -d "$tmp/empty" ] || fail "the empty folder that was there went"
[ -z "$(ls -A "$tmp/empty")" ] || { ls -A "$tmp/empty" >&2; fail "generate left files in an empty folder"; }

# after those failures the next run into the same --out starts clean
"$misi" generate "${opts[@]}" --size 64 --out "$tmp/new" "$assets/1hpv" 2>"$tmp/err" ||
  { cat "$tmp/err" >&2; fail "a run into a clean --out failed"; }
[ -f "$tmp/new/manifest.json" ] || fail "no manifest from the run after"

# merge: a missing shard folder, a folder that is no shard -- no folder made;
# into an empty folder that was there: it stays, empty
mkdir "$tmp/noshard"
fails "merge a missing shard" "$misi" merge "$tmp/merged" "$tmp/no-such-shard"
[ ! -e "$tmp/merged" ] || fail "merge of a missing shard left $tmp/merged"
fails "merge a folder that is no shard" "$misi" merge "$tmp/merged" "$tmp/noshard"
[ ! -e "$tmp/merged" ] || fail "merge of a non-shard left $tmp/merged"
mkdir "$tmp/merge-empty"
fails "merge into an empty folder" "$misi" merge "$tmp/merge-empty" "$tmp/noshard"
[ -d "$tmp/merge-empty" ] && [ -z "$(ls -A "$tmp/merge-empty")" ] || fail "merge changed an empty folder"

# render: a size the GL cannot draw, a view that cannot be drawn -- no folder
fails "render --size 9000" "$misi" render --size 9000 --out "$tmp/views" "$assets/1hpv"
[ ! -e "$tmp/views" ] || fail "render --size 9000 left $tmp/views"
fails "render an impossible view" "$misi" render --view "move z 500" --out "$tmp/views/deep" "$assets/1hpv"
[ ! -e "$tmp/views" ] || { find "$tmp/views" >&2; fail "render of an impossible view left $tmp/views"; }
echo "ok: failed generate, merge and render leave nothing but their report"
