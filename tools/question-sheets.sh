#!/usr/bin/env bash
# One question sheet per task for docs/: the first train question of each
# task in a generated dataset, drawn by `misi preview` (images at 256 px,
# the answer shown) into <output folder>/t<N>-<task>.png. Tasks the dataset
# does not have are skipped.
# usage: tools/question-sheets.sh <dataset folder> <output folder>   ($MISI: the misi binary, default build/misi)
set -euo pipefail
data=${1:?dataset folder}
out=${2:?output folder}
misi=${MISI:-build/misi}
tasks=(translation rotation zooming residue_ligand translation_rotation rotation_rotation docking
       interaction_location pocket_ligand)
err=$(mktemp)
trap 'rm -f "$err"' EXIT
for i in "${!tasks[@]}"; do
    t=${tasks[$i]}
    if ! "$misi" preview --split train --task "$t" --count 1 --tile 256 --out "$out/t$((i + 1))-$t.png" "$data" 2>"$err"; then
        grep -q "no question of task" "$err" && continue
        cat "$err" >&2
        exit 1
    fi
done
