#!/usr/bin/env python3
"""Make Open Babel's ligand SDF/MOL2 output reproducible and readable.

Usage: normalize.py LIGSRC_PDB RAW_SDF RAW_MOL2 OUT_SDF OUT_MOL2 TITLE

* SDF: title line set to TITLE; the program/timestamp line (line 2) gets its
  date field zeroed; everything else is Open Babel's output.
* MOL2: molecule name set to TITLE; comment lines dropped; heavy atoms take
  their PDB atom names from LIGSRC_PDB (Open Babel keeps their order and
  appends hydrogens), hydrogens are named H1, H2, ...; the substructure is
  named after the PDB residue.
Checks that the SDF and MOL2 hold the same atoms in the same order.
"""
import re
import sys


def main(ligsrc, raw_sdf, raw_mol2, out_sdf, out_mol2, title):
    names, resname = [], None
    with open(ligsrc) as fh:
        for line in fh:
            if line.startswith(("ATOM  ", "HETATM")):
                names.append((line[12:16].strip(), line[76:78].strip().upper()))
                resname = line[17:20].strip()

    sdf = open(raw_sdf).read().split("\n")
    if sdf.count("$$$$") != 1:
        sys.exit("normalize.py: expected exactly one molecule in " + raw_sdf)
    sdf[0] = title
    sdf[1] = re.sub(r"^(.{2}.{8})\d{10}", lambda m: m.group(1) + "0" * 10, sdf[1])
    natoms = int(sdf[3][0:3])
    sdf_atoms = [(l[31:34].strip().upper(), l[0:30]) for l in sdf[4:4 + natoms]]

    out, section, idx, nh = [], None, 0, 0
    mol2_atoms = []
    lines = open(raw_mol2).read().split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("#"):
            i += 1
            continue
        if line.startswith("@<TRIPOS>"):
            section = line
            out.append(line)
            if section == "@<TRIPOS>MOLECULE":
                out.append(title)
                i += 2
                continue
            i += 1
            continue
        if section == "@<TRIPOS>ATOM" and line.strip():
            f = line.split()
            el = f[5].split(".")[0].upper()
            if idx < len(names):
                name, nel = names[idx]
                if nel != el:
                    sys.exit("normalize.py: atom %d is %s in MOL2 but %s in %s" % (idx + 1, el, nel, ligsrc))
            else:
                if el != "H":
                    sys.exit("normalize.py: unexpected heavy atom %d in MOL2" % (idx + 1))
                nh += 1
                name = "H%d" % nh
            idx += 1
            mol2_atoms.append((el, (float(f[2]), float(f[3]), float(f[4]))))
            out.append("%7s %-8s %10.4f %10.4f %10.4f %-6s %4s  %-8s %10.4f" % (
                f[0], name, float(f[2]), float(f[3]), float(f[4]), f[5], f[6],
                resname, float(f[8])))
        elif section == "@<TRIPOS>SUBSTRUCTURE" and line.strip():
            f = line.split()
            f[1] = resname
            out.append("%6s %-8s %6s %-8s" % (f[0], f[1], f[2], " ".join(f[3:])))
        else:
            out.append(line)
        i += 1

    if len(mol2_atoms) != natoms:
        sys.exit("normalize.py: SDF has %d atoms, MOL2 %d" % (natoms, len(mol2_atoms)))
    for k, ((e1, c1), (e2, xyz)) in enumerate(zip(sdf_atoms, mol2_atoms)):
        c = tuple(float(c1[p:p + 10]) for p in (0, 10, 20))
        if e1 != e2 or max(abs(a - b) for a, b in zip(c, xyz)) > 1e-3:
            sys.exit("normalize.py: atom %d differs between SDF and MOL2" % (k + 1))

    with open(out_sdf, "w") as fh:
        fh.write("\n".join(sdf))
    with open(out_mol2, "w") as fh:
        fh.write("\n".join(out))


if __name__ == "__main__":
    if len(sys.argv) != 7:
        sys.exit(__doc__)
    main(*sys.argv[1:])
