#!/usr/bin/env bash
# Submits a sharded `misi generate` to Slurm: a job array of N shards
# (tools/slurm/generate.sbatch, one GPU each) and a merge job
# (tools/slurm/merge.sbatch) that runs once every shard has succeeded.
#
#   tools/slurm/submit.sh OUT N [misi generate options] [sources]
#
# The environment tunes it:
#   MISI=/abs/path/misi    the binary (default: this checkout's build/misi, else misi on PATH)
#   MISI_GRES=gpu:a100:1   GPU request of each shard (default: generate.sbatch's gpu:1;
#                          "none" for a CPU-only run on Mesa's llvmpipe)
#   MISI_SBATCH_ARGS="--partition=gpu --account=me --time=2:00:00"
#                          extra sbatch options for both jobs (split on spaces)
#   MISI_MERGE_ARGS=--force  options for `misi merge` (--force: replace a dataset in OUT)
# OUT must be on a file system the compute nodes share. Logs go to
# OUT/slurm/logs. The last line printed is "ARRAY_JOB_ID MERGE_JOB_ID".
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)

die() {
  echo "submit.sh: $*" >&2
  exit 2
}

usage() {
  sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0" >&2
  exit 2
}

[ $# -ge 2 ] || usage
case "$1" in -h | --help) usage ;; esac
out=$1
n=$2
shift 2
[[ "$n" =~ ^[1-9][0-9]*$ ]] || die "N must be a positive integer, not '$n'"
for a in "$@"; do
  case "$a" in
    --out | --out=* | --shard | --shard=*) die "'$a' is set per shard; give OUT and N instead" ;;
  esac
done
command -v sbatch >/dev/null 2>&1 || die "sbatch not found: run this on a Slurm login node"

# The binary, as an absolute path the compute nodes can reach.
misi=${MISI:-}
if [ -z "$misi" ]; then
  if [ -x "$here/../../build/misi" ]; then
    misi=$here/../../build/misi
  else
    misi=$(command -v misi || true)
  fi
fi
[ -n "$misi" ] && [ -x "$misi" ] || die "no misi binary: build it (meson compile -C build) or set MISI=/abs/path/to/misi"
misi=$(realpath -- "$misi")
# Fail here, not in N queued jobs, when the binary cannot shard or merge.
"$misi" generate --help 2>&1 | grep -q -- '--shard' || die "$misi has no 'generate --shard': rebuild it"
"$misi" merge --help >/dev/null 2>&1 || die "$misi has no 'merge' command: rebuild it"
export MISI=$misi

mkdir -p "$out/slurm/logs"
out=$(cd "$out" && pwd)

read -r -a extra <<<"${MISI_SBATCH_ARGS:-}"
read -r -a merge_args <<<"${MISI_MERGE_ARGS:-}"
gres=()
[ -n "${MISI_GRES:-}" ] && gres=(--gres="$MISI_GRES")

# --parsable prints "jobid[;cluster]".
array_id=$(sbatch --parsable --export=ALL --chdir="$PWD" \
  --array="0-$((n - 1))" --output="$out/slurm/logs/generate-%A_%a.out" \
  "${gres[@]}" "${extra[@]}" \
  "$here/generate.sbatch" "$out" "$n" "$@")
array_id=${array_id%%;*}
# --kill-on-invalid-dep: when a shard fails the merge is cancelled instead of
# waiting forever; resubmit with --resume (docs/cluster.md).
merge_id=$(sbatch --parsable --export=ALL --chdir="$PWD" \
  --dependency="afterok:$array_id" --kill-on-invalid-dep=yes \
  --output="$out/slurm/logs/merge-%j.out" \
  "${extra[@]}" \
  "$here/merge.sbatch" "$out" "$n" "${merge_args[@]}")
merge_id=${merge_id%%;*}

echo "submit.sh: array job $array_id: $n shards of '$misi generate $*' -> $out/slurm/0..$((n - 1))"
echo "submit.sh: merge job $merge_id: after array job $array_id -> $out"
echo "submit.sh: logs in $out/slurm/logs; watch with: squeue -j $array_id,$merge_id"
echo "$array_id $merge_id"
