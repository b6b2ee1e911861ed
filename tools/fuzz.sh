#!/usr/bin/env bash
# Runs every libFuzzer target in tests/fuzz for a bounded time each.
#
#   tools/fuzz.sh [target...]        (default: all targets)
#
# Environment:
#   MISI_FUZZ_SECONDS  seconds per target (default 60)
#   MISI_FUZZ_BUILD    clang build folder (default build-fuzz; configured
#                      with -Dfuzz=true and ASan+UBSan when missing)
#   MISI_FUZZ_OUT      where crash/leak/timeout inputs go (default
#                      $MISI_FUZZ_BUILD/fuzz-crashes)
#   MISI_FUZZ_TIMEOUT  seconds one input may take before it counts as a hang (10)
#   MISI_FUZZ_RSS_MB   memory limit in MB (2048)
#
# New interesting inputs go to a work corpus in the build folder, never into
# tests/fuzz/corpus (minimise and copy by hand: see docs/reliability.md).
# Prints one line per target, "fuzz <name>: N execs, M s, ok" or
# "... CRASH <file>", then "N passed, N failed"; exits 1 on any failure.
set -u
cd "$(dirname "$0")/.."
root=$(pwd)

seconds=${MISI_FUZZ_SECONDS:-60}
build=${MISI_FUZZ_BUILD:-build-fuzz}
out=${MISI_FUZZ_OUT:-$build/fuzz-crashes}
timeout=${MISI_FUZZ_TIMEOUT:-10}
rss=${MISI_FUZZ_RSS_MB:-2048}
all=(pdb mol2 sdf sources hbond cmd viewset gold predictions parts)
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=("${all[@]}")

if [ ! -f "$build/build.ninja" ]; then
  setup_log=$(mktemp)
  if ! CC=clang meson setup "$build" -Dfuzz=true -Db_sanitize=address,undefined -Db_lundef=false \
      >"$setup_log" 2>&1; then
    cat "$setup_log" >&2
    rm -f "$setup_log"
    echo "fuzz: meson setup of $build failed (needs clang and libclang-rt-14-dev)"
    echo "0 passed, ${#targets[@]} failed"
    exit 1
  fi
  rm -f "$setup_log"
fi
ninja_targets=()
for t in "${targets[@]}"; do ninja_targets+=("tests/fuzz/fuzz_$t"); done
if ! ninja -C "$build" "${ninja_targets[@]}" >"$build/fuzz-build.log" 2>&1; then
  tail -n 40 "$build/fuzz-build.log" >&2
  echo "fuzz: build failed (is $build configured with -Dfuzz=true?)"
  echo "0 passed, ${#targets[@]} failed"
  exit 1
fi

mkdir -p "$out"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:symbolize=1"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
passed=0
failed=0
for t in "${targets[@]}"; do
  work="$build/fuzz-corpus/$t"
  log="$build/fuzz-$t.log"
  mkdir -p "$work"
  # The work corpus comes first: libFuzzer adds new inputs to the first folder.
  "$build/tests/fuzz/fuzz_$t" "$work" "$root/tests/fuzz/corpus/$t" \
    -max_total_time="$seconds" -timeout="$timeout" -rss_limit_mb="$rss" \
    -artifact_prefix="$out/$t-" -print_final_stats=1 >"$log" 2>&1
  rc=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *\([0-9]*\).*/\1/p' "$log" | tail -n1)
  [ -z "$execs" ] && execs=$(sed -n 's/^#\([0-9]*\).*/\1/p' "$log" | tail -n1)
  secs=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -n1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n1 | cut -d' ' -f2)
  if [ "$rc" -eq 0 ]; then
    echo "fuzz $t: ${execs:-0} execs, ${secs:-$seconds} s, ok (cov ${cov:-?})"
    passed=$((passed + 1))
  else
    file=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n1)
    echo "fuzz $t: ${execs:-0} execs, ${secs:-?} s, CRASH ${file:-(no input saved; see $log)}"
    grep -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error|.*invariant broken)' "$log" | head -n 5 >&2
    failed=$((failed + 1))
  fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
