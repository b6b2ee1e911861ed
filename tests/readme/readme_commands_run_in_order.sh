#!/usr/bin/env bash
# The README's commands run top to bottom, as written, in a fresh checkout's
# layout: every line of every ```sh block, in order, in a scratch folder that
# holds what a checkout holds (assets/, tools/, tests/ and docs/ linked from
# the source tree) and build/misi (the executable under test). A command that
# exits non-zero fails the test, and so does a README command that neither
# runs nor is in the skip list below, and a skip entry that matches no README
# command (so the list cannot go stale), and a command that writes into the
# source tree.
#
# A new command in the README needs nothing (it runs), or one SKIP line that
# says why it cannot run in a test.
# usage: readme_commands_run_in_order.sh <source root> <misi executable>
set -u
root=$1
misi=$2
fail() { echo "FAIL: $*" >&2; exit 1; }
[ -f "$root/README.md" ] || fail "no README.md in $root"

# Commands that cannot run here, by the start of the line as written | why.
SKIP=(
  "tools/test.sh|the whole test suite, which runs this test"
  "tools/slurm/submit.sh |needs a Slurm cluster (the slurm suite runs tools/slurm on a local one)"
  "build/misi bench --ceiling --threads 16 -n 20000|20000 images: a measurement at scale (build/misi bench above runs the same code on 200)"
  "tools/bench/compare-pymol.sh |needs PyMOL, which install-deps.sh does not install"
  "tools/make-scale-set.sh 200 |makes 200 complexes for a run at scale"
  "build/misi generate --no-progress --format tar --out /tmp/gen200 |a run on the 200-complex scale set"
  "build/misi audit --groups /tmp/scale200/groups.txt |reads the 200-complex scale set"
  "tools/gpu/pack.sh |packs a release build and Debian packages for a GPU node"
  "tar xzf misi-gpu-kit.tar.gz |runs the GPU kit on a GPU node"
)
# Commands whose start is set-up the test has done already: the rest of the
# line runs as written | why.
TRIM=(
  "tools/install-deps.sh && meson setup build && meson compile -C build && |installs packages and builds: the test runs on that build"
)
# Files the README's commands take as the user's own, made before the first
# command that names them | how.
prepare() { # $1 = command
  case $1 in
  *answers.jsonl*)
    [ -f answers.jsonl ] || python3 - misi-out/test.jsonl answers.jsonl <<'PY'
import json, sys
# a model that answers A, or 'move x 1': some right, some wrong, some unreadable
with open(sys.argv[2], "w") as out:
    for i, line in enumerate(open(sys.argv[1])):
        r = json.loads(line)
        a = "A" if r.get("options") else ("move x 1" if i % 3 else "no idea")
        out.write(json.dumps({"id": r["id"], "answer": a}) + "\n")
PY
    ;;
  *" pocket.pdb ligand.mol2"*)
    cp assets/complexes/1hpv/1hpv_pocket.pdb pocket.pdb && cp assets/complexes/1hpv/1hpv_ligand.mol2 ligand.mol2 ;;
  esac
}

# the checkout itself is only read: what the commands write stays in scratch
tree_state() { git -C "$root" status --porcelain --untracked-files=all 2>/dev/null; }
tree_before=$(tree_state)

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
for d in assets tools tests docs; do ln -s "$root/$d" "$scratch/$d"; done
mkdir "$scratch/build"
ln -s "$(cd "$(dirname "$misi")" && pwd)/$(basename "$misi")" "$scratch/build/misi"
cd "$scratch" || fail "cd $scratch"
if ! build/misi info >/dev/null 2>&1; then
  [ "${MISI_REQUIRE_GL:-}" = 1 ] && fail "no OpenGL ES context (misi info failed)"
  echo "SKIP: no OpenGL ES context"
  exit 77
fi

# every line of the ```sh blocks, in order; a line ending in '\' goes on
awk '
  /^```sh[ \t]*$/ { inblock = 1; next }
  /^```/ { inblock = 0; next }
  inblock {
    line = $0
    if (cont != "") { line = cont " " line; cont = "" }
    if (line ~ /\\$/) { cont = substr(line, 1, length(line) - 1); next }
    if (line ~ /^[ \t]*(#|$)/) next
    print line
  }' "$root/README.md" >commands.txt
[ -s commands.txt ] || fail "no commands found in README.md"

declare -A used
n=0 ran=0 skipped=0
while IFS= read -r cmd <&3; do
  n=$((n + 1))
  run=$cmd why=
  for e in "${SKIP[@]}"; do
    if [ "${cmd#"${e%%|*}"}" != "$cmd" ]; then why=${e#*|}; used[$e]=1; run=; fi
  done
  for e in "${TRIM[@]}"; do
    if [ "${cmd#"${e%%|*}"}" != "$cmd" ]; then run=${cmd#"${e%%|*}"}; used[$e]=1; fi
  done
  if [ -z "$run" ]; then
    echo "skip  [$n] $cmd    ($why)"
    skipped=$((skipped + 1))
    continue
  fi
  prepare "$run"
  echo "run   [$n] $run"
  start=$SECONDS
  bash -c "$run" >"log.$n" 2>&1
  rc=$?
  echo "      exit $rc in $((SECONDS - start)) s"
  if [ $rc != 0 ]; then
    tail -n 30 "log.$n" >&2
    fail "README command $n exited $rc: $run"
  fi
  ran=$((ran + 1))
done 3<commands.txt
[ "$(tree_state)" = "$tree_before" ] || fail "the commands changed the source tree: $(tree_state)"
for e in "${SKIP[@]}" "${TRIM[@]}"; do
  [ -n "${used[$e]:-}" ] || fail "the skip list names '${e%%|*}', which the README no longer has: drop it"
done
echo "ok: $ran README commands ran in order, $skipped skipped (each says why)"
