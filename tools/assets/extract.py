#!/usr/bin/env python3
"""Extract a ligand and its binding pocket from a PDB-format or mmCIF file.

Usage: extract.py SOURCE RESNAME CHAIN RESNUM OUTDIR ID [--label TEXT]
                  [--double ATOM1-ATOM2]... [--charge ATOM=+1]...

--double adds a repeated CONECT record (Open Babel reads it as a double bond)
for a bond whose order Open Babel's geometric perception gets wrong; --charge
writes a formal charge into columns 79-80 of the ligand atom.

CHAIN '_' means a blank chain identifier; RESNUM may carry an insertion code.
Writes:
  OUTDIR/ID_pocket.pdb  whole residues (protein and non-water hetero groups,
                        not the ligand) with any atom within CUTOFF A of any
                        ligand heavy atom; source ATOM/HETATM records (first
                        model; mmCIF input is rewritten as PDB records) + END
  OUTDIR/ID_ligsrc.pdb  the ligand's HETATM records (one altloc) + CONECT,
                        input for Open Babel
Only the standard library is used; output is deterministic.
"""
import gzip
import math
import sys

CUTOFF = 10.0
WATERS = {"HOH", "WAT", "DOD", "H2O", "TIP", "TIP3", "SOL"}


def read_text(path):
    if path.endswith(".gz"):
        with gzip.open(path, "rt", encoding="latin-1") as fh:
            return fh.read()
    with open(path, "r", encoding="latin-1") as fh:
        return fh.read()


def cif_tokens(line):
    out, i, n = [], 0, len(line)
    while i < n:
        c = line[i]
        if c.isspace():
            i += 1
            continue
        if c in "'\"":
            j = i + 1
            while j < n and not (line[j] == c and (j + 1 == n or line[j + 1].isspace())):
                j += 1
            out.append(line[i + 1:j])
            i = j + 1
        else:
            j = i
            while j < n and not line[j].isspace():
                j += 1
            out.append(line[i:j])
            i = j
    return out


def pdb_name(name, element):
    if len(name) >= 4:
        return name[:4]
    if len(element) == 1:
        return (" " + name).ljust(4)
    return name.ljust(4)


def cif_to_pdb_lines(text):
    """Return PDB ATOM/HETATM lines (first model) built from _atom_site."""
    lines = text.splitlines()
    cols, rows, i = [], [], 0
    while i < len(lines):
        if lines[i].startswith("_atom_site."):
            while i < len(lines) and lines[i].startswith("_atom_site."):
                cols.append(lines[i].split(".", 1)[1].strip())
                i += 1
            while i < len(lines) and lines[i].strip() and not lines[i].startswith(("#", "_", "loop_")):
                rows.append(cif_tokens(lines[i]))
                i += 1
            break
        i += 1
    out = []
    model = None
    for t in rows:
        d = dict(zip(cols, t))
        m = d.get("pdbx_PDB_model_num", "1")
        if model is None:
            model = m
        if m != model:
            continue
        el = d.get("type_symbol", "").upper()
        name = d.get("auth_atom_id", d.get("label_atom_id", "")).strip('"')
        alt = d.get("label_alt_id", ".")
        alt = " " if alt in (".", "?") else alt[:1]
        res = d.get("auth_comp_id", d.get("label_comp_id"))
        ch = d.get("auth_asym_id", d.get("label_asym_id"))
        seq = d.get("auth_seq_id", d.get("label_seq_id"))
        ins = d.get("pdbx_PDB_ins_code", "?")
        ins = " " if ins in (".", "?") else ins[:1]
        chg = d.get("pdbx_formal_charge", "?")
        chg = "" if chg in ("?", ".", "0") else (chg.lstrip("+-") + ("-" if chg.startswith("-") else "+"))
        el_field = el.rjust(2) if len(el) <= 2 else el[:2]
        out.append("%-6s%5d %s%1s%3s %1s%4s%1s   %8.3f%8.3f%8.3f%6.2f%6.2f          %2s%-2s" % (
            d["group_PDB"], int(d["id"]) % 100000, pdb_name(name, el), alt, res[:3].rjust(3),
            ch[:1], seq[-4:].rjust(4), ins, float(d["Cartn_x"]), float(d["Cartn_y"]),
            float(d["Cartn_z"]), float(d["occupancy"]), float(d["B_iso_or_equiv"]),
            el_field, chg))
    return out


