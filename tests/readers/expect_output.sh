#!/usr/bin/env bash
# Runs a command that must succeed (or exit with the given status) and whose
# stdout + stderr must match every pattern (grep -E), and none of the
# --absent ones.
# usage: expect_output.sh [--status N] [--absent PATTERN]... PATTERN... -- <program> [args...]
set -u
want=0
pats=()
absent=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do
  case $1 in
    --status) want=$2; shift 2 ;;
    --absent) absent+=("$2"); shift 2 ;;
    *) pats+=("$1"); shift ;;
  esac
done
[ $# -gt 1 ] || { echo "usage: expect_output.sh [--status N] PATTERN... -- <program> [args...]" >&2; exit 2; }
shift
out=$("$@" 2>&1)
status=$?
fail() { printf 'FAIL: %s\n--- output ---\n%s\n---\n' "$1" "$out" >&2; exit 1; }
[ "$status" = "$want" ] || fail "exit status $status, expected $want"
case $out in *AddressSanitizer*|*LeakSanitizer*|*"runtime error"*) fail "a sanitizer reported a problem" ;; esac
for p in "${pats[@]}"; do
  grep -Eq -- "$p" <<<"$out" || fail "no line matches '$p'"
done
for p in "${absent[@]}"; do
  grep -Eq -- "$p" <<<"$out" && fail "a line matches '$p', which must be absent"
done
printf '%s\n' "$out"
exit 0
