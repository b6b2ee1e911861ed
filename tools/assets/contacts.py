#!/usr/bin/env python3
"""Polar-contact scan of a PDBbind-style complex directory.

Usage: contacts.py DIR ID [DIR ID ...]

Reads DIR/ID_ligand.mol2 (Sybyl types, hydrogens) and DIR/ID_pocket.pdb and
prints, for each complex:
  * ligand N/O -- pocket N/O pairs within 3.5 A (and the shortest such pair),
  * pocket metal ions within 4.0 A of a ligand heavy atom,
  * the coverage properties the complex provides:
      charged      ligand carries a formal charge (O.co2, N.4, charged S/P group)
      aromN-acc    aromatic ligand N without H (N.ar) within 3.5 A of a pocket donor
      OH-donor     ligand hydroxyl (O.3 bonded to H and C) within 3.5 A of a pocket acceptor
      no-polar     no ligand N/O -- pocket N/O pair within 3.6 A
      metal        metal ion in the pocket within 4.0 A of the ligand
"""
import math
import sys

METALS = {"ZN", "MG", "MN", "FE", "CA", "CO", "NI", "CU", "CD", "NA", "K", "HG"}
DONORS = {("ARG", "NE"), ("ARG", "NH1"), ("ARG", "NH2"), ("ASN", "ND2"), ("GLN", "NE2"),
          ("HIS", "ND1"), ("HIS", "NE2"), ("LYS", "NZ"), ("TRP", "NE1"), ("SER", "OG"),
          ("THR", "OG1"), ("TYR", "OH"), ("CYS", "SG")}
ACCEPTORS = {("ASP", "OD1"), ("ASP", "OD2"), ("GLU", "OE1"), ("GLU", "OE2"), ("ASN", "OD1"),
             ("GLN", "OE1"), ("HIS", "ND1"), ("HIS", "NE2"), ("SER", "OG"), ("THR", "OG1"),
             ("TYR", "OH"), ("MET", "SD")}


def element(line):
    e = line[76:78].strip().upper()
    if e in ("C", "N", "O", "S", "P", "H", "D", "F", "CL", "BR", "I", "SE") or e in METALS:
        return e
    name = line[12:16]
    return name[1].upper() if name[0] in " 0123456789" else name[:2].strip().upper()


def read_pocket(path):
    atoms = []
    for line in open(path):
        if line.startswith(("ATOM  ", "HETATM")):
            atoms.append({
                "rec": line[:6], "name": line[12:16].strip(), "res": line[17:20].strip(),
                "chain": line[21].strip() or "_", "num": line[22:27].strip(),
                "xyz": (float(line[30:38]), float(line[38:46]), float(line[46:54])),
                "el": element(line)})
    return atoms


def read_mol2(path):
    atoms, bonds, sec = [], [], None
    for line in open(path):
        if line.startswith("@<TRIPOS>"):
            sec = line.strip()
            continue
        f = line.split()
        if not f:
            continue
        if sec == "@<TRIPOS>ATOM":
            atoms.append({"name": f[1], "xyz": (float(f[2]), float(f[3]), float(f[4])),
                          "type": f[5], "el": f[5].split(".")[0].upper(), "nbr": []})
        elif sec == "@<TRIPOS>BOND":
            a, b = int(f[1]) - 1, int(f[2]) - 1
            bonds.append((a, b, f[3]))
            atoms[a]["nbr"].append(b)
            atoms[b]["nbr"].append(a)
    return atoms, bonds


def donor_capable(p):
    if p["rec"] == "HETATM":
        return p["el"] in ("N", "O")
    return (p["name"] == "N" and p["res"] != "PRO") or (p["res"], p["name"]) in DONORS


def acceptor_capable(p):
    if p["rec"] == "HETATM":
        return p["el"] in ("N", "O")
    return p["name"] in ("O", "OXT") or (p["res"], p["name"]) in ACCEPTORS


def scan(d, ident):
    lig, _ = read_mol2("%s/%s_ligand.mol2" % (d, ident))
    pocket = read_pocket("%s/%s_pocket.pdb" % (d, ident))
    heavy = [a for a in lig if a["el"] != "H"]
    residues = {(p["res"], p["chain"], p["num"]) for p in pocket}
    contacts, metals, props = [], [], []
    mind = None
    aromn = ohd = False
    for a in heavy:
        has_h = any(lig[n]["el"] == "H" for n in a["nbr"])
        for p in pocket:
            dist = math.dist(a["xyz"], p["xyz"])
            if a["el"] in ("N", "O") and p["el"] in ("N", "O"):
                if mind is None or dist < mind[0]:
                    mind = (dist, a, p)
                if dist <= 3.5:
                    contacts.append((dist, a, p))
                    if a["type"] == "N.ar" and not has_h and donor_capable(p):
                        aromn = True
                    if (a["type"] == "O.3" and has_h and acceptor_capable(p)
                            and any(lig[n]["el"] == "C" for n in a["nbr"])):
                        ohd = True
            if p["el"] in METALS and dist <= 4.0:
                metals.append((dist, a, p))
    charged = sorted({a["type"] for a in heavy if a["type"] in ("O.co2", "N.4")})
    if any(a["el"] == "S" and len([n for n in a["nbr"]]) == 3 and a["type"] == "S.3"
           and all(lig[n]["el"] == "C" for n in a["nbr"]) for a in heavy):
        charged.append("sulfonium")
    if charged:
        props.append("charged(%s)" % ",".join(charged))
    if aromn:
        props.append("aromN-acc")
    if ohd:
        props.append("OH-donor")
    if mind is None or mind[0] > 3.6:
        props.append("no-polar")
    if metals:
        props.append("metal")

    def lbl(p):
        return "%s%s%s:%s" % (p["res"], p["num"], "" if p["chain"] == "_" else "/" + p["chain"], p["name"])
    print("%s: ligand %d heavy atoms (%d with H); pocket %d residues, %d atoms"
          % (ident, len(heavy), len(lig), len(residues), len(pocket)))
    for dist, a, p in sorted(contacts, key=lambda t: (t[0], t[1]["name"], lbl(t[2]))):
        print("  polar  %-5s %-6s -- %-16s %.2f" % (a["name"], a["type"], lbl(p), dist))
    if mind is not None:
        print("  closest N/O pair: %s -- %s %.2f A" % (mind[1]["name"], lbl(mind[2]), mind[0]))
    seen = set()
    for dist, a, p in sorted(metals, key=lambda t: t[0]):
        if lbl(p) not in seen:
            seen.add(lbl(p))
            print("  metal  %s -- %s %.2f A" % (lbl(p), a["name"], dist))
    print("  coverage: %s" % (" ".join(props) or "-"))


def main(argv):
    if len(argv) < 3 or len(argv) % 2 != 1:
        sys.exit(__doc__)
    for i in range(1, len(argv), 2):
        scan(argv[i], argv[i + 1])


if __name__ == "__main__":
    main(sys.argv)
