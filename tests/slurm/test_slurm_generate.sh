#!/usr/bin/env bash
# The Slurm path end to end: starts a real single-node Slurm cluster on this
# host (tests/slurm/local-cluster.sh: munge + slurmctld + slurmd, stand-in
# GPUs), submits a 3-shard job array and its merge job with
# tools/slurm/submit.sh, waits for both, runs the same `misi generate`
# unsharded, and requires the two datasets to be byte-identical.
#
#   tests/slurm/test_slurm_generate.sh /path/to/misi
#
# Exits 77 (skip) when Slurm or munge is not installed, unless
# MISI_REQUIRE_SLURM is set (tools/test.sh sets it: CI installs them).
# MISI_KEEP_TMP=1 keeps the scratch folder (cluster logs, both datasets).
set -euo pipefail

[ $# -eq 1 ] || { echo "usage: $0 /path/to/misi" >&2; exit 2; }
misi=$(realpath -- "$1")
root=${MISI_SOURCE_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
shards=3
# Four complexes over three shards: one shard gets two. translation_rotation
# pairs each complex with the next one, across shard boundaries.
sources=("$root"/assets/complexes/{1hpv,3v2u,4cup,5dt0})
options=(--seed 7 --size 96 --tasks translation,rotation,pocket_ligand,translation_rotation)

say() { echo "[slurm-test +${SECONDS}s] $*"; }
fail() {
  say "FAIL: $*"
  exit 1
}

missing=()
for b in munged munge unmunge slurmctld slurmd sbatch squeue sinfo scontrol scancel python3; do
  command -v "$b" >/dev/null 2>&1 || missing+=("$b")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ -n "${MISI_REQUIRE_SLURM:-}" ]; then
    fail "missing ${missing[*]} and MISI_REQUIRE_SLURM is set (tools/install-deps.sh installs slurm-wlm and munge)"
  fi
  say "skip: missing ${missing[*]} (install slurm-wlm and munge)"
  exit 77
fi

# Short: munge's socket path must fit in a sockaddr_un (108 bytes).
tmp=$(mktemp -d /tmp/misi-slurm.XXXXXX)
cluster=$tmp/cluster
cleanup() {
  local rc=$?
  if [ "$rc" -ne 0 ]; then
    local f
    for f in "$tmp"/sharded/slurm/logs/* "$cluster"/log/*.log; do
      [ -f "$f" ] || continue
      echo "---- $f (last 30 lines)"
      tail -n 30 "$f"
    done
  fi
  say "stopping the cluster"
  "$root/tests/slurm/local-cluster.sh" stop "$cluster" || true
  if [ -n "${MISI_KEEP_TMP:-}" ]; then
    say "kept $tmp"
  else
    rm -rf "$tmp"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say "starting a one-node cluster in $cluster"
eval "$("$root/tests/slurm/local-cluster.sh" start "$cluster")"
[ -n "${SLURM_CONF:-}" ] || fail "local-cluster.sh printed no SLURM_CONF"
sinfo

say "submitting $shards shards: misi generate ${options[*]} <${#sources[@]} complexes>"
# Requests a GPU per shard (the stand-in ones) as on a real cluster; small
# CPU and memory requests so that the two-core CI machine runs two at once.
submitted=$(MISI=$misi MISI_SBATCH_ARGS="--cpus-per-task=1 --mem=1G --time=15:00" \
  "$root/tools/slurm/submit.sh" "$tmp/sharded" "$shards" "${options[@]}" "${sources[@]}")
echo "$submitted"
read -r array_id merge_id <<<"$(tail -n1 <<<"$submitted")"
[[ "$array_id" =~ ^[0-9]+$ && "$merge_id" =~ ^[0-9]+$ ]] || fail "no job ids from submit.sh"

# Wait until neither job is queued or running; a merge whose dependency
# failed is cancelled (--kill-on-invalid-dep), so this always ends.
last=""
deadline=$((SECONDS + 600))
while :; do
  queue=$(squeue -h -j "$array_id,$merge_id" -o '%i %T %R' 2>/dev/null || true)
  [ -n "$queue" ] || break
  if [ "$queue" != "$last" ]; then
    say "queue:"
    sed 's/^/    /' <<<"$queue"
    last=$queue
  fi
  [ "$SECONDS" -lt "$deadline" ] || fail "jobs still queued after 600 s"
  sleep 1
done
say "queue empty"

# Every array task and the merge must have completed with exit code 0.
states=$(scontrol -o show job "$array_id"; scontrol -o show job "$merge_id")
summary=$(sed -n 's/.*JobId=\([0-9]*\) .*ArrayTaskId=\([0-9]*\) .*JobState=\([A-Z_]*\) .*ExitCode=\([0-9:]*\).*/\1 task \2 \3 exit \4/p;
  /ArrayTaskId=/!s/.*JobId=\([0-9]*\) .*JobState=\([A-Z_]*\) .*ExitCode=\([0-9:]*\).*/\1 merge \2 exit \3/p' <<<"$states")
sed 's/^/    /' <<<"$summary"
done_ok=$(grep -c ' COMPLETED exit 0:0$' <<<"$summary" || true)
[ "$done_ok" -eq $((shards + 1)) ] || fail "expected $shards shards and the merge COMPLETED with exit 0:0"
for ((k = 0; k < shards; k++)); do
  [ -d "$tmp/sharded/slurm/$k" ] || fail "shard $k wrote nothing"
done
[ -f "$tmp/sharded/manifest.json" ] || fail "the merge wrote no manifest"

say "the same run unsharded"
"$misi" generate --no-progress --out "$tmp/single" "${options[@]}" "${sources[@]}"

say "comparing"
cmp "$tmp/single/manifest.json" "$tmp/sharded/manifest.json" || fail "manifest.json differs"
# Every file, and the same set of files; slurm/ holds the shards and logs.
diff -r --exclude=slurm "$tmp/single" "$tmp/sharded" || fail "the datasets differ"
nfiles=$(find "$tmp/single" -type f | wc -l)
say "PASS: $shards Slurm shards + merge == unsharded run ($nfiles files, manifest identical)"
