#!/usr/bin/env bash
# One writer at a time: while a run holds --out (held still with SIGSTOP
# once it has taken its lock), a second generate, a --resume and a merge
# into the same folder are refused at once, naming the holder's PID, and
# change nothing; the first run then finishes as if alone. A run killed
# with kill -9 leaves its lock to the kernel: --resume takes it over.
# usage: lock.sh <misi> <assets folder>
set -u
misi=$1
assets=$2
tmp=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill -CONT $pid 2>/dev/null; rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
opts=(--size 48 --tasks translation,rotation --seed 5 --no-progress)

"$misi" generate "${opts[@]}" --out "$tmp/ref" "$assets" 2>/dev/null || fail "reference run"

# start a run and hold it still once its lock file names it
start_held() {
  "$misi" generate "${opts[@]}" --out "$1" "$assets" 2>"$1.log" &
  pid=$!
  local n=0
  until [ "$(cat "$1/.misi-lock" 2>/dev/null)" = "$pid" ]; do
    sleep 0.02
    n=$((n + 1))
    [ $n -gt 3000 ] && fail "the run never wrote its PID into $1/.misi-lock"
    kill -0 $pid 2>/dev/null || fail "the run ended before it could be held"
  done
  kill -STOP $pid
}

start_held "$tmp/a"
ls -A "$tmp/a" >"$tmp/a.before"
for cmd in "generate" "generate --resume" "generate --force" "merge"; do
  if [ "$cmd" = merge ]; then
    "$misi" merge "$tmp/a" "$tmp/ref" 2>"$tmp/e"
  else
    # shellcheck disable=SC2086
    "$misi" ${cmd} "${opts[@]}" --out "$tmp/a" "$assets" 2>"$tmp/e"
  fi
  rc=$?
  [ $rc -ne 0 ] || fail "misi $cmd ran beside a writer"
  grep -q "another misi process (PID $pid) is writing here" "$tmp/e" || { cat "$tmp/e" >&2; fail "misi $cmd: no message naming PID $pid"; }
done
ls -A "$tmp/a" | cmp -s - "$tmp/a.before" || fail "the refused writers changed the folder"
kill -CONT $pid
wait $pid || { cat "$tmp/a.log" >&2; fail "the held run failed"; }
pid=
diff -r "$tmp/ref" "$tmp/a" >/dev/null || fail "the held run differs from the reference"

# kill -9 while holding the lock: the kernel releases it
start_held "$tmp/k"
kill -9 $pid
wait $pid 2>/dev/null
pid=
"$misi" generate "${opts[@]}" --resume --out "$tmp/k" "$assets" 2>"$tmp/e" || { cat "$tmp/e" >&2; fail "resume after kill -9 of the lock holder"; }
diff -r "$tmp/ref" "$tmp/k" >/dev/null || fail "the run resumed after kill -9 differs from the reference"
echo "ok: a second writer is refused naming the holder"
