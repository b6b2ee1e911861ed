#!/usr/bin/env python3
"""Compare misi's H-bond finder with a plain polar-contact rule (N/O pairs
within 3.6 Å), pair by pair, for every complex under a folder, and write the
Markdown tables of docs/hbonds.md to stdout.

usage: tools/hbond-agreement.py [build/misi] [assets/complexes]
"""
import json
import subprocess
import sys


def run(misi, args):
    out = subprocess.run([misi, "hbonds", "--json", *args], check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


def key(b):
    return (b["chain"], b["number"], b["icode"], b["residue"], b["residue_atom"], b["ligand_atom"])


def label(b):
    chain = f" {b['chain']}" if b["chain"] else ""
    return f"{b['residue']} {b['number']}{b['icode']}{chain} {b['residue_atom']} – {b['ligand_atom']}"


def first_failed(tests):
    for t in tests:
        if not t["passed"]:
            lo, hi = t.get("min"), t.get("max")
            rng = f"≤ {hi:g}" if lo is None else (f"≥ {lo:g}" if hi is None or hi >= 180 else f"{lo:g}–{hi:g}")
            return f"{t['name']} = {t['value']:.2f} (needs {rng})"
    return ""


def main():
    misi = sys.argv[1] if len(sys.argv) > 1 else "build/misi"
    root = sys.argv[2] if len(sys.argv) > 2 else "assets/complexes"
    found = {c["complex"]: c for c in run(misi, [root])}
    contacts = {c["complex"]: c for c in run(misi, ["--contacts", root])}
    total = {"both": 0, "contact_only": 0, "finder_only": 0}
    summary = []
    detail = []
    for cid in sorted(found):
        if "error" in found[cid]:
            summary.append(f"| {cid} | error: {found[cid]['error']} | | | | |")
            continue
        hb = {key(b): b for b in found[cid]["hbonds"]}
        ct = {key(b): b for b in contacts[cid]["contacts"]}
        both = [k for k in ct if k in hb]
        contact_only = [k for k in ct if k not in hb]
        finder_only = [k for k in hb if k not in ct]
        n_union = len(both) + len(contact_only) + len(finder_only)
        agree = f"{100.0 * len(both) / n_union:.0f}%" if n_union else "—"
        summary.append(f"| {cid} | {len(hb)} | {len(ct)} | {len(both)} | {len(contact_only)} | {len(finder_only)} | {agree} |")
        total["both"] += len(both)
        total["contact_only"] += len(contact_only)
        total["finder_only"] += len(finder_only)
        detail.append(f"\n### {cid}\n")
        if not n_union:
            detail.append("No polar contact and no H-bond: the ligand makes no N/O contact within 3.6 Å.\n")
            continue
        detail.append("| pair | D···A (Å) | polar contact | finder | donor → acceptor | deciding criterion |")
        detail.append("|---|---|---|---|---|---|")
        for k in sorted(set(ct) | set(hb), key=lambda k: (k[0], k[1], k[2], k[4], k[5])):
            c, h = ct.get(k), hb.get(k)
            b = h or c
            if h:
                verdict = "H-bond"
                roles = f"{h['donor_class']} → {h['acceptor_class']} ({h['donor']} donates)"
                why = "all tests pass" if c else (
                    "D···A above 3.6 Å but within the class cutoff" if h["distance"] > 3.6 else
                    "not an N/O pair (S donor or acceptor)")
            else:
                verdict = "rejected"
                roles = f"{c['donor_class']} → {c['acceptor_class']}"
                why = c.get("decided_by") or first_failed(c["tests"])
            detail.append(f"| {label(b)} | {b['distance']:.2f} | {'yes' if c else 'no'} | {verdict} | {roles} | {why} |")
    n = total["both"] + total["contact_only"] + total["finder_only"]
    print("| complex | finder H-bonds | polar contacts ≤ 3.6 Å | both | contact only | finder only | agreement |")
    print("|---|---|---|---|---|---|---|")
    print("\n".join(summary))
    if n:
        print(f"| **all** | | | {total['both']} | {total['contact_only']} | {total['finder_only']} | "
              f"{100.0 * total['both'] / n:.0f}% |")
    print("\n".join(detail))


if __name__ == "__main__":
    main()
