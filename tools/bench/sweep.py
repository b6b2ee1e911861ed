#!/usr/bin/env python3
"""Run misi bench over a grid and print a Markdown table of medians.

  tools/bench/sweep.py [--misi PATH] [--repeat R] [--n N] GRID...

GRID is one of: sizes, batch, threads, atoms, aa. Each cell runs
`misi bench --json` R times (default 3) and reports the median of each figure;
the load average is printed with every row because the machine may be shared.
docs/performance.md has the tables this made."""
import argparse
import json
import os
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def bench(misi, args):
    out = subprocess.run([misi, "bench", "--json", "--no-qa"] + args, check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


def load():
    return os.getloadavg()[0]


def row(misi, label, args, repeat):
    runs = [bench(misi, args) for _ in range(repeat)]
    med = lambda f: statistics.median(f(r) for r in runs)
    n = runs[0]["images"]
    st = lambda k: (lambda r: r["stages"][k])
    print(f"| {label} | {runs[0]['batch_size']} | {runs[0]['threads']} | {runs[0]['scene_atoms']} "
          f"| {med(lambda r: r['images_per_s']):.1f} | {1e3 * med(lambda r: r['cpu_s']) / n:.1f} "
          f"| {1e3 * med(st('render_readback_s')) / n:.2f} | {1e3 * med(st('encode_s')) / n:.2f} "
          f"| {1e3 * med(st('write_s')) / n:.2f} | {1e3 * med(st('submit_wait_s')) / n:.2f} "
          f"| {1e3 * med(st('drain_s')):.0f} | {med(lambda r: r['peak_rss_kb']) / 1024:.0f} | {load():.1f} |",
          flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--misi", default=os.path.join(ROOT, "build-bench", "misi"))
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("grids", nargs="+")
    a = ap.parse_args()
    n = ["-n", str(a.n)]
    print(f"misi bench -n {a.n}, median of {a.repeat}; ms are per image (encode/write: thread-ms)\n")
    print("| case | batch | threads | scene atoms | images/s | CPU ms/img | render+readback ms | encode ms "
          "| write ms | pool-full wait ms | drain ms (total) | peak RSS MiB | load (1 min) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    assets = os.path.join(ROOT, "assets", "complexes")
    for g in a.grids:
        if g == "sizes":
            for s in (128, 256, 512, 1024):
                k = ["-n", str(max(1, a.n // 2))] if s == 1024 else n  # 1024: half the images, same figures per image
                row(a.misi, f"size {s}", k + ["--size", str(s)], a.repeat)
        elif g == "batch":
            for b in ("1", "4", "16", "auto"):
                row(a.misi, f"batch {b}", n + ([] if b == "auto" else ["--batch", b]), a.repeat)
        elif g == "threads":
            for t in ("1", "2"):
                for b in ("1", "auto"):
                    row(a.misi, f"threads {t}, batch {b}",
                        n + ["--threads", t] + ([] if b == "auto" else ["--batch", b]), a.repeat)
        elif g == "atoms":
            # the smallest and the largest pocket of the assets
            sizes = {c: os.path.getsize(os.path.join(assets, c, f"{c}_pocket.pdb")) for c in os.listdir(assets)}
            for c in (min(sizes, key=sizes.get), max(sizes, key=sizes.get)):
                row(a.misi, f"complex {c}", n + ["--complex", os.path.join(assets, c)], a.repeat)
        elif g == "aa":
            for k in ("1", "2", "3"):
                row(a.misi, f"aa {k}", n + ["--aa", k], a.repeat)
        else:
            sys.exit(f"sweep.py: unknown grid '{g}'")


if __name__ == "__main__":
    main()
