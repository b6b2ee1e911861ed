#!/usr/bin/env bash
# The Slurm path end to end: starts a real single-node Slurm cluster on this
# host (tests/slurm/local-cluster.sh: munge + slurmctld + slurmd, stand-in
# GPUs), submits a 3-shard job array and its merge job with
# tools/slurm/submit.sh, waits for both, runs the same `misi generate`
# unsharded, and requires the two datasets to be byte-identical.
#
#   tests/slurm/test_slurm_generate.sh /path/to/misi [plain|resume]
#
# resume: the first submission's shard 0 is killed (SIGKILL, as a node crash
# or the OOM killer would) once its first complex is finished, so its task
# fails and Slurm cancels the merge; the second submission, with --resume,
# must still give the unsharded dataset.
#
# Exits 77 (skip) when Slurm or munge is not installed, unless
# MISI_REQUIRE_SLURM is set (tools/test.sh sets it: CI installs them).
# MISI_KEEP_TMP=1 keeps the scratch folder (cluster logs, both datasets).
set -euo pipefail

[ $# -ge 1 ] && [ $# -le 2 ] || { echo "usage: $0 /path/to/misi [plain|resume]" >&2; exit 2; }
misi=$(realpath -- "$1")
mode=${2:-plain}
case "$mode" in plain | resume) ;; *) echo "$0: unknown mode '$mode'" >&2; exit 2 ;; esac
root=${MISI_SOURCE_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
shards=3
# Four complexes over three shards: shard 0 gets two. translation_rotation
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
out=$tmp/sharded
cleanup() {
  local rc=$?
  if [ "$rc" -ne 0 ]; then
    local f
    for f in "$out"/slurm/logs/* "$cluster"/log/*.log; do
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

# submit BINARY [extra misi generate options]: submits through
# tools/slurm/submit.sh and waits until neither job is queued or running (a
# merge whose shards failed is cancelled: --kill-on-invalid-dep). Sets
# array_id, merge_id and summary: one line per array task and the merge,
# "task K STATE exit X:Y" / "merge STATE exit X:Y".
submit() {
  local bin=$1 submitted queue last="" deadline
  shift
  say "submitting $shards shards: misi generate ${*:+$* }${options[*]} <${#sources[@]} complexes>"
  # A GPU per shard (the stand-in ones) as on a real cluster; small CPU and
  # memory requests so that the two-core CI machine runs two at once.
  submitted=$(MISI=$bin MISI_SBATCH_ARGS="--cpus-per-task=1 --mem=1G --time=15:00" \
    "$root/tools/slurm/submit.sh" "$out" "$shards" "$@" "${options[@]}" "${sources[@]}")
  echo "$submitted"
  read -r array_id merge_id <<<"$(tail -n1 <<<"$submitted")"
  [[ "$array_id" =~ ^[0-9]+$ && "$merge_id" =~ ^[0-9]+$ ]] || fail "no job ids from submit.sh"
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
  summary=$( (scontrol -o show job "$array_id"; scontrol -o show job "$merge_id") |
    sed -n 's/.* ArrayTaskId=\([0-9]*\) .* JobState=\([A-Z_]*\) .* ExitCode=\([0-9:]*\).*/task \1 \2 exit \3/p;
      / ArrayTaskId=/!s/.* JobState=\([A-Z_]*\) .* ExitCode=\([0-9:]*\).*/merge \1 exit \2/p' | sort)
  sed 's/^/    /' <<<"$summary"
}

expect_all_completed() {
  local k
  for ((k = 0; k < shards; k++)); do
    grep -qx "task $k COMPLETED exit 0:0" <<<"$summary" || fail "array task $k did not complete with exit 0"
  done
  grep -qx "merge COMPLETED exit 0:0" <<<"$summary" || fail "the merge job did not complete with exit 0"
  [ -f "$out/manifest.json" ] || fail "the merge wrote no manifest"
}

say "starting a one-node cluster in $cluster"
eval "$("$root/tests/slurm/local-cluster.sh" start "$cluster")"
[ -n "${SLURM_CONF:-}" ] || fail "local-cluster.sh printed no SLURM_CONF"
sinfo

if [ "$mode" = resume ]; then
  # A stand-in binary for the first submission: shard 0 (two complexes) is
  # killed once the part of its first complex is written, in the middle of
  # the second; the task fails whatever the timing.
  cat >"$tmp/misi-interrupted" <<EOF
#!/usr/bin/env bash
set -u
case " \$* " in *" --shard 0/$shards "*) ;; *) exec "$misi" "\$@" ;; esac
dir=
prev=
for a in "\$@"; do [ "\$prev" = --out ] && dir=\$a; prev=\$a; done
"$misi" "\$@" &
pid=\$!
while kill -0 "\$pid" 2>/dev/null && ! ls "\$dir"/.parts/*.json >/dev/null 2>&1; do sleep 0.05; done
kill -KILL "\$pid" 2>/dev/null
wait "\$pid"
echo "misi-interrupted: shard 0 killed (exit \$?) with \$(ls "\$dir"/.parts/*.json 2>/dev/null | wc -l) finished complex(es)" >&2
exit 1
EOF
  chmod +x "$tmp/misi-interrupted"
  submit "$tmp/misi-interrupted"
  grep -q "^task 0 FAILED " <<<"$summary" || fail "array task 0 should have failed"
  grep -q "^merge CANCELLED " <<<"$summary" || fail "the merge should have been cancelled"
  [ ! -e "$out/manifest.json" ] || fail "a merge ran although a shard failed"
  tail -n 2 "$out/slurm/logs/generate-${array_id}_0.out"
  say "shard 0 failed and the merge was cancelled, as it should; resubmitting with --resume"
  submit "$misi" --resume
  tail -n 1 "$out/slurm/logs/generate-${array_id}_0.out"
else
  submit "$misi"
fi
expect_all_completed

say "the same run unsharded"
"$misi" generate --no-progress --out "$tmp/single" "${options[@]}" "${sources[@]}"

say "comparing"
cmp "$tmp/single/manifest.json" "$out/manifest.json" || fail "manifest.json differs"
# Every file, and the same set of files; slurm/ holds the shards and logs.
diff -r --exclude=slurm "$tmp/single" "$out" || fail "the datasets differ"
nfiles=$(find "$tmp/single" -type f | wc -l)
say "PASS ($mode): $shards Slurm shards + merge == unsharded run ($nfiles files, manifest identical)"