def parse_pdb(text):
    recs, conect = [], []
    for line in text.splitlines():
        line = line.rstrip("\r\n")
        tag = line[:6]
        if tag == "ENDMDL":
            break
        if tag in ("ATOM  ", "HETATM"):
            recs.append(line)
        elif tag == "CONECT":
            conect.append(line)
    return recs, conect


def atom(line):
    return {
        "line": line,
        "serial": line[6:11].strip(),
        "name": line[12:16],
        "alt": line[16],
        "res": line[17:20].strip(),
        "chain": line[21],
        "resnum": line[22:27].strip(),
        "xyz": (float(line[30:38]), float(line[38:46]), float(line[46:54])),
        "el": element(line),
    }


ELEMENTS = {"H", "D", "C", "N", "O", "S", "P", "F", "CL", "BR", "I", "B", "SE", "ZN", "MG",
            "MN", "FE", "CA", "NA", "K", "CU", "CO", "NI", "CD", "HG", "AL", "LI"}


def element(line):
    """Element from columns 77-78, else from the atom name (old files)."""
    e = line[76:78].strip().upper()
    if e in ELEMENTS:
        return e
    name = line[12:16]
    if name[0] == " " or name[0].isdigit():
        return name[1].upper()
    return name[:2].strip().upper()


COVALENT = {"H": 0.31, "C": 0.76, "N": 0.71, "O": 0.66, "S": 1.05, "P": 1.07,
            "F": 0.57, "CL": 1.02, "BR": 1.20, "I": 1.39, "B": 0.84, "SE": 1.20}


def distance_conect(lig):
    """CONECT records from interatomic distances (sources without CONECT)."""
    out = []
    for a in lig:
        partners = []
        for b in lig:
            if b is a:
                continue
            r = COVALENT.get(a["el"], 1.5) + COVALENT.get(b["el"], 1.5) + 0.45
            if math.dist(a["xyz"], b["xyz"]) <= r:
                partners.append(b["serial"])
        out.append("CONECT%5s" % a["serial"] + "".join("%5s" % p for p in partners))
    return out


