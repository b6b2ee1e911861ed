#!/usr/bin/env python3
"""The worker of tools/make-scale-set.sh: N re-oriented copies of the asset
complexes in PDBbind layout (<OUT>/<id>/<id>_pocket.pdb, _ligand.mol2, _ligand.sdf).

Rotation of copy i: a uniform random unit quaternion from random.Random
seeded with "<seed>/<i>", applied about the pocket's atom centroid (so the
complex stays where it was and coordinates keep their width)."""
import argparse
import shutil
import math
import os
import random
import re
import sys


def rotation(seed, i):
    rng = random.Random(f"{seed}/{i}")
    # Shoemake's uniform random quaternion
    u1, u2, u3 = rng.random(), rng.random(), rng.random()
    a, b = math.sqrt(1 - u1), math.sqrt(u1)
    w, x, y, z = a * math.sin(2 * math.pi * u2), a * math.cos(2 * math.pi * u2), \
        b * math.sin(2 * math.pi * u3), b * math.cos(2 * math.pi * u3)
    return [[1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w)],
            [2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w)],
            [2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y)]]


def turn(R, c, p):
    d = (p[0] - c[0], p[1] - c[1], p[2] - c[2])
    return tuple(R[k][0] * d[0] + R[k][1] * d[1] + R[k][2] * d[2] + c[k] for k in range(3))


def pdb_centroid(lines):
    s, n = [0.0, 0.0, 0.0], 0
    for ln in lines:
        if ln.startswith(("ATOM  ", "HETATM")):
            for k in range(3):
                s[k] += float(ln[30 + 8 * k:38 + 8 * k])
            n += 1
    return [v / n for v in s] if n else [0.0, 0.0, 0.0]


def rotate_pdb(lines, R, c):
    out = []
    for ln in lines:
        if ln.startswith(("ATOM  ", "HETATM")) and len(ln) >= 54:
            p = turn(R, c, [float(ln[30 + 8 * k:38 + 8 * k]) for k in range(3)])
            ln = ln[:30] + "%8.3f%8.3f%8.3f" % p + ln[54:]
        out.append(ln)
    return out


TOKEN = re.compile(r"\S+")


def set_fields(ln, idx, values, fmt):
    """Replace whitespace-separated fields idx of ln, keeping each field's
    column span (leading blanks included) where the new text fits."""
    spans = [(m.start(), m.end()) for m in TOKEN.finditer(ln)]
    out, pos = [], 0
    for k, (s, e) in enumerate(spans):
        if k in idx:
            lead = spans[k - 1][1] if k else 0
            text = fmt % values[idx.index(k)]
            width = e - lead
            out.append(ln[pos:lead])
            out.append(text.rjust(width) if len(text) < width else " " + text)
            pos = e
    out.append(ln[pos:])
    return "".join(out)


def rotate_mol2(lines, R, c, new_id):
    out, section, name_next = [], None, False
    for ln in lines:
        if ln.startswith("@<TRIPOS>"):
            section = ln.strip()
            name_next = section == "@<TRIPOS>MOLECULE"
            out.append(ln)
            continue
        if name_next:
            ln = f"{new_id}_ligand\n"
            name_next = False
        elif section == "@<TRIPOS>ATOM" and ln.strip():
            f = ln.split()
            p = turn(R, c, [float(f[2]), float(f[3]), float(f[4])])
            ln = set_fields(ln, [2, 3, 4], p, "%.4f")
        out.append(ln)
    return out


def rotate_sdf(lines, R, c, new_id):
    out, i = [], 0
    while i < len(lines):
        # one record: title, program, comment, counts, atoms, ... $$$$
        out.append(f"{new_id}_ligand\n")
        out.extend(lines[i + 1:i + 3])
        counts = lines[i + 3]
        out.append(counts)
        natoms = int(counts[0:3])
        for ln in lines[i + 4:i + 4 + natoms]:
            p = turn(R, c, [float(ln[10 * k:10 * k + 10]) for k in range(3)])
            out.append("%10.4f%10.4f%10.4f" % p + ln[30:])
        j = i + 4 + natoms
        while j < len(lines) and not lines[j].startswith("$$$$"):
            out.append(lines[j])
            j += 1
        if j < len(lines):
            out.append(lines[j])
        i = j + 1
        while i < len(lines) and not lines[i].strip():
            i += 1
    return out


def read(path):
    with open(path, newline="") as f:
        return f.readlines()


def main():
    ap = argparse.ArgumentParser(prog="make-scale-set.sh")
    ap.add_argument("n", type=int)
    ap.add_argument("out")
    ap.add_argument("--seed", default="1")
    ap.add_argument("--assets")
    ap.add_argument("--default-assets", help=argparse.SUPPRESS)
    ap.add_argument("--force", action="store_true", help="replace what OUT holds")
    a = ap.parse_args()
    assets = a.assets or a.default_assets
    if a.n < 1:
        sys.exit(f"make-scale-set.sh: N must be at least 1, got {a.n}")
    if not os.path.isdir(assets):
        sys.exit(f"make-scale-set.sh: {assets}: no such folder of complexes")
    if os.path.isdir(a.out) and os.listdir(a.out):
        if not a.force:
            sys.exit(f"make-scale-set.sh: {a.out} is not empty (a set of another size would leave stale "
                     "complexes there); use --force to replace it")
        shutil.rmtree(a.out)
    srcs = []
    for d in sorted(os.listdir(assets)):
        pocket = os.path.join(assets, d, f"{d}_pocket.pdb")
        if os.path.isfile(pocket):
            srcs.append((d, read(pocket),
                         *(read(p) if os.path.isfile(p) else None
                           for p in (os.path.join(assets, d, f"{d}_ligand.mol2"),
                                     os.path.join(assets, d, f"{d}_ligand.sdf")))))
    if not srcs:
        sys.exit(f"make-scale-set.sh: no complexes in {assets}")
    centres = [pdb_centroid(s[1]) for s in srcs]
    width = max(6, len(str(a.n - 1)))
    groups = []
    for i in range(a.n):
        sid, pocket, mol2, sdf = srcs[i % len(srcs)]
        c = centres[i % len(srcs)]
        new = "s" + str(i).zfill(width)
        R = rotation(a.seed, i)
        groups.append(f"{new} {sid}\n")
        d = os.path.join(a.out, new)
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, f"{new}_pocket.pdb"), "w", newline="") as f:
            f.writelines(rotate_pdb(pocket, R, c))
        if mol2:
            with open(os.path.join(d, f"{new}_ligand.mol2"), "w", newline="") as f:
                f.writelines(rotate_mol2(mol2, R, c, new))
        if sdf:
            with open(os.path.join(d, f"{new}_ligand.sdf"), "w", newline="") as f:
                f.writelines(rotate_sdf(sdf, R, c, new))
    # Which asset each complex copies: copies share their answers (T4, T8,
    # T9), so `misi audit --groups OUT/groups.txt` keeps them in one fold.
    with open(os.path.join(a.out, "groups.txt"), "w", newline="") as f:
        f.write("# complex source: the asset each complex is a turned copy of\n")
        f.writelines(groups)


if __name__ == "__main__":
    main()
