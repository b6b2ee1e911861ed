#!/usr/bin/env python3
"""One example record per task from a generated dataset, as Markdown for
docs/dataset.md. Long `tests` arrays of H-bonds are shortened to their first
entry (the files carry them whole).

usage: tools/dataset-examples.py <dataset folder>
"""
import json
import sys


def shorten(v):
    if isinstance(v, dict):
        out = {}
        for k, x in v.items():
            if k == "tests" and isinstance(x, list) and len(x) > 1:
                out[k] = [shorten(x[0]), f"... {len(x) - 1} more tests"]
            else:
                out[k] = shorten(x)
        return out
    if isinstance(v, list):
        return [shorten(x) for x in v]
    return v


def main():
    data = sys.argv[1]
    seen = {}
    for line in open(f"{data}/train.jsonl"):
        r = json.loads(line)
        seen.setdefault(r["task_number"], r)
    for n in sorted(seen):
        r = seen[n]
        print(f"\n### T{n} `{r['task']}`\n")
        print(f"![{r['task']}](tasks/t{n}-{r['task']}.png)\n")
        print("```json")
        print(json.dumps(shorten(r), indent=2, ensure_ascii=False))
        print("```")


if __name__ == "__main__":
    main()
