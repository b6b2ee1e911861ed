#!/usr/bin/env bash
# misi generate onto a full disk (a 300 KB tmpfs): a clear error naming the
# file, a failing exit status, no manifest, and no file under a final name
# that is cut short (writes go to a temporary and are renamed when whole).
# The run finished no complex, so it leaves nothing: the folder it made
# goes, and in a folder of the user's (--force) the user's files stay as
# they were and nothing of misi's stays.
# Needs root for the mount: skips (77) where mounting is not allowed.
# usage: full_disk.sh <misi> <assets folder>
set -u
misi=$1
assets=$2
mnt=$(mktemp -d)
cleanup() { umount "$mnt" 2>/dev/null; rmdir "$mnt" 2>/dev/null; }
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
if ! mount -t tmpfs -o size=300k tmpfs "$mnt" 2>/dev/null; then
  echo "SKIP: cannot mount a tmpfs here (needs root)"
  exit 77
fi
"$misi" generate --size 256 --tasks translation,rotation --no-progress --out "$mnt/out" "$assets/1hpv" 2>"$mnt.err"
rc=$?
cat "$mnt.err"
[ $rc = 1 ] || fail "exit $rc on a full disk, expected 1"
grep -qiE "No space left on device" "$mnt.err" || fail "the error does not say the disk is full"
grep -qE "$mnt/out/[^ ]+: " "$mnt.err" || fail "the error does not name the file"
[ ! -e "$mnt/out/manifest.json" ] || fail "a manifest was written for a failed run"
# every PNG under a final name is whole: it ends with the IEND chunk
while IFS= read -r -d '' f; do
  tail -c 8 "$f" | od -An -c | tr -d ' \n' | grep -q "IEND" || fail "truncated image $f"
done < <(find "$mnt/out" -name '*.png' -print0 2>/dev/null)
[ -z "$(find "$mnt/out" -name '*.tmp.*' 2>/dev/null)" ] || fail "temporary files were left"
[ ! -e "$mnt/out" ] || { find "$mnt/out" >&2; fail "the folder the failed run made is still there"; }

mkdir "$mnt/mine"
echo "notes" >"$mnt/mine/notes.txt"
before=$(cd "$mnt/mine" && find . -printf '%p %s\n' | sort)
"$misi" generate --size 256 --tasks translation,rotation --no-progress --force --out "$mnt/mine" \
  "$assets/1hpv" 2>"$mnt.err"
rc=$?
[ $rc = 1 ] || { cat "$mnt.err"; fail "--force into a user's folder on a full disk: exit $rc, expected 1"; }
after=$(cd "$mnt/mine" && find . -printf '%p %s\n' | sort)
[ "$after" = "$before" ] || { echo "$after" >&2; fail "the user's folder changed"; }
rm -f "$mnt.err"
echo "ok: a full disk gives a clear error, no half-written file and nothing left behind"
