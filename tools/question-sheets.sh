#!/usr/bin/env bash
# One picture per task from a generated dataset: the question's images side by
# side (numbered as the question names them), with its answer, for docs/.
# Needs ImageMagick (apt-get install imagemagick) and python3.
# usage: tools/question-sheets.sh <dataset folder> <output folder>
set -euo pipefail
data=${1:?dataset folder}
out=${2:?output folder}
mkdir -p "$out"
python3 - "$data" "$out" <<'PY'
import json, subprocess, sys, textwrap
data, out = sys.argv[1], sys.argv[2]
seen = set()
for line in open(f"{data}/train.jsonl"):
    r = json.loads(line)
    if r["task"] in seen:
        continue
    seen.add(r["task"])
    tiles = []
    for k, img in enumerate(r["images"]):
        tiles += ["-label", f"image {k + 1}", f"{data}/{img}"]
    cols = min(len(r["images"]), 4 if len(r["images"]) > 6 else len(r["images"]))
    title = f"T{r['task_number']} {r['task']}: {r['id']}   answer: {r['answer']}"
    sheet = f"{out}/t{r['task_number']}-{r['task']}.png"
    subprocess.run(["montage", *tiles, "-tile", f"{cols}x", "-geometry", "256x256+4+4",
                    "-background", "white", "-pointsize", "14", "-title", title, sheet], check=True)
    print(sheet)
PY
