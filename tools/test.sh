#!/usr/bin/env bash
# The whole test suite: a normal build and an AddressSanitizer + UBSan build,
# each configured if missing, built and run with `meson test`, then every
# fuzz target for MISI_FUZZ_SECONDS seconds (tools/fuzz.sh). GL tests must
# not skip here (MISI_REQUIRE_GL=1): CI runs them on Mesa's llvmpipe.
# Last, the Slurm suite: a one-node cluster on localhost (tests/slurm).
# The last line is the total: "N passed, N failed".
set -u
cd "$(dirname "$0")/.."
root=$(pwd)

export MISI_REQUIRE_GL=1
# Likewise the Slurm integration test must run, not skip: install-deps.sh
# installs slurm-wlm and munge.
export MISI_REQUIRE_SLURM=1
export LSAN_OPTIONS="suppressions=$root/tests/lsan.supp:print_suppressions=0"

passed=0
failed=0
failed_before=0
skipped=0

count() { # $1 = meson testlog summary text, $2 = label
  failed_before=$failed
  local ok xf fail up to sk
  ok=$(sed -n 's/^Ok: *\([0-9]*\).*/\1/p' <<<"$1" | tail -n1)
  xf=$(sed -n 's/^Expected Fail: *\([0-9]*\).*/\1/p' <<<"$1" | tail -n1)
  fail=$(sed -n 's/^Fail: *\([0-9]*\).*/\1/p' <<<"$1" | tail -n1)
  up=$(sed -n 's/^Unexpected Pass: *\([0-9]*\).*/\1/p' <<<"$1" | tail -n1)
  to=$(sed -n 's/^Timeout: *\([0-9]*\).*/\1/p' <<<"$1" | tail -n1)
  sk=$(sed -n 's/^Skipped: *\([0-9]*\).*/\1/p' <<<"$1" | tail -n1)
  passed=$((passed + ${ok:-0} + ${xf:-0}))
  failed=$((failed + ${fail:-0} + ${up:-0} + ${to:-0}))
  skipped=$((skipped + ${sk:-0}))
  echo "[$2] ok ${ok:-0}, failed $(( ${fail:-0} + ${up:-0} + ${to:-0} )), skipped ${sk:-0}"
}

# meson test failed but its summary counted no failure (it stopped early, or
# printed no summary): that is one failure, not a pass.
exit_failed() { # $1 = meson test's exit status, $2 = label
  if [ "$1" -ne 0 ] && [ "$failed" -eq "$failed_before" ]; then
    echo "[$2] meson test exited $1 with no failure counted"
    failed=$((failed + 1))
  fi
}

# Each build's setup and build logs go under the build folder itself
# (<dir>/misi-logs/), beside meson's own meson-logs/: the source tree's root
# stays as git has it.
suite() { # $1 = build dir, $2 = label, rest = meson setup options
  local dir=$1 label=$2
  shift 2
  local logs=$dir/misi-logs
  mkdir -p "$logs"
  if [ ! -f "$dir/build.ninja" ]; then
    if ! meson setup "$dir" "$@" >"$logs/setup.log" 2>&1; then
      cat "$logs/setup.log" >&2
      echo "[$label] meson setup failed"
      failed=$((failed + 1))
      return
    fi
  fi
  if ! ninja -C "$dir" >"$logs/build.log" 2>&1; then
    tail -n 60 "$logs/build.log" >&2
    echo "[$label] build failed"
    failed=$((failed + 1))
    return
  fi
  local out
  # Sanitizers slow the CPU-heavy tests (llvmpipe, the reference ray-caster)
  # several times over; their time limits stretch with them.
  local mult=1
  case "$label" in asan*) mult=6 ;; esac
  # The slurm suite (a local Slurm cluster) is its own stage below.
  out=$(meson test -C "$dir" --no-suite slurm --print-errorlogs --num-processes "$(nproc)" --timeout-multiplier "$mult" 2>&1)
  local status=$?
  printf '%s\n' "$out"
  count "$out" "$label"
  exit_failed "$status" "$label"
}

suite build "default"
suite build-asan "asan+ubsan" -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debug

# Fuzzing: each libFuzzer target for MISI_FUZZ_SECONDS (default 60) in a
# clang ASan+UBSan build (build-fuzz); every target counts as one test.
fuzz() {
  local out ok bad
  out=$(MISI_FUZZ_SECONDS="${MISI_FUZZ_SECONDS:-60}" tools/fuzz.sh 2>&1)
  # Its own total line is folded into ours, not printed, so the last
  # "N passed, N failed" line stays the only one.
  grep -v '^[0-9]* passed, [0-9]* failed$' <<<"$out"
  ok=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1/p' <<<"$out" | tail -n1)
  bad=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\2/p' <<<"$out" | tail -n1)
  if [ -z "$ok" ] || [ -z "$bad" ]; then
    echo "[fuzz] tools/fuzz.sh gave no total"
    failed=$((failed + 1))
    return
  fi
  passed=$((passed + ok))
  failed=$((failed + bad))
  echo "[fuzz] ok $ok, failed $bad"
}
fuzz

# Slurm: tests/slurm starts a one-node cluster on localhost, runs the job
# array and merge of tools/slurm/ and compares with an unsharded run
# (docs/cluster.md). Uses the normal build, configured and built above.
slurm() {
  local out
  if [ ! -x build/misi ]; then
    echo "[slurm] no build/misi"
    failed=$((failed + 1))
    return
  fi
  out=$(meson test -C build --suite slurm --print-errorlogs 2>&1)
  local status=$?
  printf '%s\n' "$out"
  count "$out" "slurm"
  exit_failed "$status" "slurm"
}
slurm

echo "skipped: $skipped"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