def main(argv):
    if len(argv) < 7:
        sys.exit(__doc__)
    src, resname, chain, resnum, outdir, ident = argv[1:7]
    label, doubles, charges = src, [], {}
    rest = argv[7:]
    while rest:
        opt, val = rest[0], rest[1]
        rest = rest[2:]
        if opt == "--label":
            label = val
        elif opt == "--double":
            doubles.append(tuple(val.split("-")))
        elif opt == "--charge":
            k, v = val.split("=")
            charges[k] = int(v)
        else:
            sys.exit("extract.py: unknown option " + opt)
    chain = " " if chain == "_" else chain
    text = read_text(src)
    is_cif = src.endswith((".cif", ".cif.gz"))
    if is_cif:
        recs, conect = cif_to_pdb_lines(text), []
    else:
        recs, conect = parse_pdb(text)
    atoms = [atom(r) for r in recs]
    lig = [a for a in atoms if a["res"] == resname and a["chain"] == chain and a["resnum"] == resnum]
    if not lig:
        sys.exit("extract.py: ligand %s %s %s not found in %s" % (resname, chain, resnum, src))
    alts = sorted({a["alt"] for a in lig if a["alt"] != " "})
    keep_alt = alts[0] if alts else " "
    lig = [a for a in lig if a["alt"] in (" ", keep_alt)]
    ligkey = (resname, chain, resnum)

    # pocket: whole residues with any atom within CUTOFF of any ligand atom
    residues = {}
    order = []
    for a in atoms:
        key = (a["res"], a["chain"], a["resnum"])
        if key == ligkey or a["res"] in WATERS:
            continue
        if key not in residues:
            residues[key] = []
            order.append(key)
        residues[key].append(a)
    c2 = CUTOFF * CUTOFF
    lxyz = [a["xyz"] for a in lig if a["el"] not in ("H", "D")]
    picked = set()
    for key in order:
        for a in residues[key]:
            x, y, z = a["xyz"]
            if any((x - p[0]) ** 2 + (y - p[1]) ** 2 + (z - p[2]) ** 2 <= c2 for p in lxyz):
                picked.add(key)
                break
    pocket_lines = [a["line"] for a in atoms if (a["res"], a["chain"], a["resnum"]) in picked]
    with open("%s/%s_pocket.pdb" % (outdir, ident), "w") as fh:
        fh.write("REMARK   1 %s POCKET FROM %s\n" % (ident.upper(), label))
        fh.write("REMARK   1 LIGAND %s CHAIN %s RESIDUE %s (EXCLUDED)\n" % (resname, chain if chain != " " else "_", resnum))
        fh.write("REMARK   1 WHOLE RESIDUES, ANY ATOM WITHIN %.1f A OF ANY LIGAND HEAVY ATOM; NO WATERS\n" % CUTOFF)
        if is_cif:
            fh.write("REMARK   1 RECORDS CONVERTED FROM MMCIF _atom_site (AUTH IDENTIFIERS)\n")
        fh.write("REMARK   1 %d RESIDUES, %d ATOMS\n" % (len(picked), len(pocket_lines)))
        for line in pocket_lines:
            fh.write(line + "\n")
        fh.write("END\n")

    # ligand source for Open Babel: heavy atoms of one altloc, altloc column
    # blanked, clean element columns; hydrogens are added by Open Babel
    lig = [a for a in lig if a["el"] not in ("H", "D")]
    serials = {a["serial"] for a in lig}
    if not any(c[6:11].strip() in serials for c in conect):
        conect = distance_conect(lig)
    with open("%s/%s_ligsrc.pdb" % (outdir, ident), "w") as fh:
        byname = {}
        for a in lig:
            l = a["line"][:66].ljust(66)
            q = charges.get(a["name"].strip(), 0)
            qs = "%d%s" % (abs(q), "+" if q > 0 else "-") if q else ""
            l = "HETATM" + l[6:16] + " " + l[17:66] + " " * 10 + a["el"].rjust(2) + qs
            fh.write(l.rstrip() + "\n")
            byname[a["name"].strip()] = a["serial"]
        for c in conect:
            fields = [c[p:p + 5].strip() for p in (6, 11, 16, 21, 26)]
            if fields[0] not in serials:
                continue
            partners = [f for f in fields[1:] if f and f in serials]
            if partners:
                fh.write("CONECT%5s" % fields[0] + "".join("%5s" % p for p in partners) + "\n")
        for a1, a2 in doubles:
            if a1 not in byname or a2 not in byname:
                sys.exit("extract.py: --double %s-%s: no such ligand atom" % (a1, a2))
            fh.write("CONECT%5s%5s\n" % (byname[a1], byname[a2]))
            fh.write("CONECT%5s%5s\n" % (byname[a2], byname[a1]))
        fh.write("END\n")
    heavy = sum(1 for a in lig if a["el"] not in ("H", "D"))
    print("%s: ligand %s/%s/%s %d heavy atoms; pocket %d residues, %d atoms"
          % (ident, resname, chain.strip() or "_", resnum, heavy, len(picked), len(pocket_lines)))


if __name__ == "__main__":
    main(sys.argv)
