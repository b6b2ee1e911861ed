#!/usr/bin/env python3
"""Label legibility per task of a generated dataset (docs/rendering.md).

Reads truth.jsonl (one line per image, with its "labels" statistics) and the
plain records (train.jsonl, test.jsonl) to know which task uses which image,
and prints one Markdown row per task: images, labels requested / placed /
dropped (sums), the largest label-label overlap in pixels, and the median and
largest fraction of molecule pixels covered by labels.

usage: tools/legibility-table.py DATASET [LABEL]
"""
import json
import statistics
import sys


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    d = sys.argv[1]
    label = sys.argv[2] if len(sys.argv) > 2 else d
    stats = {}
    with open(f"{d}/truth.jsonl") as f:
        for line in f:
            r = json.loads(line)
            stats[r["file_name"]] = r.get("labels")
    per_task = {}
    for split in ("train", "test"):
        try:
            f = open(f"{d}/{split}.jsonl")
        except FileNotFoundError:
            continue
        with f:
            for line in f:
                r = json.loads(line)
                imgs = per_task.setdefault((r["task_number"], r["task"]), set())
                imgs.update(r["images"])
    print(f"| run | task | images | labels requested | placed | dropped | max overlap px | covered median | covered max |")
    print("|---|---|---|---|---|---|---|---|---|")
    for (num, name), imgs in sorted(per_task.items()):
        s = [stats[i] for i in sorted(imgs) if stats.get(i)]
        if not s:
            continue
        cov = [x["covered_fraction"] for x in s]
        print(f"| {label} | T{num} {name} | {len(s)} | {sum(x['requested'] for x in s)} | "
              f"{sum(x['placed'] for x in s)} | {sum(x['dropped'] for x in s)} | "
              f"{max(x['overlap_px'] for x in s):.0f} | {100 * statistics.median(cov):.1f} % | "
              f"{100 * max(cov):.1f} % |")


if __name__ == "__main__":
    main()
