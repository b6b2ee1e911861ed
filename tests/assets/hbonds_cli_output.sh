#!/usr/bin/env bash
# misi hbonds prints what the README says, on a real complex: 1hpv has six
# H-bonds (both ASP 25 carboxylates to the ligand hydroxyl O3, ASP 30 N to O6
# of chain A, ASP 30 O of chain B from N3); each text line names residue,
# number, chain, residue atom, ligand atom, donor side, D..A and its tests;
# --json carries the same bonds with every test passed; the pocket + ligand
# pair form gives the same bonds as the folder form; 4cup has none.
# usage: hbonds_cli_output.sh <misi> <assets folder>
set -u
misi=$1
assets=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

"$misi" hbonds "$assets/1hpv" >"$tmp/text" 2>/dev/null || fail "misi hbonds 1hpv failed"
[ "$(grep -c 'donor=' "$tmp/text")" = 6 ] || { cat "$tmp/text" >&2; fail "expected 6 bonds"; }
for want in \
  'ASP 25 A +OD1 +O3 +donor=ligand +D\.\.A=2\.58 hydroxyl O -> carboxylate O' \
  'ASP 25 B +OD2 +O3 +donor=ligand +D\.\.A=2\.80 ' \
  'ASP 30 A +N +O6 +donor=residue +D\.\.A=3\.50 .*H\.\.A=2\.62' \
  'ASP 30 B +O +N3 +donor=ligand +D\.\.A=3\.60 amide NH2 -> amide/ketone C=O'; do
  grep -Eq "^$want" "$tmp/text" || { cat "$tmp/text" >&2; fail "no line matching '$want'"; }
done

"$misi" hbonds --json "$assets/1hpv" >"$tmp/json" 2>/dev/null || fail "misi hbonds --json failed"
python3 - "$tmp/json" <<'PY' || fail "JSON output"
import json, sys
d = json.load(open(sys.argv[1]))
assert len(d) == 1 and d[0]["complex"] == "1hpv", d
b = d[0]["hbonds"]
assert len(b) == 6, len(b)
for x in b:
    for k in ("residue", "number", "chain", "residue_atom", "ligand_atom", "donor", "distance", "tests"):
        assert k in x, (k, x)
    assert x["donor"] in ("ligand", "residue")
    assert all(t["passed"] for t in x["tests"]), x
    assert x["distance"] <= 3.9
got = sorted((x["residue"], x["number"], x["chain"], x["residue_atom"], x["ligand_atom"]) for x in b)
want = sorted([("ASP", 25, "A", "OD1", "O3"), ("ASP", 25, "A", "OD2", "O3"), ("ASP", 30, "A", "N", "O6"),
               ("ASP", 25, "B", "OD1", "O3"), ("ASP", 25, "B", "OD2", "O3"), ("ASP", 30, "B", "O", "N3")])
assert got == want, got
PY

"$misi" hbonds "$assets/1hpv/1hpv_pocket.pdb" "$assets/1hpv/1hpv_ligand.mol2" >"$tmp/pair" 2>/dev/null ||
  fail "pair form failed"
diff <(grep 'donor=' "$tmp/text") <(grep 'donor=' "$tmp/pair") >/dev/null || fail "pair form gives other bonds"

"$misi" hbonds "$assets/4cup" >"$tmp/none" 2>/dev/null || fail "misi hbonds 4cup failed"
[ "$(grep -c 'donor=' "$tmp/none")" = 0 ] || fail "4cup should have no H-bond"
echo "ok: misi hbonds text, JSON and pair form on 1hpv; none on 4cup"
