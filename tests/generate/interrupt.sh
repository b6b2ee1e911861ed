#!/usr/bin/env bash
# misi generate interrupted by SIGINT, SIGTERM and kill -9, then continued
# with --resume, ends byte-identical to an uninterrupted run. Each signal
# must land while the run is going (the run has seven complexes and the
# signal follows the first one's part), so the test cannot pass by the run
# finishing first.
# usage: interrupt.sh <misi> <assets folder>
set -u
misi=$1
assets=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
opts=(--size 64 --tasks translation,rotation,pocket_ligand --seed 5 --no-progress --no-label-check)
srcs=("$assets")

fail() { echo "FAIL: $*" >&2; exit 1; }

"$misi" generate "${opts[@]}" --out "$tmp/ref" "${srcs[@]}" 2>/dev/null || fail "reference run"

# Start a run and send a signal once its first complex is finished.
interrupt() { # $1 = out folder, $2 = signal
  "$misi" generate "${opts[@]}" --out "$1" "${srcs[@]}" 2>"$1.log" &
  local pid=$! n=0
  until compgen -G "$1/.parts/*.json" >/dev/null; do
    sleep 0.05
    n=$((n + 1))
    [ $n -gt 1200 ] && fail "no part appeared in $1"
    kill -0 $pid 2>/dev/null || break
  done
  kill -"$2" $pid 2>/dev/null
  wait $pid
  echo $?
}

for sig in INT TERM; do
  dir="$tmp/$sig"
  rc=$(interrupt "$dir" $sig)
  echo "SIG$sig: exit $rc"
  want=$([ $sig = INT ] && echo 130 || echo 143)
  [ "$rc" = "$want" ] || { cat "$dir.log" >&2; fail "SIG$sig gave exit $rc, expected $want"; }
  grep -q '"complete":[[:space:]]*false' "$dir/manifest.json" || fail "no partial manifest after SIG$sig"
  "$misi" generate "${opts[@]}" --out "$dir" "${srcs[@]}" 2>/dev/null &&
    fail "an unfinished run was overwritten without --resume"
  "$misi" generate "${opts[@]}" --resume --out "$dir" "${srcs[@]}" 2>/dev/null || fail "resume after SIG$sig"
  cmp "$tmp/ref/manifest.json" "$dir/manifest.json" || fail "resumed run (SIG$sig) differs"
done

rc=$(interrupt "$tmp/kill" KILL)
echo "kill -9: exit $rc"
[ "$rc" = 137 ] || fail "kill -9 gave exit $rc, expected 137"
"$misi" generate "${opts[@]}" --resume --out "$tmp/kill" "${srcs[@]}" 2>/dev/null || fail "resume after kill -9"
cmp "$tmp/ref/manifest.json" "$tmp/kill/manifest.json" || fail "resumed run (kill -9) differs"
diff -r "$tmp/ref" "$tmp/kill" >/dev/null || fail "files differ after kill -9 and resume"
echo "ok: interrupted runs resumed to the reference bytes"
